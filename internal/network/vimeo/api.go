package vimeo

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

const secretAccess = "access_token"

// api calls the Vimeo API for one account. Vimeo's access tokens do not
// expire, so there is no refresh: a 401 means reconnect.
type api struct {
	app    App
	hc     *http.Client
	now    func() time.Time
	access string

	mu   sync.Mutex
	rate network.RateLimit
}

type request struct {
	verb, url   string
	query       url.Values
	json        any
	body        []byte
	contentType string
	header      http.Header
	// noAuth leaves the token out (the tus upload link is a capability).
	noAuth bool
}

// RateLimit returns the latest X-RateLimit-* report.
func (a *api) RateLimit() network.RateLimit {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.rate
}

func (a *api) path(p string) string { return a.app.api() + p }

// do sends r and decodes a 2xx answer into out.
func (a *api) do(ctx context.Context, r request, out any) error {
	status, h, b, err := a.send(ctx, r)
	if err != nil {
		return err
	}
	if status < 200 || status > 299 {
		return apiError(status, h, b, a.now())
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return &network.Error{Class: network.Unknown, Network: network.Vimeo, Status: status, Message: "unexpected answer from Vimeo", Err: err}
		}
	}
	return nil
}

func (a *api) send(ctx context.Context, r request) (int, http.Header, []byte, error) {
	u := r.url
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	body, ctype := r.body, r.contentType
	if r.json != nil {
		b, err := json.Marshal(r.json)
		if err != nil {
			return 0, nil, nil, fmt.Errorf("vimeo: encode request: %w", err)
		}
		body, ctype = b, "application/json"
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.verb, u, rd)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("vimeo: build request: %w", err)
	}
	for k, v := range r.header {
		req.Header[k] = v
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept", Accept)
	if !r.noAuth {
		req.Header.Set("Authorization", "Bearer "+a.access)
	}
	return a.roundTrip(req)
}

func (a *api) roundTrip(req *http.Request) (int, http.Header, []byte, error) {
	resp, err := a.hc.Do(req)
	if err != nil {
		return 0, nil, nil, network.TransportError(network.Vimeo, err)
	}
	if rl := network.ParseRateLimit(resp.Header, a.now()); rl.Known() {
		a.mu.Lock()
		a.rate = rl
		a.mu.Unlock()
	}
	b, err := network.ReadBody(resp)
	if err != nil {
		return resp.StatusCode, resp.Header, nil, network.TransportError(network.Vimeo, err)
	}
	return resp.StatusCode, resp.Header, b, nil
}

// token posts a grant to /oauth/access_token with the app's Basic auth.
func (a *api) token(ctx context.Context, form url.Values) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.path("/oauth/access_token"), strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("vimeo: build token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", Accept)
	req.SetBasicAuth(a.app.ClientID, a.app.ClientSecret)
	status, h, b, err := a.roundTrip(req)
	if err != nil {
		return "", err
	}
	if status != http.StatusOK {
		return "", apiError(status, h, b, a.now())
	}
	var t struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(b, &t); err != nil || t.AccessToken == "" {
		return "", &network.Error{Class: network.Retryable, Network: network.Vimeo, Status: status, Message: "the token endpoint answered without an access token"}
	}
	return t.AccessToken, nil
}

// vimeoError is Vimeo's error body.
type vimeoError struct {
	Error            string `json:"error"`
	Link             string `json:"link"`
	DeveloperMessage string `json:"developer_message"`
	ErrorCode        int    `json:"error_code"`
	// ErrorDescription is set by the OAuth endpoints.
	ErrorDescription string `json:"error_description"`
}

// apiError maps a Vimeo error answer onto the typed classes: 401
// reconnect (tokens do not expire: a 401 is a revoked token or missing
// scope), 400 and 409 invalid content with Vimeo's message, 403 permanent
// (the plan or the scopes lack the feature), 404 not found, 429 retryable
// at X-RateLimit-Reset, 5xx retryable.
func apiError(status int, h http.Header, body []byte, now time.Time) *network.Error {
	var e vimeoError
	_ = json.Unmarshal(body, &e)
	msg := e.Error
	if msg == "" {
		msg = e.ErrorDescription
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	if msg == "" {
		msg = fmt.Sprintf("Vimeo answered HTTP %d", status)
	}
	code := ""
	if e.ErrorCode != 0 {
		code = strconv.Itoa(e.ErrorCode)
	}
	ne := &network.Error{Network: network.Vimeo, Status: status, Code: code, Message: msg, TraceID: h.Get("X-Request-Id")}
	switch {
	case status == http.StatusUnauthorized:
		ne.Class = network.AuthReconnect
	case status == http.StatusConflict:
		ne.Class = network.InvalidContent
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
