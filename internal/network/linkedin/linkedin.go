// Package linkedin connects relais to LinkedIn through the versioned REST
// API (api.linkedin.com/rest, LinkedIn-Version YYYYMM, Rest.li protocol
// 2.0.0): OAuth 2.0 with refresh tokens where LinkedIn grants them, posting
// as a member or as an organization page the member administers, the Posts
// API with images, multi-image posts, videos (multi-part upload), documents
// and article links, comments read and answered, reactions, organization
// share statistics and follower counts.
package linkedin

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/valid"
)

// Scopes are what relais asks for: sign-in (openid profile), posting and
// commenting as the member and as organizations, reading organization
// posts, statistics and the member's administered organizations.
const Scopes = "openid profile w_member_social w_organization_social r_organization_social rw_organization_admin"

// Default hosts and version.
const (
	DefaultAPIURL  = "https://api.linkedin.com"
	DefaultAuthURL = "https://www.linkedin.com"
	// DefaultVersion is the LinkedIn-Version sent when the operator sets
	// none; LinkedIn supports each monthly version for at least a year.
	DefaultVersion = "202607"
)

// Who a channel posts as.
const (
	AsMember       = "member"
	AsOrganization = "organization"
)

// App is the operator's LinkedIn app (developer portal, "Auth" tab).
type App struct {
	ClientID, ClientSecret string
	// APIURL is the API host (DefaultAPIURL when empty; a fake in tests).
	APIURL string
	// AuthURL hosts /oauth/v2/* (DefaultAuthURL; APIURL when only that is set).
	AuthURL string
	// Version is the LinkedIn-Version header, YYYYMM (DefaultVersion when empty).
	Version string
}

func (a App) api() string {
	if a.APIURL == "" {
		return DefaultAPIURL
	}
	return strings.TrimRight(a.APIURL, "/")
}

func (a App) auth() string {
	switch {
	case a.AuthURL != "":
		return strings.TrimRight(a.AuthURL, "/")
	case a.APIURL != "":
		return a.api()
	}
	return DefaultAuthURL
}

func (a App) version() string {
	if a.Version == "" {
		return DefaultVersion
	}
	return a.Version
}

var versionRe = regexp.MustCompile(`^20[0-9]{2}(0[1-9]|1[0-2])(\.[0-9]{2})?$`)

// ValidVersion reports whether v has LinkedIn's YYYYMM (or YYYYMM.RR) form.
func ValidVersion(v string) bool { return versionRe.MatchString(v) }

var configured network.AppSlot[App]

// Configure sets the operator's LinkedIn app for the registered provider.
func Configure(a App) {
	configured.Set(a)
}

func init() {
	network.Register(Provider{})
	network.RegisterPostOptions(network.LinkedIn, PostOptions())
}

// Provider connects LinkedIn members and organization pages.
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
func (Provider) Kind() network.Kind { return network.LinkedIn }

// Fields lists the connect form: whom to post as and, for an organization,
// which one; the CLI may paste a token obtained elsewhere.
func (Provider) Fields() []network.Field {
	return []network.Field{
		{Name: "as", Label: "Post as", Type: network.FieldChoice, Options: []string{AsMember, AsOrganization}, Help: "Your own profile, or an organization page you administer"},
		{Name: "organization", Label: "Organization", Help: "The page's name, vanity name or id, when you administer several"},
		{Name: "access_token", Label: "Access token", Secret: true, Help: "A LinkedIn access token; leave empty to sign in with LinkedIn. Tokens live 60 days; LinkedIn gives refresh tokens to approved partners only."},
		{Name: "refresh_token", Label: "Refresh token", Secret: true, Help: "Optional: lets relais renew the token (needs the operator's LinkedIn app)."},
	}
}

// OAuthAvailable reports whether the operator configured a LinkedIn app.
func (p Provider) OAuthAvailable(network.Env) bool {
	a := p.app()
	return a.ClientID != "" && a.ClientSecret != ""
}

func choiceOf(input map[string]string) (string, string, error) {
	as := strings.TrimSpace(input["as"])
	if as == "" {
		as = AsMember
	}
	if as != AsMember && as != AsOrganization {
		return "", "", valid.Errorf("as", "choice", "Post as must be member or organization; got %q", as).WithArgs(as)
	}
	return as, strings.TrimSpace(input["organization"]), nil
}

// Connect checks a pasted token and picks the author.
func (p Provider) Connect(ctx context.Context, env network.Env, input map[string]string) (network.Account, network.Stored, error) {
	as, org, err := choiceOf(input)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	tok := strings.TrimSpace(input["access_token"])
	if tok == "" {
		return network.Account{}, network.Stored{}, valid.Errorf("access_token", "required", "Access token is required when not signing in with LinkedIn")
	}
	secrets := map[string]string{network.SecretAccess: tok}
	if rt := strings.TrimSpace(input["refresh_token"]); rt != "" {
		if a := p.app(); a.ClientID == "" || a.ClientSecret == "" {
			return network.Account{}, network.Stored{}, valid.Errorf("refresh_token", "unusable", "A refresh token needs the operator's LinkedIn app (--linkedin-client-id, --linkedin-client-secret)")
		}
		secrets[network.SecretRefresh] = rt
	}
	return p.connect(ctx, env, secrets, as, org)
}

func (p Provider) connect(ctx context.Context, env network.Env, secrets map[string]string, as, want string) (network.Account, network.Stored, error) {
	env.HTTP = env.Client()
	c := p.open(env, network.Stored{Secrets: secrets, Settings: map[string]string{"as": as}})
	var acct network.Account
	var err error
	if as == AsOrganization {
		acct, err = c.pickOrganization(ctx, want)
	} else {
		acct, err = c.member(ctx)
	}
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	return acct, network.Stored{
		Settings: map[string]string{"as": as, "author": acct.RemoteID, "name": acct.DisplayName},
		Secrets:  c.api.tokens.Secrets(),
	}, nil
}

// Open builds a connector from what Connect or Exchange stored.
func (p Provider) Open(env network.Env, s network.Stored) (network.Connector, error) {
	if s.Secrets[network.SecretAccess] == "" || s.Settings["author"] == "" {
		return nil, errors.New("linkedin: stored channel has no access_token or author")
	}
	env.HTTP = env.Client()
	return p.open(env, s), nil
}

func (p Provider) open(env network.Env, s network.Stored) *Connector {
	a := &api{app: p.app(), hc: env.Client(), now: env.Clock}
	a.tokens = network.NewTokens(network.LinkedIn, env, s.Secrets, a.refresh)
	return &Connector{api: a, as: s.Settings["as"], author: s.Settings["author"], pollEvery: 2 * time.Second, maxPolls: 150, lookupEvery: 2 * time.Second, lookups: 3,
		attempts: network.NewAttemptLog(network.LinkedIn, env)}
}

// AuthorizeURL sends the browser to LinkedIn's consent page, keeping the
// choice of author until the callback.
func (p Provider) AuthorizeURL(_ context.Context, _ network.Env, input map[string]string, redirectURI, state string) (string, map[string]string, error) {
	a := p.app()
	if a.ClientID == "" || a.ClientSecret == "" {
		return "", nil, valid.Errorf("as", "not_configured", "The operator has not configured the %s app (%s); see docs/channels.md", "LinkedIn", "RELAIS_LINKEDIN_CLIENT_ID, RELAIS_LINKEDIN_CLIENT_SECRET").WithArgs("LinkedIn", "RELAIS_LINKEDIN_CLIENT_ID, RELAIS_LINKEDIN_CLIENT_SECRET")
	}
	as, org, err := choiceOf(input)
	if err != nil {
		return "", nil, err
	}
	q := url.Values{"response_type": {"code"}, "client_id": {a.ClientID}, "redirect_uri": {redirectURI}, "state": {state}, "scope": {Scopes}}
	return a.auth() + "/oauth/v2/authorization?" + q.Encode(), map[string]string{"as": as, "organization": org}, nil
}

// Exchange trades the callback's code for tokens and picks the author.
func (p Provider) Exchange(ctx context.Context, env network.Env, keep map[string]string, redirectURI, code string) (network.Account, network.Stored, error) {
	a := &api{app: p.app(), hc: env.Client(), now: env.Clock}
	secrets, err := a.token(ctx, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI}})
	if err != nil {
		var ne *network.Error
		if errors.As(err, &ne) && ne.Class != network.Retryable {
			ne.Class = network.Permanent
		}
		return network.Account{}, network.Stored{}, fmt.Errorf("linkedin: exchange code: %w", err)
	}
	return p.connect(ctx, env, secrets, keep["as"], keep["organization"])
}
