// Package api is relais's REST API under /api/v1, described by an OpenAPI 3.1
// document at /api/openapi.json generated from the Go types (huma). Callers
// authenticate with a personal API token (Authorization: Bearer rl_…), which
// belongs to one workspace: every route acts in that workspace only, and ids
// of other workspaces answer 404 exactly like missing ones.
package api

import (
	"context"
	"errors"
	"github.com/relais/relais/internal/analytics"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/campaign"
	"github.com/relais/relais/internal/channel"
	"github.com/relais/relais/internal/competitor"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/contest"
	"github.com/relais/relais/internal/crisis"
	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/link"
	"github.com/relais/relais/internal/listen"
	"github.com/relais/relais/internal/mail"
	"github.com/relais/relais/internal/media"
	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// Deps is what the API needs from the application.
type Deps struct {
	Store    store.Store
	Auth     *auth.Service
	Channels *channel.Service
	Media    *media.Library
	Compose  *compose.Service
	// Analytics and Collector serve /api/v1/analytics (built from Store and Channels when nil).
	Analytics *analytics.Service
	Collector *analytics.Collector
	// Inbox reads and answers the channels' conversations.
	Inbox *inbox.Service
	// Mail sends invitation e-mail when an SMTP server is configured (nil: links only).
	Mail *mail.Sender
	// Moderation manages inbox rules, saved replies and inbox settings
	// (nil: a service over Store without a dry-run source).
	Moderation *moderation.Service
	// CrisisSource supplies negative messages to the crisis route (nil: not ready); CrisisConfig tunes the test.
	CrisisSource crisis.Source
	CrisisConfig crisis.Config
	Log          *slog.Logger
	BaseURL      string
	Version      string
	// Links creates and resolves short links (nil: one over Store and BaseURL).
	Links *link.Service
	// Campaigns manages campaigns (nil: one over Store).
	Campaigns *campaign.Service
	// Contests runs contests (nil: one over Store with a key of its own).
	Contests *contest.Service
	// Listen runs social listening (nil: one over Store and Channels).
	Listen *listen.Service
	// Competitors keeps competitor panels (nil: one over Store and Channels).
	Competitors *competitor.Service
}

// Handler serves /api/.
type Handler struct {
	d       Deps
	api     huma.API
	modOnce sync.Once
	mod     *moderation.Service
}

// New builds the API handler and its OpenAPI document.
func New(d Deps) *Handler {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	mux := http.NewServeMux()
	cfg := huma.DefaultConfig("relais API", d.Version)
	cfg.OpenAPIPath = "/api/openapi"
	cfg.DocsPath = "" // the docs renderer loads from a CDN; relais serves no external assets
	cfg.SchemasPath = ""
	cfg.CreateHooks = nil
	cfg.Info.Description = "The REST API of relais. Authenticate with `Authorization: Bearer <token>`; a token acts in its own workspace only."
	cfg.Servers = []*huma.Server{{URL: strings.TrimRight(d.BaseURL, "/")}}
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "A personal API token (rl_…)"},
	}
	cfg.Security = []map[string][]string{{"bearer": {}}}
	if d.Contests == nil {
		d.Contests = contest.New(d.Store, contest.RandomKey(), d.Mail, d.BaseURL, d.Log)
		if d.Channels != nil {
			d.Contests.Connectors = d.Channels
		}
	}
	h := &Handler{d: d}
	h.api = humago.New(mux, cfg)
	h.api.UseMiddleware(h.authenticate, h.refuseNUL)
	h.routes()
	documentRefusals(h.api.OpenAPI())
	return h
}

// documentRefusals gives every operation that documents no 4xx answer of
// its own the error shape as "4XX": a refused request (no or a bad token,
// another workspace's id, invalid input) answers ErrorBody, naming the field.
func documentRefusals(o *huma.OpenAPI) {
	for _, item := range o.Paths {
		for _, op := range []*huma.Operation{item.Get, item.Post, item.Put, item.Patch, item.Delete} {
			if op == nil {
				continue
			}
			has4xx := false
			for code := range op.Responses {
				has4xx = has4xx || strings.HasPrefix(code, "4")
			}
			if has4xx {
				continue
			}
			if op.Responses == nil {
				op.Responses = map[string]*huma.Response{}
			}
			op.Responses["4XX"] = &huma.Response{
				Description: "Refused: a missing or bad token (401), a role that may not do this (403), an id of another workspace or none (404), invalid input naming the field (422), too many requests (429)",
				Content:     map[string]*huma.MediaType{"application/json": {Schema: &huma.Schema{Ref: "#/components/schemas/ErrorBody"}}},
			}
		}
	}
}

// ServeHTTP serves the API.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.api.Adapter().ServeHTTP(w, r)
}

// OpenAPI returns the generated document (for tests and the route walker).
func (h *Handler) OpenAPI() *huma.OpenAPI { return h.api.OpenAPI() }

type principalKey struct{}

// principal returns the authenticated caller of a request.
func principal(ctx context.Context) auth.Principal {
	p, _ := ctx.Value(principalKey{}).(auth.Principal)
	return p
}

func (h *Handler) authenticate(ctx huma.Context, next func(huma.Context)) {
	// API answers carry tokens, invitation links and webhook secrets, and
	// always the caller's own data: no cache may keep them.
	ctx.SetHeader("Cache-Control", "no-store")
	if ctx.URL().Path == "/api/openapi.json" || ctx.URL().Path == "/api/openapi.yaml" {
		next(ctx)
		return
	}
	authz := ctx.Header("Authorization")
	token, ok := strings.CutPrefix(authz, "Bearer ")
	if !ok || token == "" {
		_ = huma.WriteErr(h.api, ctx, http.StatusUnauthorized, "Send a personal API token as 'Authorization: Bearer <token>'")
		return
	}
	p, err := h.d.Auth.TokenPrincipal(ctx.Context(), strings.TrimSpace(token))
	if err != nil {
		if errors.Is(err, auth.ErrUnauthenticated) {
			_ = huma.WriteErr(h.api, ctx, http.StatusUnauthorized, "The API token is invalid or was revoked")
			return
		}
		h.d.Log.Error("api: authenticate", "err", err)
		_ = huma.WriteErr(h.api, ctx, http.StatusInternalServerError, "Internal error")
		return
	}
	next(huma.WithValue(ctx, principalKey{}, p))
}

// ErrorBody is every error's JSON shape: {"error":{"code","message","field"}},
// with "problems" when a post does not validate.
type ErrorBody struct {
	Detail ErrorDetail `json:"error"`
	// Problems lists every problem of a post that does not validate (422 of
	// create-post, update-post, schedule-post and the like).
	Problems []compose.FieldProblem `json:"problems,omitempty" doc:"Every problem of a post that does not validate, each naming its field"`
	// status is kept out of the body.
	status int
}

// ErrorDetail describes one error.
type ErrorDetail struct {
	Code    string `json:"code" doc:"A stable machine-readable code"`
	Message string `json:"message" doc:"What went wrong, naming the field and the limit"`
	Field   string `json:"field,omitempty" doc:"The input field at fault, when there is one"`
}

// GetStatus implements huma.StatusError.
func (e *ErrorBody) GetStatus() int { return e.status }

// Error implements error.
func (e *ErrorBody) Error() string { return e.Detail.Message }

func init() {
	huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
		body := &ErrorBody{status: status, Detail: ErrorDetail{Code: codeFor(status), Message: msg}}
		for _, e := range errs {
			var d *huma.ErrorDetail
			if errors.As(e, &d) {
				field := strings.TrimPrefix(strings.TrimPrefix(d.Location, "body."), "body")
				body.Detail.Field = strings.TrimPrefix(field, "path.")
				body.Detail.Field = strings.TrimPrefix(body.Detail.Field, "query.")
				body.Detail.Field, body.Detail.Message = fieldMessage(body.Detail.Field, msg, d.Message)
				body.Detail.Code = "invalid"
				break
			}
		}
		if status == http.StatusRequestEntityTooLarge {
			body.Detail.Code = "too_large"
		}
		return body
	}
}

// requiredProperty is how the validator says a property is missing; it
// reports the object holding it as the location.
var requiredProperty = regexp.MustCompile(`^expected required property (\S+) to be present$`)

// fieldMessage names the field at fault in a validation message: the
// validator's generic "validation failed" is left out, and a missing property
// is named rather than its parent object (which is "" for the body itself).
func fieldMessage(field, msg, detail string) (string, string) {
	if m := requiredProperty.FindStringSubmatch(detail); m != nil {
		if field != "" {
			field += "."
		}
		field += m[1]
		return field, field + " is required"
	}
	switch {
	case detail == "":
		return field, msg
	case field == "":
		return field, detail
	}
	return field, field + ": " + detail
}

func codeFor(status int) string {
	switch status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return "invalid"
	case http.StatusUnauthorized:
		return "unauthenticated"
	case http.StatusForbidden:
		return "forbidden"
	case http.StatusNotFound:
		return "not_found"
	case http.StatusConflict:
		return "conflict"
	case http.StatusRequestEntityTooLarge:
		return "too_large"
	case http.StatusTooManyRequests:
		return "rate_limited"
	}
	if status >= 500 {
		return "internal"
	}
	return "error"
}

// fail maps a core error onto its HTTP error.
func (h *Handler) fail(err error) error {
	if ve, ok := valid.As(err); ok {
		return &ErrorBody{status: http.StatusUnprocessableEntity, Detail: ErrorDetail{Code: ve.Code, Message: ve.Message, Field: ve.Field}}
	}
	var tooSoon *channel.CheckTooSoonError
	if errors.As(err, &tooSoon) {
		return huma.ErrorWithHeaders(&ErrorBody{status: http.StatusTooManyRequests, Detail: ErrorDetail{Code: "rate_limited", Message: tooSoon.Error()}},
			http.Header{"Retry-After": {strconv.Itoa(tooSoon.Seconds())}})
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return &ErrorBody{status: http.StatusNotFound, Detail: ErrorDetail{Code: "not_found", Message: "Not found"}}
	case errors.Is(err, store.ErrConflict):
		return &ErrorBody{status: http.StatusConflict, Detail: ErrorDetail{Code: "conflict", Message: "It already exists"}}
	case errors.Is(err, moderation.ErrOwnerOnly):
		return &ErrorBody{status: http.StatusForbidden, Detail: ErrorDetail{Code: "owner_only", Message: "Only an owner can change whether criticism needs a person", Field: "criticism_needs_person"}}
	case errors.Is(err, auth.ErrForbidden):
		return &ErrorBody{status: http.StatusForbidden, Detail: ErrorDetail{Code: "forbidden", Message: "Your role in this workspace does not allow this"}}
	case errors.Is(err, auth.ErrUnauthenticated):
		return &ErrorBody{status: http.StatusUnauthorized, Detail: ErrorDetail{Code: "unauthenticated", Message: "Not authenticated"}}
	case errors.Is(err, auth.ErrBusy):
		return &ErrorBody{status: http.StatusServiceUnavailable, Detail: ErrorDetail{Code: "busy", Message: "Too many passwords are being checked right now; try again in a few seconds"}}
	}
	h.d.Log.Error("api: internal error", "err", err)
	return &ErrorBody{status: http.StatusInternalServerError, Detail: ErrorDetail{Code: "internal", Message: "Internal error"}}
}

// need checks a permission, answering 403 when missing.
func (h *Handler) need(ctx context.Context, a auth.Action) (auth.Principal, error) {
	p := principal(ctx)
	if !p.Can(a) {
		return p, h.fail(auth.ErrForbidden)
	}
	return p, nil
}
