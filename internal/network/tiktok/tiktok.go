// Package tiktok connects relais to TikTok through the Content Posting API
// (open.tiktokapis.com v2): Login Kit OAuth 2.0 with PKCE and refresh
// tokens, the creator info query whose choices the composer offers (privacy
// level without a default, comment, duet and stitch switches the creator may
// have turned off, the commercial content disclosure), direct posts and
// uploads to the creator's inbox, videos by chunked FILE_UPLOAD or
// PULL_FROM_URL, photo posts, status polling with its fail reasons as typed
// errors, and the video query's counts as metrics. The publish_id is
// recorded before polling, so a retry after a crash polls instead of posting
// again. The fake in tiktoktest serves all of it.
package tiktok

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/checkpoint"
)

// Scopes are the Login Kit scopes relais asks for (comma-separated, as TikTok wants them).
const Scopes = "user.info.basic,user.info.profile,user.info.stats,video.publish,video.upload,video.list"

// Default hosts of the API and the authorize page.
const (
	DefaultAPIURL       = "https://open.tiktokapis.com"
	DefaultAuthorizeURL = "https://www.tiktok.com/v2/auth/authorize/"
)

// App is the operator's TikTok app (developers.tiktok.com, with Login Kit
// and the Content Posting API).
type App struct {
	ClientKey, ClientSecret string
	// APIURL is the API host (DefaultAPIURL when empty; a fake in tests).
	APIURL string
	// AuthorizeURL is the sign-in page (DefaultAuthorizeURL, or APIURL's
	// /v2/auth/authorize/ when only APIURL is set).
	AuthorizeURL string
	// PullFromURL sends videos as PULL_FROM_URL with relais's signed media
	// URLs instead of uploading them; the operator must have verified the
	// media host's domain with TikTok. Photos are always pulled (TikTok has
	// no photo upload).
	PullFromURL bool
}

func (a App) api() string {
	if a.APIURL == "" {
		return DefaultAPIURL
	}
	return strings.TrimRight(a.APIURL, "/")
}

func (a App) authorize() string {
	switch {
	case a.AuthorizeURL != "":
		return a.AuthorizeURL
	case a.APIURL != "":
		return a.api() + "/v2/auth/authorize/"
	}
	return DefaultAuthorizeURL
}

// configured is the operator's app given to Configure.
var configured network.AppSlot[App]

// Configure sets the operator's TikTok app for the registered provider.
func Configure(a App) { configured.Set(a) }

func init() {
	network.Register(Provider{})
	network.RegisterPostOptions(network.TikTok, PostOptions(nil))
	network.RegisterChannelPostOptions(network.TikTok, PostOptions)
}

// Provider connects TikTok accounts by Login Kit or with pasted tokens.
type Provider struct {
	// App is used when set, else the one given to Configure.
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
func (Provider) Kind() network.Kind { return network.TikTok }

// Fields lists the connect form: nothing for the sign-in; tokens to paste otherwise.
func (Provider) Fields() []network.Field {
	return []network.Field{
		{Name: "access_token", Label: "Access token", Secret: true, Help: "A user access token with video.publish; leave empty to sign in with TikTok instead. Until TikTok audits the operator's app, posts can only be private (only me)."},
		{Name: "refresh_token", Label: "Refresh token", Secret: true, Help: "Optional: lets relais renew the token every day (needs the operator's TikTok client key)."},
	}
}

// OAuthAvailable reports whether the operator configured a client key.
func (p Provider) OAuthAvailable(network.Env) bool { return p.app().ClientKey != "" }

// Connect checks pasted tokens against the user info and creator info.
func (p Provider) Connect(ctx context.Context, env network.Env, input map[string]string) (network.Account, network.Stored, error) {
	secrets, err := network.PastedTokens(input, "TikTok", p.app().ClientKey != "", "--tiktok-client-key")
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	return p.connect(ctx, env, secrets)
}

// connect identifies the account and reads its creator info, kept as
// settings for the composer's choices and as the account's limits.
func (p Provider) connect(ctx context.Context, env network.Env, secrets map[string]string) (network.Account, network.Stored, error) {
	c := p.open(env, network.Stored{Secrets: secrets})
	acct, err := c.Identify(ctx)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	ci, err := c.CreatorInfo(ctx)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	settings := ci.settings()
	settings["open_id"] = acct.RemoteID
	settings["username"] = strings.TrimPrefix(acct.Handle, "@")
	limits := ci.limits()
	return acct, network.Stored{Settings: settings, Secrets: c.keep.Secrets(), Limits: &limits}, nil
}

// Open builds a connector from what Connect or Exchange stored.
func (p Provider) Open(env network.Env, s network.Stored) (network.Connector, error) {
	if s.Secrets[network.SecretAccess] == "" {
		return nil, errors.New("tiktok: stored channel has no access_token")
	}
	return p.open(env, s), nil
}

func (p Provider) open(env network.Env, s network.Stored) *Connector {
	a := &api{app: p.app(), hc: env.Client(), now: env.Clock}
	var grant func(context.Context, string) (map[string]string, error)
	if a.app.ClientKey != "" {
		grant = a.refreshGrant
	}
	a.keep = network.NewTokens(network.TikTok, env, s.Secrets, grant)
	a.keep.Ahead = 5 * time.Minute
	return &Connector{api: a, keep: a.keep, log: checkpoint.New(network.TikTok, env), username: s.Settings["username"], openID: s.Settings["open_id"],
		chunkSize: DefaultChunkSize, pollEvery: 5 * time.Second, maxPolls: 120}
}

// AuthorizeURL returns TikTok's authorize page (PKCE S256) and the verifier to keep.
func (p Provider) AuthorizeURL(_ context.Context, _ network.Env, _ map[string]string, redirectURI, state string) (string, map[string]string, error) {
	a := p.app()
	if a.ClientKey == "" {
		return "", nil, errors.New("tiktok: signing in needs the operator's TikTok client key (--tiktok-client-key, RELAIS_TIKTOK_CLIENT_KEY)")
	}
	verifier, challenge := network.PKCE()
	q := url.Values{
		"client_key": {a.ClientKey}, "response_type": {"code"}, "scope": {Scopes}, "redirect_uri": {redirectURI},
		"state": {state}, "code_challenge": {challenge}, "code_challenge_method": {"S256"},
	}
	return a.authorize() + "?" + q.Encode(), map[string]string{"verifier": verifier}, nil
}

// Exchange trades the callback's code (with the PKCE verifier) for tokens.
func (p Provider) Exchange(ctx context.Context, env network.Env, keep map[string]string, redirectURI, code string) (network.Account, network.Stored, error) {
	a := &api{app: p.app(), hc: env.Client(), now: env.Clock}
	secrets, err := a.token(ctx, url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI}, "code_verifier": {keep["verifier"]},
	})
	if err != nil {
		var ne *network.Error
		if errors.As(err, &ne) {
			ne.Class = network.Permanent // a refused code: the user signs in again
		}
		return network.Account{}, network.Stored{}, fmt.Errorf("tiktok: exchange code: %w", err)
	}
	return p.connect(ctx, env, secrets)
}
