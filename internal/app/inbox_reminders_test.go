package app_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/alert"
	"github.com/relais/relais/internal/app"
	"github.com/relais/relais/internal/store"
)

// TestSLARemindersOnce: a message nearing or past the workspace's
// first-response target unanswered is reminded once, in the app; answered,
// closed and fresh messages are not.
func TestSLARemindersOnce(t *testing.T) {
	t.Parallel()
	a, u, ws, ch := inboxApp(t, "late")
	ctx := context.Background()
	_, err := a.Moderation.SaveSettings(ctx, ws.ID, store.RoleOwner, 60, true)
	require.NoError(t, err)
	rcv := &hookBodies{}
	srv := httptest.NewServer(rcv)
	t.Cleanup(srv.Close)
	_, _, err = a.Webhooks.Create(ctx, ws.ID, alert.NewHook{URL: srv.URL, Events: []string{store.HookMessageSLADue}})
	require.NoError(t, err)
	now := time.Now().UTC()
	msg := func(remote string, age time.Duration, state store.MessageState) *store.Message {
		return &store.Message{WorkspaceID: ws.ID, ChannelID: ch.ID, Network: "mastodon", RemoteID: remote, Kind: store.KindReply,
			AuthorHandle: "@" + remote, Text: "Hello?", State: state, ReceivedAt: now.Add(-age)}
	}
	overdue, near, fresh, closed := msg("overdue", 2*time.Hour, ""), msg("near", 55*time.Minute, ""), msg("fresh", 5*time.Minute, ""), msg("closed", 3*time.Hour, store.MessageClosed)
	_, err = a.Store.InsertMessages(ctx, []*store.Message{overdue, near, fresh, closed})
	require.NoError(t, err)

	n, err := a.SendSLAReminders(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, n, "the overdue and the nearly due message")
	n, err = a.SendSLAReminders(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "once per conversation")

	notes, err := a.Store.Notifications(ctx, ws.ID, u.ID, 10)
	require.NoError(t, err)
	var links []string
	for _, x := range notes {
		require.Equal(t, app.ReminderKind, x.Kind)
		links = append(links, x.Link)
	}
	require.ElementsMatch(t, []string{"/workspaces/late/inbox/" + itoa(overdue.ID), "/workspaces/late/inbox/" + itoa(near.ID)}, links)
	m, err := a.Store.Message(ctx, ws.ID, overdue.ID)
	require.NoError(t, err)
	require.Contains(t, m.Labels, app.LabelReminded)

	// The message.sla_due webhook: once per reminded message.
	require.NoError(t, a.Webhooks.Close()) // waits for the queued deliveries
	got := rcv.of(store.HookMessageSLADue)
	require.Len(t, got, 2)
	var ids []int64
	for _, p := range got {
		ids = append(ids, int64(p["message_id"].(float64)))
		require.Equal(t, float64(ch.ID), p["channel_id"])
		require.Contains(t, p["message"], "waits for an answer")
	}
	require.ElementsMatch(t, []int64{overdue.ID, near.ID}, ids)
}
