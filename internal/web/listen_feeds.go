package web

import (
	"net/http"
	"slices"

	"github.com/relais/relais/internal/listen"
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

// searchChannels lists the workspace's channels of the networks listening
// searches, with the Instagram hashtags used in 7 days.
func (h *handler) searchChannels(r *http.Request, svc *listen.Service, ws int64) ([]searchChannel, error) {
	chans, err := h.d.Store.Channels(r.Context(), ws)
	if err != nil {
		return nil, err
	}
	var out []searchChannel
	for _, ch := range chans {
		if !slices.Contains(listen.SearchNetworks, ch.Network) {
			continue
		}
		sc := searchChannel{Network: ch.Network, Handle: ch.Handle, Hashtags: -1}
		if ch.Network == "instagram" {
			used, err := svc.HashtagsUsed(r.Context(), ch.ID)
			if err != nil {
				return nil, err
			}
			sc.Hashtags = len(used)
		}
		out = append(out, sc)
	}
	return out, nil
}

// runListenSearch runs the workspace's network searches now.
func (h *handler) runListenSearch(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	if _, err := h.listenSvc().PollSearch(r.Context(), visitOf(r).P.Workspace.ID); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/listen#listen-search"), "listen.flash_searched")
}
