package web

import "net/http"

// deleteSnippet removes a snippet of the workspace; another workspace's id is a 404.
func (h *handler) deleteSnippet(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	id := pathID(r, "id")
	if id <= 0 {
		h.notFoundPage(w, r)
		return
	}
	if err := h.d.Compose.DeleteSnippet(r.Context(), visitOf(r).P, id); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/snippets"), "flash.snippet_deleted")
}
