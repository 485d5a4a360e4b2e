// Package fakeauth is the common part of the fakes of networks that sign in
// with OAuth 2 (tumblrtest, soundcloudtest, snapchattest): an authorize page
// that answers at once with a code, a token endpoint (authorization code
// with or without PKCE, rotating refresh tokens that work once, refresh
// only when offline access was granted), bearer checks, faults switched
// per route, and the record of every request.
package fakeauth

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// FaultKind is a failure a fake can be switched into.
type FaultKind string

// The faults every fake knows; each answers them in its network's shape.
const (
	Invalid        FaultKind = "invalid"
	Unauthorized   FaultKind = "unauthorized"
	Forbidden      FaultKind = "forbidden"
	RateLimited    FaultKind = "rate_limited"
	ServerError    FaultKind = "server_error"
	CommitThenFail FaultKind = "commit_then_fail"
	CommitThenDrop FaultKind = "commit_then_drop"
	Drop           FaultKind = "drop"
	// Slow waits Delay before answering normally.
	Slow FaultKind = "slow"
)

// Fault switches a route ("POST /v2/blog/:blog/posts") into a failure for its next Times calls (default 1).
type Fault struct {
	Route string
	Kind  FaultKind
	Times int
	// Delay is how long a Slow fault waits.
	Delay time.Duration
}

// Request is one recorded request.
type Request struct {
	Method, Path, Route string
	Query               url.Values
	Header              http.Header
	Body                []byte
}

// Config is the registered app.
type Config struct {
	Now                    func() time.Time
	ClientID, ClientSecret string
	// SecretInForm: the token endpoint takes client_secret in the form (else HTTP Basic).
	SecretInForm bool
	// PKCE: the authorize request must carry an S256 challenge and the code grant its verifier.
	PKCE bool
	// RefreshScope is the scope that grants a refresh token ("offline_access"); empty: always.
	RefreshScope  string
	TokenLifetime time.Duration
	// Scope is what the token endpoint reports as granted.
	Scope string
}

type token struct {
	user    string
	expires time.Time
}

type code struct {
	challenge, redirect, scope, user string
}

// Base is embedded by a network's fake.
type Base struct {
	Cfg Config

	Mu       sync.Mutex
	access   map[string]token
	refresh  map[string]string
	codes    map[string]code
	faults   []*Fault
	requests []Request
	first    [2]string
	// User is the account every code signs in.
	User string
}

// NewBase starts the token store with a first pair for user.
func NewBase(c Config, user string) *Base {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.ClientID == "" {
		c.ClientID = "fake-client"
	}
	if c.TokenLifetime == 0 {
		c.TokenLifetime = time.Hour
	}
	b := &Base{Cfg: c, access: map[string]token{}, refresh: map[string]string{}, codes: map[string]code{}, User: user}
	b.first[0], b.first[1] = b.issue(user, true)
	return b
}

// Tokens returns the first access and refresh tokens.
func (b *Base) Tokens() (access, refresh string) { return b.first[0], b.first[1] }

// ClientID is the registered app's id.
func (b *Base) ClientID() string { return b.Cfg.ClientID }

// Expire makes every access token expired (refresh tokens stay valid).
func (b *Base) Expire() {
	b.Mu.Lock()
	defer b.Mu.Unlock()
	for k, t := range b.access {
		t.expires = b.Cfg.Now().Add(-time.Second)
		b.access[k] = t
	}
}

// RevokeRefresh makes every refresh token invalid.
func (b *Base) RevokeRefresh() {
	b.Mu.Lock()
	defer b.Mu.Unlock()
	clear(b.refresh)
}

// Inject adds a fault.
func (b *Base) Inject(f Fault) {
	if f.Times == 0 {
		f.Times = 1
	}
	b.Mu.Lock()
	defer b.Mu.Unlock()
	b.faults = append(b.faults, &f)
}

// Requests returns the recorded requests.
func (b *Base) Requests() []Request {
	b.Mu.Lock()
	defer b.Mu.Unlock()
	return append([]Request(nil), b.requests...)
}

// Count returns how many requests a route received.
func (b *Base) Count(route string) int {
	n := 0
	for _, r := range b.Requests() {
		if r.Method+" "+r.Route == route {
			n++
		}
	}
	return n
}

func (b *Base) issue(user string, withRefresh bool) (string, string) {
	a := "at-" + Random()
	b.access[a] = token{user: user, expires: b.Cfg.Now().Add(b.Cfg.TokenLifetime)}
	if !withRefresh {
		return a, ""
	}
	r := "rt-" + Random()
	b.refresh[r] = user
	return a, r
}

// Record logs the request under route and takes the route's next fault.
func (b *Base) Record(r *http.Request, route string, body []byte) *Fault {
	b.Mu.Lock()
	defer b.Mu.Unlock()
	b.requests = append(b.requests, Request{Method: r.Method, Path: r.URL.Path, Route: route, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body})
	for i, f := range b.faults {
		if f.Route == r.Method+" "+route {
			f.Times--
			if f.Times <= 0 {
				b.faults = append(b.faults[:i], b.faults[i+1:]...)
			}
			c := *f
			return &c
		}
	}
	return nil
}

// Bearer returns the user of the request's bearer token, false when it is missing or expired.
func (b *Base) Bearer(r *http.Request) (string, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		tok, ok = strings.CutPrefix(r.Header.Get("Authorization"), "OAuth ")
	}
	if !ok {
		return "", false
	}
	b.Mu.Lock()
	t, found := b.access[tok]
	b.Mu.Unlock()
	if !found || !b.Cfg.Now().Before(t.expires) {
		return "", false
	}
	return t.user, true
}

// Authorize is the consent page: it checks the request and sends the
// browser back to redirect_uri with a code and the state.
func (b *Base) Authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != b.Cfg.ClientID || q.Get("response_type") != "code" || q.Get("state") == "" || q.Get("redirect_uri") == "" {
		http.Error(w, "invalid authorize request", http.StatusBadRequest)
		return
	}
	if b.Cfg.PKCE && (q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "") {
		http.Error(w, "invalid authorize request: PKCE S256 is required", http.StatusBadRequest)
		return
	}
	c := "code-" + Random()
	b.Mu.Lock()
	b.codes[c] = code{challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri"), scope: q.Get("scope"), user: b.User}
	b.Mu.Unlock()
	u, _ := url.Parse(q.Get("redirect_uri"))
	uq := u.Query()
	uq.Set("state", q.Get("state"))
	uq.Set("code", c)
	u.RawQuery = uq.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// Token is the token endpoint (form-encoded grants).
func (b *Base) Token(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		OAuthError(w, 400, "invalid_request", "the token request must be form-encoded")
		return
	}
	id, secret := form.Get("client_id"), form.Get("client_secret")
	if !b.Cfg.SecretInForm {
		if u, p, ok := r.BasicAuth(); ok {
			id, _ = url.QueryUnescape(u)
			secret, _ = url.QueryUnescape(p)
		}
	}
	if id != b.Cfg.ClientID || (b.Cfg.ClientSecret != "" && secret != b.Cfg.ClientSecret) {
		OAuthError(w, 401, "invalid_client", "Client authentication failed")
		return
	}
	b.Mu.Lock()
	defer b.Mu.Unlock()
	var user string
	withRefresh := true
	switch form.Get("grant_type") {
	case "authorization_code":
		c, ok := b.codes[form.Get("code")]
		delete(b.codes, form.Get("code"))
		if !ok || (c.redirect != form.Get("redirect_uri")) {
			OAuthError(w, 400, "invalid_grant", "The authorization code is invalid or expired.")
			return
		}
		if b.Cfg.PKCE {
			sum := sha256.Sum256([]byte(form.Get("code_verifier")))
			if base64.RawURLEncoding.EncodeToString(sum[:]) != c.challenge {
				OAuthError(w, 400, "invalid_grant", "The code verifier does not match the challenge.")
				return
			}
		}
		user = c.user
		withRefresh = b.Cfg.RefreshScope == "" || strings.Contains(" "+c.scope+" ", " "+b.Cfg.RefreshScope+" ")
	case "refresh_token":
		u, ok := b.refresh[form.Get("refresh_token")]
		if !ok {
			OAuthError(w, 400, "invalid_grant", "The refresh token is invalid or was already used.")
			return
		}
		delete(b.refresh, form.Get("refresh_token"))
		user = u
	default:
		OAuthError(w, 400, "unsupported_grant_type", "grant type not supported")
		return
	}
	a, rt := b.issue(user, withRefresh)
	out := map[string]any{"access_token": a, "expires_in": int(b.Cfg.TokenLifetime / time.Second), "token_type": "bearer", "scope": b.Cfg.Scope}
	if rt != "" {
		out["refresh_token"] = rt
	}
	WriteJSON(w, 200, out)
}

// OAuthError answers an RFC 6749 error.
func OAuthError(w http.ResponseWriter, status int, code, desc string) {
	WriteJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// WriteJSON answers v as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// ReadAll reads a request body (64 MiB at most).
func ReadAll(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	return b
}

// DropConn closes the connection without an answer.
func DropConn(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			_ = c.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// Discard lets a committed-then-failed route run without its answer reaching the client.
type Discard struct{ http.ResponseWriter }

// Header returns a throw-away header map.
func (Discard) Header() http.Header { return http.Header{} }

// WriteHeader does nothing.
func (Discard) WriteHeader(int) {}

// Write does nothing.
func (Discard) Write(b []byte) (int, error) { return len(b), nil }

// Serve runs one request through the fault switch: faults answered by
// errorFor (in the network's shape) stop it; Drop closes the connection;
// CommitThen* run route then fail; Slow waits first.
func (b *Base) Serve(w http.ResponseWriter, r *http.Request, route string, body []byte, errorFor func(http.ResponseWriter, FaultKind), handle func(http.ResponseWriter)) {
	f := b.Record(r, route, body)
	if f == nil {
		handle(w)
		return
	}
	switch f.Kind {
	case Drop:
		DropConn(w)
	case Slow:
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return
		}
		handle(w)
	case CommitThenFail:
		handle(Discard{w})
		errorFor(w, ServerError)
	case CommitThenDrop:
		handle(Discard{w})
		DropConn(w)
	default:
		errorFor(w, f.Kind)
	}
}

var seq struct {
	sync.Mutex
	n int
}

// Random returns a fresh opaque string.
func Random() string {
	seq.Lock()
	defer seq.Unlock()
	seq.n++
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d-%d", seq.n, time.Now().UnixNano())))
	return base64.RawURLEncoding.EncodeToString(sum[:18])
}
