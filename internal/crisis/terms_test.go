package crisis

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSpikingTerms(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 6, 14, 0, 0, 0, time.UTC)
	var base, win []Message
	for i := range 300 { // a week of ordinary complaints
		base = append(base, Message{ID: int64(i), Text: fmt.Sprintf("my delivery is late again, order %d", i%7)})
	}
	base = append(base, Message{Text: "boycott this brand"}) // once in a week
	for i := range 12 {
		win = append(win, Message{ID: int64(1000 + i), ReceivedAt: at.Add(time.Duration(i) * time.Minute), Text: "Der Rückruf-Skandal ist schlimm"})
	}
	for i := range 10 {
		win = append(win, Message{ID: int64(1500 + i), ReceivedAt: at.Add(time.Duration(i) * time.Minute), Text: "#Boycott und tschüss"})
	}
	for i := range 6 {
		win = append(win, Message{ID: int64(2000 + i), ReceivedAt: at.Add(time.Duration(i) * time.Minute), Text: "my delivery is late"})
	}
	got := SpikingTerms(win, base, 1, 168, 5)
	var names []string
	for _, tt := range got {
		names = append(names, tt.Term)
		require.Less(t, tt.P, TermAlpha)
		require.GreaterOrEqual(t, tt.Count, MinTermCount)
	}
	require.Contains(t, names, "boycott")
	require.Contains(t, names, "ruckruf skandal", "bigrams of the spike, accents folded")
	require.NotContains(t, names, "ruckruf", "a word only seen in a reported bigram is left out")
	require.NotContains(t, names, "delivery", "6 in the hour where 300 a week (1.8 an hour) is usual: not significant")
	require.Equal(t, "ruckruf skandal", got[0].Term, "the rarest in the baseline first")
	require.LessOrEqual(t, len(got), 5)
	for _, tt := range got {
		require.NotContains(t, []string{"der", "ist", "ein", "my", "is"}, tt.Term, "stop words never count")
	}

	ex := Examples(win, got, 3)
	require.Len(t, ex, 3)
	require.Equal(t, int64(1000), ex[0].ID, "the earliest message with the spiking terms first")
	require.Empty(t, SpikingTerms(win, base, 0, 168, 5))

	groups := Groups(win, got, 2)
	require.Equal(t, "ruckruf skandal", groups[0].Term)
	require.Equal(t, 12, groups[0].Count)
	require.Len(t, groups[0].Messages, 2, "at most perGroup shown")
	last := groups[len(groups)-1]
	require.Empty(t, last.Term, "messages without a spiking term come last")
	require.Equal(t, 6, last.Count)
	total := 0
	for _, g := range groups {
		total += g.Count
	}
	require.Equal(t, len(win), total, "every message is in one group")
	require.Empty(t, Examples(nil, got, 3))
}
