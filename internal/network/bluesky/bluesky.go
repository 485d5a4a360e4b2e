// Package bluesky is the Bluesky (AT Protocol) connector: it logs in with a
// handle and an app password (resolving handle → DID → PDS, or using a given
// PDS URL) or through atproto OAuth (PAR, PKCE, DPoP) when the install has a
// public base URL, keeps the session fresh, publishes posts and threads with facets,
// images and link cards under record keys chosen before the call, and reads
// counts, replies and notifications from the AppView.
package bluesky

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/relais/relais/internal/network"
)

// DefaultPLCURL is the public PLC directory that resolves did:plc identities.
const DefaultPLCURL = "https://plc.directory"

// Options configures a Provider; the zero value uses the public network.
type Options struct {
	// PLCURL is the PLC directory (default DefaultPLCURL).
	PLCURL string
	// HandleResolverURL, when set, is the XRPC service (a PDS or AppView) that
	// resolves handles at connect time, instead of DNS and HTTPS.
	HandleResolverURL string
	// AppViewURL, when set, serves public app.bsky.* reads directly (for example
	// https://public.api.bsky.app); otherwise reads go through the account's PDS.
	AppViewURL string
	// AppViewProxy, when set, is sent as the atproto-proxy header on reads through
	// the PDS ("did:web:api.bsky.app#bsky_appview"); unset, the PDS uses its own AppView.
	AppViewProxy string
	// OAuthClientKey, when set, makes relais a confidential OAuth client that
	// authenticates with private_key_jwt (longer sessions); nil: a public client.
	OAuthClientKey *ecdsa.PrivateKey
	// OAuthClientKeyID is the kid of OAuthClientKey in the client metadata.
	OAuthClientKeyID string
}

// Provider connects Bluesky accounts and opens connectors for them.
type Provider struct {
	opts Options
}

// NewProvider returns a Provider with the given options.
func NewProvider(o Options) *Provider {
	if o.PLCURL == "" {
		o.PLCURL = DefaultPLCURL
	}
	return &Provider{opts: o}
}

func init() { network.Register(NewProvider(Options{})) }

// Kind names the network.
func (p *Provider) Kind() network.Kind { return network.Bluesky }

// Fields lists the connect form's inputs.
func (p *Provider) Fields() []network.Field {
	return []network.Field{
		{Name: "handle", Label: "Handle", Required: true, Help: "Your Bluesky handle, for example alice.bsky.social"},
		{Name: "app_password", Label: "App password", Secret: true, Required: true, Help: "Create one under Settings → Privacy and security → App passwords"},
		{Name: "pds_url", Label: "PDS URL", Type: network.FieldURL, Help: "Only for a self-hosted PDS; left empty, it is found from the handle"},
	}
}

// Connect logs in with the form input and returns the account and what to store.
func (p *Provider) Connect(ctx context.Context, env network.Env, input map[string]string) (network.Account, network.Stored, error) {
	handle := normalizeHandle(input["handle"])
	password := strings.TrimSpace(input["app_password"])
	pdsURL := strings.TrimRight(strings.TrimSpace(input["pds_url"]), "/")
	switch {
	case handle == "":
		return network.Account{}, network.Stored{}, invalid("handle is required")
	case password == "":
		return network.Account{}, network.Stored{}, invalid("app_password is required")
	}
	hc := env.Client()
	identifier := handle
	var wantDID string
	if pdsURL != "" {
		u, err := url.Parse(pdsURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return network.Account{}, network.Stored{}, invalid("pds_url must be an http(s) URL such as https://pds.example.com")
		}
	} else {
		r := p.resolver(hc)
		did, err := r.resolveHandle(ctx, handle)
		if err != nil {
			return network.Account{}, network.Stored{}, &network.Error{Class: network.Permanent, Network: network.Bluesky,
				Message: fmt.Sprintf("the handle %q could not be resolved to an account", handle), Err: err}
		}
		if pdsURL, err = r.resolvePDS(ctx, did); err != nil {
			return network.Account{}, network.Stored{}, fmt.Errorf("bluesky: find the PDS of %s: %w", did, err)
		}
		identifier, wantDID = did, did
	}
	sess, err := createSession(ctx, hc, pdsURL, identifier, password, env.Clock())
	if err != nil {
		if isAuthFailure(err) {
			return network.Account{}, network.Stored{}, reconnect("Bluesky rejected the handle or app password", err)
		}
		return network.Account{}, network.Stored{}, err
	}
	if wantDID != "" && sess.DID != wantDID {
		return network.Account{}, network.Stored{}, &network.Error{Class: network.Permanent, Network: network.Bluesky,
			Message: fmt.Sprintf("the PDS logged in %s instead of %s", sess.DID, wantDID)}
	}
	c := p.open(env, pdsURL, sess, password)
	acct, err := c.account(ctx)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	stored := network.Stored{
		Settings: map[string]string{settingDID: sess.DID, settingHandle: sess.Handle, settingPDS: pdsURL},
		Secrets:  c.cl.secrets(),
	}
	return acct, stored, nil
}

// Open builds a connector from a stored channel.
func (p *Provider) Open(env network.Env, s network.Stored) (network.Connector, error) {
	did, pds := s.Settings[settingDID], s.Settings[settingPDS]
	if did == "" || pds == "" {
		return nil, fmt.Errorf("bluesky: stored channel lacks %s or %s", settingDID, settingPDS)
	}
	if s.Secrets[secretAccess] == "" && s.Secrets[secretAppPassword] == "" {
		return nil, fmt.Errorf("bluesky: stored channel has neither a session nor an app password")
	}
	sess := session{AccessJwt: s.Secrets[secretAccess], RefreshJwt: s.Secrets[secretRefresh], DID: did, Handle: s.Settings[settingHandle]}
	c := p.open(env, pds, sess, s.Secrets[secretAppPassword])
	if s.Settings[settingAuth] == authMethodOAuth {
		st, err := p.openOAuth(s)
		if err != nil {
			return nil, err
		}
		c.cl.oauth = st
	}
	return c, nil
}

func (p *Provider) open(env network.Env, pds string, sess session, password string) *Connector {
	hc := env.Client()
	return &Connector{
		env: env,
		cl: &client{
			http: hc, now: env.Now, pds: pds, appView: p.opts.AppViewURL, appViewProxy: p.opts.AppViewProxy,
			save: env.SaveSecrets, refreshLocked: env.RefreshLocked, sess: sess, appPassword: password,
		},
	}
}

func (p *Provider) resolver(hc *http.Client) resolver {
	return resolver{http: hc, plc: p.opts.PLCURL, handleService: p.opts.HandleResolverURL, lookupTXT: net.DefaultResolver.LookupTXT}
}

// Connector is an open Bluesky channel.
type Connector struct {
	env network.Env
	cl  *client
}

// Kind names the network.
func (c *Connector) Kind() network.Kind { return network.Bluesky }

// DID returns the account's DID.
func (c *Connector) DID() string {
	c.cl.mu.Lock()
	defer c.cl.mu.Unlock()
	return c.cl.sess.DID
}

func (c *Connector) handle() string {
	c.cl.mu.Lock()
	defer c.cl.mu.Unlock()
	return c.cl.sess.Handle
}

// Identify checks the session (refreshing it if needed) and returns the account.
func (c *Connector) Identify(ctx context.Context) (network.Account, error) {
	if err := c.Check(ctx); err != nil {
		return network.Account{}, err
	}
	return c.account(ctx)
}

// Check is the cheap health check: com.atproto.server.getSession.
func (c *Connector) Check(ctx context.Context) error {
	var out session
	if err := c.cl.do(ctx, call{method: http.MethodGet, nsid: "com.atproto.server.getSession", auth: true}, &out); err != nil {
		return err
	}
	c.cl.mu.Lock()
	if out.Handle != "" {
		c.cl.sess.Handle = out.Handle
	}
	c.cl.mu.Unlock()
	return nil
}

// account reads the profile record from the PDS itself (it needs no AppView).
func (c *Connector) account(ctx context.Context) (network.Account, error) {
	did, handle := c.DID(), c.handle()
	acct := network.Account{RemoteID: did, Handle: handle, URL: "https://bsky.app/profile/" + handle}
	var rec struct {
		Value struct {
			DisplayName string `json:"displayName"`
			Avatar      *blob  `json:"avatar"`
		} `json:"value"`
	}
	err := c.cl.do(ctx, call{method: http.MethodGet, nsid: "com.atproto.repo.getRecord", auth: true,
		query: url.Values{"repo": {did}, "collection": {"app.bsky.actor.profile"}, "rkey": {"self"}}}, &rec)
	if err != nil {
		if isRecordNotFound(err) {
			return acct, nil
		}
		return network.Account{}, err
	}
	acct.DisplayName = rec.Value.DisplayName
	if rec.Value.Avatar != nil && rec.Value.Avatar.Ref.Link != "" {
		acct.AvatarURL = c.cl.pds + "/xrpc/com.atproto.sync.getBlob?" + url.Values{"did": {did}, "cid": {rec.Value.Avatar.Ref.Link}}.Encode()
	}
	return acct, nil
}

// invalid is a form-input error that names the field.
func invalid(msg string) error {
	return &network.Error{Class: network.InvalidContent, Network: network.Bluesky, Message: msg}
}
