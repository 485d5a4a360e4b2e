package publish

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// TestRateLimitHoldSharedByInstances: a limit one instance used up holds the
// channel in every instance until the reset. Before holds were shared, the
// second instance published at once, into the network's 429.
func TestRateLimitHoldSharedByInstances(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			sts := storetest.OpenInstances(t, d, 2)
			stA, stB := sts[0], sts[1]
			f := setup(t, stA, kindIdem)
			rep := wrapReporter(f, f.chs[0], 4*time.Second)
			ids := f.posts(t, 2, nil)
			ctx := context.Background()

			a, stopA := f.instance(t, stA, "a", nil)
			_, err := a.Schedule(ctx, f.ws.ID, ids[:1], time.Now(), "UTC")
			require.NoError(t, err)
			f.settle(t, ids[:1], store.PubPublished)
			calls, reset := rep.recorded()
			require.Len(t, calls, 1)
			stopA()

			// Another instance, whose connector reports nothing, takes the next post.
			f.res.mu.Lock()
			f.res.wrap = nil
			f.res.mu.Unlock()
			b, _ := f.instance(t, stB, "b", nil)
			require.True(t, time.Now().Before(reset), "the test reached the second instance after the reset")
			_, err = b.Schedule(ctx, f.ws.ID, ids[1:], time.Now(), "UTC")
			require.NoError(t, err)
			require.Eventually(t, func() bool {
				p := f.publication(t, ids[1])
				return p.State == store.PubPublished ||
					(p.State == store.PubScheduled && strings.Contains(p.ErrorMessage, "waiting for Fake's rate limit to reset"))
			}, 5*time.Second, 5*time.Millisecond)
			f.settle(t, ids[1:], store.PubPublished)

			posts := f.net.Posts()
			require.Len(t, posts, 2)
			for _, p := range posts {
				if p.Text == "post 1" {
					require.GreaterOrEqual(t, p.Received, reset.UnixNano(), "the second instance waited for the reset")
				}
			}
			requireNoDuplicates(t, f)
		})
	}
}

// TestDailyCapSharedByInstances: two instances that staged a capped channel's
// publications side by side publish no more than the cap together. Before the
// check moved to the database, each counted only its own staged rows and the
// two published twice the cap.
func TestDailyCapSharedByInstances(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			sts := storetest.OpenInstances(t, d, 2)
			stA, stB := sts[0], sts[1]
			f := setup(t, stA, kindIdem)
			f.res.caps[f.chs[0]] = 3
			ids := f.posts(t, 6, nil)
			ctx := context.Background()
			due := time.Now().Add(4 * time.Second)
			lead := func(c *Config) { c.LeadTime = 10 * time.Second; c.MaxStaged = 3 }

			// Instance a stages the first three (and has no room for more).
			// Each instance schedules through its engine, which wakes its
			// stager: a look that came before the rows were committed would
			// otherwise idle for a third of the 10 s lead, 3.3 s of the 4.
			a, _ := f.instance(t, stA, "a", lead)
			_, err := a.Schedule(ctx, f.ws.ID, ids[:3], due, "UTC")
			require.NoError(t, err)
			f.settle(t, ids[:3], store.PubStaged)
			// Instance b stages the other three for the same moment.
			b, _ := f.instance(t, stB, "b", lead)
			_, err = b.Schedule(ctx, f.ws.ID, ids[3:], due, "UTC")
			require.NoError(t, err)
			f.settle(t, ids[3:], store.PubStaged)
			require.True(t, time.Now().Before(due), "the test staged after the due time")

			f.settle(t, ids, store.PubPublished, store.PubScheduled)
			require.Eventually(t, func() bool {
				published, waiting := 0, 0
				for _, id := range ids {
					p := f.publication(t, id)
					switch {
					case p.State == store.PubPublished:
						published++
					case p.State == store.PubScheduled && strings.Contains(p.ErrorMessage, "allows 3 posts per 24 hours"):
						waiting++
					}
				}
				return published == 3 && waiting == 3
			}, 10*time.Second, 20*time.Millisecond)
			require.Len(t, f.net.Posts(), 3, "two instances together stay within the cap")
			requireNoDuplicates(t, f)
		})
	}
}
