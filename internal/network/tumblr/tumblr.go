// Package tumblr connects relais to Tumblr through the Tumblr API v2: OAuth 2
// (authorization code with offline_access for rotating refresh tokens), the
// blog chosen at connect, posts in the Neue Post Format (text blocks with
// link and mention formatting, uploaded images and video referenced by
// identifier in a multipart request, link blocks, tags, the post state),
// reblogs, deletes, notes as replies and counts, and the blog's followers.
package tumblr

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/oauthtok"
	"github.com/relais/relais/internal/valid"
)

// Scopes are the OAuth 2 scopes relais asks for: reading, posting, and
// offline_access for a refresh token.
const Scopes = "basic write offline_access"

// Default hosts of the Tumblr API and its authorize page.
const (
	DefaultAPIURL       = "https://api.tumblr.com"
	DefaultAuthorizeURL = "https://www.tumblr.com/oauth2/authorize"
)

// App is the operator's Tumblr application (its OAuth consumer key and secret).
type App struct {
	ClientID, ClientSecret string
	// APIURL is the API host (DefaultAPIURL when empty; a fake in tests);
	// when set, the authorize page is APIURL/oauth2/authorize.
	APIURL string
}

func (a App) api() string {
	if a.APIURL == "" {
		return DefaultAPIURL
	}
	return strings.TrimRight(a.APIURL, "/")
}

func (a App) authorize() string {
	if a.APIURL != "" {
		return a.api() + "/oauth2/authorize"
	}
	return DefaultAuthorizeURL
}

func (a App) endpoint() oauthtok.Endpoint {
	return oauthtok.Endpoint{Network: network.Tumblr, URL: a.api() + "/v2/oauth2/token", ClientID: a.ClientID, ClientSecret: a.ClientSecret, InForm: true}
}

var configured network.AppSlot[App]

// Configure sets the operator's Tumblr app for the registered provider.
func Configure(a App) { configured.Set(a) }

func init() {
	network.Register(Provider{})
	network.RegisterPostOptions(network.Tumblr, PostOptions())
}

// Provider connects Tumblr blogs by OAuth 2 or with a pasted token.
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
func (Provider) Kind() network.Kind { return network.Tumblr }

// Fields lists the connect form: the blog (the account's primary blog
// when empty), and tokens for the CLI.
func (Provider) Fields() []network.Field {
	return []network.Field{
		{Name: "blog", Label: "Blog", Help: "The blog to post to (its name, as in name.tumblr.com); empty: the account's primary blog."},
		{Name: "access_token", Label: "Access token", Secret: true, Help: "OAuth 2 access token; leave empty to sign in on Tumblr instead."},
		{Name: "refresh_token", Label: "Refresh token", Secret: true, Help: "Optional: lets relais renew the token (needs the operator's Tumblr app)."},
	}
}

// OAuthAvailable reports whether the operator configured a Tumblr app.
func (p Provider) OAuthAvailable(network.Env) bool {
	a := p.app()
	return a.ClientID != "" && a.ClientSecret != ""
}

// Connect checks a pasted token against user/info and picks the blog.
func (p Provider) Connect(ctx context.Context, env network.Env, input map[string]string) (network.Account, network.Stored, error) {
	secrets, err := network.PastedTokens(input, "Tumblr", p.app().ClientID != "", "--tumblr-client-id")
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	return p.connect(ctx, env, input["blog"], secrets)
}

func (p Provider) connect(ctx context.Context, env network.Env, blogName string, secrets map[string]string) (network.Account, network.Stored, error) {
	c := p.open(env, network.Stored{Secrets: secrets})
	b, err := c.pickBlog(ctx, strings.TrimSpace(blogName))
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	c.blog, c.blogUUID = b.Name, b.UUID
	return b.account(), network.Stored{
		Settings: map[string]string{"blog": b.Name, "blog_uuid": b.UUID},
		Secrets:  c.api.Tok.Secrets(),
	}, nil
}

// Open builds a connector from what Connect or Exchange stored.
func (p Provider) Open(env network.Env, s network.Stored) (network.Connector, error) {
	if s.Secrets[network.SecretAccess] == "" {
		return nil, errors.New("tumblr: stored channel has no access_token")
	}
	if s.Settings["blog"] == "" {
		return nil, errors.New("tumblr: stored channel has no blog")
	}
	env.HTTP = env.Client()
	return p.open(env, s), nil
}

func (p Provider) open(env network.Env, s network.Stored) *Connector {
	a := p.app()
	return &Connector{
		api:  newAPI(a, env, s.Secrets),
		blog: s.Settings["blog"], blogUUID: s.Settings["blog_uuid"], lookups: 3,
	}
}

// AuthorizeURL returns Tumblr's authorize page and keeps the chosen blog.
func (p Provider) AuthorizeURL(_ context.Context, _ network.Env, input map[string]string, redirectURI, state string) (string, map[string]string, error) {
	a := p.app()
	if a.ClientID == "" || a.ClientSecret == "" {
		return "", nil, errors.New("tumblr: signing in needs the operator's Tumblr app (--tumblr-client-id and --tumblr-client-secret)")
	}
	if b := strings.TrimSpace(input["blog"]); b != "" && !ValidBlogName(b) {
		return "", nil, valid.Errorf("blog", "invalid", "%q is not a Tumblr blog name (letters, digits and hyphens, or a host name)", b)
	}
	q := url.Values{"response_type": {"code"}, "client_id": {a.ClientID}, "redirect_uri": {redirectURI}, "scope": {Scopes}, "state": {state}}
	return a.authorize() + "?" + q.Encode(), map[string]string{"blog": strings.TrimSpace(input["blog"])}, nil
}

// Exchange trades the callback's code for tokens and picks the blog.
func (p Provider) Exchange(ctx context.Context, env network.Env, keep map[string]string, redirectURI, code string) (network.Account, network.Stored, error) {
	tok, err := p.app().endpoint().Grant(ctx, env.Client(), url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI}})
	if err != nil {
		var ne *network.Error
		if errors.As(err, &ne) {
			ne.Class = network.Permanent
		}
		return network.Account{}, network.Stored{}, fmt.Errorf("tumblr: exchange code: %w", err)
	}
	return p.connect(ctx, env, keep["blog"], tok.Secrets(env.Clock()))
}

// ValidBlogName reports whether s can name a blog: a short name (letters,
// digits, hyphens, at most 32) or a host name.
func ValidBlogName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return !strings.HasPrefix(s, ".") && !strings.HasSuffix(s, ".") && !strings.Contains(s, "..")
}
