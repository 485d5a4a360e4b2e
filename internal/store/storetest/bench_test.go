package storetest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// BenchmarkPublishPath measures the database side of publishing one post at
// its due moment, per post and per dialect: marking staged publications
// publishing in batches the size a burst's free workers gather (mark), and
// writing their results with the attempt log and the posts' states in the
// engine's batches (results), and both in turn (both: what a burst leaves
// the database to do, checkpoints included). Staging happens before the timer, as it does
// ahead of the due moment in the engine. Each iteration is one post, so
// -benchtime=10000x is a burst of 10,000.
func BenchmarkPublishPath(b *testing.B) {
	for _, d := range storetest.Dialects() {
		for _, part := range []string{"mark", "results", "both"} {
			b.Run(d+"/"+part, func(b *testing.B) { benchPublishPath(b, d, part) })
		}
	}
}

func benchPublishPath(b *testing.B, dialect, part string) {
	const markBatch, resultBatch = 40, 500
	ctx := context.Background()
	s := storetest.Open(b, dialect)
	u := storetest.NewUser(b, s, "bench@example.com")
	w := storetest.NewWorkspace(b, s, "bench", u.ID)
	var channels []int64
	for i := range 20 {
		channels = append(channels, storetest.NewChannel(b, s, w.ID, "fake", fmt.Sprint("bench-", i)).ID)
	}
	var ids []int64
	for start := 0; start < b.N; start += 1000 {
		nps := make([]store.NewPost, min(1000, b.N-start))
		for i := range nps {
			p := &store.Post{WorkspaceID: w.ID, State: store.PostApproved, Text: fmt.Sprint("Bench post ", start+i)}
			nps[i] = store.NewPost{Post: p, Variants: []store.Variant{{ChannelID: channels[(start+i)%len(channels)]}}}
		}
		if err := s.CreatePosts(ctx, nps); err != nil {
			b.Fatal(err)
		}
		for _, np := range nps {
			ids = append(ids, np.Post.ID)
		}
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	if _, err := s.SchedulePosts(ctx, w.ID, ids, now, "UTC", now); err != nil {
		b.Fatal(err)
	}
	var jobs []store.PublishJob
	for len(jobs) < b.N {
		got, err := s.ClaimDue(ctx, "bench", now, now.Add(time.Hour), now, 500)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) == 0 {
			b.Fatalf("staged %d of %d", len(jobs), b.N)
		}
		jobs = append(jobs, got...)
	}
	refs := make([]store.ClaimRef, len(jobs))
	for i, j := range jobs {
		refs[i] = store.ClaimRef{ID: j.ID, Claim: j.Claim}
	}
	mark := func() {
		for i := 0; i < len(refs); i += markBatch {
			batch := refs[i:min(i+markBatch, len(refs))]
			marked, err := s.MarkPublishing(ctx, batch, now.Add(time.Hour), now)
			if err != nil {
				b.Fatal(err)
			}
			if len(marked) != len(batch) {
				b.Fatalf("marked %d of %d", len(marked), len(batch))
			}
		}
	}
	results := func() {
		for i := 0; i < len(jobs); i += resultBatch {
			var rs []store.PublishResult
			for _, j := range jobs[i:min(i+resultBatch, len(jobs))] {
				rs = append(rs, store.PublishResult{ID: j.ID, Claim: j.Claim, From: store.PubPublishing, State: store.PubPublished,
					RemoteID: fmt.Sprint("r", j.ID), URL: fmt.Sprint("https://example.com/r", j.ID), DoneParts: []byte(`[]`),
					Attempt: &store.Attempt{WorkspaceID: w.ID, StartedAt: now, LatencyMS: 3, Outcome: "published", HTTPStatus: 200}})
			}
			applied, err := s.SaveResults(ctx, rs, now)
			if err != nil {
				b.Fatal(err)
			}
			if len(applied) != len(rs) {
				b.Fatalf("applied %d of %d", len(applied), len(rs))
			}
		}
	}
	if part == "results" {
		mark()
	}
	b.ResetTimer()
	switch part {
	case "mark":
		mark()
	case "results":
		results()
	default:
		mark()
		results()
	}
}
