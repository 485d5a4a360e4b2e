package snapchat

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/oauthtok"
)

// api calls the Public Profile API for one profile through the token holder.
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

// RateLimit returns the latest rate-limit report (Retry-After on a 429).
func (a *api) RateLimit() network.RateLimit {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.rate
}

func (a *api) do(ctx context.Context, r request, out any) error {
	return a.tok.Do(ctx, func(ctx context.Context, access string) error { return a.send(ctx, r, access, out) })
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
			return fmt.Errorf("snapchat: encode request: %w", err)
		}
		body, ctype = b, "application/json"
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, rd)
	if err != nil {
		return fmt.Errorf("snapchat: build request: %w", err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+access)
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
			return &network.Error{Class: network.Unknown, Network: Kind, Status: resp.StatusCode, Message: "unexpected answer from Snapchat", Err: err}
		}
	}
	return nil
}

// apiError maps the Marketing API's error answer ({"request_status":
// "ERROR","request_id","debug_message","display_message","error_code"})
// onto the typed classes: 401 auth-refresh; 400 invalid content; 403
// permanent (an app Snap has not allowlisted, or a profile not shared with
// it); 404 not found; 429 retryable after Retry-After (else a minute); 5xx
// retryable. The request_id is kept as the trace id.
func apiError(status int, h http.Header, body []byte, now time.Time) *network.Error {
	var p struct {
		RequestID      string `json:"request_id"`
		DebugMessage   string `json:"debug_message"`
		DisplayMessage string `json:"display_message"`
		ErrorCode      string `json:"error_code"`
	}
	_ = json.Unmarshal(body, &p)
	msg := p.DisplayMessage
	if msg == "" {
		msg = p.DebugMessage
	}
	if msg == "" {
		msg = oauthtok.ErrorMessage(body, status)
	}
	ne := &network.Error{Network: Kind, Status: status, Code: p.ErrorCode, Message: msg, TraceID: p.RequestID}
	switch status {
	case http.StatusUnauthorized:
		ne.Class = network.AuthRefresh
	case http.StatusForbidden:
		ne.Class = network.Permanent
	case http.StatusTooManyRequests:
		ne.Class = network.Retryable
		ne.RetryAfter = network.ParseRateLimit(h, now).Reset
		if ne.RetryAfter.IsZero() {
			ne.RetryAfter = now.Add(time.Minute)
		}
	default:
		ne.Class = network.ClassForStatus(status)
	}
	return ne
}
