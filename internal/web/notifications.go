package web

import (
	"net/http"
	"time"

	"github.com/relais/relais/internal/store"
)

// notifications lists the caller's newest notifications in the workspace.
func (h *handler) notifications(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	list, err := h.d.Store.Notifications(r.Context(), v.P.Workspace.ID, v.User.ID, 100)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p := h.newPage(r, "notifications.title")
	p.Data = list
	h.render(w, r, http.StatusOK, "notifications", p)
}

// markNotificationRead marks one notification read. Only notifications the
// caller can see are found, so another member's personal ones stay untouched.
// An htmx request gets the updated list item back, and the bell's count
// out of band.
func (h *handler) markNotificationRead(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	list, err := h.d.Store.Notifications(r.Context(), v.P.Workspace.ID, v.User.ID, 500)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	id := pathID(r, "id")
	var found *store.Notification
	for i := range list {
		if list[i].ID == id {
			found = &list[i]
		}
	}
	if found == nil {
		h.notFoundPage(w, r)
		return
	}
	now := time.Now().UTC()
	if err := h.d.Store.MarkNotificationRead(r.Context(), v.P.Workspace.ID, id, now); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	if r.Header.Get("HX-Request") == "true" {
		found.ReadAt = &now
		p := h.newPage(r, "notifications.title")
		p.Data = []store.Notification{*found}
		h.renderPart(w, r, "notifications", "notification-update", p)
		return
	}
	http.Redirect(w, r, wsPath(r, "/notifications"), http.StatusSeeOther)
}
