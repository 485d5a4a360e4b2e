package web

import (
	"net/http"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// createInvitation makes an invitation link and shows it once.
func (h *handler) createInvitation(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := h.newPage(r, "members.title")
	token, _, err := h.d.Auth.Invite(r.Context(), visitOf(r).P, r.PostFormValue("email"), store.Role(r.PostFormValue("role")))
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
	p.Flash = "flash.invitation_created"
	h.renderMembers(w, r, http.StatusOK, p, h.d.BaseURL+"/invite/"+token)
}
