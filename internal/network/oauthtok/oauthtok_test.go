package oauthtok_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/oauthtok"
	"github.com/relais/relais/internal/network/oauthtok/fakeauth"
)

// server is a fakeauth token endpoint and one protected route.
func server(t *testing.T) (*fakeauth.Base, *httptest.Server) {
	b := fakeauth.NewBase(fakeauth.Config{ClientID: "c", ClientSecret: "s", SecretInForm: true}, "u1")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := fakeauth.ReadAll(r)
		b.Record(r, r.URL.Path, body)
		if r.URL.Path == "/token" {
			b.Token(w, r, body)
			return
		}
		if _, ok := b.Bearer(r); !ok {
			fakeauth.OAuthError(w, 401, "invalid_token", "expired")
			return
		}
		fakeauth.WriteJSON(w, 200, map[string]string{"ok": "yes"})
	}))
	t.Cleanup(srv.Close)
	return b, srv
}

func apiFor(b *fakeauth.Base, srv *httptest.Server, env network.Env) *oauthtok.API {
	access, refresh := b.Tokens()
	e := oauthtok.Endpoint{Network: "fake", URL: srv.URL + "/token", ClientID: "c", ClientSecret: "s", InForm: true}
	return &oauthtok.API{Network: "fake", Base: srv.URL, HC: srv.Client(), Now: time.Now, Scheme: "Bearer",
		Tok: oauthtok.New(e, env, map[string]string{network.SecretAccess: access, network.SecretRefresh: refresh}),
		Error: func(status int, _ http.Header, body []byte, _ time.Time) *network.Error {
			return &network.Error{Network: "fake", Status: status, Class: map[int]network.Class{401: network.AuthRefresh}[status], Message: oauthtok.ErrorMessage(body, status)}
		}}
}

// TestConcurrentCallersRenewOnce: ten calls that find the token expired
// renew it once (a rotated refresh token works once) and all succeed; the
// new pair is saved once.
func TestConcurrentCallersRenewOnce(t *testing.T) {
	b, srv := server(t)
	var mu sync.Mutex
	saves := 0
	a := apiFor(b, srv, network.Env{HTTP: srv.Client(), SaveSecrets: func(context.Context, map[string]string) error {
		mu.Lock()
		saves++
		mu.Unlock()
		return nil
	}})
	b.Expire()
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out map[string]string
			errs <- a.Do(context.Background(), oauthtok.Request{Method: http.MethodGet, Path: "/thing"}, &out)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := b.Count("POST /token"); n != 1 || saves != 1 {
		t.Fatalf("token calls %d, saves %d; want 1 and 1", n, saves)
	}
}

// TestRefreshLockedAdoptsAnotherInstancesPair: when another instance
// already stored a new pair, the holder adopts it instead of renewing.
func TestRefreshLockedAdoptsAnotherInstancesPair(t *testing.T) {
	b, srv := server(t)
	other := apiFor(b, srv, network.Env{HTTP: srv.Client()})
	b.Expire()
	if err := other.Tok.Renew(context.Background(), func() string { s, _, _ := other.Tok.Current(); return s }()); err != nil {
		t.Fatal(err)
	}
	stored := other.Tok.Secrets()
	a := apiFor(b, srv, network.Env{HTTP: srv.Client(), RefreshLocked: func(ctx context.Context, fn func(map[string]string) (map[string]string, error)) error {
		_, err := fn(stored)
		return err
	}})
	if err := a.Do(context.Background(), oauthtok.Request{Method: http.MethodGet, Path: "/thing"}, nil); err != nil {
		t.Fatal(err)
	}
	if n := b.Count("POST /token"); n != 1 {
		t.Fatalf("token calls %d, want 1 (the other instance's)", n)
	}
}
