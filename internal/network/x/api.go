package x

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
)

// Names of the stored secrets.
const (
	secretAccess    = network.SecretAccess
	secretRefresh   = network.SecretRefresh
	secretExpiresAt = network.SecretExpiresAt
)

// api calls the X API v2 for one user, renewing the access token with the
// rotating refresh token when it is about to expire or is refused.
type api struct {
	app App
	hc  *http.Client
	now func() time.Time
	// tok holds the tokens and renews them, one renewal at a time: a
	// refresh token works once (nil while exchanging a code).
	tok *network.Tokens

	mu sync.Mutex
	// rate is the latest rate-limit report.
	rate network.RateLimit
}

// request is one API call: a JSON body, a multipart body or none.
type request struct {
	method, path string
	query        url.Values
	json         any
	body         []byte
	contentType  string
}

func (a *api) secrets() map[string]string { return a.tok.Secrets() }

func (a *api) current() (string, time.Time, string) { return a.tok.Current() }

// grant trades the refresh token for a new pair; the old refresh token
// stops working at once, so the pair is saved before it is used.
func (a *api) grant(ctx context.Context, rt string) (map[string]string, error) {
	t, err := a.token(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {a.app.ClientID}})
	if err != nil {
		return nil, err
	}
	return t.secrets(a.now()), nil
}

// RateLimit returns the latest rate-limit headers seen.
func (a *api) RateLimit() network.RateLimit {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.rate
}

// do sends r and decodes a 2xx answer into out. An expiring token is renewed
// first; a 401 renews it once and retries; a second 401 needs a reconnect.
func (a *api) do(ctx context.Context, r request, out any) error {
	return a.tok.Do(ctx, func(access string) error { return a.send(ctx, r, access, out) })
}

func (a *api) send(ctx context.Context, r request, access string, out any) error {
	u := a.app.api() + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	body, ctype := r.body, r.contentType
	if r.json != nil {
		b, err := json.Marshal(r.json)
		if err != nil {
			return fmt.Errorf("x: encode request: %w", err)
		}
		body, ctype = b, "application/json"
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, rd)
	if err != nil {
		return fmt.Errorf("x: build request: %w", err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Authorization", "Bearer "+access)
	status, h, b, err := a.roundTrip(req)
	if err != nil {
		return err
	}
	if status < 200 || status > 299 {
		return apiError(status, h, b, a.now())
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return &network.Error{Class: network.Unknown, Network: network.X, Status: status, Message: "unexpected answer from X", Err: err}
		}
	}
	return nil
}

func (a *api) roundTrip(req *http.Request) (int, http.Header, []byte, error) {
	req.Header.Set("Accept", "application/json")
	resp, err := a.hc.Do(req)
	if err != nil {
		return 0, nil, nil, network.TransportError(network.X, err)
	}
	if rl := network.ParseRateLimit(resp.Header, a.now()); rl.Known() {
		a.mu.Lock()
		a.rate = rl
		a.mu.Unlock()
	}
	b, err := network.ReadBody(resp)
	if err != nil {
		return resp.StatusCode, resp.Header, nil, network.TransportError(network.X, err)
	}
	return resp.StatusCode, resp.Header, b, nil
}

// tokenResponse is the answer of POST /2/oauth2/token.
type tokenResponse struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	Scope        string `json:"scope"`
}

func (t tokenResponse) secrets(now time.Time) map[string]string {
	s := map[string]string{secretAccess: t.AccessToken}
	if t.RefreshToken != "" {
		s[secretRefresh] = t.RefreshToken
	}
	if t.ExpiresIn > 0 {
		s[secretExpiresAt] = now.Add(time.Duration(t.ExpiresIn) * time.Second).UTC().Format(time.RFC3339)
	}
	return s
}

// token posts a grant to the token endpoint, with Basic auth for a confidential client.
func (a *api) token(ctx context.Context, form url.Values) (tokenResponse, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.app.api()+"/2/oauth2/token", strings.NewReader(form.Encode()))
	if err != nil {
		return tokenResponse{}, fmt.Errorf("x: build token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if a.app.ClientSecret != "" {
		req.SetBasicAuth(url.QueryEscape(a.app.ClientID), url.QueryEscape(a.app.ClientSecret))
	}
	status, h, b, err := a.roundTrip(req)
	if err != nil {
		return tokenResponse{}, err
	}
	if status != http.StatusOK {
		ne := apiError(status, h, b, a.now())
		if status == http.StatusBadRequest || status == http.StatusUnauthorized {
			ne.Class = network.AuthReconnect
		}
		return tokenResponse{}, ne
	}
	var t tokenResponse
	if err := json.Unmarshal(b, &t); err != nil || t.AccessToken == "" {
		return tokenResponse{}, &network.Error{Class: network.Retryable, Network: network.X, Status: status, Message: "the token endpoint answered without an access token"}
	}
	return t, nil
}

// problem is X's error body: problem JSON, the legacy errors array, or an OAuth error.
type problem struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Type   string `json:"type"`
	Status int    `json:"status"`
	Reason string `json:"reason"`
	Errors []struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Title   string `json:"title"`
		Detail  string `json:"detail"`
		Type    string `json:"type"`
	} `json:"errors"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// apiError maps an X error answer onto the typed classes (networks.md 1.4):
// 401 auth-refresh, 400 invalid content, 403 duplicate content invalid and
// other 403s permanent (a tier or permission the app lacks), 429 and 5xx
// retryable with the x-rate-limit or 24-hour reset, the rest permanent.
func apiError(status int, h http.Header, body []byte, now time.Time) *network.Error {
	var p problem
	_ = json.Unmarshal(body, &p)
	msg, code := p.Detail, problemCode(p.Type)
	if msg == "" {
		msg = p.Title
	}
	if msg == "" && p.ErrorDescription != "" {
		msg, code = p.ErrorDescription, p.Error
	}
	if len(p.Errors) > 0 {
		e := p.Errors[0]
		if msg == "" {
			msg = e.Message
			if msg == "" {
				msg = e.Detail
			}
		}
		if code == "" && e.Code != 0 {
			code = strconv.Itoa(e.Code)
		}
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	if msg == "" {
		msg = fmt.Sprintf("X answered HTTP %d", status)
	}
	ne := &network.Error{Network: network.X, Status: status, Code: code, Message: msg, TraceID: h.Get("x-transaction-id")}
	switch {
	case status == http.StatusUnauthorized:
		ne.Class = network.AuthRefresh
	case status == http.StatusForbidden && strings.Contains(strings.ToLower(msg), "duplicate"):
		ne.Class = network.InvalidContent
	case status == http.StatusTooManyRequests:
		ne.Class = network.Retryable
		ne.RetryAfter = resetOf(h, now)
	default:
		ne.Class = network.ClassForStatus(status)
		if status == http.StatusForbidden {
			ne.Class = network.Permanent
		}
		if status >= 500 {
			ne.RetryAfter = network.ParseRateLimit(h, now).Reset
		}
	}
	return ne
}

// problemCode shortens a problem type URL to its last segment ("usage-capped").
func problemCode(t string) string {
	if t == "about:blank" {
		return ""
	}
	if i := strings.LastIndexByte(t, '/'); i >= 0 {
		return t[i+1:]
	}
	return t
}

// resetOf is when a 429 may be retried: the latest reset among the windows
// that are exhausted (the 15-minute x-rate-limit-*, and the 24-hour user and
// app windows), or the 15-minute reset when none says so.
func resetOf(h http.Header, now time.Time) time.Time {
	reset := network.ParseRateLimit(h, now).Reset
	for _, p := range []string{"X-User-Limit-24hour-", "X-App-Limit-24hour-"} {
		if h.Get(p+"Remaining") != "0" {
			continue
		}
		if n, err := strconv.ParseInt(strings.TrimSpace(h.Get(p+"Reset")), 10, 64); err == nil {
			if t := time.Unix(n, 0); t.After(reset) {
				reset = t
			}
		}
	}
	return reset
}
