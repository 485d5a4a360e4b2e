package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/internal/alert"
	"github.com/relais/relais/internal/api"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/channel"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/webhook"
	"github.com/relais/relais/internal/secret"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

type hookEnv struct {
	srv                  *httptest.Server
	st                   store.Store
	kr                   *secret.Keyring
	wsA                  store.Workspace
	tokA, tokB, tokViewA string
	// header is the last answer's header.
	header http.Header
}

func setupHooks(t *testing.T) *hookEnv {
	t.Helper()
	st := storetest.OpenSQLite(t)
	kr, err := secret.New("k1", map[string][]byte{"k1": bytes.Repeat([]byte{5}, 32)})
	require.NoError(t, err)
	allow := true
	svc := auth.NewService(st)
	chans := &channel.Service{Store: st, Keyring: kr, Env: network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow, Timeout: 5 * time.Second})}}
	srv := httptest.NewServer(validating(t, api.New(api.Deps{Store: st, Auth: svc, Channels: chans, BaseURL: "http://relais.test", Version: "test"})))
	t.Cleanup(srv.Close)
	e := &hookEnv{srv: srv, st: st, kr: kr}
	token := func(u store.User, ws int64) string {
		p, err := svc.Principal(ctx, u, ws)
		require.NoError(t, err)
		tok, _, err := svc.CreateToken(ctx, p, "test")
		require.NoError(t, err)
		return tok
	}
	ua, err := svc.CreateUser(ctx, "a@hooks.example", "", "a long enough password", false)
	require.NoError(t, err)
	e.wsA, err = svc.CreateWorkspace(ctx, ua, "Hooks A", "", "UTC")
	require.NoError(t, err)
	ub, err := svc.CreateUser(ctx, "b@hooks.example", "", "a long enough password", false)
	require.NoError(t, err)
	wb, err := svc.CreateWorkspace(ctx, ub, "Hooks B", "", "UTC")
	require.NoError(t, err)
	uv, err := svc.CreateUser(ctx, "v@hooks.example", "", "a long enough password", false)
	require.NoError(t, err)
	require.NoError(t, st.AddMember(ctx, e.wsA.ID, uv.ID, store.RoleViewer))
	e.tokA, e.tokB, e.tokViewA = token(ua, e.wsA.ID), token(ub, wb.ID), token(uv, e.wsA.ID)
	return e
}

func (e *hookEnv) do(t *testing.T, token, method, path, body string) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	e.header = resp.Header
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var m map[string]any
	if len(b) > 0 {
		require.NoError(t, json.Unmarshal(b, &m), string(b))
	}
	return resp.StatusCode, m
}

func TestHooksAPI(t *testing.T) {
	t.Parallel()
	e := setupHooks(t)

	// Created: the secret is shown once.
	status, created := e.do(t, e.tokA, "POST", "/api/v1/hooks", `{"url":"https://93.184.215.14/relais","description":"Ops","events":["publish_failed"]}`)
	require.Equal(t, http.StatusCreated, status, created)
	sec, _ := created["secret"].(string)
	require.Regexp(t, `^whsec_[A-Za-z0-9+/]{43}=$`, sec)
	require.Equal(t, "no-store", e.header.Get("Cache-Control"), "an answer with a secret is never cached")
	require.Equal(t, []any{"publish_failed"}, created["events"])
	require.Equal(t, true, created["enabled"])
	id := int64(created["id"].(float64))

	// Default events: all of them.
	status, all := e.do(t, e.tokA, "POST", "/api/v1/hooks", `{"url":"https://93.184.215.14/all"}`)
	require.Equal(t, http.StatusCreated, status, all)
	require.Len(t, all["events"], len(store.HookEvents))

	// Listed without any secret.
	status, list := e.do(t, e.tokA, "GET", "/api/v1/hooks", "")
	require.Equal(t, http.StatusOK, status)
	hooks := list["hooks"].([]any)
	require.Len(t, hooks, 2)
	for _, h := range hooks {
		require.NotContains(t, h, "secret")
	}
	raw, _ := json.Marshal(list)
	require.NotContains(t, string(raw), sec)

	// Refusals name the field.
	for _, tc := range []struct{ body, field, code string }{
		{`{"url":"http://127.0.0.1:9/x"}`, "url", "private_host"},
		{`{"url":"ftp://93.184.215.14/x"}`, "url", "invalid"},
		{`{"url":"https://93.184.215.14/x","events":["post.published"]}`, "events", "invalid"},
	} {
		status, body := e.do(t, e.tokA, "POST", "/api/v1/hooks", tc.body)
		require.Equal(t, http.StatusUnprocessableEntity, status, tc.body)
		errBody := body["error"].(map[string]any)
		require.Equal(t, tc.field, errBody["field"], tc.body)
		require.Equal(t, tc.code, errBody["code"], tc.body)
	}

	// Another workspace sees nothing and reaches nothing.
	status, listB := e.do(t, e.tokB, "GET", "/api/v1/hooks", "")
	require.Equal(t, http.StatusOK, status)
	require.Empty(t, listB["hooks"])
	status, _ = e.do(t, e.tokB, "DELETE", "/api/v1/hooks/"+strconv.FormatInt(id, 10), "")
	require.Equal(t, http.StatusNotFound, status)
	status, _ = e.do(t, e.tokB, "POST", "/api/v1/hooks/"+strconv.FormatInt(id, 10)+"/test", "")
	require.Equal(t, http.StatusNotFound, status)

	// A viewer may not manage hooks.
	status, _ = e.do(t, e.tokViewA, "GET", "/api/v1/hooks", "")
	require.Equal(t, http.StatusForbidden, status)
	status, _ = e.do(t, e.tokViewA, "POST", "/api/v1/hooks", `{"url":"https://93.184.215.14/v"}`)
	require.Equal(t, http.StatusForbidden, status)

	status, _ = e.do(t, e.tokA, "DELETE", "/api/v1/hooks/"+strconv.FormatInt(id, 10), "")
	require.Equal(t, http.StatusNoContent, status)
	_, err := e.st.Hook(ctx, e.wsA.ID, id)
	require.ErrorIs(t, err, store.ErrNotFound)
}

func TestHookPingAPI(t *testing.T) {
	t.Parallel()
	e := setupHooks(t)
	var mu sync.Mutex
	var got []http.Header
	var bodies [][]byte
	fail := false
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		got, bodies = append(got, r.Header.Clone()), append(bodies, b)
		if fail {
			w.WriteHeader(http.StatusGone)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer rcv.Close()
	// The API refuses a loopback URL (RELAIS_ALLOW_PRIVATE_HOSTS is unset in
	// tests), so the hook is added through the core with private hosts allowed.
	allow := true
	h, sec, err := (&alert.Webhooks{Store: e.st, Keyring: e.kr, AllowPrivate: &allow}).Create(ctx, e.wsA.ID, alert.NewHook{URL: rcv.URL})
	require.NoError(t, err)

	status, body := e.do(t, e.tokA, "POST", "/api/v1/hooks/"+strconv.FormatInt(h.ID, 10)+"/test", "")
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, true, body["ok"])
	mu.Lock()
	require.Len(t, got, 1)
	require.Equal(t, "ping", got[0].Get(webhook.HeaderEvent))
	require.NoError(t, webhook.Verify(sec, got[0], bodies[0], time.Minute, time.Now()))
	fail = true
	mu.Unlock()

	status, body = e.do(t, e.tokA, "POST", "/api/v1/hooks/"+strconv.FormatInt(h.ID, 10)+"/test", "")
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, false, body["ok"])
	require.Contains(t, body["error"], "HTTP 410")
	status, list := e.do(t, e.tokA, "GET", "/api/v1/hooks", "")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "failed", list["hooks"].([]any)[0].(map[string]any)["last_status"])
}
