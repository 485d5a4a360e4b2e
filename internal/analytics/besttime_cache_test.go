package analytics

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// TestBestTimesCache checks that the day's cached model, fitted from the
// narrow read, equals the model fitted from the full read, and that a new
// day refits it with the posts measured since.
func TestBestTimesCache(t *testing.T) {
	t.Parallel()
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := storetest.Open(t, dialect)
			u := storetest.NewUser(t, st, "cache@analytics.example")
			ws := storetest.NewWorkspace(t, st, "cache", u.ID)
			a := storetest.NewChannel(t, st, ws.ID, "mastodon", "cache-a")
			b := storetest.NewChannel(t, st, ws.ID, "bluesky", "cache-b")
			today := time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC)
			n := func(v int64) *int64 { return &v }
			var days []store.ChannelDay
			for d := range 130 {
				day := today.AddDate(0, 0, -d)
				for _, c := range []store.Channel{a, b} {
					days = append(days, store.ChannelDay{ChannelID: c.ID, WorkspaceID: ws.ID, Network: c.Network, Day: day, Followers: n(1000 + int64(d)), TakenAt: day})
				}
			}
			require.NoError(t, st.SaveChannelDays(ctx, days))
			// publish puts a post on both channels at the time, with likes.
			publish := func(at time.Time, likes int64) {
				posts := storetest.NewPosts(t, st, ws.ID, 1, a.ID, b.ID)
				var snaps []store.MetricSnapshot
				for _, p := range storetest.PublishAt(t, st, ws.ID, posts, at) {
					snaps = append(snaps, store.MetricSnapshot{PublicationID: p.ID, HorizonHours: 24, WorkspaceID: ws.ID, PostID: p.PostID,
						ChannelID: p.ChannelID, Network: p.Network, PublishedAt: p.PublishedAt.UTC(), TakenAt: at.Add(24 * time.Hour),
						Counts: store.Counts{Likes: n(likes), Reposts: n(likes / 4), Replies: n(2)}})
				}
				require.NoError(t, st.SaveMetricSnapshots(ctx, snaps))
			}
			for i := range 36 {
				at := today.AddDate(0, 0, -3*i-2).Add(9 * time.Hour)
				likes := int64(10 + i%5)
				if i%2 == 0 {
					at, likes = at.Add(9*time.Hour), 60+int64(i%7) // evenings do better
				}
				publish(at, likes)
			}
			svc := &Service{Store: st}
			full := func(day time.Time) []ChannelBestTimes {
				d, err := svc.fetch(ctx, ws.ID, day.Add(-BestTimesHistory), day)
				require.NoError(t, err)
				return d.bestTimes(zone("Europe/Paris"), day)
			}
			want := full(today)
			require.Len(t, want, 2)
			got, err := svc.BestTimes(ctx, ws.ID, "Europe/Paris", today.Add(15*time.Hour))
			require.NoError(t, err)
			require.Equal(t, want, got, "the narrow read fits the same model")
			require.Equal(t, 36, got[0].Posts)

			// A post measured today changes nothing until tomorrow.
			publish(today.Add(18*time.Hour), 400)
			again, err := svc.BestTimes(ctx, ws.ID, "Europe/Paris", today.Add(23*time.Hour))
			require.NoError(t, err)
			require.Equal(t, want, again, "the day's model is kept")
			dash, err := svc.Dashboard(ctx, ws.ID, today.AddDate(0, 0, -28), today.Add(24*time.Hour), "Europe/Paris", today.Add(23*time.Hour))
			require.NoError(t, err)
			require.Equal(t, want, dash.BestTimes, "the dashboard uses it")
			require.Len(t, dash.Report.Posts, 2*9+2, "the report reads the period itself, today's post included")

			tomorrow := today.Add(24 * time.Hour)
			next, err := svc.BestTimes(ctx, ws.ID, "Europe/Paris", tomorrow.Add(time.Hour))
			require.NoError(t, err)
			require.Equal(t, full(tomorrow), next, "a new day refits")
			require.Equal(t, 37, next[0].Posts)
			require.NotEqual(t, want, next)
			other, err := svc.BestTimes(ctx, ws.ID, "America/New_York", tomorrow.Add(time.Hour))
			require.NoError(t, err)
			require.NotEqual(t, next[0].Slots, other[0].Slots, "the time zone is part of the key")
		})
	}
}
