package storetest

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// RunPosts runs the conformance suite of posts, variants and the publishing queue.
func RunPosts(t *testing.T, open func(t testing.TB) store.Store) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"PostsAndVariants", testPostsAndVariants},
		{"ScheduleClaimPublish", testScheduleClaimPublish},
		{"RescheduleBeatsStaleClaim", testRescheduleBeatsStaleClaim},
		{"LeaseExpiry", testLeaseExpiry},
		{"ReviewRetryAndConfirm", testReviewRetryAndConfirm},
		{"CancelAndHold", testCancelAndHold},
		{"ConcurrentClaimsAreDisjoint", testConcurrentClaims},
		{"Leases", testLeases},
		{"PostScoping", testPostScoping},
		{"PlanPost", testPlanPost},
		{"RemoteDeleteAndDeletePublished", testRemoteDelete},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

// NewChannel creates a channel of the network in the workspace.
func NewChannel(t testing.TB, s store.Store, workspaceID int64, network, remoteID string) store.Channel {
	t.Helper()
	c := store.Channel{WorkspaceID: workspaceID, Network: network, RemoteID: remoteID, Handle: "@" + remoteID}
	require.NoError(t, s.CreateChannel(ctx, &c))
	return c
}

// NewPosts creates n posts in the workspace, each with one variant per channel.
func NewPosts(t testing.TB, s store.Store, workspaceID int64, n int, channels ...int64) []store.Post {
	t.Helper()
	nps := make([]store.NewPost, n)
	for i := range nps {
		p := &store.Post{WorkspaceID: workspaceID, State: store.PostApproved, Text: fmt.Sprintf("post %d", i)}
		vs := make([]store.Variant, len(channels))
		for j, ch := range channels {
			vs[j] = store.Variant{ChannelID: ch}
		}
		nps[i] = store.NewPost{Post: p, Variants: vs}
	}
	require.NoError(t, s.CreatePosts(ctx, nps))
	out := make([]store.Post, n)
	for i, np := range nps {
		out[i] = *np.Post
	}
	return out
}

func postIDs(posts []store.Post) []int64 {
	ids := make([]int64, len(posts))
	for i, p := range posts {
		ids[i] = p.ID
	}
	return ids
}

func refs(jobs []store.PublishJob) []store.ClaimRef {
	out := make([]store.ClaimRef, len(jobs))
	for i, j := range jobs {
		out[i] = store.ClaimRef{ID: j.ID, Claim: j.Claim}
	}
	return out
}

func ms(t time.Time) time.Time { return t.Truncate(time.Millisecond) }

func testPostsAndVariants(t *testing.T, s store.Store) {
	u := NewUser(t, s, "pv@example.com")
	w := NewWorkspace(t, s, "pv", u.ID)
	other := NewWorkspace(t, s, "pv-other", u.ID)
	ch := NewChannel(t, s, w.ID, "mastodon", "a1")
	foreign := NewChannel(t, s, other.ID, "mastodon", "b1")
	at := ms(time.Now().UTC().Add(48 * time.Hour))

	p := &store.Post{WorkspaceID: w.ID, AuthorID: u.ID, Text: "hello", Link: "https://example.com", ScheduledAt: &at, Timezone: "Europe/Paris",
		Labels: []store.Label{{Key: "theme", Value: "launch"}, {Key: "target_group", Value: "students"}}}
	v := store.Variant{ChannelID: ch.ID, Text: "hello mastodon", Media: json.RawMessage(`[{"id":1}]`), Parts: json.RawMessage(`[{"text":"2/2"}]`),
		FirstComment: "first!", Options: json.RawMessage(`{"visibility":"unlisted"}`)}
	require.NoError(t, s.CreatePosts(ctx, []store.NewPost{{Post: p, Variants: []store.Variant{v}}}))
	require.NotZero(t, p.ID)

	got, err := s.Post(ctx, w.ID, p.ID)
	require.NoError(t, err)
	require.Equal(t, store.PostDraft, got.State)
	require.Equal(t, "Europe/Paris", got.Timezone)
	require.Equal(t, at, *got.ScheduledAt)
	require.ElementsMatch(t, p.Labels, got.Labels)

	vs, err := s.Variants(ctx, w.ID, p.ID)
	require.NoError(t, err)
	require.Len(t, vs, 1)
	require.JSONEq(t, `{"visibility":"unlisted"}`, string(vs[0].Options))
	require.JSONEq(t, `[{"text":"2/2"}]`, string(vs[0].Parts))
	require.Equal(t, "first!", vs[0].FirstComment)

	// A variant may not point at another workspace's channel.
	bad := &store.Post{WorkspaceID: w.ID, Text: "x"}
	err = s.CreatePosts(ctx, []store.NewPost{{Post: bad, Variants: []store.Variant{{ChannelID: foreign.ID}}}})
	require.ErrorIs(t, err, store.ErrNotFound)
	require.ErrorIs(t, s.SaveVariant(ctx, &store.Variant{WorkspaceID: w.ID, PostID: p.ID, ChannelID: foreign.ID}), store.ErrNotFound)

	// SaveVariant replaces the variant for the same channel.
	upd := store.Variant{WorkspaceID: w.ID, PostID: p.ID, ChannelID: ch.ID, Text: "edited"}
	require.NoError(t, s.SaveVariant(ctx, &upd))
	require.Equal(t, vs[0].ID, upd.ID)
	vs, err = s.Variants(ctx, w.ID, p.ID)
	require.NoError(t, err)
	require.Len(t, vs, 1)
	require.Equal(t, "edited", vs[0].Text)

	got.Text, got.Labels = "hello again", []store.Label{{Key: "theme", Value: "summer"}}
	require.NoError(t, s.UpdatePost(ctx, got))
	got, err = s.Post(ctx, w.ID, p.ID)
	require.NoError(t, err)
	require.Equal(t, "hello again", got.Text)
	require.Equal(t, []store.Label{{Key: "theme", Value: "summer"}}, got.Labels)

	require.NoError(t, s.SetPostState(ctx, w.ID, p.ID, []store.PostState{store.PostDraft}, store.PostInReview, time.Now()))
	err = s.SetPostState(ctx, w.ID, p.ID, []store.PostState{store.PostDraft}, store.PostApproved, time.Now())
	require.ErrorIs(t, err, store.ErrStale)

	later := ms(at.Add(time.Hour))
	p2 := &store.Post{WorkspaceID: w.ID, Text: "second", ScheduledAt: &later, Labels: []store.Label{{Key: "theme", Value: "launch"}}}
	require.NoError(t, s.CreatePosts(ctx, []store.NewPost{{Post: p2}}))
	list, err := s.Posts(ctx, w.ID, store.PostFilter{})
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.Equal(t, p.ID, list[0].ID)
	list, err = s.Posts(ctx, w.ID, store.PostFilter{States: []store.PostState{store.PostDraft}})
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, p2.ID, list[0].ID)
	list, err = s.Posts(ctx, w.ID, store.PostFilter{From: later, To: later.Add(time.Minute)})
	require.NoError(t, err)
	require.Len(t, list, 1)
	list, err = s.Posts(ctx, w.ID, store.PostFilter{Label: &store.Label{Key: "theme", Value: "summer"}})
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, p.ID, list[0].ID)

	require.NoError(t, s.DeleteVariant(ctx, w.ID, vs[0].ID))
	require.NoError(t, s.DeletePost(ctx, w.ID, p.ID))
	_, err = s.Post(ctx, w.ID, p.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
}

func testScheduleClaimPublish(t *testing.T, s store.Store) {
	u := NewUser(t, s, "sc@example.com")
	w := NewWorkspace(t, s, "sc", u.ID)
	a := NewChannel(t, s, w.ID, "mastodon", "a")
	b := NewChannel(t, s, w.ID, "bluesky", "b")
	posts := NewPosts(t, s, w.ID, 3, a.ID, b.ID)
	now := ms(time.Now().UTC())
	due := now.Add(10 * time.Second)

	ids, err := s.SchedulePosts(ctx, w.ID, postIDs(posts), due, "Europe/Berlin", now)
	require.NoError(t, err)
	require.ElementsMatch(t, postIDs(posts), ids)
	p, err := s.Post(ctx, w.ID, posts[0].ID)
	require.NoError(t, err)
	require.Equal(t, store.PostScheduled, p.State)
	require.Equal(t, due, *p.ScheduledAt)
	pubs, err := s.Publications(ctx, w.ID, posts[0].ID)
	require.NoError(t, err)
	require.Len(t, pubs, 2)
	require.Equal(t, "mastodon", pubs[0].Network)
	require.NotEqual(t, pubs[0].IdempotencyKey, pubs[1].IdempotencyKey)
	require.Len(t, pubs[0].IdempotencyKey, 32)
	key := pubs[0].IdempotencyKey

	// Nothing is due before the horizon reaches due.
	jobs, err := s.ClaimDue(ctx, "w1", now.Add(5*time.Second), now.Add(time.Minute), now, 100)
	require.NoError(t, err)
	require.Empty(t, jobs)
	jobs, err = s.ClaimDue(ctx, "w1", due, now.Add(time.Minute), now, 4)
	require.NoError(t, err)
	require.Len(t, jobs, 4)
	rest, err := s.ClaimDue(ctx, "w2", due, now.Add(time.Minute), now, 100)
	require.NoError(t, err)
	require.Len(t, rest, 2)
	again, err := s.ClaimDue(ctx, "w2", due, now.Add(time.Minute), now, 100)
	require.NoError(t, err)
	require.Empty(t, again, "a leased row is not claimed twice")
	for _, j := range jobs {
		require.Equal(t, store.PubStaged, j.State)
		require.Equal(t, "w1", j.LeaseOwner)
		require.NotEmpty(t, j.PostText)
	}

	// Rescheduling keeps the idempotency key.
	_, err = s.SchedulePosts(ctx, w.ID, []int64{posts[0].ID}, due, "UTC", now)
	require.NoError(t, err)
	pubs, err = s.Publications(ctx, w.ID, posts[0].ID)
	require.NoError(t, err)
	require.Equal(t, key, pubs[0].IdempotencyKey)

	n, err := s.RenewLeases(ctx, "w2", now.Add(2*time.Minute), now)
	require.NoError(t, err)
	require.EqualValues(t, 2, n)

	marked, err := s.MarkPublishing(ctx, refs(rest), now.Add(time.Minute), now)
	require.NoError(t, err)
	require.Len(t, marked, 2)
	marked, err = s.MarkPublishing(ctx, refs(rest), now.Add(time.Minute), now)
	require.NoError(t, err)
	require.Empty(t, marked, "publishing happens once per claim")

	var results []store.PublishResult
	for i, j := range rest {
		results = append(results, store.PublishResult{ID: j.ID, Claim: j.Claim, From: store.PubPublishing, State: store.PubPublished,
			RemoteID: fmt.Sprintf("r%d", i), URL: "https://example.com/" + fmt.Sprint(i), DoneParts: json.RawMessage(`[{"ID":"x"}]`),
			Attempt: &store.Attempt{WorkspaceID: w.ID, StartedAt: now, LatencyMS: 12, Outcome: "published", HTTPStatus: 200}})
	}
	applied, err := s.SaveResults(ctx, results, now)
	require.NoError(t, err)
	require.Len(t, applied, 2)
	pub, err := s.Publication(ctx, w.ID, rest[0].ID)
	require.NoError(t, err)
	require.Equal(t, store.PubPublished, pub.State)
	require.Equal(t, "r0", pub.RemoteID)
	require.Equal(t, 1, pub.Attempts)
	require.NotNil(t, pub.PublishedAt)
	require.Empty(t, pub.LeaseOwner)
	att, err := s.Attempts(ctx, w.ID, rest[0].ID)
	require.NoError(t, err)
	require.Len(t, att, 1)
	require.Equal(t, "published", att[0].Outcome)
	require.EqualValues(t, 12, att[0].LatencyMS)
	require.Equal(t, 200, att[0].HTTPStatus)

	counts, err := s.PublishedSince(ctx, []int64{a.ID, b.ID}, now.Add(-time.Hour))
	require.NoError(t, err)
	require.Equal(t, 2, counts[a.ID]+counts[b.ID])

	// A post whose publications are all out is published; one half out is still publishing.
	post, err := s.Post(ctx, w.ID, rest[0].PostID)
	require.NoError(t, err)
	if rest[0].PostID == rest[1].PostID {
		require.Equal(t, store.PostPublished, post.State)
	} else {
		require.Equal(t, store.PostPublishing, post.State)
	}
}

func testRescheduleBeatsStaleClaim(t *testing.T, s store.Store) {
	u := NewUser(t, s, "rs@example.com")
	w := NewWorkspace(t, s, "rs", u.ID)
	a := NewChannel(t, s, w.ID, "x", "a")
	posts := NewPosts(t, s, w.ID, 1, a.ID)
	now := ms(time.Now().UTC())
	_, err := s.SchedulePosts(ctx, w.ID, postIDs(posts), now, "UTC", now)
	require.NoError(t, err)
	jobs, err := s.ClaimDue(ctx, "w1", now, now.Add(time.Minute), now, 10)
	require.NoError(t, err)
	require.Len(t, jobs, 1)

	// The user reschedules while the worker holds the claim; the worker's
	// claim must not publish, and a new claim waits for the new time.
	later := now.Add(time.Hour)
	_, err = s.SchedulePosts(ctx, w.ID, postIDs(posts), later, "UTC", now)
	require.NoError(t, err)
	marked, err := s.MarkPublishing(ctx, refs(jobs), now.Add(time.Minute), now)
	require.NoError(t, err)
	require.Empty(t, marked)
	again, err := s.ClaimDue(ctx, "w1", now.Add(time.Minute), now.Add(time.Minute), now, 10)
	require.NoError(t, err)
	require.Empty(t, again)
	again, err = s.ClaimDue(ctx, "w1", later, later.Add(time.Minute), later, 10)
	require.NoError(t, err)
	require.Len(t, again, 1)

	// Editing the post unstages it too.
	p, err := s.Post(ctx, w.ID, posts[0].ID)
	require.NoError(t, err)
	p.Text = "changed"
	require.NoError(t, s.UpdatePost(ctx, p))
	marked, err = s.MarkPublishing(ctx, refs(again), later.Add(time.Minute), later)
	require.NoError(t, err)
	require.Empty(t, marked)
	fresh, err := s.ClaimDue(ctx, "w1", later, later.Add(time.Minute), later, 10)
	require.NoError(t, err)
	require.Len(t, fresh, 1)
	require.Equal(t, "changed", fresh[0].PostText)
}

func testLeaseExpiry(t *testing.T, s store.Store) {
	u := NewUser(t, s, "le@example.com")
	w := NewWorkspace(t, s, "le", u.ID)
	a := NewChannel(t, s, w.ID, "x", "a")
	posts := NewPosts(t, s, w.ID, 2, a.ID)
	now := ms(time.Now().UTC())
	_, err := s.SchedulePosts(ctx, w.ID, postIDs(posts), now, "UTC", now)
	require.NoError(t, err)
	dead, err := s.ClaimDue(ctx, "dead", now, now.Add(time.Second), now, 10)
	require.NoError(t, err)
	require.Len(t, dead, 2)

	// An owner whose heartbeat goes on keeps its rows past their lease.
	alive, err := s.ClaimDue(ctx, "alive", now, now.Add(time.Second), now, 10)
	require.NoError(t, err)
	require.Empty(t, alive)
	ok, err := s.TryLease(ctx, "instance:dead", "dead", now.Add(3*time.Second), now)
	require.NoError(t, err)
	require.True(t, ok)
	stolen, err := s.ClaimDue(ctx, "thief", now.Add(2*time.Second), now.Add(time.Minute), now.Add(2*time.Second), 10)
	require.NoError(t, err)
	require.Empty(t, stolen)

	// The dead instance's staged rows are taken over once its lease and heartbeat ran out.
	later := now.Add(4 * time.Second)
	live, err := s.ClaimDue(ctx, "live", later, later.Add(time.Minute), later, 10)
	require.NoError(t, err)
	require.Len(t, live, 2)
	marked, err := s.MarkPublishing(ctx, refs(dead), later, later)
	require.NoError(t, err)
	require.Empty(t, marked, "the old owner's claim is void")

	marked, err = s.MarkPublishing(ctx, refs(live), later.Add(time.Second), later)
	require.NoError(t, err)
	require.Len(t, marked, 2)
	exp, err := s.ExpiredPublishing(ctx, later, 10)
	require.NoError(t, err)
	require.Empty(t, exp)
	exp, err = s.ExpiredPublishing(ctx, later.Add(2*time.Second), 10)
	require.NoError(t, err)
	require.Len(t, exp, 2)
	require.Equal(t, store.PubPublishing, exp[0].State)
}

func testReviewRetryAndConfirm(t *testing.T, s store.Store) {
	u := NewUser(t, s, "rv@example.com")
	w := NewWorkspace(t, s, "rv", u.ID)
	a := NewChannel(t, s, w.ID, "x", "a")
	posts := NewPosts(t, s, w.ID, 2, a.ID)
	now := ms(time.Now().UTC())
	_, err := s.SchedulePosts(ctx, w.ID, postIDs(posts), now, "UTC", now)
	require.NoError(t, err)
	jobs, err := s.ClaimDue(ctx, "w", now, now.Add(time.Minute), now, 10)
	require.NoError(t, err)
	_, err = s.MarkPublishing(ctx, refs(jobs), now.Add(time.Minute), now)
	require.NoError(t, err)

	// Results carry the claim they were made under; a stale one does not apply.
	stale := store.PublishResult{ID: jobs[0].ID, Claim: jobs[0].Claim - 1, From: store.PubPublishing, State: store.PubFailed}
	applied, err := s.SaveResults(ctx, []store.PublishResult{stale}, now)
	require.NoError(t, err)
	require.Empty(t, applied)

	res := []store.PublishResult{
		{ID: jobs[0].ID, Claim: jobs[0].Claim, From: store.PubPublishing, State: store.PubNeedsReview, ErrorClass: "unknown", ErrorMessage: "interrupted",
			Attempt: &store.Attempt{WorkspaceID: w.ID, StartedAt: now, Outcome: "needs_review", Class: "unknown", Message: "interrupted"}},
		{ID: jobs[1].ID, Claim: jobs[1].Claim, From: store.PubPublishing, State: store.PubFailed, ErrorClass: "invalid_content", ErrorMessage: "too long"},
	}
	applied, err = s.SaveResults(ctx, res, now)
	require.NoError(t, err)
	require.Len(t, applied, 2)
	p, err := s.Post(ctx, w.ID, jobs[1].PostID)
	require.NoError(t, err)
	require.Equal(t, store.PostFailed, p.State)
	p, err = s.Post(ctx, w.ID, jobs[0].PostID)
	require.NoError(t, err)
	require.Equal(t, store.PostNeedsReview, p.State)

	probs, err := s.ProblemPublications(ctx, w.ID, now, time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, probs, 2)

	require.NoError(t, s.MarkPublicationPublished(ctx, w.ID, jobs[0].ID, "remote-1", "https://x/1", now))
	require.ErrorIs(t, s.MarkPublicationPublished(ctx, w.ID, jobs[0].ID, "remote-1", "", now), store.ErrStale)
	p, err = s.Post(ctx, w.ID, jobs[0].PostID)
	require.NoError(t, err)
	require.Equal(t, store.PostPublished, p.State)

	require.NoError(t, s.RetryPublication(ctx, w.ID, jobs[1].ID, now))
	require.ErrorIs(t, s.RetryPublication(ctx, w.ID, jobs[1].ID, now), store.ErrStale)
	pub, err := s.Publication(ctx, w.ID, jobs[1].ID)
	require.NoError(t, err)
	require.Equal(t, store.PubScheduled, pub.State)
	require.Zero(t, pub.Attempts)
	require.Empty(t, pub.ErrorMessage)
	again, err := s.ClaimDue(ctx, "w", now, now.Add(time.Minute), now, 10)
	require.NoError(t, err)
	require.Len(t, again, 1)

	// A late success still lands after the reconciler gave up on the call.
	_, err = s.MarkPublishing(ctx, refs(again), now.Add(time.Minute), now)
	require.NoError(t, err)
	review := store.PublishResult{ID: again[0].ID, Claim: again[0].Claim, From: store.PubPublishing, State: store.PubNeedsReview}
	_, err = s.SaveResults(ctx, []store.PublishResult{review}, now)
	require.NoError(t, err)
	late := store.PublishResult{ID: again[0].ID, Claim: again[0].Claim, From: store.PubPublishing, State: store.PubPublished, RemoteID: "late"}
	applied, err = s.SaveResults(ctx, []store.PublishResult{late}, now)
	require.NoError(t, err)
	require.Len(t, applied, 1)
	pub, err = s.Publication(ctx, w.ID, again[0].ID)
	require.NoError(t, err)
	require.Equal(t, store.PubPublished, pub.State)
	require.Equal(t, "late", pub.RemoteID)
}

func testCancelAndHold(t *testing.T, s store.Store) {
	u := NewUser(t, s, "ch@example.com")
	w := NewWorkspace(t, s, "ch", u.ID)
	a := NewChannel(t, s, w.ID, "x", "a")
	b := NewChannel(t, s, w.ID, "bluesky", "b")
	posts := NewPosts(t, s, w.ID, 3, a.ID, b.ID)
	now := ms(time.Now().UTC())
	_, err := s.SchedulePosts(ctx, w.ID, postIDs(posts), now, "UTC", now)
	require.NoError(t, err)

	inFlight, err := s.CancelPost(ctx, w.ID, posts[0].ID, now)
	require.NoError(t, err)
	require.Zero(t, inFlight)
	p, err := s.Post(ctx, w.ID, posts[0].ID)
	require.NoError(t, err)
	require.Equal(t, store.PostCancelled, p.State)

	n, err := s.HoldChannel(ctx, w.ID, a.ID, "channel needs reconnect: token revoked", now)
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
	jobs, err := s.ClaimDue(ctx, "w", now, now.Add(time.Minute), now, 10)
	require.NoError(t, err)
	require.Len(t, jobs, 2)
	for _, j := range jobs {
		require.Equal(t, b.ID, j.ChannelID, "held and cancelled publications are not claimed")
	}
	probs, err := s.ProblemPublications(ctx, w.ID, now, time.Hour, 10)
	require.NoError(t, err)
	require.Len(t, probs, 2)
	require.Contains(t, probs[0].HoldReason, "reconnect")

	// Cancelling a post with a publication in flight reports it and leaves it alone.
	_, err = s.MarkPublishing(ctx, refs(jobs[:1]), now.Add(time.Minute), now)
	require.NoError(t, err)
	inFlight, err = s.CancelPost(ctx, w.ID, jobs[0].PostID, now)
	require.NoError(t, err)
	require.Equal(t, 1, inFlight)

	n, err = s.ReleaseChannel(ctx, w.ID, a.ID, now)
	require.NoError(t, err)
	require.EqualValues(t, 1, n, "one held publication belongs to the post cancelled just now")
	jobs, err = s.ClaimDue(ctx, "w", now, now.Add(time.Minute), now, 10)
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	require.Equal(t, a.ID, jobs[0].ChannelID)
}

func testConcurrentClaims(t *testing.T, s store.Store) {
	u := NewUser(t, s, "cc@example.com")
	w := NewWorkspace(t, s, "cc", u.ID)
	a := NewChannel(t, s, w.ID, "x", "a")
	posts := NewPosts(t, s, w.ID, 200, a.ID)
	now := ms(time.Now().UTC())
	_, err := s.SchedulePosts(ctx, w.ID, postIDs(posts), now, "UTC", now)
	require.NoError(t, err)
	var mu sync.Mutex
	seen := map[int64]string{}
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			owner := fmt.Sprintf("w%d", i)
			for {
				jobs, err := s.ClaimDue(ctx, owner, now, now.Add(time.Minute), now, 17)
				if err != nil {
					t.Error(err)
					return
				}
				if len(jobs) == 0 {
					return
				}
				mu.Lock()
				for _, j := range jobs {
					if prev, dup := seen[j.ID]; dup {
						t.Errorf("publication %d claimed by %s and %s", j.ID, prev, owner)
					}
					seen[j.ID] = owner
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	require.Len(t, seen, 200)
}

func testLeases(t *testing.T, s store.Store) {
	now := ms(time.Now().UTC())
	ok, err := s.TryLease(ctx, "reconciler", "a", now.Add(time.Second), now)
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = s.TryLease(ctx, "reconciler", "b", now.Add(time.Second), now)
	require.NoError(t, err)
	require.False(t, ok)
	ok, err = s.TryLease(ctx, "reconciler", "a", now.Add(2*time.Second), now)
	require.NoError(t, err)
	require.True(t, ok, "the holder renews")
	ok, err = s.TryLease(ctx, "reconciler", "b", now.Add(5*time.Second), now.Add(3*time.Second))
	require.NoError(t, err)
	require.True(t, ok, "an expired lease is taken over")
}

func testPostScoping(t *testing.T, s store.Store) {
	u := NewUser(t, s, "ps@example.com")
	w := NewWorkspace(t, s, "ps", u.ID)
	other := NewWorkspace(t, s, "ps-other", u.ID)
	a := NewChannel(t, s, w.ID, "x", "a")
	posts := NewPosts(t, s, w.ID, 1, a.ID)
	now := ms(time.Now().UTC())
	_, err := s.SchedulePosts(ctx, w.ID, postIDs(posts), now, "UTC", now)
	require.NoError(t, err)
	pubs, err := s.Publications(ctx, w.ID, posts[0].ID)
	require.NoError(t, err)
	require.Len(t, pubs, 1)

	_, err = s.Post(ctx, other.ID, posts[0].ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.Publication(ctx, other.ID, pubs[0].ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	list, err := s.Publications(ctx, other.ID, posts[0].ID)
	require.NoError(t, err)
	require.Empty(t, list)
	ids, err := s.SchedulePosts(ctx, other.ID, postIDs(posts), now, "UTC", now)
	require.NoError(t, err)
	require.Empty(t, ids)
	_, err = s.CancelPost(ctx, other.ID, posts[0].ID, now)
	require.ErrorIs(t, err, store.ErrNotFound)
	require.ErrorIs(t, s.RetryPublication(ctx, other.ID, pubs[0].ID, now), store.ErrNotFound)
	require.ErrorIs(t, s.DeletePost(ctx, other.ID, posts[0].ID), store.ErrNotFound)
	n, err := s.HoldChannel(ctx, other.ID, a.ID, "x", now)
	require.NoError(t, err)
	require.Zero(t, n)
	p := posts[0]
	p.WorkspaceID = other.ID
	require.ErrorIs(t, s.UpdatePost(ctx, p), store.ErrNotFound)
}

// testPlanPost: a post keeps its planned moment through review; a scheduled
// post (or another workspace's) does not take one.
func testPlanPost(t *testing.T, s store.Store) {
	u := NewUser(t, s, "plan@example.com")
	w := NewWorkspace(t, s, "plan", u.ID)
	other := NewWorkspace(t, s, "plan-other", u.ID)
	ch := NewChannel(t, s, w.ID, "mastodon", "plan1")
	p := &store.Post{WorkspaceID: w.ID, AuthorID: u.ID, Text: "planned", Timezone: "UTC"}
	require.NoError(t, s.CreatePosts(ctx, []store.NewPost{{Post: p, Variants: []store.Variant{{ChannelID: ch.ID}}}}))
	at := ms(time.Now().UTC().Add(72 * time.Hour))
	now := ms(time.Now().UTC())

	for _, st := range []store.PostState{store.PostDraft, store.PostInReview, store.PostApproved} {
		if st != store.PostDraft {
			require.NoError(t, s.SetPostState(ctx, w.ID, p.ID, []store.PostState{store.PostDraft, store.PostInReview}, st, now))
		}
		require.NoError(t, s.PlanPost(ctx, w.ID, p.ID, &at, "Europe/Berlin", now), st)
		got, err := s.Post(ctx, w.ID, p.ID)
		require.NoError(t, err)
		require.Equal(t, st, got.State)
		require.NotNil(t, got.ScheduledAt, st)
		require.Equal(t, at, *got.ScheduledAt)
		require.Equal(t, "Europe/Berlin", got.Timezone)
		planned, err := s.Posts(ctx, w.ID, store.PostFilter{From: at.Add(-time.Hour), To: at.Add(time.Hour)})
		require.NoError(t, err)
		require.Len(t, planned, 1, "a planned post is found by its time")
	}
	require.NoError(t, s.PlanPost(ctx, w.ID, p.ID, nil, "UTC", now))
	got, err := s.Post(ctx, w.ID, p.ID)
	require.NoError(t, err)
	require.Nil(t, got.ScheduledAt, "nil clears the planned time")

	require.ErrorIs(t, s.PlanPost(ctx, other.ID, p.ID, &at, "UTC", now), store.ErrNotFound)
	_, err = s.SchedulePosts(ctx, w.ID, []int64{p.ID}, at, "UTC", now)
	require.NoError(t, err)
	later := at.Add(time.Hour)
	require.ErrorIs(t, s.PlanPost(ctx, w.ID, p.ID, &later, "UTC", now), store.ErrStale)
	got, err = s.Post(ctx, w.ID, p.ID)
	require.NoError(t, err)
	require.Equal(t, at, *got.ScheduledAt, "a scheduled post moves only by rescheduling")
}

// testRemoteDelete: a published post can be taken down publication by
// publication (each attempt logged) and removed, but never while publishing.
func testRemoteDelete(t *testing.T, s store.Store) {
	u := NewUser(t, s, "rd@example.com")
	w := NewWorkspace(t, s, "rd", u.ID)
	other := NewWorkspace(t, s, "rd-other", u.ID)
	a := NewChannel(t, s, w.ID, "mastodon", "a")
	b := NewChannel(t, s, w.ID, "bluesky", "b")
	post := NewPosts(t, s, w.ID, 1, a.ID, b.ID)[0]
	now := ms(time.Now().UTC())
	_, err := s.SchedulePosts(ctx, w.ID, []int64{post.ID}, now, "UTC", now)
	require.NoError(t, err)
	jobs, err := s.ClaimDue(ctx, "w1", now, now.Add(time.Minute), now, 10)
	require.NoError(t, err)
	require.Len(t, jobs, 2)
	_, err = s.MarkPublishing(ctx, refs(jobs), now.Add(time.Minute), now)
	require.NoError(t, err)
	require.ErrorIs(t, s.DeletePost(ctx, w.ID, post.ID), store.ErrStale, "never while publishing")

	var results []store.PublishResult
	for i, j := range jobs {
		results = append(results, store.PublishResult{ID: j.ID, Claim: j.Claim + 1, From: store.PubPublishing, State: store.PubPublished,
			RemoteID: fmt.Sprintf("r%d", i), URL: fmt.Sprintf("https://example.com/%d", i)})
	}
	pubs, err := s.Publications(ctx, w.ID, post.ID)
	require.NoError(t, err)
	for i := range results {
		for _, p := range pubs {
			if p.ID == results[i].ID {
				results[i].Claim = p.Claim
			}
		}
	}
	applied, err := s.SaveResults(ctx, results, now)
	require.NoError(t, err)
	require.Len(t, applied, 2)

	first, second := jobs[0].ID, jobs[1].ID
	require.ErrorIs(t, s.RecordRemoteDelete(ctx, other.ID, first, true, store.Attempt{WorkspaceID: other.ID, StartedAt: now, Outcome: "deleted"}, now), store.ErrNotFound)
	require.NoError(t, s.RecordRemoteDelete(ctx, w.ID, first, true, store.Attempt{WorkspaceID: w.ID, StartedAt: now, LatencyMS: 7, Outcome: "deleted", Message: "deleted on mastodon"}, now))
	require.NoError(t, s.RecordRemoteDelete(ctx, w.ID, second, false, store.Attempt{WorkspaceID: w.ID, StartedAt: now, Outcome: "delete_failed", Class: "retryable", HTTPStatus: 503, Message: "down"}, now))
	require.ErrorIs(t, s.RecordRemoteDelete(ctx, w.ID, first, true, store.Attempt{WorkspaceID: w.ID, StartedAt: now, Outcome: "deleted"}, now), store.ErrStale, "only a published publication is deleted")

	got, err := s.Publication(ctx, w.ID, first)
	require.NoError(t, err)
	require.Equal(t, store.PubDeleted, got.State)
	require.Equal(t, "r0", got.RemoteID, "the remote id stays for the record")
	att, err := s.Attempts(ctx, w.ID, first)
	require.NoError(t, err)
	require.Equal(t, "deleted", att[len(att)-1].Outcome)
	require.EqualValues(t, 7, att[len(att)-1].LatencyMS)
	got, err = s.Publication(ctx, w.ID, second)
	require.NoError(t, err)
	require.Equal(t, store.PubPublished, got.State)
	att, err = s.Attempts(ctx, w.ID, second)
	require.NoError(t, err)
	require.Equal(t, "delete_failed", att[len(att)-1].Outcome)
	require.Equal(t, 503, att[len(att)-1].HTTPStatus)
	p, err := s.Post(ctx, w.ID, post.ID)
	require.NoError(t, err)
	require.Equal(t, store.PostPublished, p.State, "the post keeps its state")

	// A published post can be removed from relais (its posts stay on the networks).
	require.NoError(t, s.DeletePost(ctx, w.ID, post.ID))
	_, err = s.Post(ctx, w.ID, post.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
}
