package soundcloud

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/oauthtok"
)

// api calls the SoundCloud API for one user through the token holder.
type api struct {
	app App
	hc  *http.Client
	now func() time.Time
	tok *oauthtok.Holder

	mu   sync.Mutex
	rate network.RateLimit
}

type request struct {
	method, path string
	query        url.Values
	json         any
	body         []byte
	contentType  string
}

// RateLimit returns the latest rate-limit report (SoundCloud documents no
// headers; Retry-After on a 429 is kept).
func (a *api) RateLimit() network.RateLimit {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.rate
}

func (a *api) do(ctx context.Context, r request, out any) error {
	return a.tok.Do(ctx, func(ctx context.Context, access string) error { return a.send(ctx, r, access, out) })
}

func (a *api) send(ctx context.Context, r request, access string, out any) error {
	u := r.path
	if len(u) > 0 && u[0] == '/' {
		u = a.app.api() + u
	}
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	body, ctype := r.body, r.contentType
	if r.json != nil {
		b, err := json.Marshal(r.json)
		if err != nil {
			return fmt.Errorf("soundcloud: encode request: %w", err)
		}
		body, ctype = b, "application/json"
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, rd)
	if err != nil {
		return fmt.Errorf("soundcloud: build request: %w", err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept", "application/json; charset=utf-8")
	req.Header.Set("Authorization", "OAuth "+access)
	resp, err := a.hc.Do(req)
	if err != nil {
		return network.TransportError(Kind, err)
	}
	now := a.now()
	if rl := network.ParseRateLimit(resp.Header, now); rl.Known() {
		a.mu.Lock()
		a.rate = rl
		a.mu.Unlock()
	}
	b, err := network.ReadBody(resp)
	if err != nil {
		return network.TransportError(Kind, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return apiError(resp.StatusCode, resp.Header, b, now)
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return &network.Error{Class: network.Unknown, Network: Kind, Status: resp.StatusCode, Message: "unexpected answer from SoundCloud", Err: err}
		}
	}
	return nil
}

// apiError maps a SoundCloud error ({"code","message","link"}, with the
// older "errors":[{"error_message"}]) onto the typed classes: 401
// auth-refresh, 400/413/422 invalid content, 403 permanent, 404 not found,
// 429 retryable after Retry-After (or an hour), 5xx retryable.
func apiError(status int, h http.Header, body []byte, now time.Time) *network.Error {
	var p struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Errors  []struct {
			ErrorMessage string `json:"error_message"`
		} `json:"errors"`
	}
	_ = json.Unmarshal(body, &p)
	msg := p.Message
	if msg == "" && len(p.Errors) > 0 {
		msg = p.Errors[0].ErrorMessage
	}
	if msg == "" {
		msg = oauthtok.ErrorMessage(body, status)
	}
	ne := &network.Error{Network: Kind, Status: status, Message: msg}
	if p.Code != 0 && p.Code != status {
		ne.Code = strconv.Itoa(p.Code)
	}
	switch {
	case status == http.StatusUnauthorized:
		ne.Class = network.AuthRefresh
	case status == http.StatusForbidden:
		ne.Class = network.Permanent
	case status == http.StatusTooManyRequests:
		ne.Class = network.Retryable
		ne.RetryAfter = network.ParseRateLimit(h, now).Reset
		if ne.RetryAfter.IsZero() {
			ne.RetryAfter = now.Add(time.Hour)
		}
	default:
		ne.Class = network.ClassForStatus(status)
	}
	return ne
}
