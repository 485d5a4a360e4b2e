// Package vimeo connects relais to a Vimeo account through the Vimeo API
// 3.4: OAuth 2.0 (authorization code; Vimeo's tokens do not expire), videos
// through the tus resumable upload (the video and its upload link recorded
// as a publish checkpoint, so a retry after a crash asks the upload link
// for its offset with HEAD and continues with PATCH: never a second
// video), privacy and embed settings, comments and replies, statistics,
// and the X-RateLimit-* headers as normalised rate limits.
package vimeo

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/valid"
)

// Scopes are the OAuth scopes relais asks for.
const Scopes = "public private upload edit delete interact stats"

// DefaultAPIURL is Vimeo's API host; the authorize page and token endpoint live there too.
const DefaultAPIURL = "https://api.vimeo.com"

// Accept pins the API version.
const Accept = "application/vnd.vimeo.*+json;version=3.4"

// App is the operator's Vimeo app (developer.vimeo.com/apps).
type App struct {
	ClientID, ClientSecret string
	// APIURL sends every call and the sign-in to another server (a fake, a proxy).
	APIURL string
}

func (a App) api() string {
	if a.APIURL == "" {
		return DefaultAPIURL
	}
	return strings.TrimRight(a.APIURL, "/")
}

var configured network.AppSlot[App]

// Configure sets the operator's Vimeo app for the registered provider.
func Configure(a App) {
	configured.Set(a)
}

func init() {
	network.Register(Provider{})
	network.RegisterPostOptions(network.Vimeo, PostOptions())
}

// Provider connects Vimeo accounts by OAuth or with a pasted token.
type Provider struct {
	App *App
}

var _ network.OAuthProvider = Provider{}

func (p Provider) app() App {
	if p.App != nil {
		return *p.App
	}
	return configured.Get()
}

// Kind names the network.
func (Provider) Kind() network.Kind { return network.Vimeo }

// Fields lists the connect form: nothing for the sign-in; a personal
// access token (developer.vimeo.com) may be pasted instead.
func (Provider) Fields() []network.Field {
	return []network.Field{
		{Name: "access_token", Label: "Access token", Secret: true, Help: "A Vimeo personal access token with the public, private, upload, edit, delete, interact and stats scopes; leave empty to sign in on Vimeo instead."},
	}
}

// OAuthAvailable reports whether the operator configured a Vimeo app.
func (p Provider) OAuthAvailable(network.Env) bool { return p.app().ClientID != "" }

// Connect checks a pasted token against /me.
func (p Provider) Connect(ctx context.Context, env network.Env, input map[string]string) (network.Account, network.Stored, error) {
	tok := strings.TrimSpace(input["access_token"])
	if tok == "" {
		return network.Account{}, network.Stored{}, valid.Errorf("access_token", "required", "Access token is required when not signing in on Vimeo")
	}
	return p.connect(ctx, env, tok)
}

func (p Provider) connect(ctx context.Context, env network.Env, tok string) (network.Account, network.Stored, error) {
	c := p.open(env, network.Stored{Secrets: map[string]string{secretAccess: tok}})
	acct, err := c.Identify(ctx)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	return acct, network.Stored{Settings: map[string]string{"user_uri": c.userURI}, Secrets: map[string]string{secretAccess: tok}}, nil
}

// Open builds a connector from what was stored.
func (p Provider) Open(env network.Env, s network.Stored) (network.Connector, error) {
	if s.Secrets[secretAccess] == "" {
		return nil, errors.New("vimeo: stored channel has no access_token")
	}
	env.HTTP = env.Client()
	return p.open(env, s), nil
}

func (p Provider) open(env network.Env, s network.Stored) *Connector {
	return &Connector{api: &api{app: p.app(), hc: env.Client(), now: env.Clock, access: s.Secrets[secretAccess]}, log: &network.Progress[state]{Env: env, Kind: network.Vimeo, Prefix: "vimeo"},
		userURI: s.Settings["user_uri"], chunkSize: DefaultChunkSize, resumeTries: 3}
}

// AuthorizeURL returns Vimeo's authorize page.
func (p Provider) AuthorizeURL(_ context.Context, _ network.Env, _ map[string]string, redirectURI, state string) (string, map[string]string, error) {
	a := p.app()
	if a.ClientID == "" {
		return "", nil, errors.New("vimeo: signing in needs the operator's Vimeo app (--vimeo-client-id, RELAIS_VIMEO_CLIENT_ID)")
	}
	q := url.Values{"response_type": {"code"}, "client_id": {a.ClientID}, "redirect_uri": {redirectURI}, "state": {state}, "scope": {Scopes}}
	return a.api() + "/oauth/authorize?" + q.Encode(), map[string]string{}, nil
}

// Exchange trades the callback's code for a token (POST /oauth/access_token, Basic auth).
func (p Provider) Exchange(ctx context.Context, env network.Env, _ map[string]string, redirectURI, code string) (network.Account, network.Stored, error) {
	a := &api{app: p.app(), hc: env.Client(), now: env.Clock}
	tok, err := a.token(ctx, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI}})
	if err != nil {
		var ne *network.Error
		if errors.As(err, &ne) {
			ne.Class = network.Permanent
		}
		return network.Account{}, network.Stored{}, fmt.Errorf("vimeo: exchange code: %w", err)
	}
	return p.connect(ctx, env, tok)
}
