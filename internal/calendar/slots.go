// Package calendar owns when posts go out: posting slots per channel, the
// "add to queue" search for the next free slot across daylight-saving
// changes, and the iCal feed of a workspace's calendar.
package calendar

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Slot is a weekly posting time in the channel's local time zone.
type Slot struct {
	Weekday time.Weekday `json:"weekday"`
	Hour    int          `json:"hour"`
	Minute  int          `json:"minute"`
}

// String renders a slot as "Mon 09:00".
func (s Slot) String() string {
	return fmt.Sprintf("%s %02d:%02d", s.Weekday.String()[:3], s.Hour, s.Minute)
}

// ErrNoFreeSlot is returned when every slot within the search horizon is taken.
var ErrNoFreeSlot = errors.New("calendar: no free slot")

// searchHorizon bounds the search for a free slot, so a fully booked queue
// ends in ErrNoFreeSlot rather than a long loop.
const searchHorizon = 3 * 366

var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday,
	"mon": time.Monday, "monday": time.Monday,
	"tue": time.Tuesday, "tues": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "wednesday": time.Wednesday,
	"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "thursday": time.Thursday,
	"fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday,
	// French and German, as the interface writes them.
	"lun": time.Monday, "lundi": time.Monday, "mar": time.Tuesday, "mardi": time.Tuesday,
	"mer": time.Wednesday, "mercredi": time.Wednesday, "jeu": time.Thursday, "jeudi": time.Thursday,
	"ven": time.Friday, "vendredi": time.Friday, "sam": time.Saturday, "samedi": time.Saturday,
	"dim": time.Sunday, "dimanche": time.Sunday,
	"mo": time.Monday, "montag": time.Monday, "di": time.Tuesday, "dienstag": time.Tuesday,
	"mi": time.Wednesday, "mittwoch": time.Wednesday, "do": time.Thursday, "donnerstag": time.Thursday,
	"fr": time.Friday, "freitag": time.Friday, "sa": time.Saturday, "samstag": time.Saturday,
	"so": time.Sunday, "sonntag": time.Sunday,
}

// dayAbbrev are the short day names FormatSlotsIn writes, Monday first.
var dayAbbrev = map[string][7]string{
	"en": {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"},
	"fr": {"Lun", "Mar", "Mer", "Jeu", "Ven", "Sam", "Dim"},
	"de": {"Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"},
}

// ParseSlots reads a slot schedule such as "Mon-Fri 09:00,12:30,18:00; Sat
// 10:00". Groups are separated by ";" or new lines; each group is a list of
// days or day ranges (ranges may wrap, "Fri-Mon"; "daily", "weekdays" and
// "weekends" are accepted) followed by comma-separated HH:MM times. The
// result is sorted by weekday and time, without duplicates.
func ParseSlots(spec string) ([]Slot, error) {
	seen := map[Slot]bool{}
	var out []Slot
	groups := strings.FieldsFunc(spec, func(r rune) bool { return r == ';' || r == '\n' })
	for _, g := range groups {
		g = strings.TrimSpace(g)
		if g == "" {
			continue
		}
		cut := strings.IndexAny(g, "0123456789")
		if cut <= 0 {
			return nil, fmt.Errorf("calendar: slot group %q needs days then times, e.g. \"Mon-Fri 09:00,18:00\"", g)
		}
		days, err := parseDays(g[:cut])
		if err != nil {
			return nil, err
		}
		for _, t := range strings.Split(g[cut:], ",") {
			h, m, err := parseClock(strings.TrimSpace(t))
			if err != nil {
				return nil, fmt.Errorf("calendar: slot group %q: %w", g, err)
			}
			for _, d := range days {
				s := Slot{Weekday: d, Hour: h, Minute: m}
				if !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
			}
		}
	}
	if len(out) == 0 {
		return nil, errors.New("calendar: no posting slots given")
	}
	sort.Slice(out, func(i, j int) bool { return slotLess(out[i], out[j]) })
	return out, nil
}

func slotLess(a, b Slot) bool {
	if a.Weekday != b.Weekday {
		return a.Weekday < b.Weekday
	}
	if a.Hour != b.Hour {
		return a.Hour < b.Hour
	}
	return a.Minute < b.Minute
}

// parseDays reads "Mon-Fri", "Mon,Wed,Fri", "Sat Sun", "daily" ….
func parseDays(s string) ([]time.Weekday, error) {
	var out []time.Weekday
	fields := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	if len(fields) == 0 {
		return nil, fmt.Errorf("calendar: no days in %q", strings.TrimSpace(s))
	}
	for _, f := range fields {
		switch f {
		case "daily", "everyday", "all":
			out = append(out, time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday)
			continue
		case "weekdays":
			out = append(out, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday)
			continue
		case "weekends", "weekend":
			out = append(out, time.Saturday, time.Sunday)
			continue
		}
		from, to, isRange := strings.Cut(f, "-")
		// "lun." and "mar." as the French interface abbreviates them.
		from, to = strings.TrimSuffix(from, "."), strings.TrimSuffix(to, ".")
		a, ok := dayNames[from]
		if !ok {
			return nil, fmt.Errorf("calendar: unknown day %q (use Mon, Tue, … Sun, or Lun … Dim, Mo … So)", from)
		}
		if !isRange {
			out = append(out, a)
			continue
		}
		b, ok := dayNames[to]
		if !ok {
			return nil, fmt.Errorf("calendar: unknown day %q (use Mon, Tue, … Sun, or Lun … Dim, Mo … So)", to)
		}
		for d := a; ; d = (d + 1) % 7 {
			out = append(out, d)
			if d == b {
				break
			}
		}
	}
	return out, nil
}

// parseClock reads "HH:MM" (or "H:MM") on a 24-hour clock.
func parseClock(s string) (int, int, error) {
	hs, ms, ok := strings.Cut(s, ":")
	if !ok || len(ms) != 2 || len(hs) == 0 || len(hs) > 2 {
		return 0, 0, fmt.Errorf("time %q is not HH:MM", s)
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, 0, fmt.Errorf("time %q is not HH:MM between 00:00 and 23:59", s)
	}
	return h, m, nil
}

// FormatSlots renders slots back into the ParseSlots syntax, one group per
// set of days sharing the same times ("Mon-Fri 09:00,12:30; Sat 10:00").
func FormatSlots(slots []Slot) string { return FormatSlotsIn(slots, "en") }

// FormatSlotsIn renders slots with the day names of a language ("fr":
// "Lun-Ven 09:00"; others than en, fr and de: English); ParseSlots reads
// every one of them.
func FormatSlotsIn(slots []Slot, lang string) string {
	names, ok := dayAbbrev[lang]
	if !ok {
		names = dayAbbrev["en"]
	}
	name := func(d time.Weekday) string { return names[(int(d)+6)%7] }
	times := map[time.Weekday][]string{}
	for _, s := range slots {
		times[s.Weekday] = append(times[s.Weekday], fmt.Sprintf("%02d:%02d", s.Hour, s.Minute))
	}
	var groups []string
	// Monday first, as people read a week.
	order := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
	for i := 0; i < len(order); {
		key := strings.Join(times[order[i]], ",")
		j := i + 1
		for j < len(order) && strings.Join(times[order[j]], ",") == key {
			j++
		}
		if key != "" {
			days := name(order[i])
			if j-i > 1 {
				days += "-" + name(order[j-1])
			}
			groups = append(groups, days+" "+key)
		}
		i = j
	}
	return strings.Join(groups, "; ")
}

// NextFree returns the first slot instant strictly after after that is not
// taken, in UTC. Slots are wall-clock times in loc: a slot that falls in a
// spring-forward gap moves to the first valid instant after it (the moment
// clocks jump), and a slot in the repeated fall-back hour happens once, at
// its first occurrence.
func NextFree(slots []Slot, loc *time.Location, after time.Time, taken func(time.Time) bool) (time.Time, error) {
	if len(slots) == 0 {
		return time.Time{}, errors.New("calendar: no posting slots configured")
	}
	if loc == nil {
		loc = time.UTC
	}
	byDay := map[time.Weekday][]Slot{}
	for _, s := range slots {
		byDay[s.Weekday] = append(byDay[s.Weekday], s)
	}
	for _, day := range byDay {
		sort.Slice(day, func(i, j int) bool { return slotLess(day[i], day[j]) })
	}
	local := after.In(loc)
	y, m, d := local.Date()
	for i := 0; i <= searchHorizon; i++ {
		// Date arithmetic on the civil date, not on instants, so a 23- or
		// 25-hour day does not shift the walk.
		date := time.Date(y, m, d+i, 12, 0, 0, 0, time.UTC)
		var prev time.Time
		for _, s := range byDay[date.Weekday()] {
			t := Resolve(date.Year(), date.Month(), date.Day(), s.Hour, s.Minute, loc)
			// Two slots in the same gap resolve to the same instant: keep one.
			if !t.After(after) || t.Equal(prev) {
				continue
			}
			prev = t
			if taken == nil || !taken(t.UTC()) {
				return t.UTC(), nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("%w within %d days after %s", ErrNoFreeSlot, searchHorizon, after.UTC().Format(time.RFC3339))
}

// Resolve turns a wall-clock time in loc into an instant: a time skipped by
// a spring-forward change becomes the instant the clocks jump (the first
// valid instant after it), and a time repeated by a fall-back change is its
// first occurrence.
func Resolve(year int, month time.Month, day, hour, minute int, loc *time.Location) time.Time {
	t := time.Date(year, month, day, hour, minute, 0, 0, loc)
	want := time.Date(year, month, day, hour, minute, 0, 0, time.UTC)
	if !sameWall(t, want) {
		// In a gap: Go picked an offset from one side of the change. The
		// change itself is the first instant whose wall clock is past want.
		start, end := t.ZoneBounds()
		if wallAsUTC(t).Before(want) {
			return end
		}
		return start
	}
	// In a repeated hour the same wall clock also exists under the previous
	// zone's offset; prefer that earlier instant.
	start, _ := t.ZoneBounds()
	if !start.IsZero() {
		_, prevOff := start.Add(-time.Second).Zone()
		_, curOff := t.Zone()
		if prevOff > curOff {
			earlier := t.Add(-time.Duration(prevOff-curOff) * time.Second)
			if earlier.Before(start) && sameWall(earlier, want) {
				return earlier
			}
		}
	}
	return t
}

// InGap reports whether a wall-clock time does not exist in loc (it falls in
// a spring-forward gap), so callers that take an explicit time from a person
// can refuse it instead of moving it.
func InGap(year int, month time.Month, day, hour, minute int, loc *time.Location) bool {
	t := time.Date(year, month, day, hour, minute, 0, 0, loc)
	return !sameWall(t, time.Date(year, month, day, hour, minute, 0, 0, time.UTC))
}

// wallAsUTC is t's wall clock read as if it were UTC, for comparing wall times.
func wallAsUTC(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

func sameWall(t, want time.Time) bool {
	return wallAsUTC(t).Equal(want)
}
