package sla

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/relais/relais/internal/valid"
)

// MaxRangeDays bounds the period a report covers.
const MaxRangeDays = 366

// ParseRange reads a report's days (2006-01-02, both included) in loc:
// to defaults to today, from to 29 days before to. It returns the instants
// [from, to) and a valid.Error naming the field when a day is malformed,
// from is after to, or the period is longer than MaxRangeDays.
func ParseRange(fromS, toS string, loc *time.Location, now time.Time) (time.Time, time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	n := now.In(loc)
	toDay := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc)
	if toS != "" {
		t, err := time.ParseInLocation(time.DateOnly, toS, loc)
		if err != nil {
			return time.Time{}, time.Time{}, valid.Errorf("to", "format", "to: %q is not a day (2026-12-31)", toS)
		}
		toDay = t
	}
	fromDay := toDay.AddDate(0, 0, -29)
	if fromS != "" {
		t, err := time.ParseInLocation(time.DateOnly, fromS, loc)
		if err != nil {
			return time.Time{}, time.Time{}, valid.Errorf("from", "format", "from: %q is not a day (2026-12-01)", fromS)
		}
		fromDay = t
	}
	if fromDay.After(toDay) {
		return time.Time{}, time.Time{}, valid.Errorf("from", "order", "from (%s) must not be after to (%s)", fromDay.Format(time.DateOnly), toDay.Format(time.DateOnly))
	}
	to := toDay.AddDate(0, 0, 1)
	if days := int(to.Sub(fromDay).Hours()/24 + 0.5); days > MaxRangeDays {
		return time.Time{}, time.Time{}, valid.Errorf("to", "range", "the period covers %d days; at most %d", days, MaxRangeDays).WithArgs(days, MaxRangeDays)
	}
	return fromDay, to, nil
}

// ParsePeriod checks a period name (empty: week).
func ParsePeriod(s string) (Period, error) {
	switch p := Period(s); p {
	case "":
		return Week, nil
	case Day, Week, Month:
		return p, nil
	}
	return "", valid.Errorf("period", "enum", "period: %q is not one of day, week, month", s)
}

// Names give the report's channel and member rows a readable name.
type Names struct {
	Channels, Members map[int64]string
}

// Name is the row's name in a group ("channel", "member"), or "".
func (n Names) Name(group, key string) string {
	id, err := strconv.ParseInt(key, 10, 64)
	if err != nil {
		return ""
	}
	switch group {
	case "channel":
		return n.Channels[id]
	case "member":
		return n.Members[id]
	}
	return ""
}

// CSVHeader is the header row of WriteCSV.
var CSVHeader = []string{"group", "key", "name", "conversations", "answered", "within_target", "response_rate",
	"target_rate", "median_minutes", "p90_minutes", "target_minutes"}

// WriteCSV writes the report as CSV: the total, then a row per channel,
// member (who answered first) and period.
func WriteCSV(w io.Writer, rep ResponseReport, names Names) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(CSVHeader)
	f := func(x float64, prec int) string { return strconv.FormatFloat(x, 'f', prec, 64) }
	write := func(group string, rows []Figures) {
		for _, r := range rows {
			_ = cw.Write([]string{group, r.Key, names.Name(group, r.Key), strconv.Itoa(r.Conversations), strconv.Itoa(r.Answered),
				strconv.Itoa(r.WithinTarget), f(r.ResponseRate, 4), f(r.TargetRate, 4), f(r.MedianMinutes, 1), f(r.P90Minutes, 1),
				strconv.Itoa(rep.TargetMinutes)})
		}
	}
	write("total", []Figures{rep.Total})
	write("channel", rep.ByChannel)
	write("member", rep.ByMember)
	write("period", rep.ByPeriod)
	cw.Flush()
	return cw.Error()
}
