// Package soundcloud connects relais to SoundCloud through its public API:
// OAuth 2.1 (authorization code with PKCE, single-use refresh tokens), track
// upload (audio with optional artwork, title, description, tags, sharing,
// downloadable, license), deletes, comments read into the inbox and
// answered at the comment's position in the track, play/like/repost/comment
// counts and the account's followers.
package soundcloud

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/oauthtok"
)

// Default hosts: the API, and the sign-in and token host.
const (
	DefaultAPIURL  = "https://api.soundcloud.com"
	DefaultAuthURL = "https://secure.soundcloud.com"
)

// Kind is SoundCloud's network kind.
const Kind network.Kind = network.SoundCloud

// App is the operator's SoundCloud app (soundcloud.com/you/apps).
type App struct {
	ClientID, ClientSecret string
	// APIURL sends the API, the authorize page and the token endpoint to one
	// server (a fake in tests); empty: SoundCloud's own hosts.
	APIURL string
}

func (a App) api() string {
	if a.APIURL == "" {
		return DefaultAPIURL
	}
	return strings.TrimRight(a.APIURL, "/")
}

func (a App) auth() string {
	if a.APIURL == "" {
		return DefaultAuthURL
	}
	return strings.TrimRight(a.APIURL, "/")
}

func (a App) endpoint() oauthtok.Endpoint {
	return oauthtok.Endpoint{Network: Kind, URL: a.auth() + "/oauth/token", ClientID: a.ClientID, ClientSecret: a.ClientSecret, InForm: true}
}

var configured network.AppSlot[App]

// Configure sets the operator's SoundCloud app for the registered provider.
func Configure(a App) { configured.Set(a) }

func init() {
	network.Register(Provider{})
	network.RegisterPostOptions(Kind, PostOptions())
}

// Provider connects SoundCloud accounts by OAuth 2.1 or with a pasted token.
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
func (Provider) Kind() network.Kind { return Kind }

// Fields lists the connect form: tokens for the CLI; the browser signs in.
func (Provider) Fields() []network.Field {
	return []network.Field{
		{Name: "access_token", Label: "Access token", Secret: true, Help: "OAuth access token; leave empty to sign in on SoundCloud instead."},
		{Name: "refresh_token", Label: "Refresh token", Secret: true, Help: "Optional: lets relais renew the token every hour (needs the operator's SoundCloud app)."},
	}
}

// OAuthAvailable reports whether the operator configured a SoundCloud app.
func (p Provider) OAuthAvailable(network.Env) bool {
	a := p.app()
	return a.ClientID != "" && a.ClientSecret != ""
}

// Connect checks a pasted token against /me.
func (p Provider) Connect(ctx context.Context, env network.Env, input map[string]string) (network.Account, network.Stored, error) {
	secrets, err := network.PastedTokens(input, "SoundCloud", p.app().ClientID != "", "--soundcloud-client-id")
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	return p.connect(ctx, env, secrets)
}

func (p Provider) connect(ctx context.Context, env network.Env, secrets map[string]string) (network.Account, network.Stored, error) {
	c := p.open(env, network.Stored{Secrets: secrets})
	u, err := c.me(ctx)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	return u.account(), network.Stored{
		Settings: map[string]string{"user_id": fmt.Sprint(u.ID), "username": u.Permalink},
		Secrets:  c.api.Tok.Secrets(),
	}, nil
}

// Open builds a connector from what Connect or Exchange stored.
func (p Provider) Open(env network.Env, s network.Stored) (network.Connector, error) {
	if s.Secrets[network.SecretAccess] == "" {
		return nil, errors.New("soundcloud: stored channel has no access_token")
	}
	env.HTTP = env.Client()
	return p.open(env, s), nil
}

func (p Provider) open(env network.Env, s network.Stored) *Connector {
	a := p.app()
	return &Connector{
		api:    newAPI(a, env, s.Secrets),
		userID: s.Settings["user_id"], lookups: 3,
	}
}

// AuthorizeURL returns SoundCloud's sign-in page (PKCE S256, required by
// OAuth 2.1) and the verifier to keep.
func (p Provider) AuthorizeURL(_ context.Context, _ network.Env, _ map[string]string, redirectURI, state string) (string, map[string]string, error) {
	a := p.app()
	if a.ClientID == "" || a.ClientSecret == "" {
		return "", nil, errors.New("soundcloud: signing in needs the operator's SoundCloud app (--soundcloud-client-id and --soundcloud-client-secret)")
	}
	verifier, challenge := network.PKCE()
	q := url.Values{"response_type": {"code"}, "client_id": {a.ClientID}, "redirect_uri": {redirectURI}, "state": {state},
		"code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	return a.auth() + "/authorize?" + q.Encode(), map[string]string{"verifier": verifier}, nil
}

// Exchange trades the callback's code (with the PKCE verifier) for tokens.
func (p Provider) Exchange(ctx context.Context, env network.Env, keep map[string]string, redirectURI, code string) (network.Account, network.Stored, error) {
	tok, err := p.app().endpoint().Grant(ctx, env.Client(), url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {redirectURI}, "code_verifier": {keep["verifier"]}})
	if err != nil {
		var ne *network.Error
		if errors.As(err, &ne) {
			ne.Class = network.Permanent
		}
		return network.Account{}, network.Stored{}, fmt.Errorf("soundcloud: exchange code: %w", err)
	}
	return p.connect(ctx, env, tok.Secrets(env.Clock()))
}
