package api

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/relais/relais/internal/valid"
)

// refuseNUL answers 422 naming the field when the JSON body, a query
// parameter or the path holds a NUL character (U+0000): PostgreSQL cannot
// store it and SQLite would, so every route refuses it the same way before
// a handler runs.
func (h *Handler) refuseNUL(ctx huma.Context, next func(huma.Context)) {
	r, _ := humago.Unwrap(ctx)
	limit := ctx.Operation().MaxBodyBytes
	if limit <= 0 {
		limit = 1 << 20 // huma's default
	}
	err := nulInRequest(r, limit)
	if ve, ok := valid.As(err); ok {
		ctx.SetHeader("Content-Type", "application/json")
		ctx.SetStatus(http.StatusUnprocessableEntity)
		_ = json.NewEncoder(ctx.BodyWriter()).Encode(ErrorBody{Detail: ErrorDetail{Code: ve.Code, Message: ve.Message, Field: ve.Field}})
		return
	}
	next(ctx)
}

// nulInRequest reads at most limit+1 bytes of a JSON body (huma refuses
// larger bodies itself) and hands the request on with its body intact.
func nulInRequest(r *http.Request, limit int64) error {
	if err := valid.NoNUL("path", r.URL.Path); err != nil {
		return err
	}
	for k, vs := range r.URL.Query() {
		for _, v := range vs {
			if err := valid.NoNUL(k, k+v); err != nil {
				return err
			}
		}
	}
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength > limit {
		return nil // huma refuses an oversized body by its Content-Length
	}
	ct := r.Header.Get("Content-Type")
	if mt, _, _ := mime.ParseMediaType(ct); ct != "" && mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		return nil
	}
	head, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
	if err != nil || int64(len(head)) > limit {
		return nil // huma reports the read error or the size
	}
	// JSON can only carry NUL escaped; the full decode runs only then.
	if !bytes.Contains(bytes.ToLower(head), []byte(`\u0000`)) {
		return nil
	}
	var v any
	if json.Unmarshal(head, &v) != nil {
		return nil // huma reports the syntax error
	}
	return valid.NoNULIn(v)
}
