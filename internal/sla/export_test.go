package sla

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/valid"
)

func TestParseRange(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	now := time.Date(2026, 12, 6, 23, 30, 0, 0, time.UTC) // already the 7th in Paris
	from, to, err := ParseRange("", "", paris, now)
	require.NoError(t, err)
	require.Equal(t, time.Date(2026, 11, 8, 0, 0, 0, 0, paris), from)
	require.Equal(t, time.Date(2026, 12, 8, 0, 0, 0, 0, paris), to, "today included")

	from, to, err = ParseRange("2026-11-01", "2026-11-30", time.UTC, now)
	require.NoError(t, err)
	require.Equal(t, 30*24*time.Hour, to.Sub(from))

	for _, c := range []struct{ from, to, field, code string }{
		{"2026-13-01", "", "from", "format"},
		{"", "yesterday", "to", "format"},
		{"2026-12-02", "2026-12-01", "from", "order"},
		{"2025-01-01", "2026-12-01", "to", "range"},
	} {
		_, _, err := ParseRange(c.from, c.to, time.UTC, now)
		e, ok := valid.As(err)
		require.True(t, ok, c)
		require.Equal(t, c.field, e.Field, c)
		require.Equal(t, c.code, e.Code, c)
	}
	_, _, err = ParseRange("2025-12-01", "2026-11-30", time.UTC, now)
	require.NoError(t, err, "365 days are allowed")

	p, err := ParsePeriod("")
	require.NoError(t, err)
	require.Equal(t, Week, p)
	_, err = ParsePeriod("year")
	require.Error(t, err)
}

func TestWriteCSV(t *testing.T) {
	t.Parallel()
	rep := Compute([]Record{
		rec(1, 10, t0, 10*time.Minute, 100),
		rec(2, 20, t0.Add(time.Hour), 90*time.Minute, 200),
		rec(3, 20, t0.Add(2*time.Hour), -1, 0),
	}, time.Hour, Week, nil)
	var buf bytes.Buffer
	require.NoError(t, WriteCSV(&buf, rep, Names{Channels: map[int64]string{10: "@brand", 20: "brand.bsky.social"}, Members: map[int64]string{100: "ann@x.example"}}))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Equal(t, CSVHeader, rows[0])
	require.Equal(t, []string{"total", "total", "", "3", "2", "1", "0.6667", "0.3333", "50.0", "90.0", "60"}, rows[1])
	require.Equal(t, []string{"channel", "10", "@brand", "1", "1", "1", "1.0000", "1.0000", "10.0", "10.0", "60"}, rows[2])
	require.Equal(t, []string{"channel", "20", "brand.bsky.social", "2", "1", "0", "0.5000", "0.0000", "90.0", "90.0", "60"}, rows[3])
	require.Equal(t, []string{"member", "100", "ann@x.example", "1", "1", "1", "1.0000", "1.0000", "10.0", "10.0", "60"}, rows[4])
	require.Equal(t, []string{"member", "200", "", "1", "1", "0", "1.0000", "0.0000", "90.0", "90.0", "60"}, rows[5])
	require.Equal(t, []string{"period", "2026-11-30", "", "3", "2", "1", "0.6667", "0.3333", "50.0", "90.0", "60"}, rows[6])
	require.Len(t, rows, 7)
}
