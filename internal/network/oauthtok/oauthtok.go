// Package oauthtok trades OAuth 2 grants at a network's token endpoint and
// sends a channel's JSON API calls with its tokens (network.Tokens, which
// renews them), for the connectors of networks with short-lived access
// tokens and refresh tokens (Tumblr, SoundCloud, Snapchat).
package oauthtok

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
)

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
	s := map[string]string{network.SecretAccess: t.AccessToken}
	if t.RefreshToken != "" {
		s[network.SecretRefresh] = t.RefreshToken
	}
	if t.ExpiresIn > 0 {
		s[network.SecretExpiresAt] = network.ExpiresAt(now, t.ExpiresIn)
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

// New keeps one channel's stored tokens, renewed at e (a refresh grant
// with the app's credentials) when the app is configured.
func New(e Endpoint, env network.Env, secrets map[string]string) *network.Tokens {
	var renew func(context.Context, string) (map[string]string, error)
	if e.ClientID != "" {
		hc, now := env.Client(), env.Clock
		renew = func(ctx context.Context, rt string) (map[string]string, error) {
			t, err := e.Grant(ctx, hc, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
			if err != nil {
				return nil, err
			}
			return t.Secrets(now()), nil
		}
	}
	return network.NewTokens(e.Network, env, secrets, renew)
}
