package compose

import (
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

func TestParseImportClockForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in          string
		h, m, s     int
		wantInvalid bool
	}{
		{in: "14:05", h: 14, m: 5},
		{in: "9:05", h: 9, m: 5},
		{in: "09:30:00", h: 9, m: 30},
		{in: "23:59:59", h: 23, m: 59, s: 59},
		{in: "2:05 PM", h: 14, m: 5},
		{in: "2:05pm", h: 14, m: 5},
		{in: "12:30 AM", h: 0, m: 30},
		{in: "12:00 p.m.", h: 12},
		{in: "2 PM", h: 14},
		{in: "9h30", h: 9, m: 30},
		{in: "14h", h: 14},
		{in: "14h05", h: 14, m: 5},
		{in: "", wantInvalid: true},
		{in: "25:00", wantInvalid: true},
		{in: "9:5", wantInvalid: true},
		{in: "13:00 PM", wantInvalid: true},
		{in: "0 AM", wantInvalid: true},
		{in: "9h3", wantInvalid: true},
		{in: "+9:30", wantInvalid: true},
		{in: "9:30:00:00", wantInvalid: true},
		{in: "noon", wantInvalid: true},
	}
	for _, tc := range tests {
		h, m, s, err := parseImportClock(tc.in)
		if tc.wantInvalid {
			require.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, [3]int{tc.h, tc.m, tc.s}, [3]int{h, m, s}, tc.in)
	}
}

func TestParseImportDateForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, order string
		want      string // 2006-01-02, or "" for invalid
	}{
		{"2027-01-31", DateDMY, "2027-01-31"},
		{"2027/01/31", DateMDY, "2027-01-31"},
		{"31/01/2027", DateDMY, "2027-01-31"},
		{"01/31/2027", DateMDY, "2027-01-31"},
		{"31.01.2027", DateDMY, "2027-01-31"},
		{"31-01-2027", DateDMY, "2027-01-31"},
		{"1/2/2027", DateDMY, "2027-02-01"},
		{"1/2/2027", DateMDY, "2027-01-02"},
		{"01/31/2027", DateDMY, ""},
		{"31/01/2027", DateMDY, ""},
		{"29/02/2027", DateDMY, ""},
		{"29/02/2028", DateDMY, "2028-02-29"},
		{"2027-13-01", DateDMY, ""},
		{"31/01/27", DateDMY, ""},
		{"2027-01", DateDMY, ""},
		{"", DateDMY, ""},
	}
	for _, tc := range tests {
		got, ok := parseImportDate(tc.in, tc.order)
		if tc.want == "" {
			require.False(t, ok, "%s as %s", tc.in, tc.order)
			continue
		}
		require.True(t, ok, "%s as %s", tc.in, tc.order)
		require.Equal(t, tc.want, got.Format("2006-01-02"), "%s as %s", tc.in, tc.order)
	}
}

func TestDetectDateOrder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		values []string
		want   string
		err    string
	}{
		{"year first only", []string{"2027-01-02", "2027-03-04 09:00"}, DateDMY, ""},
		{"a day over 12 first", []string{"01/02/2027 09:00", "31/01/2027 10:00"}, DateDMY, ""},
		{"a day over 12 second", []string{"01/02/2027", "01/31/2027"}, DateMDY, ""},
		{"dots are day first", []string{"01.02.2027"}, DateDMY, ""},
		{"same day and month", []string{"05/05/2027"}, DateDMY, ""},
		{"ambiguous", []string{"01/02/2027 09:00", "2027-05-06"}, "", `"01/02/2027 09:00" could be day/month or month/day`},
		{"both orders", []string{"31/01/2027", "01/31/2027"}, "", `"31/01/2027" is day first but "01/31/2027" is month first`},
	}
	for _, tc := range tests {
		got, err := detectDateOrder(tc.values)
		if tc.err != "" {
			require.ErrorIs(t, err, ErrImportAmbiguousDate, tc.name)
			require.Contains(t, err.Error(), tc.err, tc.name)
			continue
		}
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.want, got, tc.name)
	}
}

func TestParseImportHootsuite(t *testing.T) {
	t.Parallel()
	// Hootsuite's bulk composer file has no header row: date and time,
	// message, link. The channels are chosen in the mapping step.
	us := "01/31/2027 14:30,Hello from Hootsuite,https://example.com/a\n02/01/2027 09:05,\"Second, with a comma\",\n"
	_, rep := parse(t, us, "UTC")
	require.ErrorIs(t, rep.Err, ErrImportHeader)
	require.Contains(t, rep.Err.Error(), "missing column(s) channels")

	rows, rep := ParseImportWith(strings.NewReader(us), "Europe/Paris", ImportOptions{Channels: []string{"bsky", "masto"}})
	require.True(t, rep.OK(), "%+v", rep)
	require.Equal(t, FormatHootsuite, rep.Format)
	require.Equal(t, DateMDY, rep.DateFormat)
	require.Equal(t, []ImportColumn{{"column 1", ColDateTime}, {"column 2", ColText}, {"column 3", ColLink}}, rep.Columns)
	require.Len(t, rows, 2)
	require.Equal(t, 1, rows[0].Row)
	require.Equal(t, time.Date(2027, 1, 31, 13, 30, 0, 0, time.UTC), rows[0].At)
	require.Equal(t, []string{"bsky", "masto"}, rows[0].Channels)
	require.Equal(t, "https://example.com/a", rows[0].Link)
	require.Equal(t, time.Date(2027, 2, 1, 8, 5, 0, 0, time.UTC), rows[1].At)

	// Day first, detected from 31/01; and a file that cannot tell asks.
	rows, rep = ParseImportWith(strings.NewReader("31/01/2027 14:30,A\n01/02/2027 9h30,B\n"), "UTC", ImportOptions{Channels: []string{"bsky"}})
	require.True(t, rep.OK(), "%+v", rep)
	require.Equal(t, DateDMY, rep.DateFormat)
	require.Equal(t, time.Date(2027, 2, 1, 9, 30, 0, 0, time.UTC), rows[1].At)

	ambiguous := "01/02/2027 2:05 PM,A\n03/04/2027 09:30:00,B\n"
	rows, rep = ParseImportWith(strings.NewReader(ambiguous), "UTC", ImportOptions{Channels: []string{"bsky"}})
	require.Nil(t, rows)
	require.ErrorIs(t, rep.Err, ErrImportAmbiguousDate)
	require.Equal(t, `des dates comme "01/02/2027 2:05 PM" peuvent se lire jour/mois ou mois/jour ; choisissez le format de date`, ImportErrorIn(rep.Err, "fr"))
	require.Equal(t, `dates such as "01/02/2027 2:05 PM" could be day/month or month/day; choose the date format`, ImportErrorIn(rep.Err, "en"))
	for format, want := range map[string]time.Time{DateDMY: time.Date(2027, 2, 1, 14, 5, 0, 0, time.UTC), DateMDY: time.Date(2027, 1, 2, 14, 5, 0, 0, time.UTC)} {
		rows, rep = ParseImportWith(strings.NewReader(ambiguous), "UTC", ImportOptions{Channels: []string{"bsky"}, DateFormat: format})
		require.True(t, rep.OK(), "%+v", rep)
		require.Equal(t, want, rows[0].At)
	}
	// A chosen format that a row contradicts is a row problem naming the form.
	_, rep = ParseImportWith(strings.NewReader("31/01/2027 14:30,A\n"), "UTC", ImportOptions{Channels: []string{"bsky"}, DateFormat: DateMDY})
	require.Len(t, rep.Problems, 1)
	require.Equal(t, `row 1, column "date and time": "31/01/2027" is not a date written like 01/31/2027, 2027-01-31`, rep.Problems[0].Message)
}

func TestParseImportHeaderStatesTheDateFormat(t *testing.T) {
	t.Parallel()
	// Hootsuite's template with a header row that says how dates are written.
	csv := "Date (MM/DD/YYYY HH:MM),Message,Link\n01/02/2027 09:30,Hello,https://example.com\n"
	rows, rep := ParseImportWith(strings.NewReader(csv), "UTC", ImportOptions{Channels: []string{"bsky"}})
	require.True(t, rep.OK(), "%+v", rep)
	require.Equal(t, DateMDY, rep.DateFormat)
	require.Equal(t, time.Date(2027, 1, 2, 9, 30, 0, 0, time.UTC), rows[0].At)
	rows, rep = ParseImportWith(strings.NewReader(strings.Replace(csv, "MM/DD", "DD/MM", 1)), "UTC", ImportOptions{Channels: []string{"bsky"}})
	require.True(t, rep.OK(), "%+v", rep)
	require.Equal(t, time.Date(2027, 2, 1, 9, 30, 0, 0, time.UTC), rows[0].At)
}

func TestParseImportBuffer(t *testing.T) {
	t.Parallel()
	csv := "Text,Image URL,Tags,Posting Time\n" +
		"Launch day,https://cdn.example/launch.png,\"launch,product\",2027-01-31 14:30\n" +
		"No image,,#news,2027-02-01 09:00\n"
	_, rep := parse(t, csv, "UTC")
	require.ErrorIs(t, rep.Err, ErrImportHeader, "no channels column and none chosen")

	rows, rep := ParseImportWith(strings.NewReader(csv), "UTC", ImportOptions{Channels: []string{"bsky"}})
	require.True(t, rep.OK(), "%+v", rep)
	require.Equal(t, FormatBuffer, rep.Format)
	require.Empty(t, rep.IgnoredColumns)
	require.Equal(t, []ImportColumn{{"Text", ColText}, {"Image URL", ColMedia}, {"Tags", ColTags}, {"Posting Time", ColDateTime}}, rep.Columns)
	require.Equal(t, []string{"https://cdn.example/launch.png"}, rows[0].MediaURLs)
	require.Equal(t, []store.Label{{Key: TagLabel, Value: "launch"}, {Key: TagLabel, Value: "product"}}, rows[0].Labels)
	require.Equal(t, []store.Label{{Key: TagLabel, Value: "news"}}, rows[1].Labels)
	require.Equal(t, time.Date(2027, 1, 31, 14, 30, 0, 0, time.UTC), rows[0].At)
}

func TestParseImportMapping(t *testing.T) {
	t.Parallel()
	csv := "Wann,Nachricht,Kanäle,Bild-Link,Notiz\n31.01.2027 14:30,Hallo,bsky,https://cdn.example/a.png,intern\n"
	// An unknown column that looks like media is never dropped silently.
	_, rep := parse(t, csv, "UTC")
	require.ErrorIs(t, rep.Err, ErrImportHeader)
	require.Contains(t, rep.Err.Error(), `column "Bild-Link" looks like media`)

	opts := ImportOptions{Columns: map[string]string{"Wann": ColDateTime, "Nachricht": ColText, "Kanäle": ColChannels, "Bild-Link": ColMedia}}
	rows, rep := ParseImportWith(strings.NewReader(csv), "UTC", opts)
	require.True(t, rep.OK(), "%+v", rep)
	require.Equal(t, []string{"Notiz"}, rep.IgnoredColumns)
	require.Equal(t, []string{"https://cdn.example/a.png"}, rows[0].MediaURLs)
	require.Equal(t, time.Date(2027, 1, 31, 14, 30, 0, 0, time.UTC), rows[0].At)

	// Left unchosen in the form, the media column is still refused.
	_, rep = ParseImportWith(strings.NewReader(csv), "UTC", ImportOptions{Columns: map[string]string{"Wann": ColDateTime, "Nachricht": ColText, "Kanäle": ColChannels, "Bild-Link": ""}})
	require.ErrorIs(t, rep.Err, ErrImportHeader)
	require.Equal(t, ImportColumn{Header: "Bild-Link"}, rep.Columns[3])

	opts.Columns["Bild-Link"] = ColIgnore
	rows, rep = ParseImportWith(strings.NewReader(csv), "UTC", opts)
	require.True(t, rep.OK(), "%+v", rep)
	require.Equal(t, []string{"Bild-Link", "Notiz"}, rep.IgnoredColumns)
	require.Empty(t, rows[0].MediaURLs)

	opts.Columns["Notiz"] = "notes"
	_, rep = ParseImportWith(strings.NewReader(csv), "UTC", opts)
	require.ErrorIs(t, rep.Err, ErrImportHeader)
	require.Contains(t, rep.Err.Error(), `column "Notiz" cannot be read as "notes"`)

	_, rep = ParseImportWith(strings.NewReader(csv), "UTC", ImportOptions{DateFormat: "yyyy"})
	require.ErrorIs(t, rep.Err, ErrImportHeader)
}

func TestParseImportChannelTexts(t *testing.T) {
	t.Parallel()
	csv := "date,time,channels,text,text (bsky),text (@Masto)\n" +
		"2027-01-31,14:30,bsky|@masto,Base,Short for Bluesky,For Mastodon\n" +
		"2027-01-31,14:30,bsky,Base,,Orphan\n"
	rows, rep := parse(t, csv, "UTC")
	require.Equal(t, map[string]string{"bsky": "Short for Bluesky", "@masto": "For Mastodon"}, rows[0].ChannelTexts)
	require.Equal(t, 1, rep.ValidRows)
	require.Equal(t, "channel_text_without_channel", rep.Problems[0].Code)
	require.Equal(t, "text (@Masto)", rep.Problems[0].Column)
}

func TestSafeCellCoversOWASP(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"} {
		require.Equal(t, "'"+s, SafeCell(s))
		require.Equal(t, s, unguardCell(SafeCell(s)))
	}
	for _, s := range []string{"", "hello", "'quoted", "1-2"} {
		require.Equal(t, s, SafeCell(s))
		require.Equal(t, s, unguardCell(s))
	}
}

// FuzzParseImportDateTime checks that the date and time readers never panic
// and only return dates and times that exist.
func FuzzParseImportDateTime(f *testing.F) {
	for _, s := range []string{"31/01/2027 2:05 PM", "2027-01-31T09:30:00", "01.02.2027 9h30", "1/2/2027 12 am", "0/0/0000 0h", "9999-99-99 99:99"} {
		f.Add(s, "dmy")
		f.Add(s, "mdy")
	}
	f.Fuzz(func(t *testing.T, s, order string) {
		date, clock := splitDateTime(s)
		if d, ok := parseImportDate(date, order); ok {
			require.Equal(t, d, time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC))
		}
		if h, m, sec, err := parseImportClock(clock); err == nil {
			require.True(t, h >= 0 && h < 24 && m >= 0 && m < 60 && sec >= 0 && sec < 60, "%d:%d:%d", h, m, sec)
		}
		_, err := detectDateOrder([]string{s, date})
		if err != nil {
			require.True(t, errors.Is(err, ErrImportAmbiguousDate))
		}
	})
}

// TestImportColumnsDocumented keeps the page, the docs, the sample and the
// export on the same column names.
func TestImportColumnsDocumented(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/composer.md")
	require.NoError(t, err)
	for _, c := range ImportColumns {
		require.Contains(t, string(doc), "`"+c+"`", "docs/composer.md names the column")
	}
	for _, c := range ExportHeader {
		require.True(t, c == "id" || c == "state" || slices.Contains(ImportColumns, c), c)
	}
	sample := SampleImport([]store.Channel{{ID: 1, Handle: "@alice.bsky.social"}, {ID: 2, Handle: "@alice.bsky.social"}}, "Europe/Paris", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	rows, rep := ParseImport(strings.NewReader(string(sample)), "UTC")
	require.True(t, rep.OK(), "%+v\n%s", rep, sample)
	require.Empty(t, rep.IgnoredColumns)
	require.Equal(t, []string{"1", "2"}, rows[0].Channels, "a shared handle is written as ids")
	require.Len(t, rows[0].ChannelTexts, 1)
}

// BenchmarkParseImport reads a file of the largest size allowed in rows
// (5000), in Buffer's layout with a detected date order.
func BenchmarkParseImport(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("Text,Image URL,Tags,Posting Time\n")
	for i := range MaxImportRows {
		sb.WriteString("Post number " + strconv.Itoa(i) + " with a little text,https://cdn.example/a.png,\"a,b\",31/01/2027 2:05 PM\n")
	}
	data := sb.String()
	opts := ImportOptions{Channels: []string{"bsky"}}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rows, rep := ParseImportWith(strings.NewReader(data), "Europe/Paris", opts)
		if !rep.OK() || len(rows) != MaxImportRows {
			b.Fatalf("%+v", rep.Err)
		}
	}
}
