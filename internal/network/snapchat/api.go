package snapchat

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/oauthtok"
)

// api calls the Public Profile API for one profile: the shared OAuth
// client with the Marketing API's errors.
type api struct {
	*oauthtok.API
	app App
}

// request is one API call.
type request = oauthtok.Request

func newAPI(a App, env network.Env, secrets map[string]string) *api {
	return &api{app: a, API: &oauthtok.API{Network: Kind, Base: a.api(), HC: env.Client(), Now: env.Clock,
		Tok: oauthtok.New(a.endpoint(), env, secrets), Scheme: "Bearer", Error: apiError}}
}

func (a *api) do(ctx context.Context, r request, out any) error { return a.Do(ctx, r, out) }

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
