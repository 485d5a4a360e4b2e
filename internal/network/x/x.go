// Package x connects relais to X through the X API v2: OAuth 2.0 with PKCE
// and rotating refresh tokens, posts, threads, quotes, polls, media through
// the chunked upload with alt text, deletes, replies, mentions, conversation
// search and public metrics.
//
// Access to the X API is paid and tiered; the feature notes in Tier name the
// lowest tier each capability needs (see docs/channels.md).
package x

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
)

// Scopes are the OAuth 2.0 scopes relais asks for: reading and writing posts,
// the user, media upload, and offline.access for a refresh token.
const Scopes = "tweet.read tweet.write users.read media.write offline.access"

// Default hosts of the X API and its authorize page.
const (
	DefaultAPIURL       = "https://api.x.com"
	DefaultAuthorizeURL = "https://x.com/i/oauth2/authorize"
)

// Tier names the lowest X API access tier each capability needs, as shown
// in the composer and on the channel page. Free allows posting (with a
// monthly cap) and reading the own account; reading other people's posts
// (mentions, conversations, search, metrics of many posts) needs Basic.
var Tier = map[string]string{
	"publish":  "Free",
	"delete":   "Free",
	"media":    "Free",
	"identify": "Free",
	"metrics":  "Basic",
	"mentions": "Basic",
	"comments": "Basic",
	"reply":    "Free",
	"search":   "Basic",
	"hide":     "Basic",
}

// App is the operator's X app (a "Web App" OAuth 2.0 client in the X
// developer portal). ClientSecret is empty for a public client.
type App struct {
	ClientID, ClientSecret string
	// APIURL is the API host (DefaultAPIURL when empty; a fake in tests).
	APIURL string
	// AuthorizeURL is the browser's sign-in page (DefaultAuthorizeURL when empty).
	AuthorizeURL string
}

func (a App) api() string {
	if a.APIURL == "" {
		return DefaultAPIURL
	}
	return strings.TrimRight(a.APIURL, "/")
}

func (a App) authorize() string {
	if a.AuthorizeURL == "" {
		if a.APIURL != "" {
			return a.api() + "/i/oauth2/authorize"
		}
		return DefaultAuthorizeURL
	}
	return a.AuthorizeURL
}

var configured network.AppSlot[App]

// Configure sets the operator's X app for the registered provider.
func Configure(a App) {
	configured.Set(a)
}

func init() {
	network.Register(Provider{})
	network.RegisterPostOptions(network.X, PostOptions())
}

// Provider connects X accounts by OAuth 2.0 (PKCE) or with pasted tokens.
// Its App is used when set, else the one given to Configure.
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
func (Provider) Kind() network.Kind { return network.X }

// Fields lists the connect form: nothing is needed for the OAuth sign-in;
// the CLI may paste tokens obtained elsewhere.
func (Provider) Fields() []network.Field {
	return []network.Field{
		{Name: "access_token", Label: "Access token", Secret: true, Help: "OAuth 2.0 user access token; leave empty to sign in on X instead. Posting needs the X API Free tier; reading mentions, replies, search and metrics needs the Basic tier."},
		{Name: "refresh_token", Label: "Refresh token", Secret: true, Help: "Optional: lets relais renew the token every two hours (needs the operator's X client id)."},
	}
}

// OAuthAvailable reports whether the operator configured an X client id.
func (p Provider) OAuthAvailable(network.Env) bool { return p.app().ClientID != "" }

// Connect checks pasted tokens against users/me and returns what to store.
func (p Provider) Connect(ctx context.Context, env network.Env, input map[string]string) (network.Account, network.Stored, error) {
	secrets, err := network.PastedTokens(input, "X", p.app().ClientID != "", "--x-client-id")
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	return p.connect(ctx, env, secrets)
}

func (p Provider) connect(ctx context.Context, env network.Env, secrets map[string]string) (network.Account, network.Stored, error) {
	c := p.open(env, network.Stored{Secrets: secrets})
	acct, err := c.Identify(ctx)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	limits, err := c.RefreshLimits(ctx)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	return acct, network.Stored{
		Settings: map[string]string{"user_id": acct.RemoteID, "username": strings.TrimPrefix(acct.Handle, "@")},
		Secrets:  c.api.secrets(),
		Limits:   &limits,
	}, nil
}

// Open builds a connector from what Connect or Exchange stored.
func (p Provider) Open(env network.Env, s network.Stored) (network.Connector, error) {
	if s.Secrets[secretAccess] == "" {
		return nil, errors.New("x: stored channel has no access_token")
	}
	env.HTTP = env.Client()
	return p.open(env, s), nil
}

func (p Provider) open(env network.Env, s network.Stored) *Connector {
	a := &api{app: p.app(), hc: env.Client(), now: env.Clock}
	a.tok = network.NewTokens(network.X, env, s.Secrets, a.grant)
	return &Connector{api: a, userID: s.Settings["user_id"], username: s.Settings["username"], pollEvery: time.Second, maxPolls: 300, recentLookups: 3, lookupEvery: 2 * time.Second}
}

// AuthorizeURL returns X's authorize page (PKCE S256) and the verifier to keep.
func (p Provider) AuthorizeURL(_ context.Context, _ network.Env, _ map[string]string, redirectURI, state string) (string, map[string]string, error) {
	a := p.app()
	if a.ClientID == "" {
		return "", nil, errors.New("x: signing in needs the operator's X client id (--x-client-id, RELAIS_X_CLIENT_ID)")
	}
	verifier := randomVerifier()
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{
		"response_type": {"code"}, "client_id": {a.ClientID}, "redirect_uri": {redirectURI}, "scope": {Scopes},
		"state": {state}, "code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"},
	}
	return a.authorize() + "?" + q.Encode(), map[string]string{"verifier": verifier}, nil
}

// Exchange trades the callback's code (with the PKCE verifier) for tokens.
func (p Provider) Exchange(ctx context.Context, env network.Env, keep map[string]string, redirectURI, code string) (network.Account, network.Stored, error) {
	a := &api{app: p.app(), hc: env.Client(), now: env.Clock}
	form := url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI},
		"code_verifier": {keep["verifier"]}, "client_id": {a.app.ClientID},
	}
	tok, err := a.token(ctx, form)
	if err != nil {
		var ne *network.Error
		if errors.As(err, &ne) {
			// A refused code is not a post's fault: the user signs in again.
			ne.Class = network.Permanent
		}
		return network.Account{}, network.Stored{}, fmt.Errorf("x: exchange code: %w", err)
	}
	return p.connect(ctx, env, tok.secrets(env.Clock()))
}

func randomVerifier() string {
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
