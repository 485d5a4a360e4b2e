package api

import (
	"context"
	"strings"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/mail"
	"github.com/relais/relais/internal/store"
)

// Member is a workspace member.
type Member struct {
	UserID    int64     `json:"user_id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      string    `json:"role" enum:"owner,admin,editor,approver,viewer"`
	CreatedAt time.Time `json:"created_at"`
}

// MembersOutput lists members.
type MembersOutput struct {
	Body struct {
		Members []Member `json:"members"`
	}
}

func (h *Handler) listMembers(ctx context.Context, _ *struct{}) (*MembersOutput, error) {
	p := principal(ctx)
	list, err := h.d.Store.Members(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &MembersOutput{}
	out.Body.Members = []Member{}
	for _, m := range list {
		out.Body.Members = append(out.Body.Members, Member{UserID: m.UserID, Email: m.Email, Name: m.Name, Role: string(m.Role), CreatedAt: m.CreatedAt})
	}
	return out, nil
}

// UpdateMemberInput changes a role.
type UpdateMemberInput struct {
	UserID int64 `path:"userID"`
	Body   struct {
		Role string `json:"role" enum:"owner,admin,editor,approver,viewer"`
	}
}

// MemberOutput is one member.
type MemberOutput struct{ Body Member }

func (h *Handler) updateMember(ctx context.Context, in *UpdateMemberInput) (*MemberOutput, error) {
	p := principal(ctx)
	if err := h.d.Auth.SetMemberRole(ctx, p, in.UserID, store.Role(in.Body.Role)); err != nil {
		return nil, h.fail(err)
	}
	list, err := h.d.Store.Members(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	for _, m := range list {
		if m.UserID == in.UserID {
			return &MemberOutput{Body: Member{UserID: m.UserID, Email: m.Email, Name: m.Name, Role: string(m.Role), CreatedAt: m.CreatedAt}}, nil
		}
	}
	return nil, h.fail(store.ErrNotFound)
}

// UserIDInput names a member.
type UserIDInput struct {
	UserID int64 `path:"userID"`
}

func (h *Handler) removeMember(ctx context.Context, in *UserIDInput) (*struct{}, error) {
	if err := h.d.Auth.RemoveMember(ctx, principal(ctx), in.UserID); err != nil {
		return nil, h.fail(err)
	}
	return nil, nil
}

// Invitation is an open invitation.
type Invitation struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email,omitempty"`
	Role      string    `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// URL is the invitation link; only returned when the invitation is created.
	URL string `json:"url,omitempty"`
	// Emailed says whether the link was also sent by e-mail (SMTP configured and an address given).
	Emailed bool `json:"emailed,omitempty"`
}

func toInvitation(i store.Invitation) Invitation {
	return Invitation{ID: i.ID, Email: i.Email, Role: string(i.Role), CreatedAt: i.CreatedAt, ExpiresAt: i.ExpiresAt}
}

// InvitationsOutput lists invitations.
type InvitationsOutput struct {
	Body struct {
		Invitations []Invitation `json:"invitations"`
	}
}

func (h *Handler) listInvitations(ctx context.Context, _ *struct{}) (*InvitationsOutput, error) {
	p, err := h.need(ctx, auth.ActManageMembers)
	if err != nil {
		return nil, err
	}
	list, err := h.d.Store.Invitations(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &InvitationsOutput{}
	out.Body.Invitations = []Invitation{}
	for _, i := range list {
		out.Body.Invitations = append(out.Body.Invitations, toInvitation(i))
	}
	return out, nil
}

// CreateInvitationInput invites someone.
type CreateInvitationInput struct {
	Body struct {
		Email string `json:"email,omitempty" maxLength:"254" doc:"Optional: only this address may accept"`
		Role  string `json:"role" enum:"owner,admin,editor,approver,viewer"`
	}
}

// InvitationOutput is one invitation.
type InvitationOutput struct{ Body Invitation }

func (h *Handler) createInvitation(ctx context.Context, in *CreateInvitationInput) (*InvitationOutput, error) {
	token, inv, err := h.d.Auth.Invite(ctx, principal(ctx), in.Body.Email, store.Role(in.Body.Role))
	if err != nil {
		return nil, h.fail(err)
	}
	out := toInvitation(inv)
	out.URL = strings.TrimRight(h.d.BaseURL, "/") + "/invite/" + token
	if inv.Email != "" && h.d.Mail != nil {
		p := principal(ctx)
		inviter := p.User.Name
		if inviter == "" {
			inviter = p.User.Email
		}
		lang := p.User.Lang
		if err := h.d.Mail.Send(ctx, mail.Invitation(lang, inv.Email, p.Workspace.Name, inviter, string(inv.Role), out.URL)); err != nil {
			h.d.Log.Warn("api: invitation e-mail not sent", "err", err)
		} else {
			out.Emailed = true
		}
	}
	return &InvitationOutput{Body: out}, nil
}

// IDInput names a resource by id.
type IDInput struct {
	ID int64 `path:"id"`
}

func (h *Handler) deleteInvitation(ctx context.Context, in *IDInput) (*struct{}, error) {
	p, err := h.need(ctx, auth.ActManageMembers)
	if err != nil {
		return nil, err
	}
	if err := h.d.Store.DeleteInvitation(ctx, p.Workspace.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	return nil, nil
}
