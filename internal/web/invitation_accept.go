package web

import (
	"net/http"
	"strings"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// invitationData is the invitation page: which workspace, which role.
type invitationData struct {
	Token     string
	Workspace store.Workspace
	Role      store.Role
	Email     string
}

// showInvitation lets a signed-in user accept, or a new person sign up and join.
func (h *handler) showInvitation(w http.ResponseWriter, r *http.Request) {
	r, _ = h.loadVisit(r)
	p, ok := h.invitationPage(w, r)
	if !ok {
		return
	}
	p.Form["email"] = p.Data.(invitationData).Email
	h.render(w, r, http.StatusOK, "invitation", p)
}

// invitationPage loads the invitation named in the URL; a used, expired or
// unknown token is a 404.
func (h *handler) invitationPage(w http.ResponseWriter, r *http.Request) (*page, bool) {
	token := r.PathValue("token")
	inv, ws, err := h.d.Auth.Invitation(r.Context(), token)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return nil, false
	}
	p := h.newPage(r, "invitation.title")
	p.Data = invitationData{Token: token, Workspace: ws, Role: inv.Role, Email: inv.Email}
	return p, true
}

// acceptInvitation makes the signed-in user a member.
func (h *handler) acceptInvitation(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	ws, err := h.d.Auth.AcceptInvitation(r.Context(), r.PathValue("token"), *v.User)
	if e, ok := valid.As(err); ok {
		p, ok := h.invitationPage(w, r)
		if ok {
			p.Errors[e.Field] = translateInvalid(p, e)
			h.render(w, r, http.StatusUnprocessableEntity, "invitation", p)
		}
		return
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	if err := h.d.Auth.SwitchWorkspace(r.Context(), v.Token, *v.User, ws.ID); err != nil {
		h.serverError(w, r, err)
		return
	}
	h.redirectWithFlash(w, r, "/workspaces/"+ws.Slug+"/", "flash.joined")
}

// joinWithInvitation creates an account and joins the workspace in one step.
func (h *handler) joinWithInvitation(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	r, _ = h.loadVisit(r)
	p, ok := h.invitationPage(w, r)
	if !ok {
		return
	}
	keep(p, r, "email", "name")
	data := p.Data.(invitationData)
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	if data.Email != "" && email != data.Email {
		p.Errors["email"] = p.T("invitation.email_mismatch", data.Email)
		h.render(w, r, http.StatusUnprocessableEntity, "invitation", p)
		return
	}
	u, err := h.d.Auth.CreateUser(r.Context(), email, r.PostFormValue("name"), r.PostFormValue("password"), false)
	if err != nil {
		h.fail(w, r, err, "invitation", p)
		return
	}
	ws, err := h.d.Auth.AcceptInvitation(r.Context(), data.Token, u)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if err := h.startSession(w, r, u); err != nil {
		h.serverError(w, r, err)
		return
	}
	h.redirectWithFlash(w, r, "/workspaces/"+ws.Slug+"/", "flash.joined")
}
