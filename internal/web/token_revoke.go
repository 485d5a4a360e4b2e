package web

import "net/http"

// revokeToken deletes one of the caller's tokens in the workspace.
func (h *handler) revokeToken(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	if err := h.d.Store.DeleteToken(r.Context(), v.P.Workspace.ID, v.User.ID, pathID(r, "id")); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/tokens"), "flash.token_revoked")
}
