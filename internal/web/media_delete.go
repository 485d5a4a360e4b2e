package web

import "net/http"

// deleteMedia removes an item and its files.
func (h *handler) deleteMedia(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if err := h.d.Media.Delete(r.Context(), visitOf(r).P.Workspace.ID, pathID(r, "id")); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/media"), "flash.media_deleted")
}
