package web

import (
	"net/http"

	"github.com/relais/relais/internal/mail"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// createInvitation makes an invitation link and shows it once.
func (h *handler) createInvitation(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := h.newPage(r, "members.title")
	v := visitOf(r)
	token, inv, err := h.d.Auth.Invite(r.Context(), v.P, r.PostFormValue("email"), store.Role(r.PostFormValue("role")))
	if e, ok := valid.As(err); ok {
		keep(p, r, "email", "role")
		p.Errors[e.Field] = translateInvalid(p, e)
		h.renderMembers(w, r, http.StatusUnprocessableEntity, p, "")
		return
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	link := h.d.BaseURL + "/invite/" + token
	p.Flash = "flash.invitation_created"
	if inv.Email != "" && h.d.Mail != nil {
		// The link is shown either way; mail is a convenience that may fail.
		inviter := v.User.Name
		if inviter == "" {
			inviter = v.User.Email
		}
		msg := mail.Invitation(p.Lang, inv.Email, v.P.Workspace.Name, inviter, string(inv.Role), link)
		if err := h.d.Mail.Send(r.Context(), msg); err != nil {
			h.log.Warn("web: invitation e-mail not sent", "err", err)
			p.Flash = "flash.invitation_mail_failed"
		} else {
			p.Flash = "flash.invitation_mailed"
		}
	}
	h.renderMembers(w, r, http.StatusOK, p, link)
}
