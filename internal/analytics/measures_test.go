package analytics

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

func p64(v int64) *int64 { return &v }

func TestDueHorizon(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		age   time.Duration
		taken int
		want  int
		due   bool
	}{
		{30 * time.Minute, -1, 0, false},
		{61 * time.Minute, -1, 1, true},
		{61 * time.Minute, 1, 1, false},
		{30 * time.Hour, -1, 24, true}, // late: the 24 h reading, never a 1 h one at 30 h
		{30 * time.Hour, 1, 24, true},
		{30 * time.Hour, 24, 24, false},
		{8 * 24 * time.Hour, 24, 168, true},
		{29 * 24 * time.Hour, 168, 672, true},
		{34 * 24 * time.Hour, 168, 672, true},
		{36 * 24 * time.Hour, 168, 0, false}, // past the last reading's grace
	} {
		h, due := DueHorizon(tc.age, tc.taken)
		require.Equal(t, tc.due, due, "age %s taken %d", tc.age, tc.taken)
		if due {
			require.Equal(t, tc.want, h, "age %s taken %d", tc.age, tc.taken)
		}
	}
}

func TestMeasurePost(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	row := func(c store.Counts) store.PostMetricRow {
		return store.PostMetricRow{MetricPublication: store.MetricPublication{ID: 9, PostID: 3, ChannelID: 2, Network: "mastodon", PublishedAt: at},
			Text: "hello", TakenAt: at.Add(time.Hour), Counts: c}
	}
	f := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		name      string
		counts    store.Counts
		followers *int64
		basis     string
		wantE     *int64
		wantER    *float64
		wantBasis string
		wantVir   *float64
		wantCTR   *float64
	}{
		{"by followers", store.Counts{Likes: p64(6), Reposts: p64(2), Replies: p64(1), Quotes: p64(1)}, p64(200), BasisFollowers,
			p64(10), f(5), BasisFollowers, f(1.5), nil},
		{"by reach where known", store.Counts{Likes: p64(6), Reposts: p64(2), Replies: p64(2), Reach: p64(50), Impressions: p64(80), Clicks: p64(4)},
			p64(200), BasisImpressions, p64(10), f(20), BasisReach, f(2.5), f(5)},
		{"unknown stays unknown", store.Counts{}, p64(200), BasisFollowers, nil, nil, "", nil, nil},
		{"no followers known", store.Counts{Likes: p64(3)}, nil, BasisFollowers, p64(3), nil, "", nil, nil},
		{"zero followers is no rate", store.Counts{Likes: p64(3)}, p64(0), BasisFollowers, p64(3), nil, "", nil, nil},
		{"clicks by reach without impressions", store.Counts{Likes: p64(0), Reach: p64(40), Clicks: p64(2)}, nil, BasisReach, p64(0), f(0), BasisReach, nil, f(5)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := measurePost(row(tc.counts), "@brand", tc.followers, tc.basis)
			require.Equal(t, tc.wantE, m.Interactions)
			require.Equal(t, tc.wantBasis, m.EngagementBasis)
			requireRate(t, tc.wantER, m.EngagementRate)
			requireRate(t, tc.wantVir, m.ViralityRate)
			requireRate(t, tc.wantCTR, m.CTR)
			require.Equal(t, int64(3), m.PostID)
			require.Equal(t, "@brand", m.Channel)
		})
	}
}

func requireRate(t *testing.T, want, got *float64) {
	t.Helper()
	if want == nil {
		require.Nil(t, got)
		return
	}
	require.NotNil(t, got)
	require.InDelta(t, *want, *got, 1e-9)
}

func TestSummarise(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	mk := func(likes, reposts, replies int64, followers int64) PostMeasures {
		r := store.PostMetricRow{MetricPublication: store.MetricPublication{ChannelID: 1, PublishedAt: at}, TakenAt: at,
			Counts: store.Counts{Likes: p64(likes), Reposts: p64(reposts), Replies: p64(replies)}}
		return measurePost(r, "", p64(followers), BasisFollowers)
	}
	posts := []PostMeasures{mk(10, 2, 4, 100), mk(1, 0, 0, 100), mk(4, 1, 1, 100)}
	days := []store.ChannelDay{
		{ChannelID: 1, Day: at, Followers: p64(100)}, {ChannelID: 1, Day: at.Add(48 * time.Hour), Followers: nil},
		{ChannelID: 1, Day: at.Add(24 * time.Hour), Followers: p64(125)},
		{ChannelID: 2, Day: at, Followers: p64(50)}, {ChannelID: 2, Day: at.Add(24 * time.Hour), Followers: p64(45)},
	}
	s := Summarise(posts, 14*24*time.Hour, days)
	require.Equal(t, 3, s.Posts)
	require.InDelta(t, 1.5, s.PostsPerWeek, 1e-9)
	require.Equal(t, int64(15), *s.Likes)
	require.Equal(t, int64(23), *s.Interactions)
	require.InDelta(t, 6, *s.EngagementRate, 1e-9, "median of 16, 1 and 6 %")
	require.Equal(t, BasisFollowers, s.EngagementBasis)
	require.InDelta(t, 5.0/3, *s.ConversationRate, 1e-9)
	require.InDelta(t, 1, *s.AmplificationRate, 1e-9)
	require.InDelta(t, 5, *s.ApplauseRate, 1e-9)
	require.InDelta(t, 1, *s.ViralityRate, 1e-9, "3 shares / 300 followers")
	require.Equal(t, int64(150), *s.FollowersStart)
	require.Equal(t, int64(170), *s.Followers)
	require.Equal(t, int64(20), *s.FollowerGrowth)
	require.InDelta(t, 100*20.0/150, *s.FollowerGrowthPct, 1e-9)
	require.Nil(t, s.Views, "no post reports views: unknown")
	require.Nil(t, s.CTR)

	empty := Summarise(nil, 7*24*time.Hour, nil)
	require.Zero(t, empty.Posts)
	require.Nil(t, empty.EngagementRate)
	require.Nil(t, empty.ApplauseRate)
	require.Nil(t, empty.FollowerGrowth)
}

func TestFollowersAt(t *testing.T) {
	t.Parallel()
	d0 := time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC)
	days := []store.ChannelDay{{Day: d0, Followers: p64(10)}, {Day: d0.Add(48 * time.Hour), Followers: p64(30)}}
	for _, tc := range []struct {
		at   time.Time
		want *int64
	}{
		{d0.Add(-time.Hour), p64(10)},     // before any reading: the first after
		{d0.Add(20 * time.Hour), p64(10)}, // the day's reading
		{d0.Add(30 * time.Hour), p64(10)}, // the last one before
		{d0.Add(50 * time.Hour), p64(30)}, // the day's reading
		{d0.Add(80 * time.Hour), p64(30)}, // an unknown day falls back on the last known
	} {
		require.Equal(t, tc.want, followersAt(days, tc.at), tc.at)
	}
	require.Nil(t, followersAt(nil, d0))
}

func TestParsePeriod(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		from, to   string
		wantFrom   time.Time
		wantTo     time.Time
		wantErrFld string
	}{
		{"", "", now.Add(-28 * 24 * time.Hour), now, ""},
		{"2026-11-01", "2026-11-30", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), ""},
		{"2026-11-01T10:00:00+01:00", "2026-11-02T00:00:00Z", time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), ""},
		{"2026-11-30", "2026-11-01", time.Time{}, time.Time{}, "to"},
		{"yesterday", "", time.Time{}, time.Time{}, "from"},
		{"", "31/12/2026", time.Time{}, time.Time{}, "to"},
		{"2020-01-01", "2026-01-01", time.Time{}, time.Time{}, "to"},
	} {
		from, to, err := ParsePeriod(tc.from, tc.to, now)
		if tc.wantErrFld != "" {
			require.Error(t, err, "%s – %s", tc.from, tc.to)
			require.Contains(t, err.Error(), tc.wantErrFld)
			continue
		}
		require.NoError(t, err)
		require.True(t, tc.wantFrom.Equal(from), "%s: %s", tc.from, from)
		require.True(t, tc.wantTo.Equal(to), "%s: %s", tc.to, to)
	}
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2026-01-01", "2026-01-01T00:00:00Z", "", "x", "2026-13-45"} {
		f.Add(s, s)
	}
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, from, to string) {
		a, b, err := ParsePeriod(from, to, now)
		if err == nil && (!b.After(a) || b.Sub(a) > MaxPeriod) {
			t.Fatalf("accepted %s – %s", a, b)
		}
	})
}

func TestExcerpt(t *testing.T) {
	t.Parallel()
	require.Equal(t, "court", Excerpt("court", 10))
	require.Equal(t, "Grüß…", Excerpt("Grüße aus Köln", 5))
}
