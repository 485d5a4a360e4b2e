package alert_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/alert"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/webhook"
	"github.com/relais/relais/internal/publish"
	"github.com/relais/relais/internal/secret"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/relais/relais/internal/valid"
)

var ctx = context.Background()

// delivery is one request a receiver got.
type delivery struct {
	header http.Header
	body   []byte
}

// receiver records deliveries and answers with status(n) for the n-th (from 0).
type receiver struct {
	mu     sync.Mutex
	got    []delivery
	status func(n int) int
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	n := len(r.got)
	r.got = append(r.got, delivery{header: req.Header.Clone(), body: b})
	status := r.status
	r.mu.Unlock()
	code := http.StatusNoContent
	if status != nil {
		code = status(n)
	}
	if code >= 400 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(`{"message":"receiver is down"}`))
		return
	}
	w.WriteHeader(code)
}

func (r *receiver) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivery(nil), r.got...)
}

type fixture struct {
	st  store.Store
	kr  *secret.Keyring
	wh  *alert.Webhooks
	ws  store.Workspace
	ws2 store.Workspace
}

func setup(t *testing.T) *fixture {
	t.Helper()
	st := storetest.Open(t, "sqlite")
	kr, err := secret.New("k1", map[string][]byte{"k1": bytes.Repeat([]byte{7}, 32)})
	require.NoError(t, err)
	allow := true
	u := storetest.NewUser(t, st, "alert@example.com")
	f := &fixture{st: st, kr: kr, ws: storetest.NewWorkspace(t, st, "brand-a", u.ID), ws2: storetest.NewWorkspace(t, st, "brand-b", u.ID)}
	f.wh = &alert.Webhooks{Store: st, Keyring: kr, AllowPrivate: &allow, BaseURL: "https://relais.example/",
		Client:  network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow, Timeout: 5 * time.Second}),
		Backoff: func(int) time.Duration { return time.Millisecond }}
	t.Cleanup(func() { _ = f.wh.Close() })
	return f
}

func (f *fixture) hook(t *testing.T, ws int64, url string, events ...string) (store.Hook, string) {
	t.Helper()
	h, sec, err := f.wh.Create(ctx, ws, alert.NewHook{URL: url, Events: events})
	require.NoError(t, err)
	return h, sec
}

func TestDeliverySignedWithPayload(t *testing.T) {
	t.Parallel()
	f := setup(t)
	rcv := &receiver{}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	h, sec := f.hook(t, f.ws.ID, srv.URL+"/hook")
	require.Regexp(t, `^whsec_[A-Za-z0-9+/]{43}=$`, sec, "32 random bytes in the Standard Webhooks form")
	require.NotContains(t, string(h.SecretEnc), sec, "the secret is stored sealed")

	ev := publish.Event{Kind: store.HookPublishFailed, WorkspaceID: f.ws.ID, PostID: 42, PublicationID: 7, ChannelID: 3, Network: "mastodon", Message: "Mastodon refused: too long"}
	require.NoError(t, f.wh.Notify(ctx, ev))
	require.NoError(t, f.wh.Close())

	got := rcv.deliveries()
	require.Len(t, got, 1)
	d := got[0]
	require.NoError(t, webhook.Verify(sec, d.header, d.body, time.Minute, time.Now()))
	require.ErrorIs(t, webhook.Verify(strings.Repeat("0", 64), d.header, d.body, time.Minute, time.Now()), webhook.ErrBadSignature)
	require.Equal(t, store.HookPublishFailed, d.header.Get(webhook.HeaderEvent))
	var p map[string]any
	require.NoError(t, json.Unmarshal(d.body, &p))
	require.Equal(t, d.header.Get(webhook.HeaderID), p["id"], "header and body carry the same delivery id")
	require.Equal(t, "publish_failed", p["event"])
	require.Equal(t, map[string]any{"id": float64(f.ws.ID), "slug": "brand-a"}, p["workspace"])
	require.Equal(t, float64(42), p["post_id"])
	require.Equal(t, float64(7), p["publication_id"])
	require.Equal(t, float64(3), p["channel_id"])
	require.Equal(t, "mastodon", p["network"])
	require.Equal(t, "Mastodon refused: too long", p["message"])
	require.Equal(t, "https://relais.example/posts/42", p["url"], "the post's permalink")
	_, err := time.Parse(time.RFC3339, p["created_at"].(string))
	require.NoError(t, err)

	back, err := f.st.Hook(ctx, f.ws.ID, h.ID)
	require.NoError(t, err)
	require.Equal(t, "ok", back.LastStatus)
	require.NotNil(t, back.LastAt)
	require.Empty(t, back.LastError)
}

func TestEventFiltering(t *testing.T) {
	t.Parallel()
	f := setup(t)
	type target struct {
		name   string
		ws     int64
		events []string
		off    bool
		want   []string
	}
	targets := []*target{
		{name: "all events", ws: f.ws.ID, want: []string{"publish_failed", "publish_needs_review", "channel_needs_reconnect", "post.deleted", "alert.crisis", "message.received", "message.sla_due", "mention.received", "mention.burst"}},
		{name: "failures only", ws: f.ws.ID, events: []string{"publish_failed"}, want: []string{"publish_failed"}},
		{name: "reconnect only", ws: f.ws.ID, events: []string{"channel_needs_reconnect"}, want: []string{"channel_needs_reconnect"}},
		{name: "disabled", ws: f.ws.ID, off: true},
		{name: "other workspace", ws: f.ws2.ID, events: []string{"publish_needs_review"}},
	}
	rcvs := map[*target]*receiver{}
	for _, tg := range targets {
		rcv := &receiver{}
		srv := httptest.NewServer(rcv)
		defer srv.Close()
		h, _ := f.hook(t, tg.ws, srv.URL, tg.events...)
		if tg.off {
			require.NoError(t, f.st.SetHookEnabled(ctx, tg.ws, h.ID, false))
		}
		rcvs[tg] = rcv
	}
	for _, kind := range store.HookEvents {
		require.NoError(t, f.wh.Notify(ctx, publish.Event{Kind: kind, WorkspaceID: f.ws.ID, ChannelID: 5}))
	}
	require.NoError(t, f.wh.Close())
	for _, tg := range targets {
		var kinds []string
		for _, d := range rcvs[tg].deliveries() {
			kinds = append(kinds, d.header.Get(webhook.HeaderEvent))
		}
		require.ElementsMatch(t, tg.want, kinds, tg.name)
	}
}

func TestRetriesOn5xx(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		status     func(n int) int
		wantTries  int
		wantStatus string
		wantErr    string
	}{
		{"recovers on the third attempt", func(n int) int {
			if n < 2 {
				return http.StatusServiceUnavailable
			}
			return http.StatusOK
		}, 3, "ok", ""},
		{"gives up after three attempts", func(int) int { return http.StatusBadGateway }, 3, "failed", "HTTP 502: receiver is down"},
		{"no retry on a 4xx", func(int) int { return http.StatusNotFound }, 1, "failed", "HTTP 404"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			rcv := &receiver{status: tc.status}
			srv := httptest.NewServer(rcv)
			defer srv.Close()
			h, sec := f.hook(t, f.ws.ID, srv.URL)
			require.NoError(t, f.wh.Notify(ctx, publish.Event{Kind: store.HookPublishNeedsReview, WorkspaceID: f.ws.ID, PostID: 1}))
			require.NoError(t, f.wh.Close())
			got := rcv.deliveries()
			require.Len(t, got, tc.wantTries)
			for _, d := range got {
				require.Equal(t, got[0].header.Get(webhook.HeaderID), d.header.Get(webhook.HeaderID), "one delivery id across retries")
				require.NoError(t, webhook.Verify(sec, d.header, d.body, time.Minute, time.Now()))
			}
			back, err := f.st.Hook(ctx, f.ws.ID, h.ID)
			require.NoError(t, err)
			require.Equal(t, tc.wantStatus, back.LastStatus)
			require.Contains(t, back.LastError, tc.wantErr)
		})
	}
}

func TestNotifyNeverBlocksOnAHangingReceiver(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.wh.Workers, f.wh.Queue, f.wh.DrainTimeout = 1, 2, 50*time.Millisecond
	var logs bytes.Buffer
	f.wh.Log = slog.New(slog.NewTextHandler(&logs, nil))
	release := make(chan struct{})
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	f.hook(t, f.ws.ID, srv.URL)

	// The receiver never answers until the test ends: a Notify that waited for
	// it would never return, so the loop finishing at all is the proof.
	notified := make(chan error, 1)
	go func() {
		for i := range 200 {
			if err := f.wh.Notify(ctx, publish.Event{Kind: store.HookPublishFailed, WorkspaceID: f.ws.ID, PostID: int64(i + 1)}); err != nil {
				notified <- err
				return
			}
		}
		notified <- nil
	}()
	select {
	case err := <-notified:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("Notify blocked on a hung receiver")
	}
	require.Eventually(t, func() bool { return hits.Load() == 1 }, 10*time.Second, 5*time.Millisecond)

	// Close gives up on the hung delivery after its drain timeout instead of waiting for it.
	closed := make(chan error, 1)
	go func() { closed <- f.wh.Close() }()
	select {
	case err := <-closed:
		require.Error(t, err, "Close reports the deliveries it had to cancel")
	case <-time.After(30 * time.Second):
		t.Fatal("Close waited for the hung receiver")
	}
	require.LessOrEqual(t, hits.Load(), int32(4), "the queue is bounded: the rest were dropped")
	require.Contains(t, logs.String(), "alert: webhook queue full, event dropped")
	require.Error(t, f.wh.Notify(ctx, publish.Event{Kind: store.HookPublishFailed, WorkspaceID: f.ws.ID}), "no events after Close")
}

func TestCreateValidates(t *testing.T) {
	t.Parallel()
	f := setup(t)
	deny := false
	strict := &alert.Webhooks{Store: f.st, Keyring: f.wh.Keyring, AllowPrivate: &deny}
	for _, tc := range []struct {
		name, url, code, field string
		events                 []string
		desc                   string
	}{
		{name: "loopback ip", url: "http://127.0.0.1:8080/hook", code: "private_host", field: "url"},
		{name: "private ip", url: "https://10.1.2.3/hook", code: "private_host", field: "url"},
		{name: "localhost", url: "http://localhost/hook", code: "private_host", field: "url"},
		{name: "no scheme", url: "hooks.example/x", code: "invalid", field: "url"},
		{name: "ftp", url: "ftp://hooks.example/x", code: "invalid", field: "url"},
		{name: "empty", url: " ", code: "required", field: "url"},
		{name: "credentials", url: "https://u:p@93.184.215.14/x", code: "invalid", field: "url"},
		{name: "too long", url: "https://93.184.215.14/" + strings.Repeat("a", alert.MaxURL), code: "too_long", field: "url"},
		{name: "unknown event", url: "https://93.184.215.14/x", events: []string{"post.published"}, code: "invalid", field: "events"},
		{name: "long description", url: "https://93.184.215.14/x", desc: strings.Repeat("é", alert.MaxDescription+1), code: "too_long", field: "description"},
	} {
		_, _, err := strict.Create(ctx, f.ws.ID, alert.NewHook{URL: tc.url, Events: tc.events, Description: tc.desc})
		ve, ok := valid.As(err)
		require.True(t, ok, "%s: %v", tc.name, err)
		require.Equal(t, tc.code, ve.Code, tc.name)
		require.Equal(t, tc.field, ve.Field, tc.name)
	}
	h, sec, err := strict.Create(ctx, f.ws.ID, alert.NewHook{URL: "https://93.184.215.14/x", Description: " Ops ", Events: []string{"publish_failed", "publish_failed"}})
	require.NoError(t, err)
	require.Len(t, webhook.SigningKey(sec), 32)
	require.Equal(t, "Ops", h.Description)
	require.Equal(t, []string{"publish_failed"}, h.Events)
	list, err := f.st.Hooks(ctx, f.ws.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	for range alert.MaxHooks - 1 {
		_, _, err = strict.Create(ctx, f.ws.ID, alert.NewHook{URL: "https://93.184.215.14/x"})
		require.NoError(t, err)
	}
	_, _, err = strict.Create(ctx, f.ws.ID, alert.NewHook{URL: "https://93.184.215.14/x"})
	ve, ok := valid.As(err)
	require.True(t, ok)
	require.Equal(t, "too_many", ve.Code)
}

func TestPing(t *testing.T) {
	t.Parallel()
	f := setup(t)
	rcv := &receiver{}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	h, sec := f.hook(t, f.ws.ID, srv.URL, "publish_failed")
	require.NoError(t, f.wh.Test(ctx, f.ws.ID, h.ID))
	got := rcv.deliveries()
	require.Len(t, got, 1)
	require.Equal(t, alert.EventPing, got[0].header.Get(webhook.HeaderEvent))
	require.NoError(t, webhook.Verify(sec, got[0].header, got[0].body, time.Minute, time.Now()))
	var p alert.Payload
	require.NoError(t, json.Unmarshal(got[0].body, &p))
	require.Equal(t, h.ID, p.HookID)
	require.Equal(t, "brand-a", p.Workspace.Slug)

	require.ErrorIs(t, f.wh.Test(ctx, f.ws2.ID, h.ID), store.ErrNotFound, "another workspace's hook is not found")

	rcv.mu.Lock()
	rcv.status = func(int) int { return http.StatusInternalServerError }
	rcv.mu.Unlock()
	require.Error(t, f.wh.Test(ctx, f.ws.ID, h.ID))
	require.Len(t, rcv.deliveries(), 2, "a test delivery is tried once")
	back, err := f.st.Hook(ctx, f.ws.ID, h.ID)
	require.NoError(t, err)
	require.Equal(t, "failed", back.LastStatus)
	require.Contains(t, back.LastError, "HTTP 500")
}

// TestSecretSealedBeforeStandardWebhooksStillSigns: a hook whose secret was
// sealed as 64 hex characters (before relais followed Standard Webhooks)
// signs with those bytes, so its receiver verifies with the whsec_ form of
// the same key, and the former X-Relais-Signature is unchanged.
func TestSecretSealedBeforeStandardWebhooksStillSigns(t *testing.T) {
	t.Parallel()
	f := setup(t)
	rcv := &receiver{}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	h, _ := f.hook(t, f.ws.ID, srv.URL+"/hook")
	old := strings.Repeat("5e", 32)
	enc, err := f.kr.SealJSON(old, []byte(fmt.Sprintf("hook:%d:%d", h.WorkspaceID, h.ID)))
	require.NoError(t, err)
	require.NoError(t, f.st.SetHookSecret(ctx, h.WorkspaceID, h.ID, enc))

	require.NoError(t, f.wh.Test(ctx, f.ws.ID, h.ID))
	got := rcv.deliveries()
	require.Len(t, got, 1)
	d := got[0]
	require.NoError(t, webhook.Verify(old, d.header, d.body, time.Minute, time.Now()))
	wh, err := standardwebhooks.NewWebhook(webhook.StandardSecret(old))
	require.NoError(t, err)
	require.NoError(t, wh.Verify(d.body, d.header))
	mac := hmac.New(sha256.New, []byte(old))
	mac.Write([]byte(d.header.Get(webhook.HeaderLegacyTimestamp) + "."))
	mac.Write(d.body)
	require.Equal(t, "sha256="+hex.EncodeToString(mac.Sum(nil)), d.header.Get(webhook.HeaderLegacySignature))
}
