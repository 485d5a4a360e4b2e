package web

import (
	"context"
	"net/http"

	"github.com/relais/relais/internal/auth"
)

// commentPost adds an internal comment to a post.
func (h *handler) commentPost(w http.ResponseWriter, r *http.Request) {
	h.postStep(w, r, "flash.comment_added", func(ctx context.Context, p auth.Principal, id int64) error {
		_, err := h.d.Compose.Comment(ctx, p, id, r.PostFormValue("body"))
		return err
	})
}
