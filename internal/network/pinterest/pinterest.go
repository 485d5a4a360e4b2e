// Package pinterest connects relais to Pinterest through the API v5: OAuth
// 2.0 with refresh tokens (the token endpoint takes the app's Basic auth),
// the account's boards and board sections (read at connect and offered per
// variant in the composer), image pins (by URL or base64), carousel pins of
// 2 to 5 images, video pins (media registered, uploaded to the returned
// upload URL, processed, then pinned with a cover), deletes, pin analytics
// and account analytics. A pin whose create call ended without an answer is
// looked for on its board before anything is sent again. The fake in
// pinteresttest serves all of it.
package pinterest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/checkpoint"
)

// Scopes are the OAuth scopes relais asks for (comma-separated).
const Scopes = "boards:read,boards:write,pins:read,pins:write,user_accounts:read"

// Hosts of the API, its sandbox and the authorize page.
const (
	DefaultAPIURL       = "https://api.pinterest.com"
	SandboxAPIURL       = "https://api-sandbox.pinterest.com"
	DefaultAuthorizeURL = "https://www.pinterest.com/oauth/"
)

// App is the operator's Pinterest app (developers.pinterest.com).
type App struct {
	AppID, AppSecret string
	// Sandbox sends every call to api-sandbox.pinterest.com (trial apps may only write there).
	Sandbox bool
	// APIURL is the API host (a fake in tests); AuthorizeURL the sign-in
	// page (APIURL's /oauth/ when only APIURL is set).
	APIURL, AuthorizeURL string
}

func (a App) api() string {
	switch {
	case a.APIURL != "":
		return strings.TrimRight(a.APIURL, "/")
	case a.Sandbox:
		return SandboxAPIURL
	}
	return DefaultAPIURL
}

func (a App) authorize() string {
	switch {
	case a.AuthorizeURL != "":
		return a.AuthorizeURL
	case a.APIURL != "":
		return a.api() + "/oauth/"
	}
	return DefaultAuthorizeURL
}

// configured is the operator's app given to Configure.
var configured network.AppSlot[App]

// Configure sets the operator's Pinterest app for the registered provider.
func Configure(a App) { configured.Set(a) }

func init() {
	network.Register(Provider{})
	network.RegisterPostOptions(network.Pinterest, PostOptions(nil))
	network.RegisterChannelPostOptions(network.Pinterest, PostOptions)
}

// Provider connects Pinterest accounts by OAuth or with pasted tokens.
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
func (Provider) Kind() network.Kind { return network.Pinterest }

// Fields lists the connect form: nothing for the sign-in; tokens to paste otherwise.
func (Provider) Fields() []network.Field {
	return []network.Field{
		{Name: "access_token", Label: "Access token", Secret: true, Help: "A Pinterest access token with boards and pins scopes; leave empty to sign in with Pinterest instead. Your boards are read when connecting: reconnect to see boards made later."},
		{Name: "refresh_token", Label: "Refresh token", Secret: true, Help: "Optional: lets relais renew the token every 30 days (needs the operator's Pinterest app id and secret)."},
	}
}

// OAuthAvailable reports whether the operator configured an app.
func (p Provider) OAuthAvailable(network.Env) bool { return p.app().AppID != "" }

// Connect checks pasted tokens against the user account.
func (p Provider) Connect(ctx context.Context, env network.Env, input map[string]string) (network.Account, network.Stored, error) {
	secrets, err := network.PastedTokens(input, "Pinterest", p.app().AppID != "", "--pinterest-app-id")
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	return p.connect(ctx, env, secrets)
}

// connect identifies the account and lists its boards and sections for the composer.
func (p Provider) connect(ctx context.Context, env network.Env, secrets map[string]string) (network.Account, network.Stored, error) {
	c := p.open(env, network.Stored{Secrets: secrets})
	acct, err := c.Identify(ctx)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	boards, err := c.Boards(ctx)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	b, _ := json.Marshal(boards)
	settings := map[string]string{"username": strings.TrimPrefix(acct.Handle, "@"), "boards": string(b)}
	return acct, network.Stored{Settings: settings, Secrets: c.keep.Secrets()}, nil
}

// Open builds a connector from what Connect or Exchange stored.
func (p Provider) Open(env network.Env, s network.Stored) (network.Connector, error) {
	if s.Secrets[network.SecretAccess] == "" {
		return nil, errors.New("pinterest: stored channel has no access_token")
	}
	return p.open(env, s), nil
}

func (p Provider) open(env network.Env, s network.Stored) *Connector {
	a := &api{app: p.app(), hc: env.Client(), now: env.Clock}
	var grant func(context.Context, string) (map[string]string, error)
	if a.app.AppID != "" {
		grant = a.refreshGrant
	}
	a.keep = network.NewTokens(network.Pinterest, env, s.Secrets, grant)
	a.keep.Ahead = 5 * time.Minute
	return &Connector{api: a, keep: a.keep, log: checkpoint.New(network.Pinterest, env), username: s.Settings["username"], pollEvery: 2 * time.Second, maxPolls: 150, lookups: 3, lookupEvery: 2 * time.Second}
}

// AuthorizeURL returns Pinterest's authorize page.
func (p Provider) AuthorizeURL(_ context.Context, _ network.Env, _ map[string]string, redirectURI, state string) (string, map[string]string, error) {
	a := p.app()
	if a.AppID == "" {
		return "", nil, errors.New("pinterest: signing in needs the operator's Pinterest app (--pinterest-app-id, RELAIS_PINTEREST_APP_ID)")
	}
	q := url.Values{"client_id": {a.AppID}, "redirect_uri": {redirectURI}, "response_type": {"code"}, "scope": {Scopes}, "state": {state}}
	return a.authorize() + "?" + q.Encode(), map[string]string{}, nil
}

// Exchange trades the callback's code for tokens.
func (p Provider) Exchange(ctx context.Context, env network.Env, _ map[string]string, redirectURI, code string) (network.Account, network.Stored, error) {
	a := &api{app: p.app(), hc: env.Client(), now: env.Clock}
	secrets, err := a.token(ctx, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI}})
	if err != nil {
		var ne *network.Error
		if errors.As(err, &ne) {
			ne.Class = network.Permanent // a refused code: the user signs in again
		}
		return network.Account{}, network.Stored{}, fmt.Errorf("pinterest: exchange code: %w", err)
	}
	return p.connect(ctx, env, secrets)
}

// Board is one of the account's boards with its sections.
type Board struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Sections []Section `json:"sections,omitempty"`
}

// Section is a board section.
type Section struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Boards lists the account's boards and their sections (all pages).
func (c *Connector) Boards(ctx context.Context) ([]Board, error) {
	var out []Board
	err := c.pages(ctx, "/v5/boards", func(raw json.RawMessage) error {
		var b Board
		if err := json.Unmarshal(raw, &b); err != nil {
			return err
		}
		out = append(out, b)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("pinterest: list boards: %w", err)
	}
	for i := range out {
		err := c.pages(ctx, "/v5/boards/"+url.PathEscape(out[i].ID)+"/sections", func(raw json.RawMessage) error {
			var s Section
			if err := json.Unmarshal(raw, &s); err != nil {
				return err
			}
			out[i].Sections = append(out[i].Sections, s)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("pinterest: list sections of board %s: %w", out[i].ID, err)
		}
	}
	return out, nil
}

// pages walks a bookmark-paged list.
func (c *Connector) pages(ctx context.Context, path string, each func(json.RawMessage) error) error {
	bookmark := ""
	for page := 0; page < 50; page++ {
		q := url.Values{"page_size": {"100"}}
		if bookmark != "" {
			q.Set("bookmark", bookmark)
		}
		var r struct {
			Items    []json.RawMessage `json:"items"`
			Bookmark *string           `json:"bookmark"`
		}
		if err := c.api.do(ctx, http.MethodGet, path, q, nil, &r); err != nil {
			return err
		}
		for _, it := range r.Items {
			if err := each(it); err != nil {
				return &network.Error{Class: network.Unknown, Network: network.Pinterest, Message: "unexpected list item from Pinterest", Err: err}
			}
		}
		if r.Bookmark == nil || *r.Bookmark == "" {
			return nil
		}
		bookmark = *r.Bookmark
	}
	return nil
}
