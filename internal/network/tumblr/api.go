package tumblr

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/oauthtok"
)

// api calls the Tumblr API v2 for one user: the shared OAuth client with
// Tumblr's envelope, errors and rate-limit headers.
type api struct {
	*oauthtok.API
	app App
}

// request is one API call.
type request = oauthtok.Request

func newAPI(a App, env network.Env, secrets map[string]string) *api {
	return &api{app: a, API: &oauthtok.API{Network: network.Tumblr, Base: a.api(), HC: env.Client(), Now: env.Clock,
		Tok: oauthtok.New(a.endpoint(), env, secrets), Scheme: "Bearer", Rate: RateOf, Error: apiError, Decode: decodeEnvelope}}
}

func (a *api) do(ctx context.Context, r request, out any) error { return a.Do(ctx, r, out) }

func (a *api) now() time.Time { return a.Now() }

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

// decodeEnvelope reads the answer's "response" into out.
func decodeEnvelope(b []byte, out any) error {
	var env envelope
	if err := json.Unmarshal(b, &env); err != nil {
		return err
	}
	if len(env.Response) == 0 {
		return nil
	}
	return json.Unmarshal(env.Response, out)
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
