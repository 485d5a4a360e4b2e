package gbp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
)

// api calls the Business Profile APIs with the channel's token.
type api struct {
	app    App
	ep     Endpoints
	hc     *http.Client
	now    func() time.Time
	tokens *network.Tokens

	mu   sync.Mutex
	rate network.RateLimit
}

// RateLimit is the latest normalised limit: Google sends none but a 429
// (RESOURCE_EXHAUSTED, per-minute quotas), sometimes with Retry-After.
func (a *api) RateLimit() network.RateLimit {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.rate
}

// do sends method to u (JSON body in, JSON out), renewing the token when it can.
func (a *api) do(ctx context.Context, method, u string, in, out any) error {
	var body []byte
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("google_business: encode request: %w", err)
		}
		body = b
	}
	return a.tokens.Do(ctx, func(access string) error {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, u, rd)
		if err != nil {
			return fmt.Errorf("google_business: build request: %w", err)
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Authorization", "Bearer "+access)
		status, b, err := a.roundTrip(req)
		if err != nil {
			return err
		}
		if out != nil && len(b) > 0 {
			if err := json.Unmarshal(b, out); err != nil {
				return &network.Error{Class: network.Unknown, Network: network.GoogleBusiness, Status: status, Message: "unexpected answer from Google", Err: err}
			}
		}
		return nil
	})
}

func (a *api) roundTrip(req *http.Request) (int, []byte, error) {
	req.Header.Set("Accept", "application/json")
	resp, err := a.hc.Do(req)
	if err != nil {
		return 0, nil, network.TransportError(network.GoogleBusiness, err)
	}
	b, err := network.ReadBody(resp)
	if err != nil {
		return resp.StatusCode, nil, network.TransportError(network.GoogleBusiness, err)
	}
	a.mu.Lock()
	if resp.StatusCode == http.StatusTooManyRequests {
		a.rate = network.RateLimit{Reset: network.ParseRateLimit(resp.Header, a.now()).Reset}
	} else if resp.StatusCode < 300 {
		a.rate = network.RateLimit{}
	}
	a.mu.Unlock()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, b, apiError(resp.StatusCode, resp.Header, b, a.now())
	}
	return resp.StatusCode, b, nil
}

// token posts a grant to Google's token endpoint.
func (a *api) token(ctx context.Context, form url.Values) (map[string]string, error) {
	form.Set("client_id", a.app.ClientID)
	form.Set("client_secret", a.app.ClientSecret)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.ep.Token, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("google_business: build token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, b, err := a.roundTrip(req)
	if err != nil {
		if ne, ok := err.(*network.Error); ok && (status == http.StatusBadRequest || status == http.StatusUnauthorized) {
			ne.Class = network.AuthReconnect
		}
		return nil, err
	}
	var t struct {
		AccessToken  string `json:"access_token"`
		ExpiresIn    int64  `json:"expires_in"`
		RefreshToken string `json:"refresh_token"`
	}
	if err := json.Unmarshal(b, &t); err != nil || t.AccessToken == "" {
		return nil, &network.Error{Class: network.Retryable, Network: network.GoogleBusiness, Status: status, Message: "the token endpoint answered without an access token"}
	}
	s := map[string]string{network.SecretAccess: t.AccessToken}
	if t.RefreshToken != "" {
		s[network.SecretRefresh] = t.RefreshToken
	}
	if e := network.ExpiresAt(a.now(), t.ExpiresIn); e != "" {
		s[network.SecretExpiresAt] = e
	}
	return s, nil
}

// refresh renews the hourly access token (Google keeps the refresh token).
func (a *api) refresh(ctx context.Context, rt string) (map[string]string, error) {
	return a.token(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
}

// googleError is Google's error body ({"error":{code,message,status}}) or an OAuth error.
type googleError struct {
	Error json.RawMessage `json:"error"`
	Desc  string          `json:"error_description"`
}

// apiError maps a Google error answer onto the typed classes: 401
// UNAUTHENTICATED auth-refresh; 400 INVALID_ARGUMENT / FAILED_PRECONDITION
// invalid content; 403 PERMISSION_DENIED permanent (an API not enabled, a
// location not verified, a scope not granted); 404 permanent; 429
// RESOURCE_EXHAUSTED and 5xx retryable (after Retry-After when sent).
func apiError(status int, h http.Header, body []byte, now time.Time) *network.Error {
	var g googleError
	_ = json.Unmarshal(body, &g)
	var inner struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Status  string `json:"status"`
	}
	msg, code := "", ""
	if len(g.Error) > 0 && g.Error[0] == '{' {
		_ = json.Unmarshal(g.Error, &inner)
		msg, code = inner.Message, inner.Status
	} else if len(g.Error) > 0 {
		_ = json.Unmarshal(g.Error, &code)
		msg = g.Desc
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	if msg == "" {
		msg = fmt.Sprintf("Google answered HTTP %d", status)
	}
	ne := &network.Error{Network: network.GoogleBusiness, Status: status, Code: code, Message: msg}
	switch {
	case status == http.StatusUnauthorized:
		ne.Class = network.AuthRefresh
	case status == http.StatusForbidden:
		ne.Class = network.Permanent
	case status == http.StatusTooManyRequests || code == "RESOURCE_EXHAUSTED":
		ne.Class = network.Retryable
		ne.RetryAfter = network.ParseRateLimit(h, now).Reset
	case code == "FAILED_PRECONDITION" || code == "INVALID_ARGUMENT":
		ne.Class = network.InvalidContent
	default:
		ne.Class = network.ClassForStatus(status)
		if status >= 500 {
			ne.RetryAfter = network.ParseRateLimit(h, now).Reset
		}
	}
	return ne
}
