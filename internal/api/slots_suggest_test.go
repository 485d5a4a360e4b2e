package api_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store/storetest"
)

// The best-time model's recommendation for a channel, and adding it to the
// channel's slots, through the API; another workspace's token gets 404.
func TestSuggestedSlots(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	ch := storetest.NewChannel(t, e.st, e.wsA.ID, "mastodon", "best-masto")
	chID := idStr(ch.ID)
	type suggestion struct {
		Posts    int    `json:"posts"`
		Timezone string `json:"timezone"`
		Slots    []struct {
			Weekday time.Weekday `json:"weekday"`
			Hour    int          `json:"hour"`
			Index   float64      `json:"index"`
			Lower   float64      `json:"lower"`
		} `json:"slots"`
	}
	var sg suggestion
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/channels/"+chID+"/slots/suggested", "", "", &sg))
	require.Zero(t, sg.Posts)
	require.Empty(t, sg.Slots)

	const js = "application/json"
	require.Equal(t, 200, send(t, e, e.tokA, "PUT", "/channels/"+chID+"/slots", js, `{"spec":"Mon 09:00","timezone":"America/New_York"}`, nil))
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	storetest.SeedTimingEffect(t, e.st, e.wsA.ID, ch, ny, time.Tuesday, 16, 12)

	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/channels/"+chID+"/slots/suggested", "", "", &sg))
	require.Equal(t, 84, sg.Posts)
	require.Equal(t, "America/New_York", sg.Timezone, "the model is fitted in the zone of the channel's slots")
	require.Len(t, sg.Slots, 1)
	require.Equal(t, time.Tuesday, sg.Slots[0].Weekday)
	require.Equal(t, 16, sg.Slots[0].Hour)
	require.Greater(t, sg.Slots[0].Lower, 100.0)

	var slots struct {
		Spec     string `json:"spec"`
		Timezone string `json:"timezone"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/channels/"+chID+"/slots/suggested", "", "", &slots))
	require.Equal(t, "Mon 09:00; Tue 16:00", slots.Spec)
	require.Equal(t, "America/New_York", slots.Timezone)
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/channels/"+chID+"/slots/suggested", "", "", &slots))
	require.Equal(t, "Mon 09:00; Tue 16:00", slots.Spec, "adding again changes nothing")

	require.Equal(t, 404, send(t, e, e.tokB, "GET", "/channels/"+chID+"/slots/suggested", "", "", nil))
	require.Equal(t, 404, send(t, e, e.tokB, "POST", "/channels/"+chID+"/slots/suggested", "", "", nil))
}
