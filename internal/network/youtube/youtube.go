// Package youtube connects relais to a YouTube channel through the YouTube
// Data API v3 and the YouTube Analytics API v2: Google OAuth 2.0 with PKCE
// and refresh tokens, videos through the resumable upload protocol (its
// session recorded as a publish checkpoint before any byte is sent, so a
// retry after a crash resumes the same session and never makes a second
// video), thumbnails, playlists, comment threads read into the inbox,
// replies, moderation, statistics and analytics reports, with every call's
// quota units counted before it is made (see quota.go and docs/channels.md).
package youtube

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/relais/relais/internal/network"
)

// Scopes are the OAuth scopes relais asks for: uploading, managing comments
// and videos (force-ssl), reading the channel, and analytics reports.
const Scopes = "https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.force-ssl https://www.googleapis.com/auth/youtube.readonly https://www.googleapis.com/auth/yt-analytics.readonly"

// Google's hosts.
const (
	DefaultAPIURL       = "https://www.googleapis.com"
	DefaultAnalyticsURL = "https://youtubeanalytics.googleapis.com"
	DefaultTokenURL     = "https://oauth2.googleapis.com/token"
	DefaultAuthorizeURL = "https://accounts.google.com/o/oauth2/v2/auth"
)

// App is the operator's Google Cloud OAuth client (a "Web application"
// client with the YouTube Data API v3 and YouTube Analytics API enabled).
type App struct {
	ClientID, ClientSecret string
	// APIURL sends every call (Data, upload, Analytics, token, sign-in) to one
	// server instead of Google's hosts: a fake in tests, or a proxy.
	APIURL string
	// Quota is the project's daily quota and per-method costs (DefaultQuota when zero).
	Quota QuotaConfig
}

func (a App) host(def, path string) string {
	if a.APIURL != "" {
		return strings.TrimRight(a.APIURL, "/") + path
	}
	return def + path
}

func (a App) dataURL(path string) string   { return a.host(DefaultAPIURL, "/youtube/v3"+path) }
func (a App) uploadURL(path string) string { return a.host(DefaultAPIURL, "/upload/youtube/v3"+path) }
func (a App) analyticsURL() string         { return a.host(DefaultAnalyticsURL, "/v2/reports") }

func (a App) tokenURL() string {
	if a.APIURL != "" {
		return a.host("", "/token")
	}
	return DefaultTokenURL
}

func (a App) authorizeURL() string {
	if a.APIURL != "" {
		return a.host("", "/o/oauth2/v2/auth")
	}
	return DefaultAuthorizeURL
}

var configured network.AppSlot[App]

// Configure sets the operator's Google app for the registered provider.
func Configure(a App) {
	configured.Set(a)
}

func init() {
	network.Register(Provider{})
	network.RegisterPostOptions(network.YouTube, PostOptions())
}

// Provider connects YouTube channels by Google sign-in or with pasted tokens.
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
func (Provider) Kind() network.Kind { return network.YouTube }

// Fields lists the connect form: nothing for the Google sign-in; the CLI
// may paste tokens obtained elsewhere.
func (Provider) Fields() []network.Field {
	return []network.Field{
		{Name: "access_token", Label: "Access token", Secret: true, Help: "Google OAuth access token with the YouTube scopes; leave empty to sign in with Google instead."},
		{Name: "refresh_token", Label: "Refresh token", Secret: true, Help: "Optional: lets relais renew the hourly token (needs the operator's Google client id and secret)."},
	}
}

// OAuthAvailable reports whether the operator configured a Google client.
func (p Provider) OAuthAvailable(network.Env) bool { return p.app().ClientID != "" }

// Connect checks pasted tokens against channels.list?mine=true.
func (p Provider) Connect(ctx context.Context, env network.Env, input map[string]string) (network.Account, network.Stored, error) {
	secrets, err := network.PastedTokens(input, "Google", p.app().ClientID != "", "--youtube-client-id")
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
	return acct, network.Stored{
		Settings: map[string]string{"channel_id": acct.RemoteID},
		Secrets:  c.api.secrets(),
	}, nil
}

// Open builds a connector from what Connect or Exchange stored.
func (p Provider) Open(env network.Env, s network.Stored) (network.Connector, error) {
	if s.Secrets[secretAccess] == "" {
		return nil, errors.New("youtube: stored channel has no access_token")
	}
	env.HTTP = env.Client()
	return p.open(env, s), nil
}

func (p Provider) open(env network.Env, s network.Stored) *Connector {
	app := p.app()
	a := &api{app: app, hc: env.Client(), now: env.Clock, quota: quotaFor(app)}
	a.tok = network.NewTokens(network.YouTube, env, s.Secrets, a.grant)
	return &Connector{api: a, log: &network.Progress[progressState]{Env: env, Kind: network.YouTube, Prefix: "youtube"}, channelID: s.Settings["channel_id"], chunkSize: DefaultChunkSize, resumeTries: 3}
}

// AuthorizeURL returns Google's consent page (PKCE S256, offline access for
// a refresh token, consent forced so that one is always issued).
func (p Provider) AuthorizeURL(_ context.Context, _ network.Env, _ map[string]string, redirectURI, state string) (string, map[string]string, error) {
	a := p.app()
	if a.ClientID == "" {
		return "", nil, errors.New("youtube: signing in needs the operator's Google client id (--youtube-client-id, RELAIS_YOUTUBE_CLIENT_ID)")
	}
	verifier := randomVerifier()
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{
		"response_type": {"code"}, "client_id": {a.ClientID}, "redirect_uri": {redirectURI}, "scope": {Scopes},
		"state": {state}, "access_type": {"offline"}, "prompt": {"consent"}, "include_granted_scopes": {"true"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"},
	}
	return a.authorizeURL() + "?" + q.Encode(), map[string]string{"verifier": verifier}, nil
}

// Exchange trades the callback's code (with the PKCE verifier) for tokens.
func (p Provider) Exchange(ctx context.Context, env network.Env, keep map[string]string, redirectURI, code string) (network.Account, network.Stored, error) {
	a := &api{app: p.app(), hc: env.Client(), now: env.Clock}
	tok, err := a.token(ctx, url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI}, "code_verifier": {keep["verifier"]},
	})
	if err != nil {
		var ne *network.Error
		if errors.As(err, &ne) {
			ne.Class = network.Permanent
		}
		return network.Account{}, network.Stored{}, fmt.Errorf("youtube: exchange code: %w", err)
	}
	return p.connect(ctx, env, tok.secrets(env.Clock()))
}

func randomVerifier() string {
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
