package web

import (
	"net/http"
	"path"
)

// mediaFile serves an item's original file to members of its workspace
// (thumbnails in the library and the composer).
func (h *handler) mediaFile(w http.ResponseWriter, r *http.Request) {
	m, err := h.d.Media.Get(r.Context(), visitOf(r).P.Workspace.ID, pathID(r, "id"))
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	if h.d.Media.Root == nil {
		h.notFoundPage(w, r)
		return
	}
	f, err := h.d.Media.Root.Open(m.Path)
	if err != nil {
		h.notFoundPage(w, r)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", m.MIME)
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Header().Set("Content-Disposition", "inline")
	http.ServeContent(w, r, path.Base(m.Path), m.CreatedAt, f)
}
