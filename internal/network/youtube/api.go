package youtube

import (
	"bytes"
	"context"
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

// Names of the stored secrets.
const (
	secretAccess    = network.SecretAccess
	secretRefresh   = network.SecretRefresh
	secretExpiresAt = network.SecretExpiresAt
)

// refreshAhead renews an access token this long before it expires (they live 1 h).
const refreshAhead = 2 * time.Minute

// api calls Google's YouTube APIs for one channel, renewing the access token
// with the refresh token, and counting quota before each call.
type api struct {
	app   App
	hc    *http.Client
	now   func() time.Time
	quota *Quota
	// tok holds the tokens and renews them (nil while exchanging a code).
	tok *network.Tokens

	mu sync.Mutex
	// rate is the latest rate-limit report (YouTube sends none: a 403
	// quotaExceeded becomes Remaining 0 until the Pacific midnight reset).
	rate network.RateLimit
}

// request is one API call. method names the API method for the quota
// ("videos.list"); url is absolute.
type request struct {
	method      string
	verb, url   string
	query       url.Values
	json        any
	body        []byte
	contentType string
	header      http.Header
}

func (a *api) secrets() map[string]string { return a.tok.Secrets() }

func (a *api) current() (string, time.Time, string) { return a.tok.Current() }

// grant trades a refresh token for a new access token (Google keeps the
// refresh token, and sends a new one only sometimes).
func (a *api) grant(ctx context.Context, rt string) (map[string]string, error) {
	t, err := a.token(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
	if err != nil {
		return nil, err
	}
	return t.secrets(a.now()), nil
}

// RateLimit returns the quota as a normalised rate limit: the project's
// daily units, what is left, and the next Pacific midnight.
func (a *api) RateLimit() network.RateLimit {
	a.mu.Lock()
	r := a.rate
	a.mu.Unlock()
	if a.quota == nil {
		return r
	}
	u := a.quota.Usage(a.now())
	return network.RateLimit{Limit: u.Daily, Remaining: max(u.Daily-u.Units, 0), Reset: u.Reset}
}

// do counts r's quota, sends it and decodes a 2xx answer into out; a 401
// renews the token once and retries (the retry is not counted again: Google
// counts invalid requests too, but the first one was refused before work).
func (a *api) do(ctx context.Context, r request, out any) error {
	if a.quota != nil && r.method != "" {
		if err := a.quota.Take(r.method, a.now()); err != nil {
			return err
		}
	}
	status, h, b, err := a.call(ctx, r)
	if err != nil {
		return err
	}
	if status < 200 || status > 299 {
		return a.fail(r.method, status, h, b)
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return &network.Error{Class: network.Unknown, Network: network.YouTube, Status: status, Message: "unexpected answer from YouTube", Err: err}
		}
	}
	return nil
}

// fail maps an error answer, recording a quota refusal.
func (a *api) fail(method string, status int, h http.Header, b []byte) error {
	ne := apiError(status, h, b, a.now())
	if errors.Is(ne, ErrQuotaExceeded) && a.quota != nil {
		a.quota.Exhaust(method, a.now())
		a.mu.Lock()
		a.rate = network.RateLimit{Limit: a.quota.cfg.Daily, Remaining: 0, Reset: ne.RetryAfter}
		a.mu.Unlock()
	}
	return ne
}

// call sends r with the current token, renewing it first when it is about to
// expire and once more on a 401; it returns any status (the upload reads 308).
func (a *api) call(ctx context.Context, r request) (int, http.Header, []byte, error) {
	access, exp, rt := a.current()
	if rt != "" && !exp.IsZero() && a.now().Add(refreshAhead).After(exp) {
		if err := a.tok.Renew(ctx, access); err != nil {
			return 0, nil, nil, err
		}
		access, _, _ = a.current()
	}
	status, h, b, err := a.send(ctx, r, access)
	if err != nil || status != http.StatusUnauthorized {
		return status, h, b, err
	}
	if _, _, rt = a.current(); rt == "" {
		return 0, nil, nil, reconnect(apiError(status, h, b, a.now()))
	}
	if err := a.tok.Renew(ctx, access); err != nil {
		return 0, nil, nil, err
	}
	access, _, _ = a.current()
	status, h, b, err = a.send(ctx, r, access)
	if err == nil && status == http.StatusUnauthorized {
		// A fresh token refused: renewing again will not help.
		return 0, nil, nil, reconnect(apiError(status, h, b, a.now()))
	}
	return status, h, b, err
}

func reconnect(ne *network.Error) error {
	ne.Class = network.AuthReconnect
	return ne
}

func (a *api) send(ctx context.Context, r request, access string) (int, http.Header, []byte, error) {
	u := r.url
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	body, ctype := r.body, r.contentType
	if r.json != nil {
		b, err := json.Marshal(r.json)
		if err != nil {
			return 0, nil, nil, fmt.Errorf("youtube: encode request: %w", err)
		}
		body, ctype = b, "application/json; charset=UTF-8"
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.verb, u, rd)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("youtube: build request: %w", err)
	}
	for k, v := range r.header {
		req.Header[k] = v
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if body == nil && (r.verb == http.MethodPost || r.verb == http.MethodPut) {
		req.ContentLength = 0
		req.Header.Set("Content-Length", "0")
	}
	req.Header.Set("Authorization", "Bearer "+access)
	return a.roundTrip(req)
}

func (a *api) roundTrip(req *http.Request) (int, http.Header, []byte, error) {
	req.Header.Set("Accept", "application/json")
	resp, err := a.hc.Do(req)
	if err != nil {
		return 0, nil, nil, network.TransportError(network.YouTube, err)
	}
	b, err := network.ReadBody(resp)
	if err != nil {
		return resp.StatusCode, resp.Header, nil, network.TransportError(network.YouTube, err)
	}
	return resp.StatusCode, resp.Header, b, nil
}

// tokenResponse is the answer of Google's token endpoint.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	Scope        string `json:"scope"`
	TokenType    string `json:"token_type"`
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

// token posts a grant with the client's id and secret in the form (Google's way).
func (a *api) token(ctx context.Context, form url.Values) (tokenResponse, error) {
	form.Set("client_id", a.app.ClientID)
	if a.app.ClientSecret != "" {
		form.Set("client_secret", a.app.ClientSecret)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.app.tokenURL(), strings.NewReader(form.Encode()))
	if err != nil {
		return tokenResponse{}, fmt.Errorf("youtube: build token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, h, b, err := a.roundTrip(req)
	if err != nil {
		return tokenResponse{}, err
	}
	if status != http.StatusOK {
		ne := apiError(status, h, b, a.now())
		if status == http.StatusBadRequest || status == http.StatusUnauthorized {
			// invalid_grant: the refresh token expired (7 days in "Testing") or was revoked.
			ne.Class = network.AuthReconnect
		}
		return tokenResponse{}, ne
	}
	var t tokenResponse
	if err := json.Unmarshal(b, &t); err != nil || t.AccessToken == "" {
		return tokenResponse{}, &network.Error{Class: network.Retryable, Network: network.YouTube, Status: status, Message: "the token endpoint answered without an access token"}
	}
	return t, nil
}

// googleError is Google's error body, or an OAuth error.
type googleError struct {
	Error json.RawMessage `json:"error"`
	// ErrorDescription is set by the token endpoint.
	ErrorDescription string `json:"error_description"`
}

type googleErrorBody struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Status  string `json:"status"`
	Errors  []struct {
		Message string `json:"message"`
		Domain  string `json:"domain"`
		Reason  string `json:"reason"`
	} `json:"errors"`
}

// Reasons of 403 answers that are quota refusals.
var quotaReasons = map[string]bool{"quotaExceeded": true, "dailyLimitExceeded": true}

// apiError maps a Google error answer onto the typed classes
// (networks.md 1.4): 401 auth-refresh; 403 quotaExceeded retryable at the
// next Pacific midnight (ErrQuotaExceeded); rateLimitExceeded and 429
// retryable after Retry-After; uploadLimitExceeded retryable in a day;
// insufficientPermissions auth-reconnect (consent again with the scopes);
// commentsDisabled and 400 invalid content; 5xx retryable; the rest permanent.
func apiError(status int, h http.Header, body []byte, now time.Time) *network.Error {
	var g googleError
	_ = json.Unmarshal(body, &g)
	var e googleErrorBody
	var code, msg string
	if len(g.Error) > 0 && g.Error[0] == '"' {
		_ = json.Unmarshal(g.Error, &code)
		msg = g.ErrorDescription
	} else if len(g.Error) > 0 {
		_ = json.Unmarshal(g.Error, &e)
		msg = e.Message
		if len(e.Errors) > 0 {
			code = e.Errors[0].Reason
			if msg == "" {
				msg = e.Errors[0].Message
			}
		}
		if code == "" {
			code = e.Status
		}
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	if msg == "" {
		msg = fmt.Sprintf("YouTube answered HTTP %d", status)
	}
	ne := &network.Error{Network: network.YouTube, Status: status, Code: code, Message: msg}
	switch {
	case status == http.StatusUnauthorized:
		ne.Class = network.AuthRefresh
	case quotaReasons[code]:
		ne.Class, ne.RetryAfter, ne.Err = network.Retryable, NextReset(now), ErrQuotaExceeded
	case code == "rateLimitExceeded" || code == "userRateLimitExceeded" || status == http.StatusTooManyRequests:
		ne.Class = network.Retryable
		ne.RetryAfter = network.ParseRateLimit(h, now).Reset
	case code == "uploadLimitExceeded":
		ne.Class, ne.RetryAfter = network.Retryable, now.Add(24*time.Hour)
	case code == "insufficientPermissions" || code == "ACCESS_TOKEN_SCOPE_INSUFFICIENT":
		ne.Class = network.AuthReconnect
	case code == "commentsDisabled":
		ne.Class = network.InvalidContent
	case status == http.StatusForbidden:
		ne.Class = network.Permanent
	default:
		ne.Class = network.ClassForStatus(status)
		if status >= 500 {
			ne.RetryAfter = network.ParseRateLimit(h, now).Reset
		}
	}
	return ne
}
