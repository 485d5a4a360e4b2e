package web

import (
	"net/http"

	"github.com/relais/relais/internal/valid"
)

// createSnippet saves a snippet; a refused one comes back with the error next
// to its field and the input kept.
func (h *handler) createSnippet(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	_, err := h.d.Compose.CreateSnippet(r.Context(), visitOf(r).P, r.PostFormValue("name"), r.PostFormValue("kind"), r.PostFormValue("body"))
	if e, ok := valid.As(err); ok {
		p := h.newPage(r, "snippets.title")
		keep(p, r, "name", "kind", "body")
		p.Errors[e.Field] = translateInvalid(p, e)
		h.renderSnippets(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/snippets"), "flash.snippet_created")
}
