package compose_test

import (
	"testing"
	"time"

	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/valid"
	"github.com/stretchr/testify/require"
)

func TestParseLocalAcrossDST(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		date, clock, tz string
		want            string // RFC 3339 in UTC, or the error field
		err             bool
	}{
		{"2026-03-29", "01:59", "Europe/Paris", "2026-03-29T00:59:00Z", false},
		{"2026-03-29", "02:30", "Europe/Paris", "time", true}, // skipped
		{"2026-03-29", "03:00", "Europe/Paris", "2026-03-29T01:00:00Z", false},
		{"2026-10-25", "02:30", "Europe/Paris", "2026-10-25T00:30:00Z", false}, // first of two
		{"2026-10-25", "03:30", "Europe/Paris", "2026-10-25T02:30:00Z", false},
		{"2026-03-08", "02:15", "America/New_York", "time", true},
		{"2026-11-01", "01:30", "America/New_York", "2026-11-01T05:30:00Z", false},
		{"2026-07-01", "12:00", "Australia/Lord_Howe", "2026-07-01T01:30:00Z", false},
		{"2026-02-30", "12:00", "UTC", "date", true},
		{"2026-02-01", "25:00", "UTC", "time", true},
		{"2026-02-01", "12:00", "Europe/Atlantis", "timezone", true},
	} {
		got, err := compose.ParseLocal(tc.date, tc.clock, tc.tz)
		if tc.err {
			ve, ok := valid.As(err)
			require.True(t, ok, "%+v: %v", tc, err)
			require.Equal(t, tc.want, ve.Field)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, tc.want, got.Format(time.RFC3339), "%+v", tc)
	}
}

func TestCalendarRanges(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	at := time.Date(2026, 3, 29, 12, 0, 0, 0, time.UTC)
	from, to := compose.WeekRange(at, paris)
	require.Equal(t, "2026-03-22T23:00:00Z", from.Format(time.RFC3339))
	require.Equal(t, "2026-03-29T22:00:00Z", to.Format(time.RFC3339))
	require.Equal(t, 167*time.Hour, to.Sub(from), "the spring-forward week is an hour short")
	from, to = compose.MonthRange(at, paris)
	require.Equal(t, "2026-02-28T23:00:00Z", from.Format(time.RFC3339))
	require.Equal(t, "2026-03-31T22:00:00Z", to.Format(time.RFC3339))
	// 23:30 UTC on 31 March is 1 April in Paris.
	from, _ = compose.MonthRange(time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC), paris)
	require.Equal(t, "2026-03-31T22:00:00Z", from.Format(time.RFC3339))

	late := time.Date(2026, 10, 24, 22, 30, 0, 0, time.UTC) // 00:30 CEST on the 25th
	items := []compose.CalendarItem{{ID: 1, ScheduledAt: &late}, {ID: 2}}
	days := compose.ByDay(items, paris)
	require.Len(t, days, 1)
	require.Equal(t, int64(1), days["2026-10-25"][0].ID)
}
