package web

import (
	"net/http"

	"github.com/relais/relais/internal/store"
)

// checkChannel verifies a channel's credentials now and records its health.
func (h *handler) checkChannel(w http.ResponseWriter, r *http.Request) {
	if h.d.Channels == nil {
		h.notFoundPage(w, r)
		return
	}
	c, err := h.d.Channels.Check(r.Context(), visitOf(r).P, pathID(r, "id"))
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	key := "flash.channel_ok"
	if c.Status != store.ChannelOK {
		key = "flash.channel_problem"
	}
	h.redirectWithFlash(w, r, wsPath(r, "/channels"), key)
}
