package app_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

// TestCrisisWatchReadsTheInbox: the crisis_watch job, over the inbox's own
// messages, alerts in the app when the hour's negative messages spike
// against eight weeks of quiet history, and once only.
func TestCrisisWatchReadsTheInbox(t *testing.T) {
	t.Parallel()
	a, u, ws, ch := inboxApp(t, "spike")
	ctx := context.Background()
	now := time.Now().UTC()
	hour := now.Truncate(time.Hour)
	var ms []*store.Message
	add := func(at time.Time, text string) {
		ms = append(ms, &store.Message{WorkspaceID: ws.ID, ChannelID: ch.ID, Network: "mastodon", RemoteID: "m" + strconv.Itoa(len(ms)),
			Kind: store.KindReply, AuthorHandle: "@a" + strconv.Itoa(len(ms)), Text: text, Sentiment: "negative", ReceivedAt: at})
	}
	// One complaint every six hours for eight weeks, then thirty about a boycott this hour.
	for at := hour.Add(-8 * 7 * 24 * time.Hour); at.Before(hour); at = at.Add(6 * time.Hour) {
		add(at, "slow delivery again")
	}
	for i := range 30 {
		add(hour.Add(now.Sub(hour)*time.Duration(i)/30), "boycott this brand, the toxic ad is a disgrace "+strconv.Itoa(i))
	}
	_, err := a.Store.InsertMessages(ctx, ms)
	require.NoError(t, err)

	run := func() {
		for _, j := range a.Periodic() {
			if j.Name == "crisis_watch" {
				require.NoError(t, j.Run(ctx))
				return
			}
		}
		t.Fatal("no crisis_watch job: the crisis source is not wired")
	}
	run()
	run()
	notes, err := a.Store.Notifications(ctx, ws.ID, u.ID, 10)
	require.NoError(t, err)
	var crises []store.Notification
	for _, n := range notes {
		if n.Kind == store.HookAlertCrisis {
			crises = append(crises, n)
		}
	}
	require.Len(t, crises, 1, "one alert for the hour")
	require.Equal(t, "/workspaces/spike/inbox/crisis", crises[0].Link)
	require.Contains(t, crises[0].Message, "boycott")
}
