package bluesky

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
)

// Secret and setting keys of a stored Bluesky channel.
const (
	secretAccess      = "access_jwt"
	secretRefresh     = "refresh_jwt"
	secretAppPassword = "app_password"
	settingDID        = "did"
	settingHandle     = "handle"
	settingPDS        = "pds_url"
)

// refreshMargin is how long before the access token's expiry it is refreshed
// proactively, so a long upload does not start with a token about to die.
const refreshMargin = 5 * time.Minute

// xrpcError is the body of every failed XRPC call.
type xrpcError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// session is the account's current token pair and identity.
type session struct {
	AccessJwt  string `json:"accessJwt"`
	RefreshJwt string `json:"refreshJwt"`
	DID        string `json:"did"`
	Handle     string `json:"handle"`
}

// client makes XRPC calls to one account's PDS, refreshing its session as needed.
type client struct {
	http *http.Client
	now  func() time.Time
	pds  string
	// appView, when set, answers public app.bsky.* reads directly (no token is sent there).
	appView string
	// appViewProxy, when set, is sent as atproto-proxy on app.bsky.* calls through the PDS.
	appViewProxy string
	save         func(ctx context.Context, secrets map[string]string) error
	// refreshLocked serialises refreshes across instances (network.Env.RefreshLocked).
	refreshLocked func(ctx context.Context, fn func(current map[string]string) (map[string]string, error)) error

	// oauth is set for channels signed in with OAuth (DPoP-bound tokens).
	oauth *oauthState

	mu          sync.Mutex
	sess        session
	appPassword string
	// refreshMu serialises refreshes: refresh tokens rotate, so two concurrent
	// refreshes with the same one would make the second fail.
	refreshMu sync.Mutex
	// rate keeps the PDS's latest rate-limit headers (see ratelimit.go).
	rate rateState
}

// call describes one XRPC request.
type call struct {
	method string // GET or POST
	nsid   string
	query  url.Values
	// body is JSON-encoded unless raw is set.
	body        any
	raw         []byte
	contentType string
	// auth sends the access token (and refreshes it when needed).
	auth bool
	// appView routes the call to the AppView (directly or through the PDS proxy).
	appView bool
}

// do runs c and decodes the answer into out (nil: ignore the body).
func (cl *client) do(ctx context.Context, c call, out any) error {
	if c.auth {
		if err := cl.refreshIfExpiring(ctx); err != nil {
			return err
		}
	}
	sent := cl.accessToken()
	status, hdr, body, err := cl.send(ctx, c, sent)
	if err != nil {
		return err
	}
	if status == http.StatusOK {
		return decode(body, out)
	}
	e := cl.parseError(status, hdr, body)
	if c.auth && e.Class == network.AuthRefresh {
		if err := cl.refreshFrom(ctx, sent); err != nil {
			return err
		}
		status, hdr, body, err = cl.send(ctx, c, cl.accessToken())
		if err != nil {
			return err
		}
		if status == http.StatusOK {
			return decode(body, out)
		}
		e = cl.parseError(status, hdr, body)
		if e.Class == network.AuthRefresh {
			// A fresh token rejected as expired will not get better by itself.
			e.Class = network.AuthReconnect
		}
	}
	return e
}

func (cl *client) clock() time.Time {
	if cl.now != nil {
		return cl.now()
	}
	return time.Now()
}

func (cl *client) accessToken() string {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	return cl.sess.AccessJwt
}

// send makes one HTTP request (two when an OAuth resource server asks for a
// DPoP nonce); only transport failures are errors here.
func (cl *client) send(ctx context.Context, c call, token string) (int, http.Header, []byte, error) {
	base := cl.pds
	direct := c.appView && cl.appView != "" && c.nsid != "app.bsky.notification.listNotifications"
	if direct {
		base = cl.appView
	}
	u := strings.TrimRight(base, "/") + "/xrpc/" + c.nsid
	if len(c.query) > 0 {
		u += "?" + c.query.Encode()
	}
	payload := c.raw
	ct := c.contentType
	if payload == nil && c.body != nil {
		b, err := json.Marshal(c.body)
		if err != nil {
			return 0, nil, nil, fmt.Errorf("bluesky: encode %s: %w", c.nsid, err)
		}
		payload, ct = b, "application/json"
	}
	useDPoP := cl.oauth != nil && c.auth && token != "" && !direct
	for attempt := 0; ; attempt++ {
		var rd io.Reader
		if payload != nil {
			rd = bytes.NewReader(payload)
		}
		req, err := http.NewRequestWithContext(ctx, c.method, u, rd)
		if err != nil {
			return 0, nil, nil, fmt.Errorf("bluesky: %s: %w", c.nsid, err)
		}
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		req.Header.Set("Accept", "application/json")
		switch {
		case useDPoP:
			proof, err := cl.oauth.dpop.proof(c.method, u, token, cl.clock())
			if err != nil {
				return 0, nil, nil, err
			}
			req.Header.Set("Authorization", "DPoP "+token)
			req.Header.Set("DPoP", proof)
		case c.auth && token != "" && !direct:
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if c.appView && !direct && cl.appViewProxy != "" {
			req.Header.Set("atproto-proxy", cl.appViewProxy)
		}
		resp, err := cl.http.Do(req)
		if err != nil {
			return 0, nil, nil, network.TransportError(network.Bluesky, err)
		}
		if !direct {
			cl.rate.record(resp.Header, cl.clock())
		}
		body, err := network.ReadBody(resp)
		if err != nil {
			return 0, nil, nil, network.TransportError(network.Bluesky, err)
		}
		if useDPoP {
			changed := cl.oauth.dpop.remember(u, resp.Header)
			if attempt == 0 && changed && wantsNonce(resp.StatusCode, resp.Header, body) {
				continue
			}
		}
		return resp.StatusCode, resp.Header, body, nil
	}
}

func decode(body []byte, out any) error {
	if out == nil || len(body) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &network.Error{Class: network.Permanent, Network: network.Bluesky, Status: http.StatusOK,
			Message: "unexpected answer from the server", Err: fmt.Errorf("bluesky: decode: %w", err)}
	}
	return nil
}

// parseError is parseError with the client's clock; for OAuth sessions an
// expired DPoP-bound token shows as 401 invalid_token and is refreshed.
func (cl *client) parseError(status int, hdr http.Header, body []byte) *network.Error {
	e := parseError(status, hdr, body, cl.clock())
	if cl.oauth != nil && status == http.StatusUnauthorized && strings.Contains(hdr.Get("WWW-Authenticate"), "invalid_token") {
		e.Class = network.AuthRefresh
	}
	return e
}

// parseError maps an XRPC error answer onto relais's error classes.
func parseError(status int, hdr http.Header, body []byte, now time.Time) *network.Error {
	var xe xrpcError
	_ = json.Unmarshal(body, &xe)
	e := &network.Error{Network: network.Bluesky, Status: status, Code: xe.Error, Message: xe.Message}
	switch {
	case status == http.StatusTooManyRequests || xe.Error == "RateLimitExceeded":
		e.Class = network.Retryable
		e.RetryAfter = network.ParseRateLimit(hdr, now).Reset
	case xe.Error == "ExpiredToken" || xe.Error == "InvalidToken":
		e.Class = network.AuthRefresh
	case status == http.StatusUnauthorized || xe.Error == "AuthRequired" || xe.Error == "AuthFactorTokenRequired" ||
		xe.Error == "AccountTakedown" || xe.Error == "AccountDeactivated":
		e.Class = network.AuthReconnect
	case status >= 500:
		e.Class = network.Retryable
	case status == http.StatusBadRequest || status == http.StatusRequestEntityTooLarge:
		e.Class = network.InvalidContent
	default:
		e.Class = network.ClassForStatus(status)
	}
	if e.Message == "" && e.Code == "" {
		e.Message = strings.TrimSpace(string(body))
		if len(e.Message) > 200 {
			e.Message = e.Message[:200]
		}
	}
	return e
}

// refreshIfExpiring refreshes the session when the access token expires within refreshMargin.
func (cl *client) refreshIfExpiring(ctx context.Context) error {
	cl.mu.Lock()
	tok := cl.sess.AccessJwt
	var exp time.Time
	ok := false
	if cl.oauth != nil && !cl.oauth.expiresAt.IsZero() {
		exp, ok = cl.oauth.expiresAt, true
	}
	cl.mu.Unlock()
	if !ok {
		exp, ok = jwtExpiry(tok)
	}
	if tok != "" && (!ok || exp.Sub(cl.clock()) > refreshMargin) {
		return nil
	}
	return cl.refreshFrom(ctx, tok)
}

// refreshFrom replaces the access token stale: it exchanges the refresh token
// for a new pair (OAuth: at the token endpoint), falls back to a new session
// from the app password, and persists what it got before it is used. Refresh
// tokens are single-use, so when the host serialises refreshes across
// instances the refresh runs under the channel's lock, from the tokens as
// stored then, and is skipped when another instance already refreshed.
func (cl *client) refreshFrom(ctx context.Context, stale string) error {
	cl.refreshMu.Lock()
	defer cl.refreshMu.Unlock()
	cl.mu.Lock()
	if cl.sess.AccessJwt != stale {
		// Another call refreshed while this one waited.
		cl.mu.Unlock()
		return nil
	}
	cl.mu.Unlock()
	if cl.refreshLocked == nil {
		if err := cl.renew(ctx); err != nil {
			return err
		}
		return cl.persist(ctx)
	}
	return cl.refreshLocked(ctx, func(current map[string]string) (map[string]string, error) {
		if tok := current[secretAccess]; tok != "" && tok != stale {
			// Another instance refreshed while this one waited: use its tokens.
			cl.adopt(current)
			return nil, nil
		}
		if rt := current[secretRefresh]; rt != "" {
			cl.mu.Lock()
			cl.sess.RefreshJwt = rt
			cl.mu.Unlock()
		}
		if err := cl.renew(ctx); err != nil {
			return nil, err
		}
		return cl.secrets(), nil
	})
}

// adopt takes the tokens another instance stored.
func (cl *client) adopt(secrets map[string]string) {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	cl.sess.AccessJwt, cl.sess.RefreshJwt = secrets[secretAccess], secrets[secretRefresh]
	if pw := secrets[secretAppPassword]; pw != "" {
		cl.appPassword = pw
	}
	if cl.oauth != nil {
		if t, err := time.Parse(time.RFC3339, secrets[secretExpiresAt]); err == nil {
			cl.oauth.expiresAt = t
		}
	}
}

// renew gets a new session from the refresh token (or the app password) and
// installs it; the caller persists it.
func (cl *client) renew(ctx context.Context) error {
	cl.mu.Lock()
	refreshTok, password, ident := cl.sess.RefreshJwt, cl.appPassword, cl.sess.DID
	cl.mu.Unlock()

	if cl.oauth != nil {
		next, expiresAt, err := cl.oauthRefresh(ctx, refreshTok, ident)
		if err != nil {
			return err
		}
		cl.mu.Lock()
		next.Handle = cl.sess.Handle
		cl.sess, cl.oauth.expiresAt = next, expiresAt
		cl.mu.Unlock()
		return nil
	}
	var next session
	var err error
	if refreshTok != "" {
		next, err = cl.refreshSession(ctx, refreshTok)
	}
	if refreshTok == "" || err != nil {
		if !isAuthFailure(err) && err != nil {
			// A 5xx or a dropped connection says nothing about the token: retry later.
			return err
		}
		if password == "" {
			return reconnect("the session expired and no app password is stored", err)
		}
		next, err = createSession(ctx, cl.http, cl.pds, ident, password, cl.clock())
		if err != nil {
			if isAuthFailure(err) {
				return reconnect("the app password was rejected", err)
			}
			return err
		}
	}
	cl.mu.Lock()
	if next.DID == "" {
		next.DID = cl.sess.DID
	}
	if next.Handle == "" {
		next.Handle = cl.sess.Handle
	}
	cl.sess = next
	cl.mu.Unlock()
	return nil
}

// persist saves the current secrets through the host before they are used.
func (cl *client) persist(ctx context.Context) error {
	if cl.save == nil {
		return nil
	}
	if err := cl.save(ctx, cl.secrets()); err != nil {
		return fmt.Errorf("bluesky: save refreshed session: %w", err)
	}
	return nil
}

// secrets returns what the channel store keeps encrypted.
func (cl *client) secrets() map[string]string {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if cl.oauth != nil {
		key, _ := encodeKey(cl.oauth.dpop.key)
		return map[string]string{secretAccess: cl.sess.AccessJwt, secretRefresh: cl.sess.RefreshJwt, secretDPoPKey: key,
			secretExpiresAt: cl.oauth.expiresAt.UTC().Format(time.RFC3339)}
	}
	return map[string]string{secretAccess: cl.sess.AccessJwt, secretRefresh: cl.sess.RefreshJwt, secretAppPassword: cl.appPassword}
}

func (cl *client) refreshSession(ctx context.Context, refreshTok string) (session, error) {
	tmp := &client{http: cl.http, now: cl.now, pds: cl.pds}
	status, hdr, body, err := tmp.send(ctx, call{method: http.MethodPost, nsid: "com.atproto.server.refreshSession", auth: true}, refreshTok)
	if err != nil {
		return session{}, err
	}
	if status != http.StatusOK {
		return session{}, parseError(status, hdr, body, cl.clock())
	}
	var s session
	if err := decode(body, &s); err != nil {
		return session{}, err
	}
	return s, nil
}

// createSession logs in with an identifier (handle or DID) and an app password.
func createSession(ctx context.Context, hc *http.Client, pds, identifier, password string, now time.Time) (session, error) {
	tmp := &client{http: hc, pds: pds, now: func() time.Time { return now }}
	var s session
	err := tmp.do(ctx, call{method: http.MethodPost, nsid: "com.atproto.server.createSession",
		body: map[string]string{"identifier": identifier, "password": password}}, &s)
	if err != nil {
		return session{}, err
	}
	if s.AccessJwt == "" || s.DID == "" {
		return session{}, &network.Error{Class: network.Permanent, Network: network.Bluesky, Message: "createSession answered without a session"}
	}
	return s, nil
}

// isAuthFailure reports whether err is the server refusing the credentials
// (as opposed to being unreachable or failing).
func isAuthFailure(err error) bool {
	var ne *network.Error
	if !errors.As(err, &ne) {
		return false
	}
	return ne.Class == network.AuthRefresh || ne.Class == network.AuthReconnect ||
		(ne.Status >= 400 && ne.Status < 500 && ne.Status != http.StatusTooManyRequests)
}

func reconnect(msg string, err error) error {
	e := &network.Error{Class: network.AuthReconnect, Network: network.Bluesky, Message: msg, Err: err}
	var ne *network.Error
	if errors.As(err, &ne) {
		e.Status, e.Code = ne.Status, ne.Code
		if ne.Message != "" {
			e.Message = msg + ": " + ne.Message
		}
	}
	return e
}

// jwtExpiry reads the exp claim of a JWT without verifying it: the PDS
// verifies; the client only wants to know when to refresh.
func jwtExpiry(tok string) (time.Time, bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}, false
	}
	var claims struct {
		Exp int64 `json:"exp"`
	}
	if json.Unmarshal(payload, &claims) != nil || claims.Exp == 0 {
		return time.Time{}, false
	}
	return time.Unix(claims.Exp, 0), true
}
