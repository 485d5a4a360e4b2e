package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/relais/relais/internal/alert"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		op := func(method, path, id, summary string, status int) huma.Operation {
			return huma.Operation{OperationID: id, Method: method, Path: "/api/v1" + path, Summary: summary, Tags: []string{"Notifications"},
				DefaultStatus: status, MaxBodyBytes: 64 << 10}
		}
		huma.Register(h.api, op(http.MethodGet, "/hooks", "list-hooks", "The workspace's notification webhooks", http.StatusOK), h.listHooks)
		huma.Register(h.api, op(http.MethodPost, "/hooks", "create-hook", "Add a notification webhook (its signing secret is shown once)", http.StatusCreated), h.createHook)
		huma.Register(h.api, op(http.MethodDelete, "/hooks/{id}", "delete-hook", "Remove a notification webhook", http.StatusNoContent), h.deleteHook)
		huma.Register(h.api, op(http.MethodPost, "/hooks/{id}/test", "test-hook", "Send a signed ping to a notification webhook now", http.StatusOK), h.testHook)
	})
}

// Hook is a notification webhook; its signing secret is only shown at creation.
type Hook struct {
	ID          int64      `json:"id"`
	URL         string     `json:"url"`
	Description string     `json:"description"`
	Events      []string   `json:"events"`
	Enabled     bool       `json:"enabled"`
	LastStatus  string     `json:"last_status" doc:"Outcome of the latest delivery: empty (none yet), ok or failed"`
	LastAt      *time.Time `json:"last_at,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	// Secret signs deliveries (Standard Webhooks); returned once at creation.
	Secret string `json:"secret,omitempty" doc:"The signing secret (whsec_…), returned only by create-hook"`
}

func toHook(h store.Hook) Hook {
	ev := h.Events
	if ev == nil {
		ev = []string{}
	}
	return Hook{ID: h.ID, URL: h.URL, Description: h.Description, Events: ev, Enabled: h.Enabled, LastStatus: h.LastStatus,
		LastAt: h.LastAt, LastError: h.LastError, CreatedAt: h.CreatedAt}
}

// webhooks builds the hook manager over the handler's store and keyring; it
// sends only test pings, so no worker pool is started.
func (h *Handler) webhooks() (*alert.Webhooks, error) {
	if h.d.Channels == nil || h.d.Channels.Keyring == nil {
		return nil, errors.New("api: notification webhooks need the keyring")
	}
	return &alert.Webhooks{Store: h.d.Store, Keyring: h.d.Channels.Keyring, Client: h.d.Channels.Env.Client(), Log: h.d.Log, BaseURL: h.d.BaseURL}, nil
}

// HooksOutput lists hooks.
type HooksOutput struct {
	Body struct {
		Hooks []Hook `json:"hooks"`
	}
}

func (h *Handler) listHooks(ctx context.Context, _ *struct{}) (*HooksOutput, error) {
	p, err := h.need(ctx, auth.ActManageWorkspace)
	if err != nil {
		return nil, err
	}
	list, err := h.d.Store.Hooks(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &HooksOutput{}
	out.Body.Hooks = []Hook{}
	for _, x := range list {
		out.Body.Hooks = append(out.Body.Hooks, toHook(x))
	}
	return out, nil
}

// CreateHookInput describes a new hook.
type CreateHookInput struct {
	Body struct {
		URL         string   `json:"url" maxLength:"2000" doc:"http:// or https:// address of the receiver; private hosts are refused unless RELAIS_ALLOW_PRIVATE_HOSTS=true"`
		Description string   `json:"description,omitempty" maxLength:"200"`
		Events      []string `json:"events,omitempty" maxItems:"9" doc:"publish_failed, publish_needs_review, channel_needs_reconnect, post.deleted, alert.crisis, message.received, message.sla_due, mention.received, mention.burst; default all"`
	}
}

// CreatedHookOutput is a hook just created, with its secret; never cached.
type CreatedHookOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         Hook
}

func (h *Handler) createHook(ctx context.Context, in *CreateHookInput) (*CreatedHookOutput, error) {
	p, err := h.need(ctx, auth.ActManageWorkspace)
	if err != nil {
		return nil, err
	}
	wh, err := h.webhooks()
	if err != nil {
		return nil, h.fail(err)
	}
	hk, secret, err := wh.Create(ctx, p.Workspace.ID, alert.NewHook{URL: in.Body.URL, Description: in.Body.Description, Events: in.Body.Events, CreatedBy: p.User.ID})
	if err != nil {
		return nil, h.fail(err)
	}
	out := toHook(hk)
	out.Secret = secret
	return &CreatedHookOutput{CacheControl: "no-store", Body: out}, nil
}

func (h *Handler) deleteHook(ctx context.Context, in *IDInput) (*struct{}, error) {
	p, err := h.need(ctx, auth.ActManageWorkspace)
	if err != nil {
		return nil, err
	}
	if err := h.d.Store.DeleteHook(ctx, p.Workspace.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	return nil, nil
}

// TestHookOutput is the outcome of a test delivery.
type TestHookOutput struct {
	Body struct {
		OK    bool   `json:"ok"`
		Error string `json:"error,omitempty" doc:"Why the receiver did not accept the ping"`
	}
}

func (h *Handler) testHook(ctx context.Context, in *IDInput) (*TestHookOutput, error) {
	p, err := h.need(ctx, auth.ActManageWorkspace)
	if err != nil {
		return nil, err
	}
	wh, err := h.webhooks()
	if err != nil {
		return nil, h.fail(err)
	}
	if _, err := h.d.Store.Hook(ctx, p.Workspace.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	out := &TestHookOutput{}
	if err := wh.Test(ctx, p.Workspace.ID, in.ID); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, h.fail(err)
		}
		// The receiver's refusal is the answer, not an API failure.
		back, _ := h.d.Store.Hook(ctx, p.Workspace.ID, in.ID)
		out.Body.Error = back.LastError
		if out.Body.Error == "" {
			out.Body.Error = err.Error()
		}
		return out, nil
	}
	out.Body.OK = true
	return out, nil
}
