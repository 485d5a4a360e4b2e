package compose

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date orders of an import file's numeric dates. DateAuto detects the order
// from the file and asks (ErrImportAmbiguousDate) when the file cannot tell.
const (
	DateAuto = ""
	DateYMD  = "ymd" // 2027-01-31
	DateDMY  = "dmy" // 31/01/2027, 31.01.2027
	DateMDY  = "mdy" // 01/31/2027
)

// DateFormats are the choices of the import's date format, in the order the
// forms offer them.
var DateFormats = []string{DateAuto, DateYMD, DateDMY, DateMDY}

// ErrImportAmbiguousDate is the file-level error of an import whose dates
// read both day first and month first (01/02/2027): the user chooses.
var ErrImportAmbiguousDate = errors.New("compose: import dates are ambiguous")

// importDate is a date as written: year first (Y-M-D) or year last (A/B/Y).
type importDate struct {
	yearFirst bool
	a, b, y   int
	sep       byte
}

// splitDate reads a date written with a four-digit year first (2027-01-31,
// 2027/01/31) or last (31/01/2027, 01/31/2027, 31.01.2027, 31-01-2027).
func splitDate(s string) (importDate, bool) {
	for _, sep := range []byte{'-', '/', '.'} {
		parts := strings.Split(s, string(sep))
		if len(parts) != 3 {
			continue
		}
		var n [3]int
		for i, p := range parts {
			v, ok := digits(p, 1, 4)
			if !ok {
				return importDate{}, false
			}
			n[i] = v
		}
		switch {
		case len(parts[0]) == 4 && len(parts[1]) <= 2 && len(parts[2]) <= 2:
			return importDate{yearFirst: true, a: n[1], b: n[2], y: n[0], sep: sep}, true
		case len(parts[2]) == 4 && len(parts[0]) <= 2 && len(parts[1]) <= 2:
			return importDate{a: n[0], b: n[1], y: n[2], sep: sep}, true
		}
		return importDate{}, false
	}
	return importDate{}, false
}

// digits reads an unsigned decimal of min to max ASCII digits.
func digits(s string, min, max int) (int, bool) {
	if len(s) < min || len(s) > max {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// evidence says which order a year-last date proves: a first number over
// 12 is a day, a second over 12 is a day too; dotted dates are day first
// (31.01.2027) as everywhere they are written. "" proves nothing.
func (d importDate) evidence() string {
	switch {
	case d.yearFirst:
		return ""
	case d.a > 12 && d.b <= 12:
		return DateDMY
	case d.b > 12 && d.a <= 12:
		return DateMDY
	case d.sep == '.':
		return DateDMY
	}
	return ""
}

// ambiguous reports whether the date reads differently day first and month first.
func (d importDate) ambiguous() bool {
	return !d.yearFirst && d.evidence() == "" && d.a != d.b && d.a >= 1 && d.b >= 1
}

// detectDateOrder finds the one order that reads every year-last date of
// the file. It is DateDMY when nothing needs an order; ErrImportAmbiguousDate
// when the dates could be either or prove both.
func detectDateOrder(values []string) (string, error) {
	var dmy, mdy, ambiguous string
	for _, v := range values {
		d, ok := splitDate(datePart(v))
		if !ok {
			continue
		}
		switch d.evidence() {
		case DateDMY:
			if dmy == "" {
				dmy = v
			}
		case DateMDY:
			if mdy == "" {
				mdy = v
			}
		default:
			if ambiguous == "" && d.ambiguous() {
				ambiguous = v
			}
		}
	}
	switch {
	case dmy != "" && mdy != "":
		return "", fileErr(ErrImportAmbiguousDate, "file_mixed_dates", "value", strconv.Quote(dmy), "other", strconv.Quote(mdy))
	case dmy != "":
		return DateDMY, nil
	case mdy != "":
		return DateMDY, nil
	case ambiguous != "":
		return "", fileErr(ErrImportAmbiguousDate, "file_ambiguous_dates", "value", strconv.Quote(ambiguous))
	}
	return DateDMY, nil
}

// parseImportDate reads a date in the given order (year-first dates are
// always year, month, day); it refuses dates that do not exist.
func parseImportDate(s, order string) (time.Time, bool) {
	d, ok := splitDate(s)
	if !ok {
		return time.Time{}, false
	}
	month, day := d.a, d.b
	if !d.yearFirst {
		switch order {
		case DateDMY:
			month, day = d.b, d.a
		case DateMDY:
		default:
			return time.Time{}, false
		}
	}
	t := time.Date(d.y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if month < 1 || month > 12 || day < 1 || t.Day() != day || d.y < 1 {
		return time.Time{}, false
	}
	return t, true
}

// datePart and clockPart split a date-and-time cell ("01/31/2027 14:30",
// "2027-01-31T14:30", "31/01/2027 2:05 PM") at its first space or T.
func datePart(s string) string {
	d, _ := splitDateTime(s)
	return d
}

func splitDateTime(s string) (date, clock string) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " T"); i > 0 {
		return s[:i], strings.TrimSpace(s[i+1:])
	}
	return s, ""
}

// parseImportClock reads a time of day as people write it: 14:05, 9:05,
// 09:30:00, 2:05 PM, 2 pm, 12:30 a.m., 9h30, 14h.
func parseImportClock(s string) (h, m, sec int, err error) {
	bad := fmt.Errorf("compose: %q is not a time of day", s)
	s = strings.ToLower(strings.TrimSpace(s))
	half := ""
	for _, suffix := range []string{"a.m.", "p.m.", "am", "pm"} {
		if strings.HasSuffix(s, suffix) {
			half = suffix[:1]
			s = strings.TrimSpace(strings.TrimSuffix(s, suffix))
			break
		}
	}
	var parts []string
	switch {
	case strings.Contains(s, "h") && half == "":
		hs, ms, _ := strings.Cut(s, "h")
		parts = []string{hs}
		if ms != "" {
			parts = append(parts, ms)
		}
	case strings.Contains(s, ":"):
		parts = strings.Split(s, ":")
	case half != "":
		parts = []string{s}
	default:
		return 0, 0, 0, bad
	}
	if len(parts) > 3 {
		return 0, 0, 0, bad
	}
	var ok bool
	if h, ok = digits(parts[0], 1, 2); !ok {
		return 0, 0, 0, bad
	}
	if len(parts) > 1 {
		if m, ok = digits(parts[1], 2, 2); !ok {
			return 0, 0, 0, bad
		}
	}
	if len(parts) > 2 {
		if sec, ok = digits(parts[2], 2, 2); !ok {
			return 0, 0, 0, bad
		}
	}
	if half != "" {
		if h < 1 || h > 12 {
			return 0, 0, 0, bad
		}
		h %= 12
		if half == "p" {
			h += 12
		}
	}
	if h > 23 || m > 59 || sec > 59 {
		return 0, 0, 0, bad
	}
	return h, m, sec, nil
}
