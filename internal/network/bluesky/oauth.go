package bluesky

// atproto OAuth (https://atproto.com/specs/oauth): pushed authorization
// requests, PKCE S256 and DPoP-bound tokens, with the client identified by the
// URL of its metadata document, which the host serves (ClientMetadata).

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
)

// ClientMetadataPath is where the host serves ClientMetadata, under its public base URL.
const ClientMetadataPath = "/oauth/bluesky/client-metadata.json"

// oauthScope asks for the account's repository and the AppView reads relais makes.
const oauthScope = "atproto transition:generic"

// Keys kept between AuthorizeURL and Exchange, and stored for OAuth channels.
const (
	keepVerifier      = "pkce_verifier"
	secretDPoPKey     = "dpop_key"
	secretExpiresAt   = "access_expires_at"
	settingAuth       = "auth"
	settingIssuer     = "oauth_issuer"
	settingTokenURL   = "oauth_token_endpoint"
	settingClientID   = "oauth_client_id"
	authMethodOAuth   = "oauth"
	assertionTypeJWT  = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	defaultExpiresSec = 300
)

// ClientID is the OAuth client_id of a relais install: the URL of its metadata document.
func ClientID(baseURL string) string { return strings.TrimRight(baseURL, "/") + ClientMetadataPath }

// clientIDFor picks the client_id for an authorization: the metadata URL, or,
// for an install on a loopback address (development), atproto's loopback
// client "http://localhost" that needs no metadata document and is always public.
func clientIDFor(baseURL, redirectURI string) string {
	u, err := url.Parse(baseURL)
	if err == nil && u.Scheme == "http" && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1" || u.Hostname() == "::1") {
		return "http://localhost?" + url.Values{"redirect_uri": {redirectURI}, "scope": {oauthScope}}.Encode()
	}
	return ClientID(baseURL)
}

// OAuthAvailable reports whether the OAuth flow can be offered: the
// authorization server fetches the client metadata, so the base URL must be public HTTPS.
func (p *Provider) OAuthAvailable(env network.Env) bool {
	return strings.HasPrefix(env.BaseURL, "https://")
}

// ClientMetadata returns the JSON document the host serves at
// baseURL + ClientMetadataPath. A confidential client (Options.OAuthClientKey
// set) publishes its public key inline and authenticates with private_key_jwt.
func (p *Provider) ClientMetadata(baseURL string, redirectURIs []string) ([]byte, error) {
	base := strings.TrimRight(baseURL, "/")
	m := map[string]any{
		"client_id":                  ClientID(base),
		"client_name":                "relais",
		"client_uri":                 base,
		"application_type":           "web",
		"grant_types":                []string{"authorization_code", "refresh_token"},
		"response_types":             []string{"code"},
		"scope":                      oauthScope,
		"redirect_uris":              redirectURIs,
		"dpop_bound_access_tokens":   true,
		"token_endpoint_auth_method": "none",
	}
	if p.opts.OAuthClientKey != nil {
		jwk, err := PublicJWK(p.opts.OAuthClientKey, p.opts.OAuthClientKeyID)
		if err != nil {
			return nil, err
		}
		m["token_endpoint_auth_method"] = "private_key_jwt"
		m["token_endpoint_auth_signing_alg"] = "ES256"
		m["jwks"] = map[string]any{"keys": []any{jwk}}
	}
	return json.MarshalIndent(m, "", "  ")
}

// authServer is the part of the authorization server metadata relais uses.
type authServer struct {
	Issuer                string   `json:"issuer"`
	AuthorizationEndpoint string   `json:"authorization_endpoint"`
	TokenEndpoint         string   `json:"token_endpoint"`
	PAREndpoint           string   `json:"pushed_authorization_request_endpoint"`
	CodeChallengeMethods  []string `json:"code_challenge_methods_supported"`
	DPoPAlgs              []string `json:"dpop_signing_alg_values_supported"`
}

// AuthorizeURL starts the OAuth flow for input["handle"] (and optional
// input["pds_url"]): it finds the account's authorization server, pushes the
// authorization request with PKCE and a fresh DPoP key, and returns where to
// send the browser. keep holds the PKCE verifier and the DPoP private key: the
// host must keep it server-side (encrypted) until the callback.
func (p *Provider) AuthorizeURL(ctx context.Context, env network.Env, input map[string]string, redirectURI, state string) (string, map[string]string, error) {
	if env.BaseURL == "" {
		return "", nil, &network.Error{Class: network.Permanent, Network: network.Bluesky, Message: "Bluesky OAuth needs the public base URL to be configured"}
	}
	handle := normalizeHandle(input["handle"])
	if handle == "" {
		return "", nil, invalid("handle is required")
	}
	hc := env.Client()
	did, pds, err := p.locate(ctx, hc, handle, strings.TrimRight(strings.TrimSpace(input["pds_url"]), "/"))
	if err != nil {
		return "", nil, err
	}
	as, resource, err := discoverAuthServer(ctx, hc, pds)
	if err != nil {
		return "", nil, err
	}
	// DPoP proofs name the exact URL called, and the PDS checks them against
	// its own public URL: call it by the name it gives itself.
	pds = resource
	key, err := newES256Key()
	if err != nil {
		return "", nil, err
	}
	d, err := newDPoP(key)
	if err != nil {
		return "", nil, err
	}
	verifier := randomID() + randomID() // 43+ characters, as PKCE requires
	sum := sha256.Sum256([]byte(verifier))
	clientID := clientIDFor(env.BaseURL, redirectURI)
	form := url.Values{
		"response_type":         {"code"},
		"code_challenge":        {b64.EncodeToString(sum[:])},
		"code_challenge_method": {"S256"},
		"redirect_uri":          {redirectURI},
		"state":                 {state},
		"scope":                 {oauthScope},
		"login_hint":            {handle},
	}
	oc := p.oauthClient(clientID, as.Issuer, as.TokenEndpoint)
	var par struct {
		RequestURI string `json:"request_uri"`
	}
	if err := oc.post(ctx, hc, d, as.PAREndpoint, form, env.Clock(), &par); err != nil {
		return "", nil, err
	}
	if par.RequestURI == "" {
		return "", nil, fmt.Errorf("bluesky: pushed authorization request answered without request_uri")
	}
	encKey, err := encodeKey(key)
	if err != nil {
		return "", nil, err
	}
	to := as.AuthorizationEndpoint + "?" + url.Values{"client_id": {clientID}, "request_uri": {par.RequestURI}}.Encode()
	keep := map[string]string{
		keepVerifier: verifier, secretDPoPKey: encKey, settingIssuer: as.Issuer, settingTokenURL: as.TokenEndpoint,
		settingClientID: clientID, settingDID: did, settingHandle: handle, settingPDS: pds,
	}
	return to, keep, nil
}

// Exchange finishes the OAuth flow with the callback's code.
func (p *Provider) Exchange(ctx context.Context, env network.Env, keep map[string]string, redirectURI, code string) (network.Account, network.Stored, error) {
	key, err := decodeKey(keep[secretDPoPKey])
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	d, err := newDPoP(key)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	oc := p.oauthClient(keep[settingClientID], keep[settingIssuer], keep[settingTokenURL])
	tok, err := oc.token(ctx, env.Client(), d, url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI}, "code_verifier": {keep[keepVerifier]},
	}, env.Clock())
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	if tok.Sub != keep[settingDID] {
		return network.Account{}, network.Stored{}, &network.Error{Class: network.Permanent, Network: network.Bluesky,
			Message: fmt.Sprintf("the authorization server signed in %s instead of %s", tok.Sub, keep[settingDID])}
	}
	stored := network.Stored{
		Settings: map[string]string{
			settingAuth: authMethodOAuth, settingDID: tok.Sub, settingHandle: keep[settingHandle], settingPDS: keep[settingPDS],
			settingIssuer: keep[settingIssuer], settingTokenURL: keep[settingTokenURL], settingClientID: keep[settingClientID],
		},
		Secrets: map[string]string{
			secretAccess: tok.AccessToken, secretRefresh: tok.RefreshToken, secretDPoPKey: keep[secretDPoPKey],
			secretExpiresAt: tok.expiresAt(env.Clock()).Format(time.RFC3339),
		},
	}
	c, err := p.Open(env, stored)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	acct, err := c.(*Connector).account(ctx)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	return acct, stored, nil
}

// locate finds an account's DID and PDS, from an explicit PDS URL or by resolution.
func (p *Provider) locate(ctx context.Context, hc *http.Client, handle, pdsURL string) (string, string, error) {
	if pdsURL != "" {
		did, err := resolveHandleXRPC(ctx, hc, pdsURL, handle)
		if err != nil {
			return "", "", fmt.Errorf("bluesky: resolve %s on %s: %w", handle, pdsURL, err)
		}
		return did, pdsURL, nil
	}
	r := p.resolver(hc)
	did, err := r.resolveHandle(ctx, handle)
	if err != nil {
		return "", "", &network.Error{Class: network.Permanent, Network: network.Bluesky,
			Message: fmt.Sprintf("the handle %q could not be resolved to an account", handle), Err: err}
	}
	pds, err := r.resolvePDS(ctx, did)
	if err != nil {
		return "", "", fmt.Errorf("bluesky: find the PDS of %s: %w", did, err)
	}
	return did, pds, nil
}

// discoverAuthServer follows the PDS's protected-resource metadata to its
// authorization server and checks that it speaks the atproto profile. It also
// returns the PDS's own name for itself (the metadata's resource).
func discoverAuthServer(ctx context.Context, hc *http.Client, pds string) (authServer, string, error) {
	var pr struct {
		Resource             string   `json:"resource"`
		AuthorizationServers []string `json:"authorization_servers"`
	}
	if err := getJSON(ctx, hc, pds+"/.well-known/oauth-protected-resource", &pr); err != nil {
		return authServer{}, "", err
	}
	if len(pr.AuthorizationServers) == 0 {
		return authServer{}, "", fmt.Errorf("bluesky: %s names no authorization server", pds)
	}
	resource := strings.TrimRight(pr.Resource, "/")
	if u, err := url.Parse(resource); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		resource = pds
	}
	issuer := strings.TrimRight(pr.AuthorizationServers[0], "/")
	var as authServer
	if err := getJSON(ctx, hc, issuer+"/.well-known/oauth-authorization-server", &as); err != nil {
		return authServer{}, "", err
	}
	switch {
	case strings.TrimRight(as.Issuer, "/") != issuer:
		return authServer{}, "", fmt.Errorf("bluesky: authorization server %s calls itself %s", issuer, as.Issuer)
	case as.PAREndpoint == "" || as.TokenEndpoint == "" || as.AuthorizationEndpoint == "":
		return authServer{}, "", fmt.Errorf("bluesky: authorization server %s lacks PAR, token or authorization endpoint", issuer)
	case !slices.Contains(as.CodeChallengeMethods, "S256"):
		return authServer{}, "", fmt.Errorf("bluesky: authorization server %s does not support PKCE S256", issuer)
	case len(as.DPoPAlgs) > 0 && !slices.Contains(as.DPoPAlgs, "ES256"):
		return authServer{}, "", fmt.Errorf("bluesky: authorization server %s does not accept ES256 DPoP proofs", issuer)
	}
	return as, resource, nil
}

func getJSON(ctx context.Context, hc *http.Client, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("bluesky: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return network.TransportError(network.Bluesky, err)
	}
	body, err := network.ReadBody(resp)
	if err != nil {
		return network.TransportError(network.Bluesky, err)
	}
	if resp.StatusCode != http.StatusOK {
		return &network.Error{Class: network.ClassForStatus(resp.StatusCode), Network: network.Bluesky, Status: resp.StatusCode,
			Message: fmt.Sprintf("%s answered HTTP %d", u, resp.StatusCode)}
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("bluesky: decode %s: %w", u, err)
	}
	return nil
}

// oauthClient talks to one authorization server as one client.
type oauthClient struct {
	clientID, issuer, tokenEndpoint string
	// key signs client assertions (private_key_jwt); nil for a public client.
	key   *ecdsa.PrivateKey
	keyID string
}

func (p *Provider) oauthClient(clientID, issuer, tokenEndpoint string) *oauthClient {
	oc := &oauthClient{clientID: clientID, issuer: issuer, tokenEndpoint: tokenEndpoint}
	if !strings.HasPrefix(clientID, "http://localhost") { // loopback clients are always public
		oc.key, oc.keyID = p.opts.OAuthClientKey, p.opts.OAuthClientKeyID
	}
	return oc
}

// tokenResponse is the token endpoint's answer.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int64  `json:"expires_in"`
	Scope        string `json:"scope"`
	Sub          string `json:"sub"`
}

func (t tokenResponse) expiresAt(now time.Time) time.Time {
	n := t.ExpiresIn
	if n <= 0 {
		n = defaultExpiresSec
	}
	return now.Add(time.Duration(n) * time.Second)
}

// token calls the token endpoint and checks the answer is a DPoP-bound atproto token.
func (oc *oauthClient) token(ctx context.Context, hc *http.Client, d *dpop, form url.Values, now time.Time) (tokenResponse, error) {
	var tok tokenResponse
	if err := oc.post(ctx, hc, d, oc.tokenEndpoint, form, now, &tok); err != nil {
		return tokenResponse{}, err
	}
	switch {
	case tok.AccessToken == "" || tok.Sub == "":
		return tokenResponse{}, fmt.Errorf("bluesky: token endpoint answered without access_token or sub")
	case !strings.EqualFold(tok.TokenType, "DPoP"):
		return tokenResponse{}, fmt.Errorf("bluesky: token endpoint issued a %q token, not a DPoP-bound one", tok.TokenType)
	case !slices.Contains(strings.Fields(tok.Scope), "atproto"):
		return tokenResponse{}, fmt.Errorf("bluesky: token scope %q lacks atproto", tok.Scope)
	}
	return tok, nil
}

// post sends a form to the authorization server with client authentication
// and a DPoP proof, retrying once when the server asks for a nonce.
func (oc *oauthClient) post(ctx context.Context, hc *http.Client, d *dpop, endpoint string, form url.Values, now time.Time, out any) error {
	form = cloneValues(form)
	form.Set("client_id", oc.clientID)
	if oc.key != nil {
		header := map[string]any{"alg": "ES256", "typ": "JWT"}
		if oc.keyID != "" {
			header["kid"] = oc.keyID
		}
		assertion, err := signES256(oc.key, header, map[string]any{
			"iss": oc.clientID, "sub": oc.clientID, "aud": oc.issuer, "jti": randomID(), "iat": now.Unix(),
		})
		if err != nil {
			return err
		}
		form.Set("client_assertion_type", assertionTypeJWT)
		form.Set("client_assertion", assertion)
	}
	body := form.Encode()
	for attempt := 0; ; attempt++ {
		proof, err := d.proof(http.MethodPost, endpoint, "", now)
		if err != nil {
			return err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(body))
		if err != nil {
			return fmt.Errorf("bluesky: %w", err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("DPoP", proof)
		resp, err := hc.Do(req)
		if err != nil {
			return network.TransportError(network.Bluesky, err)
		}
		raw, err := network.ReadBody(resp)
		if err != nil {
			return network.TransportError(network.Bluesky, err)
		}
		changed := d.remember(endpoint, resp.Header)
		if wantsNonce(resp.StatusCode, resp.Header, raw) && changed && attempt == 0 {
			continue
		}
		if resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusCreated {
			if err := json.Unmarshal(raw, out); err != nil {
				return fmt.Errorf("bluesky: decode %s: %w", endpoint, err)
			}
			return nil
		}
		return oauthError(resp.StatusCode, resp.Header, raw, now)
	}
}

// oauthError maps an authorization server's error onto relais's classes: a
// rejected grant (expired or revoked refresh token) means reconnecting.
func oauthError(status int, h http.Header, body []byte, now time.Time) *network.Error {
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal(body, &e)
	ne := &network.Error{Network: network.Bluesky, Status: status, Code: e.Error, Message: e.Description}
	switch {
	case status == http.StatusTooManyRequests:
		ne.Class, ne.RetryAfter = network.Retryable, network.ParseRateLimit(h, now).Reset
	case status >= 500:
		ne.Class = network.Retryable
	case e.Error == "invalid_grant" || e.Error == "invalid_client" || e.Error == "unauthorized_client" || status == http.StatusUnauthorized:
		ne.Class = network.AuthReconnect
	default:
		ne.Class = network.Permanent
	}
	if ne.Message == "" {
		ne.Message = "the authorization server answered HTTP " + strconv.Itoa(status)
	}
	return ne
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// oauthState is what a client signed in with OAuth needs to call the PDS and renew its tokens.
type oauthState struct {
	dpop      *dpop
	client    *oauthClient
	expiresAt time.Time // guarded by client.mu
}

// openOAuth rebuilds the OAuth state of a stored channel.
func (p *Provider) openOAuth(s network.Stored) (*oauthState, error) {
	key, err := decodeKey(s.Secrets[secretDPoPKey])
	if err != nil {
		return nil, err
	}
	d, err := newDPoP(key)
	if err != nil {
		return nil, err
	}
	st := &oauthState{dpop: d, client: p.oauthClient(s.Settings[settingClientID], s.Settings[settingIssuer], s.Settings[settingTokenURL])}
	if t, err := time.Parse(time.RFC3339, s.Secrets[secretExpiresAt]); err == nil {
		st.expiresAt = t
	}
	return st, nil
}

// oauthRefresh renews DPoP-bound tokens at the token endpoint.
func (cl *client) oauthRefresh(ctx context.Context, refreshTok, did string) (session, time.Time, error) {
	if refreshTok == "" {
		return session{}, time.Time{}, reconnect("the OAuth session has no refresh token", nil)
	}
	now := cl.clock()
	tok, err := cl.oauth.client.token(ctx, cl.http, cl.oauth.dpop, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshTok}}, now)
	if err != nil {
		if isAuthFailure(err) {
			return session{}, time.Time{}, reconnect("the Bluesky authorization expired or was revoked", err)
		}
		return session{}, time.Time{}, err
	}
	if tok.Sub != did {
		return session{}, time.Time{}, reconnect("the refreshed token belongs to another account", nil)
	}
	next := session{AccessJwt: tok.AccessToken, RefreshJwt: tok.RefreshToken, DID: tok.Sub}
	if next.RefreshJwt == "" {
		next.RefreshJwt = refreshTok
	}
	return next, tok.expiresAt(now), nil
}
