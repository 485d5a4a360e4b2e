package analytics_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// fakeNet is a connector with metrics: counts per remote id, or an error.
type fakeNet struct {
	network.Connector
	counts map[string]network.PostMetrics
	err    error
	calls  int
	stats  network.AccountStats
}

func (f *fakeNet) PostMetrics(_ context.Context, ids []string) (map[string]network.PostMetrics, error) {
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	out := map[string]network.PostMetrics{}
	for _, id := range ids {
		if m, ok := f.counts[id]; ok {
			out[id] = m
		}
	}
	return out, nil
}

func (f *fakeNet) Followers(context.Context) (int64, error) { return f.stats.Followers, nil }

func (f *fakeNet) AccountStats(context.Context) (network.AccountStats, error) { return f.stats, f.err }

type connectors map[int64]*fakeNet

func (c connectors) Connector(_ context.Context, _, channelID int64) (network.Connector, network.Limits, error) {
	return c[channelID], network.Limits{}, nil
}

type clicks map[int64]int64

func (c clicks) PublicationClicks(_ context.Context, _ int64, ids []int64) (map[int64]int64, error) {
	return c, nil
}

func TestCollect(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := storetest.Open(t, d)
			u := storetest.NewUser(t, st, "collect@analytics.example")
			ws := storetest.NewWorkspace(t, st, "collect", u.ID)
			ok := storetest.NewChannel(t, st, ws.ID, "mastodon", "ok")
			limited := storetest.NewChannel(t, st, ws.ID, "bluesky", "limited")
			now := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
			posts := storetest.NewPosts(t, st, ws.ID, 3, ok.ID, limited.ID)
			fresh := storetest.PublishAt(t, st, ws.ID, posts[:1], now.Add(-30*time.Minute))
			day := storetest.PublishAt(t, st, ws.ID, posts[1:2], now.Add(-25*time.Hour))
			gone := storetest.PublishAt(t, st, ws.ID, posts[2:], now.Add(-2*time.Hour))
			remote := func(pubs []store.Publication, ch int64) string {
				for _, p := range pubs {
					if p.ChannelID == ch {
						return p.RemoteID
					}
				}
				return ""
			}
			retry := now.Add(10 * time.Minute)
			nets := connectors{
				ok.ID: {counts: map[string]network.PostMetrics{
					remote(fresh, ok.ID): {Likes: 1, Reposts: 0, Replies: 0, Quotes: -1, Views: -1},
					remote(day, ok.ID):   {Likes: 8, Reposts: 3, Replies: 2, Quotes: -1, Views: -1},
				}, stats: network.AccountStats{Followers: 400, Following: 12, Posts: -1}},
				limited.ID: {err: &network.Error{Class: network.Retryable, Network: network.Bluesky, Status: http.StatusTooManyRequests, RetryAfter: retry}},
			}
			pubClicks := clicks{}
			for _, p := range day {
				pubClicks[p.ID] = 5
			}
			c := &analytics.Collector{Store: st, Connectors: nets, Clicks: pubClicks, Now: func() time.Time { return now }}

			res, err := c.Collect(ctx, ws.ID, false)
			require.NoError(t, err)
			require.Equal(t, 1, res.Snapshots, "only the 24 h reading is due; the fresh post is not an hour old, the deleted one has none")
			require.Equal(t, []int64{limited.ID}, res.Held, "the rate-limited channel is held")
			require.Equal(t, 1, res.Channels)
			holds, err := st.ChannelThrottles(ctx, []int64{limited.ID}, now)
			require.NoError(t, err)
			require.True(t, retry.Equal(holds[limited.ID]), "held until the network's retry-after")

			rows, err := st.PostMetrics(ctx, ws.ID, now.Add(-48*time.Hour), now)
			require.NoError(t, err)
			byPub := map[int64]store.PostMetricRow{}
			for _, r := range rows {
				byPub[r.ID] = r
			}
			r := byPub[day[0].ID]
			if day[0].ChannelID != ok.ID {
				r = byPub[day[1].ID]
			}
			require.Equal(t, int64(8), *r.Likes)
			require.Nil(t, r.Quotes, "-1 from the connector is unknown")
			require.Nil(t, r.Views)
			require.Equal(t, int64(5), *r.Clicks, "clicks from the click counter")
			require.Equal(t, 24, r.TakenHorizon)

			// Again at once: nothing due, the held channel is not called again.
			calls := nets[limited.ID].calls
			res, err = c.Collect(ctx, ws.ID, false)
			require.NoError(t, err)
			require.Zero(t, res.Snapshots)
			require.Zero(t, res.Channels, "today's channel counts are taken")
			require.Equal(t, calls, nets[limited.ID].calls)

			// Collect now: live readings of the rest, the channel read again.
			res, err = c.Collect(ctx, ws.ID, true)
			require.NoError(t, err)
			require.Equal(t, 2, res.Snapshots, fmt.Sprint(res))
			require.Equal(t, 1, res.Channels)
			days, err := st.ChannelDays(ctx, ws.ID, now.Add(-24*time.Hour), now.Add(24*time.Hour))
			require.NoError(t, err)
			require.Len(t, days, 1)
			require.Equal(t, int64(400), *days[0].Followers)
			require.Equal(t, int64(12), *days[0].Following)
			require.Nil(t, days[0].Posts)
			_ = gone
		})
	}
}
