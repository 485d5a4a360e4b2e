package web

import (
	"context"
	"net/http"

	"github.com/relais/relais/internal/auth"
)

// queuePost schedules a post at its channels' next free posting slot.
func (h *handler) queuePost(w http.ResponseWriter, r *http.Request) {
	h.postStep(w, r, "flash.post_queued", func(ctx context.Context, p auth.Principal, id int64) error {
		_, err := h.d.Compose.Queue(ctx, p, id)
		return err
	})
}

// publishPostNow schedules a post at the current moment.
func (h *handler) publishPostNow(w http.ResponseWriter, r *http.Request) {
	h.postStep(w, r, "flash.post_publishing", func(ctx context.Context, p auth.Principal, id int64) error {
		_, err := h.d.Compose.PublishNow(ctx, p, id)
		return err
	})
}

// cancelPost cancels a post's publications not yet in flight.
func (h *handler) cancelPost(w http.ResponseWriter, r *http.Request) {
	h.postStep(w, r, "flash.post_cancelled", func(ctx context.Context, p auth.Principal, id int64) error {
		_, _, err := h.d.Compose.Cancel(ctx, p, id)
		return err
	})
}

// retryPublication puts a failed publication back in the queue.
func (h *handler) retryPublication(w http.ResponseWriter, r *http.Request) {
	pub := pathID(r, "pub")
	h.postStep(w, r, "flash.publication_retried", func(ctx context.Context, p auth.Principal, id int64) error {
		_, err := h.d.Compose.Retry(ctx, p, id, pub)
		return err
	})
}
