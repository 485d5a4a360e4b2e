package bluesky

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/channel"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/secret"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// connectOAuth runs the OAuth flow against the fake and returns what a channel stores.
func connectOAuth(t *testing.T, f *fakeAuth, p *Provider, env network.Env) (network.Account, network.Stored) {
	t.Helper()
	ctx := context.Background()
	redirect := "https://relais.example/channels/oauth/callback"
	to, keep, err := p.AuthorizeURL(ctx, env, map[string]string{"handle": f.handle, "pds_url": f.srv.URL}, redirect, "state")
	require.NoError(t, err)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(to)
	require.NoError(t, err)
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	acct, stored, err := p.Exchange(ctx, env, keep, redirect, back.Query().Get("code"))
	require.NoError(t, err)
	return acct, stored
}

// TestOAuthRefreshOncePerChannelAcrossInstances: two instances on one
// database (PostgreSQL; SQLite takes the same code path) find the channel's
// access token expired at the same time. Refresh tokens are single-use: one
// instance refreshes, the other waits for the channel's lock, reads the new
// tokens and uses them. Before refreshes were serialised through the database
// both called the token endpoint with the same refresh token and the second
// was refused (the channel then asked to be reconnected).
func TestOAuthRefreshOncePerChannelAcrossInstances(t *testing.T) {
	t.Parallel()
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newFakeAuth(t, nil)
			yes := true
			env := network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &yes}), BaseURL: "https://relais.example"}
			acct, stored := connectOAuth(t, f, NewProvider(Options{}), env)

			kr, err := secret.New("k1", map[string][]byte{"k1": make([]byte, 32)})
			require.NoError(t, err)
			ctx := context.Background()
			var services []*channel.Service
			for _, st := range storetest.OpenInstances(t, dialect, 2) {
				services = append(services, &channel.Service{Store: st, Keyring: kr, Env: env})
			}
			st := services[0].Store
			u := storetest.NewUser(t, st, "oauth@example.com")
			ws := storetest.NewWorkspace(t, st, "oauth", u.ID)
			ch, err := services[0].Finish(ctx, auth.Principal{Workspace: ws, Role: store.RoleOwner}, network.Bluesky, acct, stored)
			require.NoError(t, err)

			// Both instances opened the channel with the same tokens, then the access token expired.
			conns := make([]*Connector, len(services))
			for i, s := range services {
				c, _, err := s.Connector(ctx, ws.ID, ch.ID)
				require.NoError(t, err)
				conns[i] = c.(*Connector)
			}
			f.expireAccess()

			errs := make([]error, len(conns))
			var wg sync.WaitGroup
			for i, c := range conns {
				wg.Add(1)
				go func() { defer wg.Done(); errs[i] = c.Check(ctx) }()
			}
			wg.Wait()
			f.mu.Lock()
			refreshes := f.refreshCalls
			f.mu.Unlock()
			require.Equal(t, 1, refreshes, "one refresh for the channel, whichever instance made it")
			for _, err := range errs {
				require.NoError(t, err)
			}

			// Both instances now hold the stored tokens, which keep working.
			got, err := services[1].Store.Channel(ctx, ws.ID, ch.ID)
			require.NoError(t, err)
			sec, err := services[1].Stored(got)
			require.NoError(t, err)
			for _, c := range conns {
				require.Equal(t, sec.Secrets[secretAccess], c.cl.secrets()[secretAccess])
				require.NoError(t, c.Check(ctx))
			}
		})
	}
}
