package web

import (
	"net/http"

	"github.com/relais/relais/internal/valid"
)

// setMediaAlt saves an item's alt text.
func (h *handler) setMediaAlt(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	ws := visitOf(r).P.Workspace
	id := pathID(r, "id")
	old, err := h.d.Media.Get(r.Context(), ws.ID, id)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	m, err := h.d.Media.SetAlt(r.Context(), ws.ID, id, r.PostFormValue("alt_text"))
	if e, ok := valid.As(err); ok {
		p := h.newPage(r, "media.title")
		p.Errors["alt."+r.PathValue("id")] = translateInvalid(p, e)
		p.Form["alt."+r.PathValue("id")] = r.PostFormValue("alt_text")
		h.renderMedia(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	if err == nil && h.d.Compose != nil && m.AltText != old.AltText {
		// Approved posts showing the item go back to review.
		_, err = h.d.Compose.MediaAltChanged(r.Context(), visitOf(r).P, id)
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/media"), "flash.alt_saved")
}
