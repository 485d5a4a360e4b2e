package web

import (
	"net/http"

	"github.com/relais/relais/internal/auth"
)

// revokeInvitation deletes a pending invitation so its link stops working.
func (h *handler) revokeInvitation(w http.ResponseWriter, r *http.Request) {
	ws := visitOf(r).P
	if !ws.Can(auth.ActManageMembers) {
		h.notFoundPage(w, r)
		return
	}
	if err := h.d.Store.DeleteInvitation(r.Context(), ws.Workspace.ID, pathID(r, "id")); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/members"), "flash.invitation_revoked")
}
