package web

import (
	"context"
	"net/http"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// reschedulePost schedules or moves a post to the moment of the form (the
// post page's form, and the calendar's drag and drop through app.js).
func (h *handler) reschedulePost(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	flash := "flash.post_scheduled"
	v := visitOf(r)
	if cur, err := h.d.Compose.Get(r.Context(), v.P, pathID(r, "id")); err == nil && compose.NeedsApproval(v.P) &&
		store.PostState(cur.State) == store.PostScheduled && cur.ScheduledAt != nil {
		if at, _, ok := parseAt(r.PostFormValue("at"), r.PostFormValue("timezone"), v.P.Workspace.Timezone); ok && !at.Equal(*cur.ScheduledAt) {
			flash = "flash.post_back_to_review" // a new time needs approval again
		}
	}
	h.postStep(w, r, flash, func(ctx context.Context, p auth.Principal, id int64) error {
		at, tz, ok := parseAt(r.PostFormValue("at"), r.PostFormValue("timezone"), p.Workspace.Timezone)
		if !ok {
			return valid.Errorf("at", "format", "choose a date and a time")
		}
		cur, err := h.d.Compose.Get(ctx, p, id)
		if err != nil {
			return err
		}
		if store.PostState(cur.State) == store.PostScheduled {
			_, err = h.d.Compose.Reschedule(ctx, p, id, at, tz)
		} else {
			_, err = h.d.Compose.Schedule(ctx, p, id, at, tz)
		}
		return err
	})
}
