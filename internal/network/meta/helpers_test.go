package meta

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/meta/metatest"
)

var allowPrivate = true

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type bundle struct {
	srv   *metatest.Server
	app   App
	env   network.Env
	clk   *clock
	saved []map[string]string
	mu    sync.Mutex
}

func setup(t *testing.T, o metatest.Options) *bundle {
	t.Helper()
	clk := &clock{t: time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)}
	o.Now = clk.Now
	srv := metatest.New(t, o)
	b := &bundle{srv: srv, clk: clk, app: App{
		ID: metatest.AppID, Secret: metatest.AppSecret, InstagramID: metatest.InstagramAppID, InstagramSecret: metatest.InstagramAppSecret,
		ThreadsID: metatest.ThreadsAppID, ThreadsSecret: metatest.ThreadsAppSecret, Endpoints: SameHost(srv.URL),
	}}
	b.env = network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allowPrivate, Timeout: 5 * time.Second}), Now: clk.Now,
		SaveSecrets: func(_ context.Context, s map[string]string) error {
			b.mu.Lock()
			defer b.mu.Unlock()
			b.saved = append(b.saved, s)
			return nil
		}}
	return b
}

// oauth runs a provider's browser flow against the fake's consent page.
func (b *bundle) oauth(t *testing.T, p network.OAuthProvider, input map[string]string) (network.Account, network.Stored, error) {
	t.Helper()
	ctx := context.Background()
	redirect := "https://relais.example/oauth/callback/" + string(p.Kind())
	target, keep, err := p.AuthorizeURL(ctx, b.env, input, redirect, "st4te")
	require.NoError(t, err)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(target)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "st4te", loc.Query().Get("state"))
	return p.Exchange(ctx, b.env, keep, redirect, loc.Query().Get("code"))
}

func (b *bundle) facebook(t *testing.T) *Facebook {
	t.Helper()
	p := FacebookProvider{App: &b.app}
	_, stored, err := b.oauth(t, p, map[string]string{})
	require.NoError(t, err)
	c, err := p.Open(b.env, stored)
	require.NoError(t, err)
	return c.(*Facebook)
}

func (b *bundle) instagram(t *testing.T, login string) *Instagram {
	t.Helper()
	p := InstagramProvider{App: &b.app}
	_, stored, err := b.oauth(t, p, map[string]string{"login": login})
	require.NoError(t, err)
	c, err := p.Open(b.env, stored)
	require.NoError(t, err)
	g := c.(*Instagram)
	g.pollEvery = time.Millisecond
	return g
}

func (b *bundle) threads(t *testing.T) *Threads {
	t.Helper()
	p := ThreadsProvider{App: &b.app}
	_, stored, err := b.oauth(t, p, nil)
	require.NoError(t, err)
	c, err := p.Open(b.env, stored)
	require.NoError(t, err)
	th := c.(*Threads)
	th.pollEvery = time.Millisecond
	return th
}

func requireClass(t *testing.T, err error, class network.Class) *network.Error {
	t.Helper()
	require.Error(t, err)
	var ne *network.Error
	require.True(t, errors.As(err, &ne), "not a network.Error: %v", err)
	require.Equal(t, class, ne.Class, "error: %v", err)
	return ne
}

func img(u string) network.Media {
	return network.Media{MIME: "image/jpeg", URL: u, AltText: "a blue coat"}
}

func vid(u string) network.Media { return network.Media{MIME: "video/mp4", URL: u} }
