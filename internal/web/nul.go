package web

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/relais/relais/internal/valid"
)

// refuseNUL answers 422 naming the field when a query parameter or a field
// of a URL-encoded form holds a NUL character (U+0000), which PostgreSQL
// cannot store (and SQLite would). Multipart forms (uploads, imports) are
// parsed by their handlers; their text reaches the core's own checks. The
// body is handed on intact, read errors included (limitBody's overflow).
func (h *handler) refuseNUL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		field := nulField(r.URL.Query())
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); field == "" && r.Body != nil && mt == "application/x-www-form-urlencoded" {
			body, err := io.ReadAll(r.Body)
			rest := io.Reader(bytes.NewReader(body))
			if err != nil {
				rest = io.MultiReader(rest, errReader{err})
			} else if form, perr := url.ParseQuery(string(body)); perr == nil {
				field = nulField(form)
			}
			r.Body = struct {
				io.Reader
				io.Closer
			}{rest, r.Body}
		}
		if field != "" {
			h.errorPage(w, r, http.StatusUnprocessableEntity, "error.nul", field)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// nulField names the first field (in sorted order) whose name or value holds NUL.
func nulField(v url.Values) string {
	m := make(map[string]any, len(v))
	for k, vs := range v {
		list := make([]any, len(vs))
		for i, s := range vs {
			list[i] = s
		}
		m[k] = list
	}
	if ve, ok := valid.As(valid.NoNULIn(m)); ok {
		// The form field's name, without the position valid adds for lists.
		name, _, _ := strings.Cut(ve.Field, "[")
		return name
	}
	return ""
}

// errReader replays a read error after the bytes read before it.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
