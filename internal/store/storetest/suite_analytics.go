package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

// RunAnalytics runs the conformance suite of metric snapshots and channel days.
func RunAnalytics(t *testing.T, open func(t testing.TB) store.Store) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"MetricSnapshots", testMetricSnapshots},
		{"ChannelDays", testChannelDays},
		{"Goals", testGoals},
		{"ReportSchedules", testReportSchedules},
		{"ReportBrand", testReportBrand},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

// PublishAt publishes every publication of the posts as if the network had
// answered at the time given, with remote ids "r<publication id>"; it
// returns the publications in post order.
func PublishAt(t testing.TB, s store.Store, workspaceID int64, posts []store.Post, at time.Time) []store.Publication {
	t.Helper()
	var out []store.Publication
	for _, p := range posts {
		_, err := s.SchedulePosts(ctx, workspaceID, []int64{p.ID}, at.Add(-time.Minute), "UTC", at.Add(-time.Minute))
		require.NoError(t, err)
		jobs, err := s.ClaimDue(ctx, "storetest", at, at.Add(time.Minute), at, 1000)
		require.NoError(t, err)
		_, err = s.MarkPublishing(ctx, refs(jobs), at.Add(time.Minute), at)
		require.NoError(t, err)
		var results []store.PublishResult
		for _, j := range jobs {
			results = append(results, store.PublishResult{ID: j.ID, Claim: j.Claim, From: store.PubPublishing, State: store.PubPublished,
				RemoteID: fmt.Sprintf("r%d", j.ID), URL: fmt.Sprintf("https://net.example/r%d", j.ID), DoneParts: []byte("[]")})
		}
		_, err = s.SaveResults(ctx, results, at)
		require.NoError(t, err)
		pubs, err := s.Publications(ctx, workspaceID, p.ID)
		require.NoError(t, err)
		out = append(out, pubs...)
	}
	return out
}

func n64(v int64) *int64 { return &v }

func testMetricSnapshots(t *testing.T, s store.Store) {
	u := NewUser(t, s, "metrics@analytics.example")
	wa := NewWorkspace(t, s, "metrics-a", u.ID)
	wb := NewWorkspace(t, s, "metrics-b", u.ID)
	ca := NewChannel(t, s, wa.ID, "mastodon", "acct-a")
	cb := NewChannel(t, s, wb.ID, "bluesky", "acct-b")
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	pa := NewPosts(t, s, wa.ID, 2, ca.ID)
	pa[0].Labels = []store.Label{{Key: "theme", Value: "launch"}}
	require.NoError(t, s.UpdatePost(ctx, pa[0]))
	pubA := PublishAt(t, s, wa.ID, pa[:1], t0)
	pubA2 := PublishAt(t, s, wa.ID, pa[1:], t0.Add(48*time.Hour))
	pubB := PublishAt(t, s, wb.ID, NewPosts(t, s, wb.ID, 1, cb.ID), t0)
	require.Len(t, pubA, 1)

	list, err := s.MetricPublications(ctx, wa.ID, t0.Add(-time.Hour), t0.Add(time.Hour))
	require.NoError(t, err)
	require.Len(t, list, 1, "another workspace's and later publications are not listed")
	require.Equal(t, pubA[0].ID, list[0].ID)
	require.Equal(t, "r"+fmt.Sprint(pubA[0].ID), list[0].RemoteID)
	require.Equal(t, -1, list[0].TakenHorizon)
	require.True(t, t0.Equal(list[0].PublishedAt))
	all, err := s.MetricPublications(ctx, 0, t0.Add(-time.Hour), t0.Add(72*time.Hour))
	require.NoError(t, err)
	require.Len(t, all, 3, "workspace 0: every workspace (the periodic job)")

	snap := func(p store.Publication, h int, at time.Time, c store.Counts) store.MetricSnapshot {
		return store.MetricSnapshot{PublicationID: p.ID, HorizonHours: h, WorkspaceID: p.WorkspaceID, PostID: p.PostID,
			ChannelID: p.ChannelID, Network: p.Network, PublishedAt: t0, TakenAt: at, Counts: c}
	}
	require.NoError(t, s.SaveMetricSnapshots(ctx, []store.MetricSnapshot{
		snap(pubA[0], 1, t0.Add(time.Hour), store.Counts{Likes: n64(1), Reposts: n64(0), Replies: n64(0)}),
		snap(pubA[0], 24, t0.Add(24*time.Hour), store.Counts{Likes: n64(5), Reposts: n64(2), Replies: n64(1)}),
		snap(pubB[0], 1, t0.Add(time.Hour), store.Counts{Likes: n64(99)}),
	}))
	// The live reading replaces itself; the latest reading wins.
	require.NoError(t, s.SaveMetricSnapshots(ctx, []store.MetricSnapshot{snap(pubA[0], 0, t0.Add(25*time.Hour), store.Counts{Likes: n64(6)})}))
	require.NoError(t, s.SaveMetricSnapshots(ctx, []store.MetricSnapshot{snap(pubA[0], 0, t0.Add(26*time.Hour), store.Counts{Likes: n64(7), Reposts: n64(2), Replies: n64(1)})}))
	list, err = s.MetricPublications(ctx, wa.ID, t0.Add(-time.Hour), t0.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, 24, list[0].TakenHorizon, "the live reading is not a scheduled horizon")

	rows, err := s.PostMetrics(ctx, wa.ID, t0.Add(-time.Hour), t0.Add(72*time.Hour))
	require.NoError(t, err)
	require.Len(t, rows, 1, "a publication is listed once it has a reading or is tracked")
	require.NoError(t, s.TrackPublications(ctx, wa.ID, t0, t0.Add(72*time.Hour)))
	require.NoError(t, s.TrackPublications(ctx, wa.ID, t0, t0.Add(72*time.Hour)), "tracking twice changes nothing")
	rows, err = s.PostMetrics(ctx, wa.ID, t0.Add(-time.Hour), t0.Add(72*time.Hour))
	require.NoError(t, err)
	require.Len(t, rows, 2)
	r := rows[0]
	require.Equal(t, pubA[0].ID, r.ID)
	require.Equal(t, pa[0].ID, r.PostID)
	require.Equal(t, "post 0", r.Text, "the post's text when the variant has none")
	require.Equal(t, fmt.Sprintf("https://net.example/r%d", pubA[0].ID), r.URL)
	require.True(t, t0.Add(26*time.Hour).Equal(r.TakenAt))
	require.Equal(t, int64(7), *r.Likes)
	require.Equal(t, int64(2), *r.Reposts)
	require.Nil(t, r.Quotes, "unknown stays unknown")
	require.Nil(t, r.Views)
	require.Equal(t, []store.Label{{Key: "theme", Value: "launch"}}, r.Labels)
	require.Equal(t, pubA2[0].ID, rows[1].ID)
	require.Equal(t, -1, rows[1].TakenHorizon)
	require.True(t, rows[1].TakenAt.IsZero(), "no reading yet")
	require.Nil(t, rows[1].Likes)
	require.Empty(t, rows[1].Labels)
	// The narrow read has the same rows with the counts and no text.
	rates, err := s.PostRates(ctx, wa.ID, t0.Add(-time.Hour), t0.Add(72*time.Hour))
	require.NoError(t, err)
	require.Len(t, rates, 2)
	require.Equal(t, r.ChannelID, rates[0].ChannelID)
	require.Equal(t, r.Network, rates[0].Network)
	require.True(t, r.PublishedAt.Equal(rates[0].PublishedAt))
	require.Equal(t, r.Counts, rates[0].Counts)
	require.Empty(t, rates[0].Text)
	require.Nil(t, rates[1].Likes)
	rates, err = s.PostRates(ctx, wb.ID, t0.Add(time.Hour), t0.Add(72*time.Hour))
	require.NoError(t, err)
	require.Empty(t, rates, "each workspace reads its own, within the period")

	rows, err = s.PostMetrics(ctx, wa.ID, t0.Add(time.Hour), t0.Add(72*time.Hour))
	require.NoError(t, err)
	require.Len(t, rows, 1, "the period bounds the publishing time")
	rows, err = s.PostMetrics(ctx, wb.ID, t0.Add(-time.Hour), t0.Add(time.Hour))
	require.NoError(t, err)
	require.Len(t, rows, 1)
	require.Equal(t, int64(99), *rows[0].Likes, "each workspace reads its own")

	// An older reading saved late does not replace the latest.
	require.NoError(t, s.SaveMetricSnapshots(ctx, []store.MetricSnapshot{snap(pubA[0], 168, t0.Add(25*time.Hour), store.Counts{Likes: n64(3)})}))
	rows, err = s.PostMetrics(ctx, wa.ID, t0.Add(-time.Hour), t0.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, int64(7), *rows[0].Likes)
	require.Equal(t, 24, rows[0].TakenHorizon, "only a later reading moves the latest one")

	// Deleting the post deletes its readings.
	require.NoError(t, s.DeletePost(ctx, wa.ID, pa[0].ID))
	rows, err = s.PostMetrics(ctx, wa.ID, t0.Add(-time.Hour), t0.Add(time.Hour))
	require.NoError(t, err)
	require.Empty(t, rows)
}

func testChannelDays(t *testing.T, s store.Store) {
	u := NewUser(t, s, "days@analytics.example")
	wa := NewWorkspace(t, s, "days-a", u.ID)
	wb := NewWorkspace(t, s, "days-b", u.ID)
	ca := NewChannel(t, s, wa.ID, "mastodon", "days-a")
	cb := NewChannel(t, s, wb.ID, "mastodon", "days-b")
	d0 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	day := func(c store.Channel, d time.Time, f *int64) store.ChannelDay {
		return store.ChannelDay{ChannelID: c.ID, WorkspaceID: c.WorkspaceID, Network: c.Network, Day: d, Followers: f, TakenAt: d.Add(3 * time.Hour)}
	}
	require.NoError(t, s.SaveChannelDays(ctx, []store.ChannelDay{
		day(ca, d0, n64(100)), day(ca, d0.Add(24*time.Hour+5*time.Hour), n64(110)), day(ca, d0.Add(48*time.Hour), nil), day(cb, d0, n64(7)),
	}))
	// A second reading of the same day replaces the first.
	require.NoError(t, s.SaveChannelDays(ctx, []store.ChannelDay{day(ca, d0, n64(101))}))
	got, err := s.ChannelDays(ctx, wa.ID, d0, d0.Add(72*time.Hour))
	require.NoError(t, err)
	require.Len(t, got, 3)
	require.Equal(t, int64(101), *got[0].Followers)
	require.True(t, d0.Add(24*time.Hour).Equal(got[1].Day), "stored by UTC day")
	require.Equal(t, int64(110), *got[1].Followers)
	require.Nil(t, got[2].Followers, "unknown, not zero")
	require.Nil(t, got[2].Following)
	got, err = s.ChannelDays(ctx, wa.ID, d0.Add(24*time.Hour), d0.Add(48*time.Hour))
	require.NoError(t, err)
	require.Len(t, got, 1)
	got, err = s.ChannelDays(ctx, wb.ID, d0, d0.Add(72*time.Hour))
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, cb.ID, got[0].ChannelID)
}

func testGoals(t *testing.T, s store.Store) {
	u := NewUser(t, s, "goals@analytics.example")
	wa := NewWorkspace(t, s, "goals-a", u.ID)
	wb := NewWorkspace(t, s, "goals-b", u.ID)
	ca := NewChannel(t, s, wa.ID, "mastodon", "goals-a")
	cb := NewChannel(t, s, wb.ID, "mastodon", "goals-b")
	d := time.Date(2026, 1, 1, 15, 0, 0, 0, time.UTC)
	late := store.Goal{WorkspaceID: wa.ID, Metric: "followers", StartValue: 210_000, Target: 680_000, StartsOn: d, DueOn: d.AddDate(3, 0, 0), CreatedAt: d}
	soon := store.Goal{WorkspaceID: wa.ID, ChannelID: ca.ID, Metric: "followers", StartValue: 100, Target: 150, StartsOn: d, DueOn: d.AddDate(0, 6, 0), CreatedAt: d}
	require.NoError(t, s.CreateGoal(ctx, &late))
	require.NoError(t, s.CreateGoal(ctx, &soon))
	require.NotZero(t, late.ID)
	foreign := store.Goal{WorkspaceID: wa.ID, ChannelID: cb.ID, Metric: "followers", StartValue: 1, Target: 2, StartsOn: d, DueOn: d, CreatedAt: d}
	require.ErrorIs(t, s.CreateGoal(ctx, &foreign), store.ErrNotFound, "another workspace's channel")

	got, err := s.Goals(ctx, wa.ID)
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, soon.ID, got[0].ID, "the soonest due first")
	require.Equal(t, ca.ID, got[0].ChannelID)
	require.Equal(t, int64(680_000), got[1].Target)
	require.True(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Equal(got[1].StartsOn), "stored as a UTC day")
	none, err := s.Goals(ctx, wb.ID)
	require.NoError(t, err)
	require.Empty(t, none)

	require.ErrorIs(t, s.DeleteGoal(ctx, wb.ID, late.ID), store.ErrNotFound, "another workspace cannot delete it")
	require.NoError(t, s.DeleteGoal(ctx, wa.ID, late.ID))
	got, err = s.Goals(ctx, wa.ID)
	require.NoError(t, err)
	require.Len(t, got, 1)
}
