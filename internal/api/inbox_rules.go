package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		op := func(method, path, id, summary string, status int) huma.Operation {
			return huma.Operation{OperationID: id, Method: method, Path: "/api/v1/inbox" + path, Summary: summary, Tags: []string{"Inbox rules"},
				DefaultStatus: status, MaxBodyBytes: 256 << 10}
		}
		huma.Register(h.api, op(http.MethodGet, "/rules", "list-inbox-rules", "The workspace's moderation rules, in evaluation order", http.StatusOK), h.listInboxRules)
		huma.Register(h.api, op(http.MethodPost, "/rules", "create-inbox-rule", "Add a moderation rule after the last one", http.StatusCreated), h.createInboxRule)
		huma.Register(h.api, op(http.MethodPost, "/rules/dry-run", "dry-run-inbox-rules",
			"What the rules (the stored ones, or the ones sent) would have done over the last 30 days of messages; changes nothing", http.StatusOK), h.dryRunInboxRules)
		huma.Register(h.api, op(http.MethodPut, "/rules/order", "order-inbox-rules", "Put the rules in a new evaluation order", http.StatusOK), h.orderInboxRules)
		huma.Register(h.api, op(http.MethodGet, "/rules/{id}", "get-inbox-rule", "One moderation rule", http.StatusOK), h.getInboxRule)
		huma.Register(h.api, op(http.MethodPut, "/rules/{id}", "update-inbox-rule", "Change a moderation rule (not its place in the order)", http.StatusOK), h.updateInboxRule)
		huma.Register(h.api, op(http.MethodDelete, "/rules/{id}", "delete-inbox-rule", "Remove a moderation rule", http.StatusNoContent), h.deleteInboxRule)
		huma.Register(h.api, op(http.MethodGet, "/saved-replies", "list-saved-replies", "The workspace's saved replies", http.StatusOK), h.listSavedReplies)
		huma.Register(h.api, op(http.MethodPost, "/saved-replies", "create-saved-reply", "Add a saved reply in English, French or German", http.StatusCreated), h.createSavedReply)
		huma.Register(h.api, op(http.MethodPut, "/saved-replies/{id}", "update-saved-reply", "Change a saved reply", http.StatusOK), h.updateSavedReply)
		huma.Register(h.api, op(http.MethodDelete, "/saved-replies/{id}", "delete-saved-reply", "Remove a saved reply", http.StatusNoContent), h.deleteSavedReply)
		huma.Register(h.api, op(http.MethodPost, "/saved-replies/{id}/render", "render-saved-reply", "Fill a saved reply's placeholders", http.StatusOK), h.renderSavedReply)
		huma.Register(h.api, op(http.MethodGet, "/settings", "get-inbox-settings", "The inbox settings: response-time target and whether criticism needs a person", http.StatusOK), h.getInboxSettings)
		huma.Register(h.api, op(http.MethodPut, "/settings", "update-inbox-settings", "Change the inbox settings (only an owner may change criticism_needs_person)", http.StatusOK), h.updateInboxSettings)
	})
}

func (h *Handler) moderation() *moderation.Service {
	if h.d.Moderation == nil {
		h.modOnce.Do(func() { h.mod = &moderation.Service{Store: h.d.Store} })
		return h.mod
	}
	return h.d.Moderation
}

// RuleBody is what a client sends to create or change a rule.
type RuleBody struct {
	Name           string                `json:"name" maxLength:"100"`
	Enabled        *bool                 `json:"enabled,omitempty" doc:"Default true"`
	StopAfterMatch bool                  `json:"stop_after_match,omitempty" doc:"When the rule matches, later rules are not evaluated (first match); default false (all matching rules act)"`
	Conditions     moderation.Conditions `json:"conditions,omitempty" doc:"Every condition set must hold; none: every message"`
	Actions        []moderation.Action   `json:"actions" minItems:"1" maxItems:"10"`
}

func (b RuleBody) rule(id int64) moderation.Rule {
	enabled := b.Enabled == nil || *b.Enabled
	return moderation.Rule{ID: id, Name: b.Name, Enabled: enabled, StopAfterMatch: b.StopAfterMatch, Conditions: b.Conditions, Actions: b.Actions}
}

// InboxRule is a moderation rule.
type InboxRule struct {
	ID             int64                 `json:"id"`
	Name           string                `json:"name"`
	Position       int                   `json:"position" doc:"Evaluation order, lowest first"`
	Enabled        bool                  `json:"enabled"`
	StopAfterMatch bool                  `json:"stop_after_match"`
	Conditions     moderation.Conditions `json:"conditions"`
	Actions        []moderation.Action   `json:"actions"`
	CreatedAt      time.Time             `json:"created_at"`
	UpdatedAt      time.Time             `json:"updated_at"`
}

func toInboxRule(r moderation.Rule) InboxRule {
	acts := r.Actions
	if acts == nil {
		acts = []moderation.Action{}
	}
	return InboxRule{ID: r.ID, Name: r.Name, Position: r.Position, Enabled: r.Enabled, StopAfterMatch: r.StopAfterMatch,
		Conditions: r.Conditions, Actions: acts, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// InboxRulesOutput lists rules.
type InboxRulesOutput struct {
	Body struct {
		Rules []InboxRule `json:"rules"`
	}
}

// InboxRuleOutput is one rule.
type InboxRuleOutput struct {
	Body InboxRule
}

func (h *Handler) listInboxRules(ctx context.Context, _ *struct{}) (*InboxRulesOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	rules, err := h.moderation().Rules(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &InboxRulesOutput{}
	out.Body.Rules = []InboxRule{}
	for _, r := range rules {
		out.Body.Rules = append(out.Body.Rules, toInboxRule(r))
	}
	return out, nil
}

// CreateInboxRuleInput is a new rule.
type CreateInboxRuleInput struct {
	Body RuleBody
}

func (h *Handler) createInboxRule(ctx context.Context, in *CreateInboxRuleInput) (*InboxRuleOutput, error) {
	p, err := h.need(ctx, auth.ActManageWorkspace)
	if err != nil {
		return nil, err
	}
	r, err := h.moderation().CreateRule(ctx, p.Workspace.ID, in.Body.rule(0))
	if err != nil {
		return nil, h.fail(err)
	}
	return &InboxRuleOutput{Body: toInboxRule(r)}, nil
}

func (h *Handler) getInboxRule(ctx context.Context, in *IDInput) (*InboxRuleOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	r, err := h.moderation().Rule(ctx, p.Workspace.ID, in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &InboxRuleOutput{Body: toInboxRule(r)}, nil
}

// UpdateInboxRuleInput changes a rule.
type UpdateInboxRuleInput struct {
	ID   int64 `path:"id"`
	Body RuleBody
}

func (h *Handler) updateInboxRule(ctx context.Context, in *UpdateInboxRuleInput) (*InboxRuleOutput, error) {
	p, err := h.need(ctx, auth.ActManageWorkspace)
	if err != nil {
		return nil, err
	}
	r, err := h.moderation().UpdateRule(ctx, p.Workspace.ID, in.Body.rule(in.ID))
	if err != nil {
		return nil, h.fail(err)
	}
	return &InboxRuleOutput{Body: toInboxRule(r)}, nil
}

func (h *Handler) deleteInboxRule(ctx context.Context, in *IDInput) (*struct{}, error) {
	p, err := h.need(ctx, auth.ActManageWorkspace)
	if err != nil {
		return nil, err
	}
	if err := h.moderation().DeleteRule(ctx, p.Workspace.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	return nil, nil
}

// OrderInboxRulesInput is the new order.
type OrderInboxRulesInput struct {
	Body struct {
		IDs []int64 `json:"ids" maxItems:"200" doc:"Every rule id of the workspace once, first to run first"`
	}
}

func (h *Handler) orderInboxRules(ctx context.Context, in *OrderInboxRulesInput) (*InboxRulesOutput, error) {
	p, err := h.need(ctx, auth.ActManageWorkspace)
	if err != nil {
		return nil, err
	}
	if err := h.moderation().ReorderRules(ctx, p.Workspace.ID, in.Body.IDs); err != nil {
		return nil, h.fail(err)
	}
	return h.listInboxRules(ctx, nil)
}

// DryRunInput optionally carries rules to try instead of the stored ones.
type DryRunInput struct {
	Body *struct {
		Rules []RuleBody `json:"rules,omitempty" maxItems:"200" doc:"Rules to try, in order, instead of the stored ones (they are not saved)"`
	}
}

// DryRunOutput is what the rules would have done.
type DryRunOutput struct {
	Body moderation.DryRunReport
}

func (h *Handler) dryRunInboxRules(ctx context.Context, in *DryRunInput) (*DryRunOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	var rep moderation.DryRunReport
	if in.Body != nil && len(in.Body.Rules) > 0 {
		rules := make([]moderation.Rule, len(in.Body.Rules))
		for i, b := range in.Body.Rules {
			rules[i] = b.rule(0)
			rules[i].Position = i
		}
		rep, err = h.moderation().DryRunRules(ctx, p.Workspace.ID, rules)
	} else {
		rep, err = h.moderation().DryRun(ctx, p.Workspace.ID)
	}
	if err != nil {
		return nil, h.fail(err)
	}
	return &DryRunOutput{Body: rep}, nil
}

// SavedReply is a reusable answer.
type SavedReply struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Lang         string    `json:"lang" enum:"en,fr,de"`
	Body         string    `json:"body"`
	Placeholders []string  `json:"placeholders" doc:"The placeholders the body uses, e.g. first_name"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

func toSavedReply(r store.SavedReply) SavedReply {
	ph := moderation.Uses(r.Body)
	if ph == nil {
		ph = []string{}
	}
	return SavedReply{ID: r.ID, Name: r.Name, Lang: r.Lang, Body: r.Body, Placeholders: ph, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// SavedRepliesOutput lists saved replies.
type SavedRepliesOutput struct {
	Body struct {
		SavedReplies []SavedReply `json:"saved_replies"`
	}
}

// SavedReplyOutput is one saved reply.
type SavedReplyOutput struct {
	Body SavedReply
}

// SavedReplyBody is a saved reply as sent.
type SavedReplyBody struct {
	Name string `json:"name" maxLength:"100"`
	Lang string `json:"lang" doc:"en, fr or de"`
	Body string `json:"body" maxLength:"5000" doc:"The text; placeholders {agent}, {author}, {channel}, {first_name}, {network}, {order_link}; {{ and }} for braces"`
}

func (h *Handler) listSavedReplies(ctx context.Context, _ *struct{}) (*SavedRepliesOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	list, err := h.moderation().SavedReplies(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &SavedRepliesOutput{}
	out.Body.SavedReplies = []SavedReply{}
	for _, r := range list {
		out.Body.SavedReplies = append(out.Body.SavedReplies, toSavedReply(r))
	}
	return out, nil
}

// CreateSavedReplyInput is a new saved reply.
type CreateSavedReplyInput struct {
	Body SavedReplyBody
}

func (h *Handler) createSavedReply(ctx context.Context, in *CreateSavedReplyInput) (*SavedReplyOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	r, err := h.moderation().CreateSavedReply(ctx, p.Workspace.ID, store.SavedReply{Name: in.Body.Name, Lang: in.Body.Lang, Body: in.Body.Body})
	if err != nil {
		return nil, h.fail(err)
	}
	return &SavedReplyOutput{Body: toSavedReply(r)}, nil
}

// UpdateSavedReplyInput changes a saved reply.
type UpdateSavedReplyInput struct {
	ID   int64 `path:"id"`
	Body SavedReplyBody
}

func (h *Handler) updateSavedReply(ctx context.Context, in *UpdateSavedReplyInput) (*SavedReplyOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	r, err := h.moderation().UpdateSavedReply(ctx, p.Workspace.ID, store.SavedReply{ID: in.ID, Name: in.Body.Name, Lang: in.Body.Lang, Body: in.Body.Body})
	if err != nil {
		return nil, h.fail(err)
	}
	return &SavedReplyOutput{Body: toSavedReply(r)}, nil
}

func (h *Handler) deleteSavedReply(ctx context.Context, in *IDInput) (*struct{}, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	if err := h.moderation().DeleteSavedReply(ctx, p.Workspace.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	return nil, nil
}

// RenderSavedReplyInput carries the placeholder values.
type RenderSavedReplyInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Values map[string]string `json:"values" doc:"Placeholder values by name, e.g. {\"first_name\": \"Anna\"}"`
	}
}

// RenderSavedReplyOutput is the filled text.
type RenderSavedReplyOutput struct {
	Body struct {
		Text string `json:"text"`
	}
}

func (h *Handler) renderSavedReply(ctx context.Context, in *RenderSavedReplyInput) (*RenderSavedReplyOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	text, err := h.moderation().RenderSavedReply(ctx, p.Workspace.ID, in.ID, in.Body.Values)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &RenderSavedReplyOutput{}
	out.Body.Text = text
	return out, nil
}

// InboxSettings are the workspace's inbox settings.
type InboxSettings struct {
	SLAMinutes           int  `json:"sla_minutes" minimum:"1" maximum:"10080" doc:"First-response target in minutes"`
	CriticismNeedsPerson bool `json:"criticism_needs_person" doc:"Rules may not hide or mark as spam criticism (negative or complaint); such actions become a flag for review. Only an owner may change it."`
}

// InboxSettingsOutput is the settings.
type InboxSettingsOutput struct {
	Body InboxSettings
}

func (h *Handler) getInboxSettings(ctx context.Context, _ *struct{}) (*InboxSettingsOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	s, err := h.moderation().Settings(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &InboxSettingsOutput{Body: InboxSettings{SLAMinutes: s.SLAMinutes, CriticismNeedsPerson: s.CriticismNeedsPerson}}, nil
}

// UpdateInboxSettingsInput is the new settings.
type UpdateInboxSettingsInput struct {
	Body InboxSettings
}

func (h *Handler) updateInboxSettings(ctx context.Context, in *UpdateInboxSettingsInput) (*InboxSettingsOutput, error) {
	p, err := h.need(ctx, auth.ActManageWorkspace)
	if err != nil {
		return nil, err
	}
	s, err := h.moderation().SaveSettings(ctx, p.Workspace.ID, p.Role, in.Body.SLAMinutes, in.Body.CriticismNeedsPerson)
	if err != nil {
		return nil, h.fail(err)
	}
	return &InboxSettingsOutput{Body: InboxSettings{SLAMinutes: s.SLAMinutes, CriticismNeedsPerson: s.CriticismNeedsPerson}}, nil
}
