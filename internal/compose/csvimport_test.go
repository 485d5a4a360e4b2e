package compose

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // time zone tests must not depend on the machine's zoneinfo

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
)

func parse(t *testing.T, csv, tz string) ([]ImportRow, Report) {
	t.Helper()
	return ParseImport(strings.NewReader(csv), tz)
}

func TestParseImportValid(t *testing.T) {
	t.Parallel()
	csv := "\xEF\xBB\xBFText,DATE,Time,Channels,Time Zone,Media URL,Link,Labels,Notes\r\n" +
		"\"Hello, world\",2026-06-01,09:30,bsky|masto,,https://cdn.example/a.jpg,https://example.com,campaign=spring;lang=en,ignored\r\n" +
		"\"Two\nlines\",2026-01-15,18:00, ig ; x ;ig,America/New_York,,,,\r\n" +
		",,,,,,,,\r\n" +
		"Media only,2026-10-25,02:30,bsky,Europe/Paris,https://cdn.example/v.mp4 https://cdn.example/b.png,,,\r\n"
	rows, rep := parse(t, csv, "Europe/Paris")
	require.NoError(t, rep.Err)
	require.True(t, rep.OK(), "%v", rep.Problems)
	require.Equal(t, ",", rep.Delimiter)
	require.Equal(t, []string{"Notes"}, rep.IgnoredColumns)
	require.Equal(t, 3, rep.Rows)
	require.Len(t, rows, 3)

	r := rows[0]
	require.Equal(t, 2, r.Row)
	require.Equal(t, time.Date(2026, 6, 1, 7, 30, 0, 0, time.UTC), r.At) // CEST is UTC+2
	require.Equal(t, "Europe/Paris", r.TimeZone)
	require.Equal(t, []string{"bsky", "masto"}, r.Channels)
	require.Equal(t, "Hello, world", r.Text)
	require.Equal(t, []string{"https://cdn.example/a.jpg"}, r.MediaURLs)
	require.Equal(t, "https://example.com", r.Link)
	require.Equal(t, []store.Label{{Key: "campaign", Value: "spring"}, {Key: "lang", Value: "en"}}, r.Labels)

	r = rows[1]
	require.Equal(t, 3, r.Row)
	require.Equal(t, time.Date(2026, 1, 15, 23, 0, 0, 0, time.UTC), r.At) // EST is UTC-5
	require.Equal(t, []string{"ig", "x"}, r.Channels)
	require.Equal(t, "Two\nlines", r.Text)

	// Row 4 is blank and skipped; row 5 is in the repeated fall-back hour:
	// its first occurrence, 02:30 CEST.
	r = rows[2]
	require.Equal(t, 5, r.Row)
	require.Equal(t, time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), r.At)
	require.Len(t, r.MediaURLs, 2)
}

func TestParseImportSemicolons(t *testing.T) {
	t.Parallel()
	csv := "date;time;channels;text;labels\n2026-06-01;9:05;\"a;b\";\"Text; with semicolons\";\"k=v;flag\"\n"
	rows, rep := parse(t, csv, "UTC")
	require.True(t, rep.OK(), "%v", rep.Problems)
	require.Equal(t, ";", rep.Delimiter)
	require.Equal(t, time.Date(2026, 6, 1, 9, 5, 0, 0, time.UTC), rows[0].At)
	require.Equal(t, []string{"a", "b"}, rows[0].Channels)
	require.Equal(t, "Text; with semicolons", rows[0].Text)
	require.Equal(t, []store.Label{{Key: "k", Value: "v"}, {Key: "flag"}}, rows[0].Labels)
}

func TestParseImportRowProblems(t *testing.T) {
	t.Parallel()
	csv := "date,time,time zone,channels,text,media url,link,labels\n" +
		"2026-02-30,09:00,,a,ok,,,\n" +
		"2026-06-01,25:00,,a,ok,,,\n" +
		"2026-06-01,09:00,Europe/Pariss,a,ok,,,\n" +
		"2026-06-01,09:00,,,ok,,,\n" +
		"2026-06-01,09:00,,a,,,,\n" +
		"2026-06-01,09:00,,a,ok,ftp://x/y.png,notaurl,=v\n" +
		"2026-03-29,02:30,Europe/Paris,a,ok,,,\n" +
		"2026-06-01,09:00,,a,ok,,,,extra\n" +
		"2026-06-01,09:00,,a,fine,,,k=1;k=2\n" +
		"2026-06-01,09:00,,a,valid,,,\n"
	rows, rep := parse(t, csv, "Europe/Paris")
	require.NoError(t, rep.Err)
	require.Equal(t, 10, rep.Rows)
	require.Equal(t, 1, rep.ValidRows)
	require.False(t, rep.OK())
	type want struct {
		row          int
		column, code string
	}
	var got []want
	for _, p := range rep.Problems {
		got = append(got, want{p.Row, p.Column, p.Code})
		require.True(t, strings.HasPrefix(p.Message, "row "), p.Message)
		if p.Column != "" {
			require.Contains(t, p.Message, `column "`+p.Column+`"`)
		}
	}
	require.Equal(t, []want{
		{2, "date", "invalid_date"},
		{3, "time", "invalid_time"},
		{4, "time zone", "invalid_time_zone"},
		{5, "channels", "channels_required"},
		{6, "text", "post_empty"},
		{7, "media url", "invalid_media_url"},
		{7, "link", "invalid_link"},
		{7, "labels", "invalid_label"},
		{8, "time", "time_in_dst_gap"},
		{9, "", "too_many_columns"},
		{10, "labels", "duplicate_label"},
	}, got)
	require.True(t, rows[9].Valid())
	require.Equal(t, `row 8, column "time": 02:30 does not exist on 2026-03-29 in Europe/Paris (the clocks skip forward); choose another time`, rep.Problems[8].Message)

	require.Equal(t, `Zeile 8, Spalte "time": 02:30 gibt es am 2026-03-29 in Europe/Paris nicht (Zeitumstellung); wähle eine andere Uhrzeit`,
		ImportMessageIn(rep.Problems[8], "de-AT"))
	require.Equal(t, `ligne 9 : la ligne a 9 colonnes mais l'en-tête en a 8`, ImportMessageIn(rep.Problems[9], "fr"))
	for _, p := range rep.Problems {
		require.Equal(t, p.Message, ImportMessageIn(p, "en"))
		for _, lang := range []string{"fr", "de"} {
			msg := ImportMessageIn(p, lang)
			require.NotEqual(t, p.Message, msg)
			require.NotContains(t, msg, "{")
		}
	}
	for code, byLang := range importMessages {
		require.Len(t, byLang, 3, code)
	}

	_, err := Accept(rows, rep, false)
	require.ErrorIs(t, err, ErrImportHasErrors)
	valid, err := Accept(rows, rep, true)
	require.NoError(t, err)
	require.Len(t, valid, 1)
	require.Equal(t, "valid", valid[0].Text)
}

func TestParseImportFileErrors(t *testing.T) {
	t.Parallel()
	header := "date,time,channels,text\n"
	row := "2026-06-01,09:00,a,hello\n"
	tests := []struct {
		name string
		data string
		want error
		msg  string
	}{
		{"missing columns", "time,text\n" + row, ErrImportHeader, "missing column(s) date, channels"},
		{"duplicate column", "date,time,channels,text,Text\n", ErrImportHeader, `"text" appears twice`},
		{"empty file", "", ErrImportHeader, "first row must name the columns"},
		{"not utf-8", header + "2026-06-01,09:00,a,caf\xe9\n", ErrImportEncoding, "CSV UTF-8"},
		{"too many rows", header + strings.Repeat(row, MaxImportRows+1), ErrImportTooMany, "5000 rows"},
		{"too large", header + "2026-06-01,09:00,a," + strings.Repeat("x", MaxImportBytes) + "\n", ErrImportTooLarge, "10 MB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rows, rep := parse(t, tc.data, "UTC")
			require.Nil(t, rows)
			require.True(t, errors.Is(rep.Err, tc.want), "%v", rep.Err)
			require.Contains(t, rep.Err.Error(), tc.msg)
			_, err := Accept(rows, rep, true)
			require.Error(t, err)
		})
	}
	rows, rep := parse(t, header+strings.Repeat(row, MaxImportRows), "UTC")
	require.True(t, rep.OK())
	require.Len(t, rows, MaxImportRows)
}

func TestCheckRows(t *testing.T) {
	t.Parallel()
	csv := "date,time,channels,text,media url\n" +
		"2026-06-01,09:00,bsky|ig," + strings.Repeat("a", 312) + ",\n" +
		"2026-06-01,09:00,ghost,hi,\n" +
		"2020-01-01,09:00,bsky,old,\n" +
		"2026-06-01,09:00,yt,video,https://cdn.example/clip.MP4?sig=1\n"
	rows, rep := parse(t, csv, "UTC")
	require.True(t, rep.OK())
	channels := map[string]network.Kind{"bsky": network.Bluesky, "ig": network.Instagram, "yt": network.YouTube}
	rep = CheckRows(rows, rep, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), func(ch string) (network.Limits, bool) {
		k, ok := channels[ch]
		if !ok {
			return network.Limits{}, false
		}
		return network.LimitsFor(k)
	})
	require.Equal(t, 1, rep.ValidRows)
	require.True(t, rows[3].Valid(), "%v", rows[3].Problems)
	require.Len(t, rep.Problems, 4)
	first := rep.Problems[0]
	require.NotNil(t, first.Problem)
	require.Equal(t, int64(312), first.Problem.Value)
	first.Problem = nil
	require.Equal(t, ImportProblem{Row: 2, Column: "text", Channel: "bsky", Code: CodeTextTooLong, Limit: 300,
		Message: `row 2, column "text": channel "bsky": Bluesky allows 300 characters; this variant has 312`}, first)
	require.Equal(t, `ligne 2, colonne "text" : canal "bsky" : Bluesky autorise 300 caractères ; cette variante en compte 312`,
		ImportMessageIn(rep.Problems[0], "fr"))
	require.Equal(t, "ig", rep.Problems[1].Channel)
	require.Equal(t, CodeMediaRequired, rep.Problems[1].Code)
	require.Equal(t, "unknown_channel", rep.Problems[2].Code)
	require.Equal(t, 3, rep.Problems[2].Row)
	require.Equal(t, "in_the_past", rep.Problems[3].Code)
	require.Equal(t, 4, rep.Problems[3].Row)
}

// FuzzParseImport checks that no input panics the parser and that the report
// agrees with the rows.
func FuzzParseImport(f *testing.F) {
	f.Add([]byte("date,time,channels,text\n2026-06-01,09:00,a,hello\n"))
	f.Add([]byte("\xEF\xBB\xBFdate;time;time zone;channels;text;labels\n2026-03-29;02:30;Europe/Paris;a|b;\"x;y\";k=v;=\n"))
	f.Add([]byte("date,time,channels,text,media url,link\n\"unterminated,09:00,a,b\n2026-13-01,9:61,,,ftp://x,y\n"))
	f.Add([]byte("Text,Date\n"))
	f.Add([]byte("01/31/2027 14:30,Hello,https://example.com\n02/01/2027 2:05 PM,Two,\n"))
	f.Add([]byte("Text,Image URL,Tags,Posting Time\nHi,https://x/a.png,\"a,b\",2027-01-31 9h30\n"))
	f.Add([]byte("id,state,date,time,channels,text,text (@a)\n1,scheduled,2027-01-31,09:00,@a,'=x,'-y\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := ImportOptions{}
		if len(data) > 0 {
			opts.DateFormat = DateFormats[int(data[0])%len(DateFormats)]
			if data[0]&4 != 0 {
				opts.Channels = []string{"bsky"}
			}
		}
		rows, rep := ParseImportWith(bytes.NewReader(data), "Europe/Paris", opts)
		if rep.Err != nil {
			require.Nil(t, rows)
			return
		}
		require.Equal(t, len(rows), rep.Rows)
		valid, problems := 0, 0
		for i, r := range rows {
			if i > 0 {
				require.Greater(t, r.Row, rows[i-1].Row)
			}
			problems += len(r.Problems)
			for _, p := range r.Problems {
				require.Equal(t, r.Row, p.Row)
				require.NotEmpty(t, p.Message)
			}
			if r.Valid() {
				valid++
				require.True(t, !r.At.IsZero() || rep.Format == FormatRelais, "only relais's own drafts come without a time")
				require.Equal(t, time.UTC, r.At.Location())
				require.NotEmpty(t, r.Channels)
			}
		}
		require.Equal(t, valid, rep.ValidRows)
		require.Len(t, rep.Problems, problems)
	})
}

// TestParseImportRefusesNUL refuses a cell holding a NUL character (U+0000),
// naming its column, in every language: PostgreSQL cannot store it.
func TestParseImportRefusesNUL(t *testing.T) {
	t.Parallel()
	csv := "date,time,channels,text,labels\n" +
		"2026-06-01,09:00,a,hello\x00world,\n" +
		"2026-06-01,09:00,a,fine,theme=sp\x00ring\n" +
		"2026-06-01,09:00,a,valid,\n"
	rows, rep := parse(t, csv, "Europe/Paris")
	require.NoError(t, rep.Err)
	require.Equal(t, 1, rep.ValidRows)
	require.False(t, rows[0].Valid())
	require.Len(t, rep.Problems, 2)
	require.Equal(t, "text", rep.Problems[0].Column)
	require.Equal(t, "nul_character", rep.Problems[0].Code)
	require.Equal(t, `row 2, column "text": the cell contains a NUL character (U+0000), which cannot be stored; remove it`, rep.Problems[0].Message)
	require.Equal(t, "labels", rep.Problems[1].Column)
	require.Contains(t, ImportMessageIn(rep.Problems[1], "fr"), "caractère NUL")
	require.Contains(t, ImportMessageIn(rep.Problems[1], "de"), "NUL-Zeichen")
}
