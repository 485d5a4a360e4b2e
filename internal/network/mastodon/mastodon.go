// Package mastodon connects relais to servers speaking the Mastodon client API
// (Mastodon, GoToSocial, Pleroma, Akkoma): per-instance app registration and
// OAuth with PKCE, limits read from the instance, threads, media, edits,
// metrics, replies and mentions.
package mastodon

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/valid"
)

// Scopes are the OAuth scopes relais asks for; "read write" is understood by
// every Mastodon-API server, unlike the granular scopes.
const Scopes = "read write"

// ClientName is the application name registered on each instance.
const ClientName = "relais"

func init() { network.Register(Provider{}) }

// Provider connects Mastodon-API accounts, by OAuth or with a pasted access token.
type Provider struct{}

var _ network.OAuthProvider = Provider{}

// Kind names the network.
func (Provider) Kind() network.Kind { return network.Mastodon }

// Fields lists the connect form: the instance, and an optional access token for the CLI.
func (Provider) Fields() []network.Field {
	return []network.Field{
		{Name: "instance", Label: "Instance", Required: true, Help: "The server your account is on, e.g. mastodon.social"},
		{Name: "access_token", Label: "Access token", Secret: true, Help: "Leave empty to sign in on the instance instead"},
	}
}

// Connect checks a pasted access token against the instance and returns what to store.
func (p Provider) Connect(ctx context.Context, env network.Env, input map[string]string) (network.Account, network.Stored, error) {
	instance, err := NormalizeInstance(input["instance"])
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	tok := strings.TrimSpace(input["access_token"])
	if tok == "" {
		return network.Account{}, network.Stored{}, errors.New("mastodon: access_token is required when not signing in through the instance")
	}
	return connect(ctx, env, instance, tok, nil)
}

func connect(ctx context.Context, env network.Env, instance, tok string, extra map[string]string) (network.Account, network.Stored, error) {
	limits, domain, err := fetchLimits(ctx, api{env: env, instance: instance})
	if err != nil {
		return network.Account{}, network.Stored{}, fmt.Errorf("mastodon: read instance limits: %w", err)
	}
	c := &Connector{api: api{env: env, instance: instance, token: tok}, domain: domain, limits: limits}
	acct, raw, err := c.verify(ctx)
	if err != nil {
		return network.Account{}, network.Stored{}, fmt.Errorf("mastodon: verify credentials: %w", err)
	}
	secrets := map[string]string{"access_token": tok}
	for k, v := range extra {
		secrets[k] = v
	}
	stored := network.Stored{
		Settings: map[string]string{"instance": instance, "domain": domain, "account_id": raw.ID, "handle": acct.Handle},
		Secrets:  secrets,
		Limits:   &limits,
	}
	return acct, stored, nil
}

// Open builds a connector from what Connect or Exchange stored.
func (Provider) Open(env network.Env, s network.Stored) (network.Connector, error) {
	// One client for the connector's life, so connections are reused.
	env.HTTP = env.Client()
	instance, err := NormalizeInstance(s.Settings["instance"])
	if err != nil {
		return nil, err
	}
	tok := s.Secrets["access_token"]
	if tok == "" {
		return nil, errors.New("mastodon: stored channel has no access_token")
	}
	domain := s.Settings["domain"]
	if domain == "" {
		u, _ := url.Parse(instance)
		domain = u.Host
	}
	return &Connector{
		api: api{env: env, instance: instance, token: tok, rate: &rateState{}}, domain: domain,
		accountID: s.Settings["account_id"], limits: s.EffectiveLimits(network.Mastodon),
		pollEvery: time.Second, maxPolls: 120,
	}, nil
}

// AuthorizeURL registers relais on the instance and returns the instance's
// authorize URL (PKCE S256) and what Exchange needs back.
func (Provider) AuthorizeURL(ctx context.Context, env network.Env, input map[string]string, redirectURI, state string) (string, map[string]string, error) {
	instance, err := NormalizeInstance(input["instance"])
	if err != nil {
		return "", nil, err
	}
	var app struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	form := url.Values{"client_name": {ClientName}, "redirect_uris": {redirectURI}, "scopes": {Scopes}, "website": {"https://github.com/relais/relais"}}
	if _, _, err := (api{env: env, instance: instance}).call(ctx, http.MethodPost, "/api/v1/apps", nil, form, nil, &app); err != nil {
		return "", nil, fmt.Errorf("mastodon: register app on %s: %w", instance, err)
	}
	if app.ClientID == "" || app.ClientSecret == "" {
		return "", nil, fmt.Errorf("mastodon: %s registered the app without client credentials", instance)
	}
	verifier := randomVerifier()
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{
		"client_id": {app.ClientID}, "redirect_uri": {redirectURI}, "response_type": {"code"}, "scope": {Scopes},
		"state": {state}, "code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"},
	}
	keep := map[string]string{"instance": instance, "client_id": app.ClientID, "client_secret": app.ClientSecret, "verifier": verifier}
	return instance + "/oauth/authorize?" + q.Encode(), keep, nil
}

// Exchange trades the callback's code for a token, then verifies it and reads the limits.
func (Provider) Exchange(ctx context.Context, env network.Env, keep map[string]string, redirectURI, code string) (network.Account, network.Stored, error) {
	instance, err := NormalizeInstance(keep["instance"])
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	form := url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "client_id": {keep["client_id"]},
		"client_secret": {keep["client_secret"]}, "redirect_uri": {redirectURI}, "code_verifier": {keep["verifier"]}, "scope": {Scopes},
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if _, _, err := (api{env: env, instance: instance}).call(ctx, http.MethodPost, "/oauth/token", nil, form, nil, &tok); err != nil {
		var ne *network.Error
		if errors.As(err, &ne) && ne.Status >= 400 && ne.Status < 500 {
			// A refused code is not the post's fault: the user must start the sign-in again.
			ne.Class = network.Permanent
		}
		return network.Account{}, network.Stored{}, fmt.Errorf("mastodon: exchange code: %w", err)
	}
	if tok.AccessToken == "" {
		return network.Account{}, network.Stored{}, errors.New("mastodon: the instance answered without an access token")
	}
	return connect(ctx, env, instance, tok.AccessToken, map[string]string{"client_id": keep["client_id"], "client_secret": keep["client_secret"]})
}

// NormalizeInstance turns "mastodon.social", "https://mastodon.social/" or
// "@user@mastodon.social" into a base URL ("https://mastodon.social").
func NormalizeInstance(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", valid.Errorf("instance", "required", "Instance is required")
	}
	if at := strings.LastIndex(s, "@"); at >= 0 && !strings.Contains(s, "://") {
		s = s[at+1:]
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", valid.Errorf("instance", "format", "Instance %q is not a server address (like mastodon.social)", s)
	}
	return u.Scheme + "://" + u.Host + strings.TrimRight(u.Path, "/"), nil
}

func randomVerifier() string {
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
