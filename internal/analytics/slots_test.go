package analytics

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/calendar"
)

func TestSlotOfBucket(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		bucket int
		want   calendar.Slot
	}{
		{0, calendar.Slot{Weekday: time.Monday}},
		{24 + 10, calendar.Slot{Weekday: time.Tuesday, Hour: 10}},
		{5*24 + 23, calendar.Slot{Weekday: time.Saturday, Hour: 23}},
		{6*24 + 7, calendar.Slot{Weekday: time.Sunday, Hour: 7}},
	} {
		require.Equal(t, tc.want, SlotOfBucket(tc.bucket), "bucket %d", tc.bucket)
	}
}

func TestSuggestionFromTheModel(t *testing.T) {
	t.Parallel()
	tue10 := 24 + 10
	strong := func(b int) float64 {
		if b == tue10 {
			return 4
		}
		return 1
	}
	list := BestTimes(posts(1, "mastodon", 16, []int{9, tue10, 58, 80, 110, 130, 150}, strong, rand.New(rand.NewPCG(1, 2))), time.UTC)
	require.Len(t, list, 1)
	sg := suggestionOf(list[0], "Europe/Paris")
	require.Equal(t, "Europe/Paris", sg.Timezone)
	require.Len(t, sg.Slots, 1)
	require.Equal(t, calendar.Slot{Weekday: time.Tuesday, Hour: 10}, sg.Slots[0].Slot)
	require.Greater(t, sg.Slots[0].Lower, 100.0, "recommended: the lower bound beats the typical post")

	current := []calendar.Slot{{Weekday: time.Monday, Hour: 9}, {Weekday: time.Tuesday, Hour: 10}}
	require.Equal(t, current, sg.WithSuggested(current), "a slot already there is not added twice")
	require.Equal(t, []calendar.Slot{{Weekday: time.Monday, Hour: 9}, {Weekday: time.Tuesday, Hour: 10}},
		sg.WithSuggested(current[:1]))

	flat := BestTimes(posts(1, "mastodon", 16, []int{9, 80}, func(int) float64 { return 1 }, rand.New(rand.NewPCG(1, 2))), time.UTC)
	require.Empty(t, suggestionOf(flat[0], "UTC").Slots, "no timing effect: nothing suggested")
}
