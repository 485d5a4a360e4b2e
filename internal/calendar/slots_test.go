package calendar

import (
	"errors"
	"testing"
	"time"
	_ "time/tzdata" // the DST tests must not depend on the machine's zoneinfo

	"github.com/stretchr/testify/require"
)

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseSlots(t *testing.T) {
	t.Parallel()
	got, err := ParseSlots("Mon-Fri 09:00,12:30, 18:00; Sat 10:00")
	require.NoError(t, err)
	require.Len(t, got, 16)
	require.Equal(t, Slot{time.Monday, 9, 0}, got[0])
	require.Equal(t, Slot{time.Saturday, 10, 0}, got[15])
	require.Equal(t, "Mon-Fri 09:00,12:30,18:00; Sat 10:00", FormatSlots(got))

	got, err = ParseSlots("fri-mon 8:05\nwednesday, Sun 08:05")
	require.NoError(t, err)
	require.Equal(t, []Slot{{time.Sunday, 8, 5}, {time.Monday, 8, 5}, {time.Wednesday, 8, 5}, {time.Friday, 8, 5}, {time.Saturday, 8, 5}}, got)

	got, err = ParseSlots("weekends 11:00; daily 07:00")
	require.NoError(t, err)
	require.Len(t, got, 9)

	for _, bad := range []string{"", "Mon 25:00", "Funday 09:00", "09:00", "Mon 9:5", "Mon-Xyz 10:00", "Mon 10:00,", "Mon 12:60"} {
		_, err := ParseSlots(bad)
		require.Error(t, err, bad)
		require.Contains(t, err.Error(), "calendar: ")
	}
}

func TestSlotsInTheInterfaceLanguage(t *testing.T) {
	t.Parallel()
	want, err := ParseSlots("Mon-Fri 09:00,12:30; Sat 10:00; Sun 18:00")
	require.NoError(t, err)
	for lang, spec := range map[string]string{
		"en": "Mon-Fri 09:00,12:30; Sat 10:00; Sun 18:00",
		"fr": "Lun-Ven 09:00,12:30; Sam 10:00; Dim 18:00",
		"de": "Mo-Fr 09:00,12:30; Sa 10:00; So 18:00",
	} {
		require.Equal(t, spec, FormatSlotsIn(want, lang), lang)
		got, err := ParseSlots(spec)
		require.NoError(t, err, lang)
		require.Equal(t, want, got, lang)
	}
	require.Equal(t, "Mon-Fri 09:00,12:30; Sat 10:00; Sun 18:00", FormatSlotsIn(want, "it"))
	got, err := ParseSlots("lun.-ven. 09:00,12:30; samedi 10:00; Sonntag 18:00")
	require.NoError(t, err)
	require.Equal(t, want, got)
}

func TestResolveDST(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		zone           string
		y              int
		m              time.Month
		d, hour, min   int
		want           string
		gap            bool
		secondInstance string // the later instant with the same wall clock, in a repeated hour
	}{
		{"paris ordinary", "Europe/Paris", 2026, time.March, 27, 9, 0, "2026-03-27T08:00:00Z", false, ""},
		{"paris spring gap", "Europe/Paris", 2026, time.March, 29, 2, 30, "2026-03-29T01:00:00Z", true, ""},
		{"paris gap start", "Europe/Paris", 2026, time.March, 29, 2, 0, "2026-03-29T01:00:00Z", true, ""},
		{"paris after gap", "Europe/Paris", 2026, time.March, 29, 3, 0, "2026-03-29T01:00:00Z", false, ""},
		{"paris fall repeated", "Europe/Paris", 2026, time.October, 25, 2, 30, "2026-10-25T00:30:00Z", false, "2026-10-25T01:30:00Z"},
		{"new york spring gap", "America/New_York", 2026, time.March, 8, 2, 15, "2026-03-08T07:00:00Z", true, ""},
		{"new york fall repeated", "America/New_York", 2026, time.November, 1, 1, 30, "2026-11-01T05:30:00Z", false, "2026-11-01T06:30:00Z"},
		{"sydney spring gap", "Australia/Sydney", 2026, time.October, 4, 2, 30, "2026-10-03T16:00:00Z", true, ""},
		// Samoa skipped 30 December 2011 entirely: every time that day moves to midnight on the 31st.
		{"apia skipped day", "Pacific/Apia", 2011, time.December, 30, 9, 0, "2011-12-30T10:00:00Z", true, ""},
		{"sydney fall repeated", "Australia/Sydney", 2026, time.April, 5, 2, 30, "2026-04-04T15:30:00Z", false, "2026-04-04T16:30:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			loc := mustLoad(t, tc.zone)
			got := Resolve(tc.y, tc.m, tc.d, tc.hour, tc.min, loc)
			require.Equal(t, utc(tc.want), got.UTC())
			require.Equal(t, tc.gap, InGap(tc.y, tc.m, tc.d, tc.hour, tc.min, loc))
			if tc.secondInstance != "" {
				// The later instant really shows the same wall clock: the hour repeats.
				later := utc(tc.secondInstance).In(loc)
				require.Equal(t, got.In(loc).Format("15:04"), later.Format("15:04"))
			}
		})
	}
}

// queue books n posts one after the other, as repeated "add to queue" does.
func queue(t *testing.T, slots []Slot, loc *time.Location, after time.Time, n int) []time.Time {
	t.Helper()
	booked := map[time.Time]bool{}
	var out []time.Time
	for range n {
		next, err := NextFree(slots, loc, after, func(t time.Time) bool { return booked[t] })
		require.NoError(t, err)
		require.Equal(t, time.UTC, next.Location())
		booked[next] = true
		out = append(out, next)
	}
	return out
}

func TestNextFreeAcrossDST(t *testing.T) {
	t.Parallel()
	t.Run("paris weekdays keep 09:00 local across spring forward", func(t *testing.T) {
		t.Parallel()
		slots, err := ParseSlots("Mon-Fri 09:00")
		require.NoError(t, err)
		got := queue(t, slots, mustLoad(t, "Europe/Paris"), utc("2026-03-26T12:00:00Z"), 3)
		require.Equal(t, []time.Time{utc("2026-03-27T08:00:00Z"), utc("2026-03-30T07:00:00Z"), utc("2026-03-31T07:00:00Z")}, got)
	})
	t.Run("paris slot in the gap moves to 03:00", func(t *testing.T) {
		t.Parallel()
		slots, err := ParseSlots("Sun 02:00,02:30,03:00,04:00")
		require.NoError(t, err)
		got := queue(t, slots, mustLoad(t, "Europe/Paris"), utc("2026-03-28T12:00:00Z"), 3)
		// 02:00 and 02:30 do not exist that night: both become 03:00 CEST,
		// which is also the 03:00 slot; the day still gets one post at 03:00.
		require.Equal(t, []time.Time{utc("2026-03-29T01:00:00Z"), utc("2026-03-29T02:00:00Z"), utc("2026-04-05T00:00:00Z")}, got)
	})
	t.Run("paris repeated hour happens once", func(t *testing.T) {
		t.Parallel()
		slots, err := ParseSlots("Sun 02:30")
		require.NoError(t, err)
		loc := mustLoad(t, "Europe/Paris")
		got := queue(t, slots, loc, utc("2026-10-24T12:00:00Z"), 2)
		require.Equal(t, []time.Time{utc("2026-10-25T00:30:00Z"), utc("2026-11-01T01:30:00Z")}, got)
		// Asking between the two 02:30s does not give the second one.
		next, err := NextFree(slots, loc, utc("2026-10-25T00:45:00Z"), nil)
		require.NoError(t, err)
		require.Equal(t, utc("2026-11-01T01:30:00Z"), next)
	})
	t.Run("new york", func(t *testing.T) {
		t.Parallel()
		slots, err := ParseSlots("Sun 01:30,02:15")
		require.NoError(t, err)
		loc := mustLoad(t, "America/New_York")
		got := queue(t, slots, loc, utc("2026-03-07T12:00:00Z"), 2)
		require.Equal(t, []time.Time{utc("2026-03-08T06:30:00Z"), utc("2026-03-08T07:00:00Z")}, got)
		got = queue(t, slots, loc, utc("2026-10-31T12:00:00Z"), 2)
		require.Equal(t, []time.Time{utc("2026-11-01T05:30:00Z"), utc("2026-11-01T07:15:00Z")}, got)
	})
	t.Run("sydney", func(t *testing.T) {
		t.Parallel()
		slots, err := ParseSlots("Sun 02:30")
		require.NoError(t, err)
		loc := mustLoad(t, "Australia/Sydney")
		require.Equal(t, []time.Time{utc("2026-04-04T15:30:00Z"), utc("2026-04-11T16:30:00Z")},
			queue(t, slots, loc, utc("2026-04-03T00:00:00Z"), 2))
		require.Equal(t, []time.Time{utc("2026-10-03T16:00:00Z"), utc("2026-10-10T15:30:00Z")},
			queue(t, slots, loc, utc("2026-10-02T00:00:00Z"), 2))
	})
	t.Run("taken slots are skipped and after is exclusive", func(t *testing.T) {
		t.Parallel()
		slots, err := ParseSlots("Mon-Fri 09:00,12:30")
		require.NoError(t, err)
		next, err := NextFree(slots, time.UTC, utc("2026-06-01T09:00:00Z"), func(t time.Time) bool {
			return t.Equal(utc("2026-06-01T12:30:00Z"))
		})
		require.NoError(t, err)
		require.Equal(t, utc("2026-06-02T09:00:00Z"), next)
	})
	t.Run("full queue and no slots", func(t *testing.T) {
		t.Parallel()
		slots, err := ParseSlots("Mon 09:00")
		require.NoError(t, err)
		_, err = NextFree(slots, time.UTC, utc("2026-06-01T00:00:00Z"), func(time.Time) bool { return true })
		require.True(t, errors.Is(err, ErrNoFreeSlot))
		_, err = NextFree(nil, time.UTC, utc("2026-06-01T00:00:00Z"), nil)
		require.Error(t, err)
	})
}

// TestNextFreeYearOfDailySlots books a whole year of a daily 02:30 slot in
// each zone: one post per local day, at 02:30 local except on the day the
// clocks skip that time, where it is the first instant after the jump.
func TestNextFreeYearOfDailySlots(t *testing.T) {
	t.Parallel()
	slots, err := ParseSlots("daily 02:30")
	require.NoError(t, err)
	for _, zone := range []string{"Europe/Paris", "America/New_York", "Australia/Sydney"} {
		t.Run(zone, func(t *testing.T) {
			t.Parallel()
			loc := mustLoad(t, zone)
			start := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
			got := queue(t, slots, loc, start, 365)
			days := map[string]bool{}
			moved := 0
			for i, at := range got {
				local := at.In(loc)
				days[local.Format("2006-01-02")] = true
				if i > 0 {
					require.True(t, at.After(got[i-1]))
				}
				if local.Format("15:04") != "02:30" {
					// Only a skipped 02:30 may move, and only to the jump itself.
					require.True(t, InGap(local.Year(), local.Month(), local.Day(), 2, 30, loc), local)
					moved++
				}
			}
			require.Len(t, days, 365, "one post per local day")
			// New York skips 02:00-03:00 in March; Paris 02:00-03:00 in March;
			// Sydney 02:00-03:00 in October: one moved slot each.
			require.Equal(t, 1, moved)
		})
	}
}

// FuzzParseSlots checks that any schedule either fails with a calendar
// error or round-trips through FormatSlots.
func FuzzParseSlots(f *testing.F) {
	f.Add("Mon-Fri 09:00,12:30,18:00; Sat 10:00")
	f.Add("fri-mon 8:05\nweekends 23:59")
	f.Add("daily 00:00;;")
	f.Fuzz(func(t *testing.T, spec string) {
		slots, err := ParseSlots(spec)
		if err != nil {
			require.Contains(t, err.Error(), "calendar: ")
			return
		}
		again, err := ParseSlots(FormatSlots(slots))
		require.NoError(t, err)
		require.Equal(t, slots, again)
	})
}
