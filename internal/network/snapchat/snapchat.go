// Package snapchat connects relais to Snapchat Public Profiles through the
// Public Profile API of Snap's Marketing API (businessapi.snapchat.com),
// which Snap opens to allowlisted partners only: OAuth 2 with refresh
// tokens, media encrypted with AES-256-CBC under a key and IV made for each
// media (sent base64 with the create call), uploaded in chunks and
// finalized, its processing polled, then posted as a Story, a Saved Story
// or a Spotlight; the profile's subscribers as its followers.
package snapchat

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/oauthtok"
)

// Kind is Snapchat's network kind.
const Kind network.Kind = network.Snapchat

// Scope is the OAuth scope of the Public Profile API.
const Scope = "snapchat-profile-api"

// Default hosts: the API and Snap's accounts (sign-in and tokens).
const (
	DefaultAPIURL      = "https://businessapi.snapchat.com"
	DefaultAccountsURL = "https://accounts.snapchat.com"
)

// App is the operator's Snap app (an allowlisted OAuth client).
type App struct {
	ClientID, ClientSecret string
	// APIURL sends the API, the sign-in and the token endpoint to one server (a fake in tests).
	APIURL string
}

func (a App) api() string {
	if a.APIURL == "" {
		return DefaultAPIURL
	}
	return strings.TrimRight(a.APIURL, "/")
}

func (a App) accounts() string {
	if a.APIURL == "" {
		return DefaultAccountsURL
	}
	return strings.TrimRight(a.APIURL, "/")
}

func (a App) endpoint() oauthtok.Endpoint {
	return oauthtok.Endpoint{Network: Kind, URL: a.accounts() + "/login/oauth2/access_token", ClientID: a.ClientID, ClientSecret: a.ClientSecret, InForm: true}
}

var configured network.AppSlot[App]

// Configure sets the operator's Snap app for the registered provider.
func Configure(a App) { configured.Set(a) }

func init() {
	network.Register(Provider{})
	network.RegisterPostOptions(Kind, PostOptions())
}

// Provider connects Snapchat Public Profiles by OAuth or with a pasted token.
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
		{Name: "access_token", Label: "Access token", Secret: true, Help: "OAuth access token of a Public Profile owner; leave empty to sign in on Snapchat. Only apps Snap has allowlisted for the Public Profile API can post."},
		{Name: "refresh_token", Label: "Refresh token", Secret: true, Help: "Optional: lets relais renew the token (needs the operator's Snap app)."},
	}
}

// OAuthAvailable reports whether the operator configured a Snap app.
func (p Provider) OAuthAvailable(network.Env) bool {
	a := p.app()
	return a.ClientID != "" && a.ClientSecret != ""
}

// Connect checks a pasted token against the profile endpoint.
func (p Provider) Connect(ctx context.Context, env network.Env, input map[string]string) (network.Account, network.Stored, error) {
	secrets, err := network.PastedTokens(input, "Snap", p.app().ClientID != "", "--snapchat-client-id")
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	return p.connect(ctx, env, secrets)
}

func (p Provider) connect(ctx context.Context, env network.Env, secrets map[string]string) (network.Account, network.Stored, error) {
	c := p.open(env, network.Stored{Secrets: secrets})
	pr, err := c.profile(ctx)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	return pr.account(), network.Stored{Settings: map[string]string{"profile_id": pr.ID, "username": pr.SnapUserName}, Secrets: c.api.Tok.Secrets()}, nil
}

// Open builds a connector from what Connect or Exchange stored.
func (p Provider) Open(env network.Env, s network.Stored) (network.Connector, error) {
	if s.Secrets[network.SecretAccess] == "" {
		return nil, errors.New("snapchat: stored channel has no access_token")
	}
	env.HTTP = env.Client()
	return p.open(env, s), nil
}

func (p Provider) open(env network.Env, s network.Stored) *Connector {
	a := p.app()
	return &Connector{
		api:       newAPI(a, env, s.Secrets),
		profileID: s.Settings["profile_id"], username: s.Settings["username"], maxPolls: 60, pollEvery: 2_000_000_000,
	}
}

// AuthorizeURL returns Snap's sign-in page for the Public Profile scope.
func (p Provider) AuthorizeURL(_ context.Context, _ network.Env, _ map[string]string, redirectURI, state string) (string, map[string]string, error) {
	a := p.app()
	if a.ClientID == "" || a.ClientSecret == "" {
		return "", nil, errors.New("snapchat: signing in needs the operator's allowlisted Snap app (--snapchat-client-id and --snapchat-client-secret)")
	}
	q := url.Values{"response_type": {"code"}, "client_id": {a.ClientID}, "redirect_uri": {redirectURI}, "scope": {Scope}, "state": {state}}
	return a.accounts() + "/login/oauth2/authorize?" + q.Encode(), map[string]string{}, nil
}

// Exchange trades the callback's code for tokens.
func (p Provider) Exchange(ctx context.Context, env network.Env, _ map[string]string, redirectURI, code string) (network.Account, network.Stored, error) {
	tok, err := p.app().endpoint().Grant(ctx, env.Client(), url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI}})
	if err != nil {
		var ne *network.Error
		if errors.As(err, &ne) {
			ne.Class = network.Permanent
		}
		return network.Account{}, network.Stored{}, fmt.Errorf("snapchat: exchange code: %w", err)
	}
	return p.connect(ctx, env, tok.Secrets(env.Clock()))
}
