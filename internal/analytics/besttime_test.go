package analytics

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// monday is a Monday 00:00 UTC.
var monday = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

// posts makes n posts per week for weeks, at the given hours of week, each
// with the rate rateAt gives (plus noise from r).
func posts(channel int64, network string, weeks int, buckets []int, rateAt func(b int) float64, r *rand.Rand) []Observation {
	var out []Observation
	for w := range weeks {
		for _, b := range buckets {
			noise := 1 + 0.2*(r.Float64()-0.5)
			out = append(out, Observation{ChannelID: channel, Network: network,
				At: monday.Add(time.Duration(w*Buckets+b)*time.Hour + 5*time.Minute), Rate: rateAt(b) * noise})
		}
	}
	return out
}

func TestBestTimes(t *testing.T) {
	t.Parallel()
	tue10 := 24 + 10
	slots := []int{9, tue10, 58, 80, 110, 130, 150}
	strong := func(b int) float64 {
		if b == tue10 {
			return 4
		}
		return 1
	}
	flat := func(int) float64 { return 1 }
	for _, tc := range []struct {
		name      string
		obs       func(r *rand.Rand) []Observation
		channel   int64
		wantRec   []int
		wantPrior string
	}{
		{"a strong Tuesday 10:00 is recommended", func(r *rand.Rand) []Observation { return posts(1, "mastodon", 16, slots, strong, r) },
			1, []int{tue10}, "channel"},
		{"no timing effect: no recommendation", func(r *rand.Rand) []Observation { return posts(1, "mastodon", 16, slots, flat, r) },
			1, []int{}, "channel"},
		{"two posts do not make a recommendation", func(r *rand.Rand) []Observation {
			return posts(1, "mastodon", 1, []int{tue10, 80}, strong, r)
		}, 1, []int{}, "channel"},
		{"a young channel is shrunk toward its network's curve", func(r *rand.Rand) []Observation {
			return append(posts(1, "mastodon", 16, slots, strong, r), posts(2, "mastodon", 1, []int{80}, flat, r)...)
		}, 2, nil, "network"},
		{"without a network peer, toward the workspace", func(r *rand.Rand) []Observation {
			return append(posts(1, "bluesky", 16, slots, strong, r), posts(2, "mastodon", 1, []int{80}, flat, r)...)
		}, 2, nil, "workspace"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := BestTimes(tc.obs(rand.New(rand.NewPCG(1, 2))), time.UTC)
			var c ChannelBestTimes
			for _, x := range got {
				if x.ChannelID == tc.channel {
					c = x
				}
			}
			require.Equal(t, tc.channel, c.ChannelID)
			require.Len(t, c.Slots, Buckets)
			require.Equal(t, tc.wantPrior, c.Prior)
			if tc.wantRec != nil {
				require.Equal(t, tc.wantRec, c.Recommended)
			}
			if tc.wantPrior == "network" {
				// Its one post at 80 says nothing of Tuesday 10:00, but its
				// network peer does: the estimate leans toward the peer's peak.
				require.Greater(t, c.Slots[tue10].Index, c.Slots[100].Index)
			}
		})
	}
}

func TestBucketOfFollowsDST(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	for _, tc := range []struct {
		utc  time.Time
		want int
	}{
		{time.Date(2026, 1, 6, 9, 0, 0, 0, time.UTC), 24 + 10}, // Tuesday 10:00 CET (UTC+1)
		{time.Date(2026, 7, 7, 8, 0, 0, 0, time.UTC), 24 + 10}, // Tuesday 10:00 CEST (UTC+2)
		{time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC), 0},     // Sunday 23:30 UTC is Monday 00:30 in Paris
		{time.Date(2026, 3, 8, 22, 0, 0, 0, time.UTC), 167},    // Sunday 23:00 in Paris
	} {
		require.Equal(t, tc.want, BucketOf(tc.utc, paris), tc.utc)
	}
}

func TestSmoothWraps(t *testing.T) {
	t.Parallel()
	var v [Buckets]float64
	v[0] = 1
	s := smooth(v, 1)
	require.Greater(t, s[167], 0.0, "Monday 00:00 spreads back to Sunday 23:00")
	require.InDelta(t, s[1], s[167], 1e-12)
	total := 0.0
	for _, x := range s {
		total += x
	}
	require.InDelta(t, 1, total, 1e-9, "the kernel keeps the mass")
}
