package tumblr

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
	"github.com/relais/relais/internal/network/oauthtok"
)

// api calls the Tumblr API v2 for one user through the token holder.
type api struct {
	app App
	hc  *http.Client
	now func() time.Time
	tok *oauthtok.Holder

	mu   sync.Mutex
	rate network.RateLimit
}

// request is one API call: a JSON body, a multipart body, a form or none.
type request struct {
	method, path string
	query        url.Values
	json         any
	body         []byte
	contentType  string
}

// RateLimit returns the latest normalised rate-limit report.
func (a *api) RateLimit() network.RateLimit {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.rate
}

// envelope is every Tumblr answer: meta, response, and errors on failure.
type envelope struct {
	Meta struct {
		Status int    `json:"status"`
		Msg    string `json:"msg"`
	} `json:"meta"`
	Response json.RawMessage `json:"response"`
	Errors   []struct {
		Title  string `json:"title"`
		Code   int    `json:"code"`
		Detail string `json:"detail"`
	} `json:"errors"`
}

// do sends r and decodes the answer's "response" into out.
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
			return fmt.Errorf("tumblr: encode request: %w", err)
		}
		body, ctype = b, "application/json"
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, rd)
	if err != nil {
		return fmt.Errorf("tumblr: build request: %w", err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+access)
	resp, err := a.hc.Do(req)
	if err != nil {
		return network.TransportError(network.Tumblr, err)
	}
	now := a.now()
	if rl := RateOf(resp.Header, now); rl.Known() {
		a.mu.Lock()
		a.rate = rl
		a.mu.Unlock()
	}
	b, err := network.ReadBody(resp)
	if err != nil {
		return network.TransportError(network.Tumblr, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return apiError(resp.StatusCode, resp.Header, b, now)
	}
	if out == nil {
		return nil
	}
	var env envelope
	if err := json.Unmarshal(b, &env); err != nil {
		return &network.Error{Class: network.Unknown, Network: network.Tumblr, Status: resp.StatusCode, Message: "unexpected answer from Tumblr", Err: err}
	}
	if len(env.Response) > 0 {
		if err := json.Unmarshal(env.Response, out); err != nil {
			return &network.Error{Class: network.Unknown, Network: network.Tumblr, Status: resp.StatusCode, Message: "unexpected answer from Tumblr", Err: err}
		}
	}
	return nil
}

// Tumblr's error subcodes that decide a class (api.md, "Errors and Error Subcodes").
const (
	codeInvalidNPF    = 8001
	codeBadParent     = 8002
	codeMediaFormat   = 8005
	codeMediaDaily    = 8004
	codeVideoInReblog = 8008
	codeTranscoding   = 8010
	codeVideoDaily    = 8011
	codeQueueFull     = 8022
	codePostsDaily    = 8023
)

// apiError maps a Tumblr error answer onto the typed classes: 401
// auth-refresh; 400 invalid content; 403 with a daily cap (8004 media,
// 8011 videos, 8023 posts) retryable at the next calendar day (or the
// rate-limit reset when sent); 8010 (a video still transcoding) retryable
// in a minute; 8022 (queue full) and 8008 invalid content; other 403s
// permanent; 429 retryable at the reset; 5xx retryable; the rest permanent.
func apiError(status int, h http.Header, body []byte, now time.Time) *network.Error {
	var env envelope
	_ = json.Unmarshal(body, &env)
	ne := &network.Error{Network: network.Tumblr, Status: status, TraceID: h.Get("X-Tumblr-Request-Id")}
	sub := 0
	if len(env.Errors) > 0 {
		e := env.Errors[0]
		sub = e.Code
		ne.Message = e.Detail
		if ne.Message == "" {
			ne.Message = e.Title
		}
		if e.Code != 0 {
			ne.Code = strconv.Itoa(e.Code)
		}
	}
	if ne.Message == "" {
		ne.Message = oauthtok.ErrorMessage(body, status)
	}
	if ne.Message == "" {
		ne.Message = fmt.Sprintf("Tumblr answered HTTP %d", status)
	}
	switch {
	case status == http.StatusUnauthorized:
		ne.Class = network.AuthRefresh
	case status == http.StatusTooManyRequests:
		ne.Class = network.Retryable
		ne.RetryAfter = RateOf(h, now).Reset
		if ne.RetryAfter.IsZero() {
			ne.RetryAfter = now.Add(time.Hour)
		}
	case status == http.StatusForbidden && (sub == codeMediaDaily || sub == codeVideoDaily || sub == codePostsDaily):
		ne.Class = network.Retryable
		ne.RetryAfter = RateOf(h, now).Reset
		if ne.RetryAfter.IsZero() {
			ne.RetryAfter = nextDay(now)
		}
	case status == http.StatusForbidden && sub == codeTranscoding:
		ne.Class = network.Retryable
		ne.RetryAfter = now.Add(time.Minute)
	case status == http.StatusForbidden && (sub == codeQueueFull || sub == codeVideoInReblog):
		ne.Class = network.InvalidContent
	case status == http.StatusForbidden:
		ne.Class = network.Permanent
	default:
		ne.Class = network.ClassForStatus(status)
	}
	return ne
}

// nextDay is the start of the next calendar day (UTC): Tumblr's daily
// limits are per calendar day on its servers' clocks.
func nextDay(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
}

// RateOf normalises Tumblr's rate-limit headers: the per-hour and per-day
// windows (X-Ratelimit-Perhour-* and X-Ratelimit-Perday-*, resets in
// seconds from now) reported as the one with the fewest calls left, and
// Retry-After when sent.
func RateOf(h http.Header, now time.Time) network.RateLimit {
	var best network.RateLimit
	found := false
	for _, w := range []string{"X-Ratelimit-Perhour-", "X-Ratelimit-Perday-"} {
		lim, rem := h.Get(w+"Limit"), h.Get(w+"Remaining")
		if lim == "" && rem == "" {
			continue
		}
		r := network.RateLimit{Limit: atoi(lim), Remaining: atoi(rem)}
		if n := atoi(h.Get(w + "Reset")); n > 0 {
			r.Reset = now.Add(time.Duration(n) * time.Second)
		}
		if !found || r.Remaining < best.Remaining || (r.Remaining == best.Remaining && r.Reset.After(best.Reset)) {
			best, found = r, true
		}
	}
	if v := h.Get("Retry-After"); v != "" {
		if t := network.ParseRetryAfter(v, now); !t.IsZero() && t.After(best.Reset) {
			best.Reset = t
		}
	}
	return best
}

func atoi(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return 0
	}
	return n
}
