package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/valid"
)

// postStep runs one workflow action on the post of the URL and goes back to
// the post page with flash, or shows the error there.
func (h *handler) postStep(w http.ResponseWriter, r *http.Request, flash string, step func(ctx context.Context, p auth.Principal, id int64) error) {
	if !h.parseForm(w, r) {
		return
	}
	id := pathID(r, "id")
	v := visitOf(r)
	if _, err := h.d.Compose.Get(r.Context(), v.P, id); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	err := step(r.Context(), v.P, id)
	if err == nil {
		h.redirectWithFlash(w, r, wsPath(r, "/posts/"+strconv.FormatInt(id, 10)), flash)
		return
	}
	if ve, ok := compose.AsValidation(err); ok && len(ve.Problems) > 0 {
		p := h.newPage(r, "post.title")
		keep(p, r, "at", "timezone", "note", "body")
		for _, fp := range ve.Problems {
			p.Errors["action"] += fp.NetworkName + ": " + fp.Message + " "
		}
		h.renderPost(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	if e, ok := valid.As(err); ok {
		p := h.newPage(r, "post.title")
		keep(p, r, "at", "timezone", "note", "body")
		key := "action"
		switch e.Field {
		case "at", "timezone", "note", "body":
			key = e.Field
		}
		p.Errors[key] = translateInvalid(p, e)
		h.renderPost(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	h.fail(w, r, err, "", nil)
}

// submitPost sends a draft to review.
func (h *handler) submitPost(w http.ResponseWriter, r *http.Request) {
	h.postStep(w, r, "flash.post_submitted", func(ctx context.Context, p auth.Principal, id int64) error {
		_, err := h.d.Compose.Submit(ctx, p, id)
		return err
	})
}

// reopenPost returns a cancelled or failed post to draft.
func (h *handler) reopenPost(w http.ResponseWriter, r *http.Request) {
	h.postStep(w, r, "flash.post_reopened", func(ctx context.Context, p auth.Principal, id int64) error {
		_, err := h.d.Compose.Reopen(ctx, p, id)
		return err
	})
}
