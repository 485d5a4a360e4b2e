package web

import (
	"context"
	"net/http"

	"github.com/relais/relais/internal/auth"
)

// approvePost approves a post in review, with an optional note, and with
// schedule=1 schedules it at its planned time in the same step.
func (h *handler) approvePost(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	approve, flash := h.d.Compose.Approve, "flash.post_approved"
	if r.PostFormValue("schedule") == "1" {
		approve, flash = h.d.Compose.ApproveAndSchedule, "flash.post_approved_scheduled"
	}
	h.postStep(w, r, flash, func(ctx context.Context, p auth.Principal, id int64) error {
		_, err := approve(ctx, p, id, r.PostFormValue("note"))
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
