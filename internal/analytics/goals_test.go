package analytics

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

func TestProgress(t *testing.T) {
	t.Parallel()
	d0 := time.Date(2011, 1, 1, 0, 0, 0, 0, time.UTC)
	// Otto: 210,000 fans in 2011, 680,000 in 2014.
	otto := store.Goal{Metric: "followers", StartValue: 210_000, Target: 680_000, StartsOn: d0, DueOn: d0.AddDate(3, 0, 0)}
	line := func(from time.Time, n int, start, perDay int64, channels ...int64) []store.ChannelDay {
		var out []store.ChannelDay
		for i := range n {
			for _, c := range channels {
				v := start + perDay*int64(i)
				out = append(out, store.ChannelDay{ChannelID: c, Day: from.AddDate(0, 0, i), Followers: &v})
			}
		}
		return out
	}
	at := d0.AddDate(1, 0, 0)
	for _, tc := range []struct {
		name      string
		goal      store.Goal
		days      []store.ChannelDay
		current   *int64
		progress  float64
		onTrack   bool
		perDay    float64
		reachedBy time.Time
	}{
		{"on track: 500 a day reaches 680,000 before 2014", otto, line(at, 30, 400_000, 500, 1), p64(414_500), 100 * 204_500.0 / 470_000, true, 500, d0.AddDate(3, 0, 0)},
		{"behind: 100 a day does not", otto, line(at, 30, 400_000, 100, 1), p64(402_900), 100 * 192_900.0 / 470_000, false, 100, time.Time{}},
		{"two channels sum", otto, line(at, 10, 200_000, 300, 1, 2), p64(405_400), 100 * 195_400.0 / 470_000, true, 600, d0.AddDate(3, 0, 0)},
		{"a shrinking goal", store.Goal{StartValue: 1000, Target: 500, DueOn: at.AddDate(0, 0, 60)}, line(at, 10, 900, -10, 1), p64(810), 100 * -190.0 / -500, true, -10, at.AddDate(0, 0, 60)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := Progress(tc.goal, tc.days)
			require.Equal(t, tc.current, st.Current)
			require.InDelta(t, tc.progress, *st.ProgressPct, 1e-9)
			require.InDelta(t, tc.perDay, *st.PerDay, 1e-6)
			require.Equal(t, tc.onTrack, st.OnTrack)
			if !tc.reachedBy.IsZero() {
				require.NotNil(t, st.ReachedOn)
				require.False(t, st.ReachedOn.After(tc.reachedBy), st.ReachedOn)
			}
		})
	}
	st := Progress(otto, nil)
	require.Nil(t, st.Current, "no counts yet")
	require.Nil(t, st.ForecastAtDue)
	one := Progress(otto, line(at, 1, 300_000, 0, 1))
	require.Equal(t, int64(300_000), *one.Current)
	require.Nil(t, one.PerDay, "one day makes no trend")
}
