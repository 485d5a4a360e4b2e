package feedback

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseLines(t *testing.T) {
	t.Parallel()
	items, err := ParseLines("2026-11-30\tWhere is my refund?\r\n\n  Love it  \n30/11/2026\tColis perdu\nnot a date\twith a tab\n")
	require.NoError(t, err)
	require.Len(t, items, 4)
	require.Equal(t, "Where is my refund?", items[0].Text)
	require.Equal(t, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), items[0].At)
	require.Equal(t, "Love it", items[1].Text)
	require.True(t, items[1].At.IsZero())
	require.Equal(t, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), items[2].At)
	require.Equal(t, "not a date\twith a tab", items[3].Text)

	_, err = ParseLines(strings.Repeat("ok\n", MaxComments+1))
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	require.Equal(t, "too_many", ie.Code)
	require.Equal(t, MaxComments, ie.Limit)

	_, err = ParseLines("fine\n" + strings.Repeat("a", MaxCommentRunes+1))
	require.ErrorAs(t, err, &ie)
	require.Equal(t, InputError{Line: 2, Limit: MaxCommentRunes, Code: "too_long"}, *ie)
}

func TestWriteCSV(t *testing.T) {
	t.Parallel()
	s := Summarize([]Item{{Text: "=HYPERLINK(\"x\") where is my refund?", At: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}, {Text: "Love it"}})
	var b bytes.Buffer
	require.NoError(t, WriteCSV(&b, s.Comments))
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	require.Equal(t, "text,date,lang,sentiment,compound,themes", lines[0])
	require.True(t, strings.HasPrefix(lines[1], `"'=HYPERLINK(""x"") where is my refund?",2026-11-30,en,negative,`), lines[1])
	require.True(t, strings.HasSuffix(lines[1], ",refund_return"), lines[1])
	require.True(t, strings.HasPrefix(lines[2], "Love it,,en,positive,"), lines[2])
}

func FuzzParseLines(f *testing.F) {
	for _, s := range []string{"2026-11-30\tx", "\t\t", "02.01.2006\t", "\r\n\r\n", "a\tb\tc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		items, err := ParseLines(s)
		if err != nil {
			return
		}
		for _, it := range items {
			require.NotEmpty(t, it.Text)
			require.NotContains(t, it.Text, "\n")
		}
	})
}
