package calendar

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// property is one unfolded content line.
type property struct{ name, value string }

// parseICal unfolds and splits a feed, checking the physical format on the
// way: CRLF only, at most 75 octets per line, valid UTF-8 on every line.
func parseICal(t *testing.T, feed []byte) []property {
	t.Helper()
	require.True(t, bytes.HasSuffix(feed, []byte("\r\n")))
	physical := strings.Split(strings.TrimSuffix(string(feed), "\r\n"), "\r\n")
	var logical []string
	for _, line := range physical {
		require.NotContains(t, line, "\n", "bare LF")
		require.NotContains(t, line, "\r", "bare CR")
		require.LessOrEqual(t, len(line), 75, "line too long: %q", line)
		require.True(t, utf8.ValidString(line), "fold split a UTF-8 sequence: %q", line)
		if strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t") {
			require.NotEmpty(t, logical, "continuation without a line")
			logical[len(logical)-1] += line[1:]
			continue
		}
		logical = append(logical, line)
	}
	props := make([]property, 0, len(logical))
	for _, l := range logical {
		name, value, ok := strings.Cut(l, ":")
		require.True(t, ok, "no colon in %q", l)
		props = append(props, property{name, value})
	}
	return props
}

// unescapeText reverses RFC 5545 TEXT escaping.
func unescapeText(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ';' || c == ',' {
			t.Fatalf("unescaped %q in %q", c, s)
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		require.Less(t, i, len(s), "dangling backslash in %q", s)
		switch s[i] {
		case 'n', 'N':
			b.WriteByte('\n')
		case '\\', ';', ',':
			b.WriteByte(s[i])
		default:
			t.Fatalf("bad escape \\%c in %q", s[i], s)
		}
	}
	return b.String()
}

func values(props []property, name string) []string {
	var out []string
	for _, p := range props {
		if p.name == name {
			out = append(out, p.value)
		}
	}
	return out
}

func TestWriteICal(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	long := strings.Repeat("Ünïcødé ✓ 日本語 ", 12)
	cal := ICalendar{
		Name:  "Acme, Inc; social",
		Stamp: time.Date(2026, 11, 26, 1, 2, 3, 0, time.UTC),
		Events: []Event{
			{UID: "post-1@relais.test", Start: time.Date(2026, 3, 29, 3, 0, 0, 0, paris), Summary: "Launch; v2, at last \\o/",
				Description: "Line one\nLine two\r\nLine three, with ; and \\\n" + long, URL: "https://example.com/p?a=1,2;b"},
			{UID: "post-2@relais.test", Start: time.Date(2026, 10, 25, 2, 30, 0, 0, time.UTC), End: time.Date(2026, 10, 25, 2, 45, 0, 0, time.UTC), Summary: "👨‍👩‍👧‍👦" + strings.Repeat("é", 80)},
		},
	}
	var buf bytes.Buffer
	require.NoError(t, WriteICal(&buf, cal))
	props := parseICal(t, buf.Bytes())

	require.Equal(t, property{"BEGIN", "VCALENDAR"}, props[0])
	require.Equal(t, property{"END", "VCALENDAR"}, props[len(props)-1])
	require.Equal(t, []string{"2.0"}, values(props, "VERSION"))
	require.Len(t, values(props, "PRODID"), 1)
	require.Equal(t, []string{"PT1H"}, values(props, "REFRESH-INTERVAL;VALUE=DURATION"))
	require.Equal(t, cal.Name, unescapeText(t, values(props, "X-WR-CALNAME")[0]))
	require.Equal(t, []string{"VEVENT", "VEVENT"}, values(props, "BEGIN")[1:])
	require.Equal(t, []string{"post-1@relais.test", "post-2@relais.test"}, values(props, "UID"))
	// 03:00 CEST is 01:00 UTC.
	require.Equal(t, []string{"20260329T010000Z", "20261025T023000Z"}, values(props, "DTSTART"))
	require.Equal(t, []string{"20261025T024500Z"}, values(props, "DTEND"))
	require.Equal(t, []string{"20261126T010203Z", "20261126T010203Z"}, values(props, "DTSTAMP"))

	summaries := values(props, "SUMMARY")
	require.Equal(t, cal.Events[0].Summary, unescapeText(t, summaries[0]))
	require.Equal(t, cal.Events[1].Summary, unescapeText(t, summaries[1]))
	require.Equal(t, "Line one\nLine two\nLine three, with ; and \\\n"+long, unescapeText(t, values(props, "DESCRIPTION")[0]))
	require.Equal(t, []string{cal.Events[0].URL}, values(props, "URL"))
}

func TestFeedSecret(t *testing.T) {
	t.Parallel()
	a, ha, err := NewFeedSecret()
	require.NoError(t, err)
	b, hb, err := NewFeedSecret()
	require.NoError(t, err)
	require.NotEqual(t, a, b)
	require.Len(t, a, 43) // 32 random bytes, URL-safe, unpadded
	require.NotContains(t, a, "/")
	require.Equal(t, ha, FeedSecretHash(a))
	require.NotEqual(t, ha, hb)
	require.Len(t, ha, 64)
}

func TestWriteICalRejectsMissingUID(t *testing.T) {
	t.Parallel()
	err := WriteICal(&bytes.Buffer{}, ICalendar{Events: []Event{{Start: time.Now()}}})
	require.ErrorContains(t, err, "calendar: event at")
	err = WriteICal(&bytes.Buffer{}, ICalendar{Events: []Event{{UID: "x"}}})
	require.ErrorContains(t, err, `calendar: event "x" has no start time`)
}

// FuzzWriteICal round-trips arbitrary summaries and descriptions through the
// writer and the unfolding parser.
func FuzzWriteICal(f *testing.F) {
	f.Add("a,b;c\\d", "x\ny")
	f.Add(strings.Repeat("é", 100), strings.Repeat("👨‍👩‍👧‍👦", 30))
	f.Add("", "\r\n\r")
	f.Fuzz(func(t *testing.T, summary, description string) {
		if !utf8.ValidString(summary) || !utf8.ValidString(description) {
			return
		}
		var buf bytes.Buffer
		e := Event{UID: "u@x", Start: time.Unix(0, 0), Summary: summary, Description: description}
		require.NoError(t, WriteICal(&buf, ICalendar{Name: summary, Stamp: time.Unix(1, 0), Events: []Event{e}}))
		props := parseICal(t, buf.Bytes())
		clean := func(s string) string {
			s = strings.ReplaceAll(s, "\r\n", "\n")
			return strings.Map(func(r rune) rune {
				switch {
				case r == '\r':
					return '\n'
				case r == '\n' || r == '\t':
					return r
				case isControl(r):
					return -1
				}
				return r
			}, s)
		}
		if summary != "" {
			require.Equal(t, clean(summary), unescapeText(t, values(props, "SUMMARY")[0]))
		}
		if description != "" {
			require.Equal(t, clean(description), unescapeText(t, values(props, "DESCRIPTION")[0]))
		}
	})
}
