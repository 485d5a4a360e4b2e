package web

import (
	"context"
	"net/http"

	"github.com/relais/relais/internal/auth"
)

// approvePost approves a post in review, with an optional note.
func (h *handler) approvePost(w http.ResponseWriter, r *http.Request) {
	h.postStep(w, r, "flash.post_approved", func(ctx context.Context, p auth.Principal, id int64) error {
		_, err := h.d.Compose.Approve(ctx, p, id, r.PostFormValue("note"))
		return err
	})
}

// rejectPost sends a post in review back to draft with a note.
func (h *handler) rejectPost(w http.ResponseWriter, r *http.Request) {
	h.postStep(w, r, "flash.post_rejected", func(ctx context.Context, p auth.Principal, id int64) error {
		_, err := h.d.Compose.Reject(ctx, p, id, r.PostFormValue("note"))
		return err
	})
}
