package api

import (
	"context"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/store"
)

// User is a user as the API shows it.
type User struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
	Lang  string `json:"lang,omitempty"`
}

// Workspace is a workspace as the API shows it.
type Workspace struct {
	ID               int64  `json:"id"`
	Name             string `json:"name"`
	Slug             string `json:"slug"`
	Timezone         string `json:"timezone"`
	ApprovalRequired bool   `json:"approval_required"`
	// ApprovalPolicy says who needs approval before publishing.
	ApprovalPolicy string `json:"approval_policy" enum:"nobody,editors,everyone" doc:"Who needs approval before publishing: nobody, editors (owners and admins schedule directly) or everyone"`
	// SelfApproval lets authors approve their own posts.
	SelfApproval bool `json:"self_approval" doc:"Whether authors may approve their own posts"`
	// MaxPublishAttempts bounds the calls made for one publication before it fails.
	MaxPublishAttempts int       `json:"max_publish_attempts"`
	CreatedAt          time.Time `json:"created_at"`
}

func toUser(u store.User) User { return User{ID: u.ID, Email: u.Email, Name: u.Name, Lang: u.Lang} }

func toWorkspace(w store.Workspace) Workspace {
	return Workspace{ID: w.ID, Name: w.Name, Slug: w.Slug, Timezone: w.Timezone, ApprovalRequired: w.ApprovalRequired,
		ApprovalPolicy: string(compose.PolicyOf(w)), SelfApproval: w.SelfApproval, MaxPublishAttempts: w.MaxPublishAttempts, CreatedAt: w.CreatedAt}
}

// MeOutput is the caller.
type MeOutput struct {
	Body struct {
		User      User      `json:"user"`
		Workspace Workspace `json:"workspace"`
		Role      string    `json:"role"`
	}
}

func (h *Handler) getMe(ctx context.Context, _ *struct{}) (*MeOutput, error) {
	p := principal(ctx)
	out := &MeOutput{}
	out.Body.User, out.Body.Workspace, out.Body.Role = toUser(p.User), toWorkspace(p.Workspace), string(p.Role)
	return out, nil
}

// WorkspaceOutput is one workspace.
type WorkspaceOutput struct {
	Body Workspace
}

func (h *Handler) getWorkspace(ctx context.Context, _ *struct{}) (*WorkspaceOutput, error) {
	return &WorkspaceOutput{Body: toWorkspace(principal(ctx).Workspace)}, nil
}

// UpdateWorkspaceInput changes settings; omitted fields keep their value.
type UpdateWorkspaceInput struct {
	Body struct {
		Name             *string `json:"name,omitempty" maxLength:"100"`
		Slug             *string `json:"slug,omitempty" maxLength:"64"`
		Timezone         *string `json:"timezone,omitempty" maxLength:"64" doc:"IANA time zone, e.g. Europe/Paris"`
		ApprovalRequired *bool   `json:"approval_required,omitempty" doc:"Whether approval is on (approval_policy says for whom)"`
		// ApprovalPolicy wins over ApprovalRequired when both are sent.
		ApprovalPolicy *string `json:"approval_policy,omitempty" enum:"nobody,editors,everyone" doc:"Who needs approval before publishing"`
		SelfApproval   *bool   `json:"self_approval,omitempty" doc:"Whether authors may approve their own posts"`
		// MaxPublishAttempts bounds the calls per publication (1–20).
		MaxPublishAttempts *int `json:"max_publish_attempts,omitempty"`
	}
}

func (h *Handler) updateWorkspace(ctx context.Context, in *UpdateWorkspaceInput) (*WorkspaceOutput, error) {
	p, err := h.need(ctx, auth.ActManageWorkspace)
	if err != nil {
		return nil, err
	}
	w := p.Workspace
	name, slug, tz, appr := w.Name, w.Slug, w.Timezone, w.ApprovalRequired
	if in.Body.Name != nil {
		name = *in.Body.Name
	}
	if in.Body.Slug != nil {
		slug = *in.Body.Slug
	}
	if in.Body.Timezone != nil {
		tz = *in.Body.Timezone
	}
	scope, self := w.ApprovalFor, w.SelfApproval
	if in.Body.ApprovalRequired != nil {
		appr = *in.Body.ApprovalRequired
	}
	if in.Body.ApprovalPolicy != nil {
		appr, scope = compose.Policy(*in.Body.ApprovalPolicy).Settings()
	}
	if in.Body.SelfApproval != nil {
		self = *in.Body.SelfApproval
	}
	settings := auth.WorkspaceSettings{Name: name, Slug: slug, Timezone: tz, ApprovalRequired: appr, ApprovalFor: scope, SelfApproval: self}
	if in.Body.MaxPublishAttempts != nil {
		settings.MaxPublishAttempts = *in.Body.MaxPublishAttempts
		if settings.MaxPublishAttempts == 0 {
			settings.MaxPublishAttempts = -1 // 0 is out of range, not "unchanged", when sent explicitly
		}
	}
	w, err = h.d.Auth.UpdateWorkspace(ctx, p, settings)
	if err != nil {
		return nil, h.fail(err)
	}
	return &WorkspaceOutput{Body: toWorkspace(w)}, nil
}
