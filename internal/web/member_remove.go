package web

import (
	"net/http"

	"github.com/relais/relais/internal/valid"
)

// removeMember takes a member out of the workspace (owners and admins).
func (h *handler) removeMember(w http.ResponseWriter, r *http.Request) {
	err := h.d.Auth.RemoveMember(r.Context(), visitOf(r).P, pathID(r, "userID"))
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
	h.redirectWithFlash(w, r, wsPath(r, "/members"), "flash.member_removed")
}
