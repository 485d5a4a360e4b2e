package web

import (
	"net/http"

	"github.com/relais/relais/internal/valid"
)

// deletePost removes a post and goes back to the calendar's list.
func (h *handler) deletePost(w http.ResponseWriter, r *http.Request) {
	err := h.d.Compose.Delete(r.Context(), visitOf(r).P, pathID(r, "id"))
	if e, ok := valid.As(err); ok {
		p := h.newPage(r, "post.title")
		p.Errors["action"] = translateInvalid(p, e)
		h.renderPost(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/calendar?view=list"), "flash.post_deleted")
}
