package web

import (
	"net/http"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// changeRole gives a member another role (owners and admins).
func (h *handler) changeRole(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	err := h.d.Auth.SetMemberRole(r.Context(), visitOf(r).P, pathID(r, "userID"), store.Role(r.PostFormValue("role")))
	if e, ok := valid.As(err); ok {
		p := h.newPage(r, "members.title")
		p.Errors["members"] = translateInvalid(p, e)
		h.renderMembers(w, r, http.StatusUnprocessableEntity, p, "")
		return
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/members"), "flash.role_changed")
}
