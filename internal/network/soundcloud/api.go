package soundcloud

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/oauthtok"
)

// api calls the SoundCloud API for one user: the shared OAuth client with
// SoundCloud's "OAuth" authorization scheme and its errors.
type api struct {
	*oauthtok.API
	app App
}

// request is one API call.
type request = oauthtok.Request

func newAPI(a App, env network.Env, secrets map[string]string) *api {
	return &api{app: a, API: &oauthtok.API{Network: Kind, Base: a.api(), HC: env.Client(), Now: env.Clock,
		Tok: oauthtok.New(a.endpoint(), env, secrets), Scheme: "OAuth", Accept: "application/json; charset=utf-8", Error: apiError}}
}

func (a *api) do(ctx context.Context, r request, out any) error { return a.Do(ctx, r, out) }

func (a *api) now() time.Time { return a.Now() }

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
