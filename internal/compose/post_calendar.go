package compose

import (
	"time"

	"github.com/relais/relais/internal/calendar"
	"github.com/relais/relais/internal/valid"
)

// ParseLocal reads a wall-clock date ("2006-01-02") and time ("15:04") in
// the IANA zone tz and returns the instant in UTC. A time that does not
// exist (skipped by a spring-forward change) is refused with a message
// rather than moved, since a person chose it; a time that happens twice
// (fall-back) is its first occurrence.
func ParseLocal(date, clock, tz string) (time.Time, error) {
	loc, err := time.LoadLocation(tz)
	if err != nil || tz == "" || tz == "Local" {
		return time.Time{}, valid.Errorf("timezone", "timezone", "%q is not an IANA time zone (like Europe/Paris)", tz)
	}
	d, err := time.Parse("2006-01-02", date)
	if err != nil {
		return time.Time{}, valid.Errorf("date", "format", "date %q must be YYYY-MM-DD", date)
	}
	c, err := time.Parse("15:04", clock)
	if err != nil {
		return time.Time{}, valid.Errorf("time", "format", "time %q must be HH:MM (24-hour)", clock)
	}
	if calendar.InGap(d.Year(), d.Month(), d.Day(), c.Hour(), c.Minute(), loc) {
		return time.Time{}, valid.Errorf("time", "nonexistent", "%s %s does not exist in %s (the clocks skip it for daylight saving time); choose another time", date, clock, tz)
	}
	return calendar.Resolve(d.Year(), d.Month(), d.Day(), c.Hour(), c.Minute(), loc).UTC(), nil
}

// MonthRange is the month containing t in loc, as the [From, To) bounds of
// a Query: local midnight of the first day to local midnight of the next
// month's first day, in UTC.
func MonthRange(t time.Time, loc *time.Location) (from, to time.Time) {
	l := t.In(loc)
	from = time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, loc)
	to = time.Date(l.Year(), l.Month()+1, 1, 0, 0, 0, 0, loc)
	return from.UTC(), to.UTC()
}

// WeekRange is the week (Monday to Sunday) containing t in loc, as [From,
// To) in UTC; a week with a daylight-saving change is 167 or 169 hours long.
func WeekRange(t time.Time, loc *time.Location) (from, to time.Time) {
	l := t.In(loc)
	back := (int(l.Weekday()) + 6) % 7 // days since Monday
	from = time.Date(l.Year(), l.Month(), l.Day()-back, 0, 0, 0, 0, loc)
	to = time.Date(l.Year(), l.Month(), l.Day()-back+7, 0, 0, 0, 0, loc)
	return from.UTC(), to.UTC()
}

// ByDay groups calendar items by their local day in loc ("2006-01-02"),
// keeping their order; unscheduled items are left out.
func ByDay(items []CalendarItem, loc *time.Location) map[string][]CalendarItem {
	out := map[string][]CalendarItem{}
	for _, it := range items {
		if it.ScheduledAt == nil {
			continue
		}
		day := it.ScheduledAt.In(loc).Format("2006-01-02")
		out[day] = append(out[day], it)
	}
	return out
}
