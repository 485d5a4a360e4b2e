package bluesky

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
)

// fakeAuth is a PDS that is its own authorization server (as a self-hosted
// PDS is), strict about what atproto OAuth requires: PAR, PKCE S256, DPoP
// proofs with server nonces and token binding, and client assertions for
// confidential clients.
type fakeAuth struct {
	t         *testing.T
	srv       *httptest.Server
	did       string
	handle    string
	clientKey *ecdsa.PublicKey // nil: public clients

	mu        sync.Mutex
	asNonce   string
	pdsNonce  string
	seenJTI   map[string]bool
	pars      map[string]url.Values
	parJKT    map[string]string
	codes     map[string]string // code → request_uri
	access    map[string]string // token → jkt
	refresh   map[string]string // token → jkt
	issued    int
	nonceAsks int
	// refreshCalls counts refresh grants asked for, refused ones included.
	refreshCalls int
}

func newFakeAuth(t *testing.T, clientKey *ecdsa.PublicKey) *fakeAuth {
	f := &fakeAuth{t: t, did: "did:plc:oauthuser", handle: "oauth.test", clientKey: clientKey,
		asNonce: "as-nonce-1", pdsNonce: "pds-nonce-1", seenJTI: map[string]bool{},
		pars: map[string]url.Values{}, parJKT: map[string]string{}, codes: map[string]string{},
		access: map[string]string{}, refresh: map[string]string{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func oauthErr(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

func (f *fakeAuth) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	iss := f.srv.URL
	switch r.URL.Path {
	case "/.well-known/oauth-protected-resource":
		_ = json.NewEncoder(w).Encode(map[string]any{"resource": iss, "authorization_servers": []string{iss}})
	case "/.well-known/oauth-authorization-server":
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer": iss, "authorization_endpoint": iss + "/oauth/authorize", "token_endpoint": iss + "/oauth/token",
			"pushed_authorization_request_endpoint": iss + "/oauth/par", "require_pushed_authorization_requests": true,
			"code_challenge_methods_supported": []string{"S256"}, "dpop_signing_alg_values_supported": []string{"ES256"},
			"token_endpoint_auth_methods_supported": []string{"none", "private_key_jwt"}, "scopes_supported": []string{"atproto", "transition:generic"},
		})
	case "/oauth/par":
		f.par(w, r)
	case "/oauth/authorize":
		reqURI := r.URL.Query().Get("request_uri")
		form, ok := f.pars[reqURI]
		if !ok || r.URL.Query().Get("client_id") != form.Get("client_id") {
			http.Error(w, "unknown request", http.StatusBadRequest)
			return
		}
		code := fmt.Sprintf("code-%d", len(f.codes)+1)
		f.codes[code] = reqURI
		http.Redirect(w, r, form.Get("redirect_uri")+"?"+url.Values{"code": {code}, "state": {form.Get("state")}, "iss": {iss}}.Encode(), http.StatusFound)
	case "/oauth/token":
		f.token(w, r)
	case "/xrpc/com.atproto.identity.resolveHandle":
		_ = json.NewEncoder(w).Encode(map[string]string{"did": f.did})
	case "/xrpc/com.atproto.server.getSession":
		if f.resourceAuth(w, r) {
			_ = json.NewEncoder(w).Encode(map[string]any{"did": f.did, "handle": f.handle})
		}
	case "/xrpc/com.atproto.repo.getRecord":
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"RecordNotFound","message":"Could not locate record"}`))
	default:
		http.NotFound(w, r)
	}
}

// checkDPoP verifies a DPoP proof and returns its key's thumbprint, or "" after answering an error.
func (f *fakeAuth) checkDPoP(w http.ResponseWriter, r *http.Request, nonce, accessToken string, resource bool) string {
	askNonce := func() {
		f.nonceAsks++
		w.Header().Set("DPoP-Nonce", nonce)
		if resource {
			w.Header().Set("WWW-Authenticate", `DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"`)
			oauthErr(w, http.StatusUnauthorized, "use_dpop_nonce", "nonce required")
			return
		}
		oauthErr(w, http.StatusBadRequest, "use_dpop_nonce", "Authorization server requires nonce in DPoP proof")
	}
	header, claims, err := verifyES256(r.Header.Get("DPoP"), nil)
	if err != nil {
		oauthErr(w, http.StatusBadRequest, "invalid_dpop_proof", err.Error())
		return ""
	}
	if header["typ"] != "dpop+jwt" {
		oauthErr(w, http.StatusBadRequest, "invalid_dpop_proof", "typ")
		return ""
	}
	htu := "http://" + r.Host + r.URL.Path
	iat, _ := claims["iat"].(float64)
	jti, _ := claims["jti"].(string)
	switch {
	case claims["htm"] != r.Method || claims["htu"] != htu:
		oauthErr(w, http.StatusBadRequest, "invalid_dpop_proof", fmt.Sprintf("htm/htu %v %v", claims["htm"], claims["htu"]))
		return ""
	case iat == 0 || jti == "" || f.seenJTI[jti]:
		oauthErr(w, http.StatusBadRequest, "invalid_dpop_proof", "iat or jti missing or replayed")
		return ""
	case claims["nonce"] != nonce:
		askNonce()
		return ""
	}
	f.seenJTI[jti] = true
	if accessToken != "" {
		sum := sha256.Sum256([]byte(accessToken))
		if claims["ath"] != b64.EncodeToString(sum[:]) {
			oauthErr(w, http.StatusBadRequest, "invalid_dpop_proof", "ath")
			return ""
		}
	}
	jwk := header["jwk"].(map[string]any)
	thumb := sha256.Sum256([]byte(fmt.Sprintf(`{"crv":"P-256","kty":"EC","x":%q,"y":%q}`, jwk["x"], jwk["y"])))
	return b64.EncodeToString(thumb[:])
}

// verifyES256 checks a compact JWS; with key nil the key is the header's jwk (DPoP).
func verifyES256(token string, key *ecdsa.PublicKey) (map[string]any, map[string]any, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, nil, errors.New("not a JWS")
	}
	var header, claims map[string]any
	for i, dst := range []*map[string]any{&header, &claims} {
		b, err := b64.DecodeString(parts[i])
		if err != nil {
			return nil, nil, err
		}
		if err := json.Unmarshal(b, dst); err != nil {
			return nil, nil, err
		}
	}
	if header["alg"] != "ES256" {
		return nil, nil, errors.New("alg")
	}
	if key == nil {
		jwk, ok := header["jwk"].(map[string]any)
		if !ok || jwk["d"] != nil {
			return nil, nil, errors.New("jwk missing or private")
		}
		x, _ := b64.DecodeString(jwk["x"].(string))
		y, _ := b64.DecodeString(jwk["y"].(string))
		pk, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
		if err != nil {
			return nil, nil, err
		}
		key = pk
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return nil, nil, errors.New("signature")
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(key, sum[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return nil, nil, errors.New("bad signature")
	}
	return header, claims, nil
}

// checkClient authenticates the client: an assertion for confidential clients, none for public ones.
func (f *fakeAuth) checkClient(w http.ResponseWriter, r *http.Request) bool {
	clientID := r.PostForm.Get("client_id")
	if clientID == "" {
		oauthErr(w, http.StatusBadRequest, "invalid_request", "client_id")
		return false
	}
	if f.clientKey == nil {
		if r.PostForm.Get("client_assertion") != "" {
			oauthErr(w, http.StatusBadRequest, "invalid_client", "public clients send no assertion")
			return false
		}
		return true
	}
	_, claims, err := verifyES256(r.PostForm.Get("client_assertion"), f.clientKey)
	if err != nil || r.PostForm.Get("client_assertion_type") != assertionTypeJWT ||
		claims["iss"] != clientID || claims["sub"] != clientID || claims["aud"] != f.srv.URL {
		oauthErr(w, http.StatusUnauthorized, "invalid_client", fmt.Sprintf("client assertion: %v %v", err, claims))
		return false
	}
	return true
}

func (f *fakeAuth) par(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	jkt := f.checkDPoP(w, r, f.asNonce, "", false)
	if jkt == "" || !f.checkClient(w, r) {
		return
	}
	form := r.PostForm
	if form.Get("code_challenge_method") != "S256" || len(form.Get("code_challenge")) != 43 || form.Get("response_type") != "code" ||
		form.Get("redirect_uri") == "" || form.Get("state") == "" || !strings.Contains(form.Get("scope"), "atproto") {
		oauthErr(w, http.StatusBadRequest, "invalid_request", "PAR parameters")
		return
	}
	reqURI := fmt.Sprintf("urn:ietf:params:oauth:request_uri:req-%d", len(f.pars)+1)
	f.pars[reqURI], f.parJKT[reqURI] = form, jkt
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]any{"request_uri": reqURI, "expires_in": 299})
}

func (f *fakeAuth) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	jkt := f.checkDPoP(w, r, f.asNonce, "", false)
	if jkt == "" || !f.checkClient(w, r) {
		return
	}
	form := r.PostForm
	switch form.Get("grant_type") {
	case "authorization_code":
		reqURI, ok := f.codes[form.Get("code")]
		delete(f.codes, form.Get("code"))
		par := f.pars[reqURI]
		sum := sha256.Sum256([]byte(form.Get("code_verifier")))
		if !ok || form.Get("redirect_uri") != par.Get("redirect_uri") || b64.EncodeToString(sum[:]) != par.Get("code_challenge") ||
			f.parJKT[reqURI] != jkt || form.Get("client_id") != par.Get("client_id") {
			oauthErr(w, http.StatusBadRequest, "invalid_grant", "code, redirect_uri, PKCE or DPoP key mismatch")
			return
		}
	case "refresh_token":
		f.refreshCalls++
		bound, ok := f.refresh[form.Get("refresh_token")]
		if !ok || bound != jkt {
			oauthErr(w, http.StatusBadRequest, "invalid_grant", "refresh token revoked or bound to another key")
			return
		}
		delete(f.refresh, form.Get("refresh_token"))
	default:
		oauthErr(w, http.StatusBadRequest, "unsupported_grant_type", form.Get("grant_type"))
		return
	}
	f.issued++
	access, refresh := fmt.Sprintf("at-%d", f.issued), fmt.Sprintf("rt-%d", f.issued)
	f.access[access], f.refresh[refresh] = jkt, jkt
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": access, "token_type": "DPoP", "refresh_token": refresh,
		"expires_in": 3600, "scope": oauthScope, "sub": f.did})
}

// resourceAuth checks a DPoP-bound access token on a PDS call.
func (f *fakeAuth) resourceAuth(w http.ResponseWriter, r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "DPoP ")
	if !ok {
		oauthErr(w, http.StatusUnauthorized, "AuthMissing", "DPoP token required")
		return false
	}
	jkt := f.checkDPoP(w, r, f.pdsNonce, tok, true)
	if jkt == "" {
		return false
	}
	if bound, ok := f.access[tok]; !ok || bound != jkt {
		w.Header().Set("WWW-Authenticate", `DPoP error="invalid_token", error_description="token expired"`)
		oauthErr(w, http.StatusUnauthorized, "InvalidToken", "token expired")
		return false
	}
	return true
}

// expireAccess forgets access tokens (as expiry would); revoke forgets refresh tokens too.
func (f *fakeAuth) expireAccess() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.access = map[string]string{}
	f.pdsNonce = "pds-nonce-2" // nonces rotate too
}

func (f *fakeAuth) revoke() {
	f.expireAccess()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refresh = map[string]string{}
}

func TestOAuthFlow(t *testing.T) {
	t.Parallel()
	for _, confidential := range []bool{false, true} {
		t.Run(fmt.Sprintf("confidential=%v", confidential), func(t *testing.T) {
			t.Parallel()
			opts := Options{}
			var pub *ecdsa.PublicKey
			if confidential {
				k, err := newES256Key()
				require.NoError(t, err)
				opts.OAuthClientKey, opts.OAuthClientKeyID, pub = k, "key-1", &k.PublicKey
			}
			f := newFakeAuth(t, pub)
			p := NewProvider(opts)
			saved := &savedSecrets{}
			yes := true
			env := network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &yes}), BaseURL: "https://relais.example", SaveSecrets: saved.save}
			ctx := context.Background()
			redirect := "https://relais.example/channels/oauth/callback"

			require.False(t, p.OAuthAvailable(network.Env{BaseURL: "http://localhost:8080"}))
			require.True(t, p.OAuthAvailable(env))
			_, _, err := p.AuthorizeURL(ctx, network.Env{}, map[string]string{"handle": f.handle}, redirect, "st")
			require.ErrorContains(t, err, "public base URL")

			to, keep, err := p.AuthorizeURL(ctx, env, map[string]string{"handle": f.handle, "pds_url": f.srv.URL}, redirect, "state-123")
			require.NoError(t, err)
			require.True(t, strings.HasPrefix(to, f.srv.URL+"/oauth/authorize?"), to)
			require.Equal(t, 1, f.nonceAsks, "the first PAR learns the server's nonce")

			// The browser: the authorization server redirects back with a code.
			noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := noRedirect.Get(to)
			require.NoError(t, err)
			resp.Body.Close()
			back, err := url.Parse(resp.Header.Get("Location"))
			require.NoError(t, err)
			require.Equal(t, "state-123", back.Query().Get("state"))

			acct, stored, err := p.Exchange(ctx, env, keep, redirect, back.Query().Get("code"))
			require.NoError(t, err)
			require.Equal(t, f.did, acct.RemoteID)
			require.Equal(t, authMethodOAuth, stored.Settings[settingAuth])
			require.Equal(t, "https://relais.example"+ClientMetadataPath, stored.Settings[settingClientID])
			require.NotEmpty(t, stored.Secrets[secretDPoPKey])
			require.Empty(t, stored.Secrets[secretAppPassword])

			// A code is single-use.
			_, _, err = p.Exchange(ctx, env, keep, redirect, back.Query().Get("code"))
			require.Equal(t, network.AuthReconnect, network.ClassOf(err), "%v", err)

			c, err := p.Open(env, stored)
			require.NoError(t, err)
			conn := c.(*Connector)
			require.NoError(t, conn.Check(ctx), "DPoP-bound call, with the PDS's nonce learnt on the way")

			// An expired access token is refreshed with the same DPoP key and saved.
			f.expireAccess()
			require.NoError(t, conn.Check(ctx))
			require.Equal(t, 1, saved.count())
			require.NotEqual(t, stored.Secrets[secretRefresh], saved.all[0][secretRefresh])
			require.Equal(t, stored.Secrets[secretDPoPKey], saved.all[0][secretDPoPKey])

			// The reopened channel (from what was saved) keeps working.
			reopened := network.Stored{Settings: stored.Settings, Secrets: saved.all[0]}
			c2, err := p.Open(env, reopened)
			require.NoError(t, err)
			require.NoError(t, c2.(*Connector).Check(ctx))

			// Revoked: reconnect.
			f.revoke()
			err = conn.Check(ctx)
			require.Equal(t, network.AuthReconnect, network.ClassOf(err), "%v", err)
		})
	}
}

func TestOAuthRejectsATamperedVerifier(t *testing.T) {
	t.Parallel()
	f := newFakeAuth(t, nil)
	p := NewProvider(Options{})
	yes := true
	env := network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &yes}), BaseURL: "https://relais.example"}
	to, keep, err := p.AuthorizeURL(context.Background(), env, map[string]string{"handle": f.handle, "pds_url": f.srv.URL}, "https://relais.example/cb", "s")
	require.NoError(t, err)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(to)
	require.NoError(t, err)
	resp.Body.Close()
	back, _ := url.Parse(resp.Header.Get("Location"))
	keep[keepVerifier] = strings.Repeat("x", 43)
	_, _, err = p.Exchange(context.Background(), env, keep, "https://relais.example/cb", back.Query().Get("code"))
	require.Error(t, err)
	require.Contains(t, err.Error(), "invalid_grant")
}

func TestClientMetadata(t *testing.T) {
	t.Parallel()
	k, err := newES256Key()
	require.NoError(t, err)
	for _, tc := range []struct {
		opts       Options
		wantMethod string
	}{
		{Options{}, "none"},
		{Options{OAuthClientKey: k, OAuthClientKeyID: "k1"}, "private_key_jwt"},
	} {
		b, err := NewProvider(tc.opts).ClientMetadata("https://relais.example/", []string{"https://relais.example/cb"})
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(b, &m))
		require.Equal(t, "https://relais.example/oauth/bluesky/client-metadata.json", m["client_id"])
		require.Equal(t, true, m["dpop_bound_access_tokens"])
		require.Equal(t, oauthScope, m["scope"])
		require.Equal(t, []any{"https://relais.example/cb"}, m["redirect_uris"])
		require.Equal(t, tc.wantMethod, m["token_endpoint_auth_method"])
		if tc.opts.OAuthClientKey != nil {
			keys := m["jwks"].(map[string]any)["keys"].([]any)
			require.Len(t, keys, 1)
			jwk := keys[0].(map[string]any)
			require.Equal(t, "k1", jwk["kid"])
			require.Nil(t, jwk["d"], "the private key never appears")
		}
	}
}

func TestDPoPProofShape(t *testing.T) {
	t.Parallel()
	k, err := newES256Key()
	require.NoError(t, err)
	d, err := newDPoP(k)
	require.NoError(t, err)
	at := time.Unix(1_800_000_000, 0)
	proof, err := d.proof(http.MethodGet, "https://pds.example/xrpc/x?y=1#f", "tok", at)
	require.NoError(t, err)
	header, claims, err := verifyES256(proof, nil)
	require.NoError(t, err)
	require.Equal(t, "dpop+jwt", header["typ"])
	require.Equal(t, "https://pds.example/xrpc/x", claims["htu"], "no query or fragment")
	require.Equal(t, "GET", claims["htm"])
	require.Equal(t, float64(at.Unix()), claims["iat"])
	sum := sha256.Sum256([]byte("tok"))
	require.Equal(t, b64.EncodeToString(sum[:]), claims["ath"])
	require.Nil(t, claims["nonce"])
	h := http.Header{}
	h.Set("DPoP-Nonce", "n1")
	require.True(t, d.remember("https://pds.example/other", h))
	require.False(t, d.remember("https://pds.example/other", h))
	proof, err = d.proof(http.MethodPost, "https://pds.example/xrpc/z", "", at)
	require.NoError(t, err)
	_, claims, err = verifyES256(proof, nil)
	require.NoError(t, err)
	require.Equal(t, "n1", claims["nonce"])
	require.Nil(t, claims["ath"])

	enc, err := encodeKey(k)
	require.NoError(t, err)
	back, err := decodeKey(enc)
	require.NoError(t, err)
	require.True(t, back.Equal(k))
}
