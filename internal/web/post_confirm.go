package web

import (
	"net/http"
	"strconv"

	"github.com/relais/relais/internal/valid"
)

// markPublished records that a person found a needs_review publication on
// the network (the safer answer than retrying, which may post twice where the
// network has no idempotency key). A bad URL comes back next to its field.
func (h *handler) markPublished(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	postID, pubID := pathID(r, "id"), pathID(r, "pub")
	_, err := h.d.Compose.MarkPublished(r.Context(), visitOf(r).P, postID, pubID, r.PostFormValue("url"))
	if err == nil {
		h.redirectWithFlash(w, r, wsPath(r, "/posts/"+strconv.FormatInt(postID, 10)), "flash.publication_marked_published")
		return
	}
	if e, ok := valid.As(err); ok {
		p := h.newPage(r, "post.title")
		key := "action"
		if e.Field == "url" {
			// Each needs_review publication has its own form; the error goes to the one sent.
			key = "url." + strconv.FormatInt(pubID, 10)
			p.Form[key] = r.PostFormValue("url")
		}
		p.Errors[key] = translateInvalid(p, e)
		h.renderPost(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	h.fail(w, r, err, "", nil)
}
