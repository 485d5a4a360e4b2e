package tiktok

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
)

// api calls open.tiktokapis.com for one creator.
type api struct {
	app  App
	hc   *http.Client
	now  func() time.Time
	keep *network.Tokens

	mu   sync.Mutex
	rate network.RateLimit
}

// envelope is every v2 answer: data, and error whose code is "ok" on success.
type envelope struct {
	Data  json.RawMessage `json:"data"`
	Error json.RawMessage `json:"error"`
}

// apiErr is the v2 error object.
type apiErr struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	LogID   string `json:"log_id"`
}

// call posts (or gets, when body is nil and method is GET) a v2 endpoint and
// decodes data into out, renewing the token as needed.
func (a *api) call(ctx context.Context, method, path string, query url.Values, body, out any) error {
	return a.keep.Do(ctx, func(access string) error { return a.send(ctx, method, path, query, body, access, out) })
}

func (a *api) send(ctx context.Context, method, path string, query url.Values, body any, access string, out any) error {
	u := a.app.api() + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("tiktok: encode request: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	var req *http.Request
	var err error
	if rd != nil {
		req, err = http.NewRequestWithContext(ctx, method, u, rd)
	} else {
		req, err = http.NewRequestWithContext(ctx, method, u, nil)
	}
	if err != nil {
		return fmt.Errorf("tiktok: build request: %w", err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json; charset=UTF-8")
	}
	req.Header.Set("Authorization", "Bearer "+access)
	status, b, err := a.roundTrip(req)
	if err != nil {
		return err
	}
	var env envelope
	jerr := json.Unmarshal(b, &env)
	if status < 200 || status > 299 {
		return a.noteLimit(apiError(status, b, a.now()))
	}
	if jerr != nil {
		return &network.Error{Class: network.Unknown, Network: network.TikTok, Status: status, Message: "unexpected answer from TikTok", Err: jerr}
	}
	if ne := apiError(status, b, a.now()); ne != nil && ne.Code != "ok" && ne.Code != "" {
		return a.noteLimit(ne)
	}
	if out != nil && len(env.Data) > 0 {
		if err := json.Unmarshal(env.Data, out); err != nil {
			return &network.Error{Class: network.Unknown, Network: network.TikTok, Status: status, Message: "unexpected answer from TikTok", Err: err}
		}
	}
	return nil
}

func (a *api) roundTrip(req *http.Request) (int, []byte, error) {
	resp, err := a.hc.Do(req)
	if err != nil {
		return 0, nil, network.TransportError(network.TikTok, err)
	}
	if rl := network.ParseRateLimit(resp.Header, a.now()); rl.Known() {
		a.mu.Lock()
		a.rate = rl
		a.mu.Unlock()
	}
	b, err := network.ReadBody(resp)
	if err != nil {
		return resp.StatusCode, nil, network.TransportError(network.TikTok, err)
	}
	return resp.StatusCode, b, nil
}

// noteLimit records an exhausted window as the latest rate-limit report:
// TikTok sends no rate-limit headers, only the error and its own windows.
func (a *api) noteLimit(ne *network.Error) *network.Error {
	if ne.Class == network.Retryable && !ne.RetryAfter.IsZero() {
		a.mu.Lock()
		a.rate = network.RateLimit{Remaining: 0, Reset: ne.RetryAfter}
		a.mu.Unlock()
	}
	return ne
}

// RateLimit returns the latest rate-limit report.
func (a *api) RateLimit() network.RateLimit {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.rate
}

// tokenAnswer is POST /v2/oauth/token/'s answer (flat, not in the envelope).
type tokenAnswer struct {
	AccessToken      string `json:"access_token"`
	ExpiresIn        int64  `json:"expires_in"`
	OpenID           string `json:"open_id"`
	RefreshToken     string `json:"refresh_token"`
	RefreshExpiresIn int64  `json:"refresh_expires_in"`
	Scope            string `json:"scope"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// token posts a grant with the client key and secret.
func (a *api) token(ctx context.Context, form url.Values) (map[string]string, error) {
	form.Set("client_key", a.app.ClientKey)
	form.Set("client_secret", a.app.ClientSecret)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.app.api()+"/v2/oauth/token/", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("tiktok: build token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, b, err := a.roundTrip(req)
	if err != nil {
		return nil, err
	}
	var t tokenAnswer
	_ = json.Unmarshal(b, &t)
	if status != http.StatusOK || t.AccessToken == "" {
		ne := apiError(status, b, a.now())
		if status < 500 && status != http.StatusTooManyRequests {
			// A refused code or refresh token: the user signs in again.
			ne.Class = network.AuthReconnect
		}
		return nil, ne
	}
	now := a.now()
	s := map[string]string{network.SecretAccess: t.AccessToken, network.SecretRefresh: t.RefreshToken,
		network.SecretExpiresAt: network.ExpiresAt(now, t.ExpiresIn), network.SecretRefreshExpiresAt: network.ExpiresAt(now, t.RefreshExpiresIn)}
	for k, v := range s {
		if v == "" {
			delete(s, k)
		}
	}
	return s, nil
}

func (a *api) refreshGrant(ctx context.Context, rt string) (map[string]string, error) {
	return a.token(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
}

// apiError maps a TikTok answer onto the typed classes (networks.md §1.4):
// the v2 error object's code decides, the HTTP status when it is missing.
// It returns an error whose Code is "ok" for a successful answer.
func apiError(status int, body []byte, now time.Time) *network.Error {
	var env envelope
	_ = json.Unmarshal(body, &env)
	var e apiErr
	if len(env.Error) > 0 && env.Error[0] == '{' {
		_ = json.Unmarshal(env.Error, &e)
	} else {
		// The OAuth endpoints answer {"error":"invalid_grant","error_description":…,"log_id":…}.
		var o tokenAnswer
		var lg struct {
			LogID string `json:"log_id"`
		}
		_ = json.Unmarshal(body, &o)
		_ = json.Unmarshal(body, &lg)
		e = apiErr{Code: o.Error, Message: o.ErrorDescription, LogID: lg.LogID}
	}
	ne := &network.Error{Network: network.TikTok, Status: status, Code: e.Code, Message: e.Message, TraceID: e.LogID}
	if e.Code == "ok" && status >= 200 && status <= 299 {
		return ne
	}
	if ne.Code == "ok" {
		ne.Code = ""
	}
	if ne.Message == "" {
		ne.Message = http.StatusText(status)
	}
	if ne.Message == "" {
		ne.Message = fmt.Sprintf("TikTok answered HTTP %d", status)
	}
	ne.Class = classOf(e.Code, status)
	switch e.Code {
	case "rate_limit_exceeded":
		// Per-endpoint windows of one minute (networks.md §14).
		ne.RetryAfter = now.Add(time.Minute)
		ne.Status = http.StatusTooManyRequests
	case "spam_risk_too_many_posts", "spam_risk_too_many_pending_share", "reached_active_user_cap":
		// Daily caps: not before tomorrow.
		ne.RetryAfter = now.Add(24 * time.Hour)
	default:
		if status == http.StatusTooManyRequests {
			ne.RetryAfter = now.Add(time.Minute)
		}
	}
	return ne
}

// classOf is the class of a TikTok error code.
func classOf(code string, status int) network.Class {
	switch code {
	case "access_token_invalid", "token_expired", "invalid_token":
		return network.AuthRefresh
	case "scope_not_authorized", "scope_permission_missed", "invalid_grant", "auth_removed":
		return network.AuthReconnect
	case "rate_limit_exceeded", "spam_risk_too_many_posts", "spam_risk_too_many_pending_share", "reached_active_user_cap", "internal_error":
		return network.Retryable
	case "invalid_params", "invalid_file_upload", "privacy_level_option_mismatch", "unaudited_client_can_only_post_to_private_accounts",
		"file_format_check_failed", "duration_check_failed", "frame_rate_check_failed", "picture_size_check_failed", "spam_risk_text":
		return network.InvalidContent
	case "spam_risk_user_banned_from_posting", "spam_risk", "url_ownership_unverified", "invalid_publish_id", "publish_cancelled":
		return network.Permanent
	}
	if status == http.StatusUnauthorized {
		return network.AuthRefresh
	}
	if status == http.StatusForbidden {
		return network.Permanent
	}
	return network.ClassForStatus(status)
}
