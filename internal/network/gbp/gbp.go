// Package gbp connects relais to Google Business Profile: Google OAuth 2.0
// with refresh tokens, a location chosen at connect among the accounts'
// locations (Account Management and Business Information APIs v1), local
// posts of the STANDARD, EVENT and OFFER types with a photo and a call to
// action (My Business API v4), reviews read into the inbox and answered,
// and daily performance metrics (Business Profile Performance API v1).
package gbp

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/valid"
)

// Scope is the one OAuth scope the Business Profile APIs take.
const Scope = "https://www.googleapis.com/auth/business.manage"

// Endpoints are Google's hosts; SameHost points them all at one server.
type Endpoints struct {
	Auth, Token, Accounts, Info, V4, Performance string
}

// DefaultEndpoints are Google's own hosts.
var DefaultEndpoints = Endpoints{
	Auth:        "https://accounts.google.com/o/oauth2/v2/auth",
	Token:       "https://oauth2.googleapis.com/token",
	Accounts:    "https://mybusinessaccountmanagement.googleapis.com/v1",
	Info:        "https://mybusinessbusinessinformation.googleapis.com/v1",
	V4:          "https://mybusiness.googleapis.com/v4",
	Performance: "https://businessprofileperformance.googleapis.com/v1",
}

// SameHost sends every call to base (a fake or a proxy), with Google's paths.
func SameHost(base string) Endpoints {
	b := strings.TrimRight(base, "/")
	return Endpoints{Auth: b + "/o/oauth2/v2/auth", Token: b + "/token", Accounts: b + "/v1", Info: b + "/v1", V4: b + "/v4", Performance: b + "/v1"}
}

// App is the operator's Google OAuth client (a "Web application" client of
// a Google Cloud project with the Business Profile APIs enabled).
type App struct {
	ClientID, ClientSecret string
	// APIURL sends every call to one server (empty: Google's hosts).
	APIURL string
}

func (a App) endpoints() Endpoints {
	if a.APIURL != "" {
		return SameHost(a.APIURL)
	}
	return DefaultEndpoints
}

var configured network.AppSlot[App]

// Configure sets the operator's Google client for the registered provider.
func Configure(a App) {
	configured.Set(a)
}

func init() {
	network.Register(Provider{})
	network.RegisterPostOptions(network.GoogleBusiness, PostOptions())
}

// Provider connects Google Business Profile locations.
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
func (Provider) Kind() network.Kind { return network.GoogleBusiness }

// Fields lists the connect form.
func (Provider) Fields() []network.Field {
	return []network.Field{
		{Name: "location", Label: "Location", Help: "The business's name or location id, when your Google account manages several"},
		{Name: "access_token", Label: "Access token", Secret: true, Help: "A Google access token with the business.manage scope; leave empty to sign in with Google"},
		{Name: "refresh_token", Label: "Refresh token", Secret: true, Help: "Optional: lets relais renew the hourly token (needs the operator's Google client)."},
	}
}

// OAuthAvailable reports whether the operator configured a Google client.
func (p Provider) OAuthAvailable(network.Env) bool {
	a := p.app()
	return a.ClientID != "" && a.ClientSecret != ""
}

// Connect checks a pasted token and picks the location.
func (p Provider) Connect(ctx context.Context, env network.Env, input map[string]string) (network.Account, network.Stored, error) {
	tok := strings.TrimSpace(input["access_token"])
	if tok == "" {
		return network.Account{}, network.Stored{}, valid.Errorf("access_token", "required", "Access token is required when not signing in with Google")
	}
	secrets := map[string]string{network.SecretAccess: tok}
	if rt := strings.TrimSpace(input["refresh_token"]); rt != "" {
		if !p.OAuthAvailable(env) {
			return network.Account{}, network.Stored{}, valid.Errorf("refresh_token", "unusable", "A refresh token needs the operator's Google client (--google-client-id, --google-client-secret)")
		}
		secrets[network.SecretRefresh] = rt
	}
	return p.connect(ctx, env, secrets, strings.TrimSpace(input["location"]))
}

func (p Provider) connect(ctx context.Context, env network.Env, secrets map[string]string, want string) (network.Account, network.Stored, error) {
	env.HTTP = env.Client()
	c := p.open(env, network.Stored{Secrets: secrets, Settings: map[string]string{}})
	loc, err := c.pickLocation(ctx, want)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	return loc.account(), network.Stored{
		Settings: map[string]string{"account": loc.Account, "location": loc.Name, "title": loc.Title},
		Secrets:  c.api.tokens.Secrets(),
	}, nil
}

// Open builds a connector from what was stored.
func (p Provider) Open(env network.Env, s network.Stored) (network.Connector, error) {
	if s.Secrets[network.SecretAccess] == "" || s.Settings["location"] == "" || s.Settings["account"] == "" {
		return nil, errors.New("google_business: stored channel has no access_token or location")
	}
	env.HTTP = env.Client()
	return p.open(env, s), nil
}

func (p Provider) open(env network.Env, s network.Stored) *Connector {
	a := &api{app: p.app(), ep: p.app().endpoints(), hc: env.Client(), now: env.Clock}
	a.tokens = network.NewTokens(network.GoogleBusiness, env, s.Secrets, a.refresh)
	return &Connector{api: a, account: s.Settings["account"], location: s.Settings["location"], title: s.Settings["title"], lookups: 3, lookupEvery: 2 * time.Second,
		attempts: network.NewAttemptLog(network.GoogleBusiness, env)}
}

// AuthorizeURL sends the browser to Google's consent page (offline access
// for a refresh token; consent forced so Google sends one again).
func (p Provider) AuthorizeURL(_ context.Context, _ network.Env, input map[string]string, redirectURI, state string) (string, map[string]string, error) {
	a := p.app()
	if a.ClientID == "" || a.ClientSecret == "" {
		return "", nil, valid.Errorf("location", "not_configured", "The operator has not configured the %s app (%s); see docs/channels.md", "Google", "RELAIS_GOOGLE_CLIENT_ID, RELAIS_GOOGLE_CLIENT_SECRET").WithArgs("Google", "RELAIS_GOOGLE_CLIENT_ID, RELAIS_GOOGLE_CLIENT_SECRET")
	}
	q := url.Values{"response_type": {"code"}, "client_id": {a.ClientID}, "redirect_uri": {redirectURI}, "state": {state}, "scope": {Scope},
		"access_type": {"offline"}, "prompt": {"consent"}, "include_granted_scopes": {"true"}}
	return a.endpoints().Auth + "?" + q.Encode(), map[string]string{"location": strings.TrimSpace(input["location"])}, nil
}

// Exchange trades the code for tokens and picks the location.
func (p Provider) Exchange(ctx context.Context, env network.Env, keep map[string]string, redirectURI, code string) (network.Account, network.Stored, error) {
	a := &api{app: p.app(), ep: p.app().endpoints(), hc: env.Client(), now: env.Clock}
	secrets, err := a.token(ctx, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI}})
	if err != nil {
		var ne *network.Error
		if errors.As(err, &ne) && ne.Class != network.Retryable {
			ne.Class = network.Permanent
		}
		return network.Account{}, network.Stored{}, fmt.Errorf("google_business: exchange code: %w", err)
	}
	return p.connect(ctx, env, secrets, keep["location"])
}
