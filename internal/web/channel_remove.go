package web

import "net/http"

// removeChannel disconnects a channel (the form asks for confirmation first).
func (h *handler) removeChannel(w http.ResponseWriter, r *http.Request) {
	if h.d.Channels == nil {
		h.notFoundPage(w, r)
		return
	}
	v := visitOf(r)
	if _, err := h.d.Store.Channel(r.Context(), v.P.Workspace.ID, pathID(r, "id")); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	if err := h.d.Channels.Remove(r.Context(), v.P, pathID(r, "id")); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/channels"), "flash.channel_removed")
}
