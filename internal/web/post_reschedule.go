package web

import (
	"context"
	"net/http"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// reschedulePost schedules or moves a post to the moment of the form (the
// post page's form, and the calendar's drag and drop through app.js).
func (h *handler) reschedulePost(w http.ResponseWriter, r *http.Request) {
	h.postStep(w, r, "flash.post_scheduled", func(ctx context.Context, p auth.Principal, id int64) error {
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
