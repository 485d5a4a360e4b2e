package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/relais/relais/internal/channel"
	"github.com/relais/relais/internal/store"
)

// checkChannel verifies a channel's credentials now and records its health
// (members who manage channels, once per channel.CheckInterval).
func (h *handler) checkChannel(w http.ResponseWriter, r *http.Request) {
	if h.d.Channels == nil {
		h.notFoundPage(w, r)
		return
	}
	c, err := h.d.Channels.Check(r.Context(), visitOf(r).P, pathID(r, "id"))
	var tooSoon *channel.CheckTooSoonError
	if errors.As(err, &tooSoon) {
		w.Header().Set("Retry-After", strconv.Itoa(tooSoon.Seconds()))
		h.errorPage(w, r, http.StatusTooManyRequests, "error.check_too_soon", int(channel.CheckInterval.Seconds()), tooSoon.Seconds())
		return
	}
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
