package web

import (
	"net/http"
	"time"

	"github.com/relais/relais/internal/compose"
)

// exportPosts downloads the workspace's posts as CSV or JSON, streamed page
// by page as they are read (every post, no cap).
func (h *handler) exportPosts(w http.ResponseWriter, r *http.Request) {
	format := r.PathValue("format")
	types := map[string]string{"csv": "text/csv; charset=utf-8", "json": "application/json"}
	if types[format] == "" {
		h.notFoundPage(w, r)
		return
	}
	p := visitOf(r).P
	// A refusal answers its page before the first byte of the file.
	if _, err := h.d.Compose.Page(r.Context(), p, compose.Query{Limit: 1}); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	name := "relais-" + p.Workspace.Slug + "-" + time.Now().UTC().Format("20060102") + "." + format
	w.Header().Set("Content-Type", types[format])
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	if err := h.d.Compose.Export(r.Context(), p, compose.Query{}, format, w); err != nil {
		h.d.Log.Error("web: export cut short", "err", err)
	}
}
