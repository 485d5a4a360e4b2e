package pinterest

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

// api calls the Pinterest API v5 for one account.
type api struct {
	app  App
	hc   *http.Client
	now  func() time.Time
	keep *network.Tokens

	mu   sync.Mutex
	rate network.RateLimit
}

// do sends a JSON request (body nil: none) and decodes a 2xx answer into out.
func (a *api) do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	return a.keep.Do(ctx, func(access string) error {
		u := a.app.api() + path
		if len(query) > 0 {
			u += "?" + query.Encode()
		}
		var rd io.Reader
		if body != nil {
			b, err := json.Marshal(body)
			if err != nil {
				return fmt.Errorf("pinterest: encode request: %w", err)
			}
			rd = bytes.NewReader(b)
		}
		req, err := http.NewRequestWithContext(ctx, method, u, rd)
		if err != nil {
			return fmt.Errorf("pinterest: build request: %w", err)
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
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
				return &network.Error{Class: network.Unknown, Network: network.Pinterest, Status: status, Message: "unexpected answer from Pinterest", Err: err}
			}
		}
		return nil
	})
}

func (a *api) roundTrip(req *http.Request) (int, http.Header, []byte, error) {
	req.Header.Set("Accept", "application/json")
	resp, err := a.hc.Do(req)
	if err != nil {
		return 0, nil, nil, network.TransportError(network.Pinterest, err)
	}
	if rl := network.ParseRateLimit(resp.Header, a.now()); rl.Known() {
		a.mu.Lock()
		a.rate = rl
		a.mu.Unlock()
	}
	b, err := network.ReadBody(resp)
	if err != nil {
		return resp.StatusCode, resp.Header, nil, network.TransportError(network.Pinterest, err)
	}
	return resp.StatusCode, resp.Header, b, nil
}

// RateLimit returns the latest rate-limit report.
func (a *api) RateLimit() network.RateLimit {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.rate
}

// tokenAnswer is POST /v5/oauth/token's answer.
type tokenAnswer struct {
	AccessToken           string `json:"access_token"`
	RefreshToken          string `json:"refresh_token"`
	ExpiresIn             int64  `json:"expires_in"`
	RefreshTokenExpiresIn int64  `json:"refresh_token_expires_in"`
	Scope                 string `json:"scope"`
}

// token posts a grant with the app's Basic auth.
func (a *api) token(ctx context.Context, form url.Values) (map[string]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.app.api()+"/v5/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("pinterest: build token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(a.app.AppID, a.app.AppSecret)
	status, h, b, err := a.roundTrip(req)
	if err != nil {
		return nil, err
	}
	var t tokenAnswer
	if status != http.StatusOK || json.Unmarshal(b, &t) != nil || t.AccessToken == "" {
		ne := apiError(status, h, b, a.now())
		if status < 500 && status != http.StatusTooManyRequests {
			ne.Class = network.AuthReconnect
		}
		return nil, ne
	}
	now := a.now()
	s := map[string]string{network.SecretAccess: t.AccessToken, network.SecretRefresh: t.RefreshToken,
		network.SecretExpiresAt: network.ExpiresAt(now, t.ExpiresIn), network.SecretRefreshExpiresAt: network.ExpiresAt(now, t.RefreshTokenExpiresIn)}
	for k, v := range s {
		if v == "" {
			delete(s, k)
		}
	}
	return s, nil
}

func (a *api) refreshGrant(ctx context.Context, rt string) (map[string]string, error) {
	return a.token(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "scope": {Scopes}})
}

// apiError maps a Pinterest error ({"code":…,"message":…}) onto the typed
// classes (networks.md §1.4): 401 auth-refresh, 400 and 413 invalid
// content, 403 permanent (a scope or a board the token cannot write), 404
// not found, 429 retryable after the rate-limit reset when Pinterest gives
// one (backoff otherwise), 5xx retryable.
func apiError(status int, h http.Header, body []byte, now time.Time) *network.Error {
	var p struct {
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
		// The OAuth endpoint may answer {"error":…,"error_description":…}.
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	_ = json.Unmarshal(body, &p)
	code := strings.Trim(string(p.Code), `"`)
	if _, err := strconv.Atoi(code); err != nil && code != "" && !validCode(code) {
		code = ""
	}
	msg := p.Message
	if msg == "" && p.ErrorDescription != "" {
		msg = p.ErrorDescription
	}
	if code == "" && p.Error != "" {
		code = p.Error
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	if msg == "" {
		msg = fmt.Sprintf("Pinterest answered HTTP %d", status)
	}
	ne := &network.Error{Network: network.Pinterest, Status: status, Code: code, Message: msg, TraceID: h.Get("x-request-id")}
	switch {
	case status == http.StatusUnauthorized:
		ne.Class = network.AuthRefresh
	case status == http.StatusForbidden:
		ne.Class = network.Permanent
	case status == http.StatusTooManyRequests:
		ne.Class = network.Retryable
		ne.RetryAfter = network.ParseRateLimit(h, now).Reset
	default:
		ne.Class = network.ClassForStatus(status)
	}
	return ne
}

// validCode accepts a short word as an error code (invalid_grant), not arbitrary JSON.
func validCode(s string) bool {
	if len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
