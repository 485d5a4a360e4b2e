package web

import (
	"net/http"

	"github.com/relais/relais/internal/valid"
)

// addListenFeed adds a website feed; a refused address comes back at its field.
func (h *handler) addListenFeed(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	_, err := h.listenSvc().AddFeed(r.Context(), visitOf(r).P.Workspace.ID, r.PostFormValue("url"))
	if e, ok := valid.As(err); ok {
		p := h.newPage(r, "listen.title")
		keep(p, r, "url")
		p.Errors["feed_"+e.Field] = translateInvalid(p, e)
		h.renderListen(w, r, http.StatusUnprocessableEntity, p, nil)
		return
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/listen#listen-feeds"), "listen.flash_feed_added")
}

// deleteListenFeed stops listening to a website feed.
func (h *handler) deleteListenFeed(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	if err := h.listenSvc().DeleteFeed(r.Context(), visitOf(r).P.Workspace.ID, pathID(r, "id")); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/listen#listen-feeds"), "listen.flash_feed_deleted")
}

// pollListenFeeds reads the workspace's feeds now.
func (h *handler) pollListenFeeds(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	if _, err := h.listenSvc().PollFeeds(r.Context(), visitOf(r).P.Workspace.ID); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/listen#listen-feeds"), "listen.flash_feeds_read")
}
