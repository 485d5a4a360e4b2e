package web

import (
	"bytes"
	"net/http"
	"time"

	"github.com/relais/relais/internal/compose"
)

// exportPosts downloads the workspace's posts as CSV or JSON.
func (h *handler) exportPosts(w http.ResponseWriter, r *http.Request) {
	format := r.PathValue("format")
	types := map[string]string{"csv": "text/csv; charset=utf-8", "json": "application/json"}
	if types[format] == "" {
		h.notFoundPage(w, r)
		return
	}
	var buf bytes.Buffer
	if err := h.d.Compose.Export(r.Context(), visitOf(r).P, compose.Query{}, format, &buf); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	name := "relais-" + visitOf(r).P.Workspace.Slug + "-" + time.Now().UTC().Format("20060102") + "." + format
	w.Header().Set("Content-Type", types[format])
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, _ = w.Write(buf.Bytes())
}
