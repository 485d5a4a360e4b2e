// Package oauthtok keeps one channel's OAuth 2 token pair for connectors
// whose networks issue short-lived access tokens and refresh tokens
// (Tumblr, SoundCloud, Snapchat): it renews the access token before it
// expires and once after a 401, serialises renewals (a rotated refresh
// token works once), persists the new pair before it is used, and trades
// grants at a token endpoint.
package oauthtok

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
)

// Names of the stored secrets.
const (
	SecretAccess    = "access_token"
	SecretRefresh   = "refresh_token"
	SecretExpiresAt = "expires_at"
)

// refreshAhead renews an access token this long before it expires.
const refreshAhead = 2 * time.Minute

// Token is what a token endpoint answered.
type Token struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int64  `json:"expires_in"`
	Scope        string `json:"scope"`
	TokenType    string `json:"token_type"`
}

// Secrets turns the token into what a channel stores.
func (t Token) Secrets(now time.Time) map[string]string {
	s := map[string]string{SecretAccess: t.AccessToken}
	if t.RefreshToken != "" {
		s[SecretRefresh] = t.RefreshToken
	}
	if t.ExpiresIn > 0 {
		s[SecretExpiresAt] = now.Add(time.Duration(t.ExpiresIn) * time.Second).UTC().Format(time.RFC3339)
	}
	return s
}

// Endpoint is a network's token endpoint and the app's credentials.
type Endpoint struct {
	Network network.Kind
	URL     string
	// ClientID and ClientSecret go in the form (InForm) or as HTTP Basic auth.
	ClientID, ClientSecret string
	InForm                 bool
}

// Grant posts form (grant_type and its fields) to the token endpoint. A
// refused grant (400, 401) is AuthReconnect: only signing in again helps.
func (e Endpoint) Grant(ctx context.Context, hc *http.Client, form url.Values) (Token, error) {
	form = cloneValues(form)
	if e.InForm {
		form.Set("client_id", e.ClientID)
		if e.ClientSecret != "" {
			form.Set("client_secret", e.ClientSecret)
		}
	} else if form.Get("client_id") == "" {
		form.Set("client_id", e.ClientID)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL, strings.NewReader(form.Encode()))
	if err != nil {
		return Token{}, fmt.Errorf("%s: build token request: %w", e.Network, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if !e.InForm && e.ClientSecret != "" {
		req.SetBasicAuth(url.QueryEscape(e.ClientID), url.QueryEscape(e.ClientSecret))
	}
	resp, err := hc.Do(req)
	if err != nil {
		return Token{}, network.TransportError(e.Network, err)
	}
	b, err := network.ReadBody(resp)
	if err != nil {
		return Token{}, network.TransportError(e.Network, err)
	}
	if resp.StatusCode != http.StatusOK {
		ne := &network.Error{Network: e.Network, Status: resp.StatusCode, Class: network.ClassForStatus(resp.StatusCode), Message: ErrorMessage(b, resp.StatusCode)}
		if resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnauthorized {
			ne.Class = network.AuthReconnect
		}
		ne.Code = errorCode(b)
		return Token{}, ne
	}
	var t Token
	if err := json.Unmarshal(b, &t); err != nil || t.AccessToken == "" {
		return Token{}, &network.Error{Class: network.Retryable, Network: e.Network, Status: resp.StatusCode, Message: "the token endpoint answered without an access token"}
	}
	return t, nil
}

// ErrorMessage reads an OAuth error body ({"error","error_description"}),
// Tumblr's envelope ({"meta":{"msg"},"errors":[{"detail"}]}) or a plain
// {"message"}, falling back to the HTTP status text.
func ErrorMessage(body []byte, status int) string {
	var p struct {
		Error       any    `json:"error"`
		Description string `json:"error_description"`
		Message     string `json:"message"`
		Meta        struct {
			Msg string `json:"msg"`
		} `json:"meta"`
		Errors []struct {
			Title  string `json:"title"`
			Detail string `json:"detail"`
		} `json:"errors"`
	}
	_ = json.Unmarshal(body, &p)
	for _, s := range []string{p.Description, p.Message} {
		if s != "" {
			return s
		}
	}
	for _, e := range p.Errors {
		if e.Detail != "" {
			return e.Detail
		}
		if e.Title != "" {
			return e.Title
		}
	}
	if s, ok := p.Error.(string); ok && s != "" {
		return s
	}
	if p.Meta.Msg != "" {
		return p.Meta.Msg
	}
	if s := http.StatusText(status); s != "" {
		return s
	}
	return fmt.Sprintf("HTTP %d", status)
}

func errorCode(body []byte) string {
	var p struct {
		Error any `json:"error"`
	}
	_ = json.Unmarshal(body, &p)
	s, _ := p.Error.(string)
	return s
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Holder keeps one channel's token pair.
type Holder struct {
	endpoint      Endpoint
	hc            *http.Client
	now           func() time.Time
	save          func(ctx context.Context, secrets map[string]string) error
	refreshLocked func(ctx context.Context, fn func(current map[string]string) (map[string]string, error)) error

	mu      sync.Mutex
	access  string
	refresh string
	expires time.Time
	// refreshMu serialises renewals: a rotated refresh token works once.
	refreshMu sync.Mutex
}

// New builds a holder from stored secrets.
func New(e Endpoint, env network.Env, secrets map[string]string) *Holder {
	h := &Holder{endpoint: e, hc: env.Client(), now: env.Clock, save: env.SaveSecrets, refreshLocked: env.RefreshLocked}
	h.Adopt(secrets)
	return h
}

// Adopt replaces the pair (after another instance renewed it).
func (h *Holder) Adopt(s map[string]string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.access, h.refresh = s[SecretAccess], s[SecretRefresh]
	h.expires = time.Time{}
	if t, err := time.Parse(time.RFC3339, s[SecretExpiresAt]); err == nil {
		h.expires = t
	}
}

// Secrets returns the pair as a channel stores it.
func (h *Holder) Secrets() map[string]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := map[string]string{SecretAccess: h.access}
	if h.refresh != "" {
		s[SecretRefresh] = h.refresh
	}
	if !h.expires.IsZero() {
		s[SecretExpiresAt] = h.expires.UTC().Format(time.RFC3339)
	}
	return s
}

// Current returns the access token, its expiry and the refresh token.
func (h *Holder) Current() (access string, expires time.Time, refresh string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.access, h.expires, h.refresh
}

// Expiry is when the access token expires if nothing can renew it; zero
// when a refresh token renews it.
func (h *Holder) Expiry() time.Time {
	_, exp, rt := h.Current()
	if rt != "" && h.endpoint.ClientID != "" {
		return time.Time{}
	}
	return exp
}

// Do calls send with the access token. An expiring token is renewed first;
// an AuthRefresh answer renews once and sends again; a fresh token refused
// again, or no refresh token, is AuthReconnect.
func (h *Holder) Do(ctx context.Context, send func(ctx context.Context, access string) error) error {
	access, exp, rt := h.Current()
	if rt != "" && !exp.IsZero() && h.now().Add(refreshAhead).After(exp) {
		if err := h.Renew(ctx, access); err != nil {
			return err
		}
		access, _, _ = h.Current()
	}
	err := send(ctx, access)
	if network.ClassOf(err) != network.AuthRefresh {
		return err
	}
	if _, _, rt = h.Current(); rt == "" {
		return reconnect(err)
	}
	if err := h.Renew(ctx, access); err != nil {
		return err
	}
	access, _, _ = h.Current()
	err = send(ctx, access)
	if network.ClassOf(err) == network.AuthRefresh {
		return reconnect(err)
	}
	return err
}

func reconnect(err error) error {
	var ne *network.Error
	if errors.As(err, &ne) {
		ne.Class = network.AuthReconnect
	}
	return err
}

// Renew trades the refresh token for a new pair unless another caller (or
// instance) already replaced stale; the new pair is saved before use.
func (h *Holder) Renew(ctx context.Context, stale string) error {
	h.refreshMu.Lock()
	defer h.refreshMu.Unlock()
	if cur, _, _ := h.Current(); cur != stale {
		return nil
	}
	if h.refreshLocked == nil {
		next, err := h.refreshWith(ctx, "")
		if err != nil {
			return err
		}
		if h.save != nil {
			if err := h.save(ctx, next); err != nil {
				return fmt.Errorf("%s: save renewed tokens: %w", h.endpoint.Network, err)
			}
		}
		return nil
	}
	return h.refreshLocked(ctx, func(current map[string]string) (map[string]string, error) {
		if tok := current[SecretAccess]; tok != "" && tok != stale {
			h.Adopt(current)
			return nil, nil
		}
		return h.refreshWith(ctx, current[SecretRefresh])
	})
}

func (h *Holder) refreshWith(ctx context.Context, rt string) (map[string]string, error) {
	if rt == "" {
		_, _, rt = h.Current()
	}
	t, err := h.endpoint.Grant(ctx, h.hc, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
	if err != nil {
		return nil, fmt.Errorf("%s: renew token: %w", h.endpoint.Network, err)
	}
	next := t.Secrets(h.now())
	if next[SecretRefresh] == "" {
		next[SecretRefresh] = rt
	}
	h.Adopt(next)
	return next, nil
}
