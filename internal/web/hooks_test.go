package web

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/alert"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/webhook"
	"github.com/relais/relais/internal/store"
)

var newHookSecret = regexp.MustCompile(`id="new-hook-secret" readonly value="(whsec_[^"]+)"`)

func TestHooksAddListTestRemove(t *testing.T) {
	t.Parallel()
	b := setup(t)
	allow := true
	b.chans.Env.HTTP = network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow, Timeout: 5 * time.Second})
	br := b.browser(t)
	u := br.signIn("ops@example.com")
	ws := b.workspace(t, u, "Brand", "brand")
	b.workspace(t, u, "Other", "other")
	ctx := context.Background()

	res := br.get("/workspaces/brand/settings")
	require.Contains(t, res.Body, `href="/workspaces/brand/hooks"`)
	res = br.get("/workspaces/brand/hooks")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "No notification webhook yet.")
	assertNoInlineCode(t, res.Body)

	// Refusals name the field and keep the input.
	res = br.post("/workspaces/brand/hooks", form("url", "ftp://93.184.215.14/x", "description", "Ops"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "URL must be an http:// or https:// address")
	require.Contains(t, res.Body, `value="Ops"`)
	if !network.AllowPrivateHosts() {
		res = br.post("/workspaces/brand/hooks", form("url", "http://127.0.0.1:9/x"))
		require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
		require.Contains(t, res.Body, "private or loopback")
	}

	// Added: the secret is shown once.
	res = br.post("/workspaces/brand/hooks", form("url", "https://93.184.215.14/relais", "description", "Ops room", "events", "publish_failed"))
	require.Equal(t, http.StatusOK, res.StatusCode)
	m := newHookSecret.FindStringSubmatch(res.Body)
	require.NotNil(t, m, res.Body)
	require.Regexp(t, `^whsec_[A-Za-z0-9+/]{43}=$`, html.UnescapeString(m[1]))
	list, err := b.st.Hooks(ctx, ws.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, []string{"publish_failed"}, list[0].Events)
	res = br.get("/workspaces/brand/hooks")
	require.Contains(t, res.Body, "https://93.184.215.14/relais")
	require.Contains(t, res.Body, "Publication failed")
	require.NotContains(t, res.Body, m[1], "the secret is shown once")
	res = br.get("/workspaces/other/hooks")
	require.NotContains(t, res.Body, "93.184.215.14", "hooks belong to one workspace")
	br.lang = "fr"
	res = br.get("/workspaces/brand/hooks")
	require.Contains(t, res.Body, "Webhooks de notification")
	br.lang = ""

	// Send test: a signed ping reaches the receiver; the outcome is listed.
	var pings atomic.Int32
	var secret atomic.Value
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		sec, _ := secret.Load().(string)
		if r.Header.Get(webhook.HeaderEvent) == "ping" && webhook.Verify(sec, r.Header, body, time.Minute, time.Now()) == nil {
			pings.Add(1)
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer rcv.Close()
	// The page refuses loopback URLs unless RELAIS_ALLOW_PRIVATE_HOSTS is set,
	// so the receiver's hook is added through the core with private hosts allowed.
	h, sec, err := (&alert.Webhooks{Store: b.st, Keyring: b.chans.Keyring, AllowPrivate: &allow}).Create(ctx, ws.ID, alert.NewHook{URL: rcv.URL})
	require.NoError(t, err)
	secret.Store(sec)
	id := strconv.FormatInt(h.ID, 10)
	res = br.post("/workspaces/other/hooks/"+id+"/test", nil)
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	res = br.post("/workspaces/brand/hooks/"+id+"/test", nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Equal(t, "/workspaces/brand/hooks", res.Header.Get("Location"))
	require.Equal(t, int32(1), pings.Load(), "one signed ping, not retried")
	got, err := b.st.Hook(ctx, ws.ID, h.ID)
	require.NoError(t, err)
	require.Equal(t, "failed", got.LastStatus)
	require.Contains(t, got.LastError, "HTTP 503")
	res = br.get("/workspaces/brand/hooks")
	require.Contains(t, res.Body, "The test was not delivered")
	require.Contains(t, res.Body, "HTTP 503")

	// Another role cannot manage hooks.
	editor := b.browser(t)
	eu := editor.signIn("editor@example.com")
	require.NoError(t, b.st.AddMember(ctx, ws.ID, eu.ID, store.RoleEditor))
	require.Equal(t, http.StatusNotFound, editor.get("/workspaces/brand/hooks").StatusCode)
	require.Equal(t, http.StatusNotFound, editor.post("/workspaces/brand/hooks/"+id+"/remove", nil).StatusCode)

	// Remove.
	res = br.post("/workspaces/other/hooks/"+id+"/remove", nil)
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	res = br.post("/workspaces/brand/hooks/"+id+"/remove", nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	_, err = b.st.Hook(ctx, ws.ID, h.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
}
