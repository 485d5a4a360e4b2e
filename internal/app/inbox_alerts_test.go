package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/alert"
	"github.com/relais/relais/internal/config"
	"github.com/relais/relais/internal/mail/mailtest"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// hookBodies records the webhook deliveries it receives.
type hookBodies struct {
	mu   sync.Mutex
	got  []map[string]any
	kind []string
}

func (h *hookBodies) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var p map[string]any
	_ = json.Unmarshal(b, &p)
	h.mu.Lock()
	h.got = append(h.got, p)
	h.kind = append(h.kind, r.Header.Get("Webhook-Event"))
	h.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (h *hookBodies) of(event string) []map[string]any {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []map[string]any
	for _, p := range h.got {
		if p["event"] == event {
			out = append(out, p)
		}
	}
	return out
}

// TestInboxWebhooksAndCrisisMail: as wired by app.Open, each message the
// inbox ingests is sent to the workspace's webhooks as message.received
// (once, with its id), and a spike of negative messages sends alert.crisis
// to the webhooks and an e-mail to the owner when SMTP is configured.
func TestInboxWebhooksAndCrisisMail(t *testing.T) {
	t.Parallel()
	smtp := mailtest.NewServer(t)
	var logs syncBuffer
	a, _ := openApp(t, config.Config{DataDir: t.TempDir(), BaseURL: "http://127.0.0.1:8080", AllowPrivateHosts: true,
		SMTPURL: "smtp://" + smtp.Addr(), SMTPFrom: "relais <relais@example.com>"}, &logs)
	ctx := context.Background()
	u := createUser(t, a)
	ws, err := a.Auth.CreateWorkspace(ctx, u, "alerts", "alerts", "UTC")
	require.NoError(t, err)
	ch := storetest.NewChannel(t, a.Store, ws.ID, "mastodon", "alerts")
	rcv := &hookBodies{}
	srv := httptest.NewServer(rcv)
	t.Cleanup(srv.Close)
	_, _, err = a.Webhooks.Create(ctx, ws.ID, alert.NewHook{URL: srv.URL, Events: []string{store.HookMessageReceived, store.HookAlertCrisis}})
	require.NoError(t, err)

	now := time.Now().UTC()
	hour := now.Truncate(time.Hour)
	var history, spike []*store.Message
	msg := func(at time.Time, text string) *store.Message {
		n := len(history) + len(spike)
		return &store.Message{WorkspaceID: ws.ID, ChannelID: ch.ID, Network: "mastodon", RemoteID: "w" + strconv.Itoa(n),
			Kind: store.KindReply, AuthorHandle: "@a" + strconv.Itoa(n), Text: text, ReceivedAt: at, CreatedAt: at}
	}
	for at := hour.Add(-8 * 7 * 24 * time.Hour); at.Before(hour); at = at.Add(6 * time.Hour) {
		history = append(history, msg(at, "slow delivery again, this is bad"))
	}
	// The history is stored as it was; the spike comes through the inbox's ingest.
	_, err = a.Store.InsertMessages(ctx, history)
	require.NoError(t, err)
	for i := range 30 {
		spike = append(spike, msg(hour.Add(now.Sub(hour)*time.Duration(i)/30), "boycott this brand, the toxic ad is a disgrace "+strconv.Itoa(i)))
	}
	n, err := a.Inbox.Ingest(ctx, spike)
	require.NoError(t, err)
	require.Equal(t, 30, n)
	dup := *spike[0]
	dup.ID = 0
	again, err := a.Inbox.Ingest(ctx, []*store.Message{&dup})
	require.NoError(t, err)
	require.Zero(t, again)

	for _, j := range a.Periodic() {
		if j.Name == "crisis_watch" {
			require.NoError(t, j.Run(ctx))
		}
	}
	require.Eventually(t, func() bool { return len(rcv.of("message.received")) == 30 && len(rcv.of("alert.crisis")) == 1 },
		20*time.Second, 20*time.Millisecond, "deliveries: %v", rcv.kind)
	ids := map[float64]bool{}
	for _, p := range rcv.of("message.received") {
		require.Equal(t, float64(ch.ID), p["channel_id"])
		require.Contains(t, p["message"], "boycott")
		ids[p["message_id"].(float64)] = true
	}
	require.Len(t, ids, 30, "one delivery per message, none doubled")
	require.Contains(t, rcv.of("alert.crisis")[0]["url"], "/workspaces/alerts/inbox/crisis")

	var mails []mailtest.Message
	require.Eventually(t, func() bool { mails = smtp.Messages(); return len(mails) > 0 }, 10*time.Second, 20*time.Millisecond)
	require.Len(t, mails, 1)
	require.Contains(t, mails[0].To, u.Email)
	require.Contains(t, mails[0].Data, "[alerts]")
	require.True(t, strings.Contains(mails[0].Body(), "boycott"), mails[0].Body())
}
