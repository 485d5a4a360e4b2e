package feedback

import (
	"testing"
	"time"

	"github.com/relais/relais/internal/sentiment"
	"github.com/stretchr/testify/require"
)

func TestSummarize(t *testing.T) {
	t.Parallel()
	day := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.UTC) }
	s := Summarize([]Item{
		{Text: "My parcel has been stuck in the depot for 9 days", At: day(23)},
		{Text: "Fast delivery and lovely packaging", At: day(24)},
		{Text: "Where is my refund??? Still nothing after three weeks", At: day(30)},
		{Text: "Colis toujours pas arrivé, ça fait deux semaines", At: day(30)},
		{Text: "Livraison rapide, merci !", At: day(30)},
		{Text: "Obsessed with this colour 😍"},
	})
	require.Equal(t, 6, s.Total)
	require.Len(t, s.Comments, 6)
	require.Equal(t, Split{Positive: 3, Negative: 3}, s.Split)

	require.Equal(t, Delivery, s.Themes[0].Theme, "the most mentioned theme comes first")
	d := s.Themes[0]
	require.Equal(t, 4, d.Count)
	require.InDelta(t, 4.0/6, d.Share, 1e-9)
	require.Equal(t, Split{Positive: 2, Negative: 2}, d.Split)
	require.Equal(t, []Period{{Week: "2026-W48", Count: 2}, {Week: "2026-W49", Count: 2}}, d.Trend)
	require.Equal(t, 0, d.Change)
	require.Len(t, d.Examples, 3)
	require.Equal(t, sentiment.Negative, sentiment.Analyze(d.Examples[0], "").Label, "negative examples first: what to act on")

	require.Equal(t, RefundReturn, s.Themes[1].Theme)
	require.Equal(t, []Period{{Week: "2026-W49", Count: 1}}, s.Themes[1].Trend)
	require.Empty(t, s.Comments[5].Themes)
	require.Nil(t, s.Comments[5].At)

	empty := Summarize(nil)
	require.Equal(t, 0, empty.Total)
	require.NotNil(t, empty.Themes)
}
