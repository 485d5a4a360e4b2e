package web

import (
	"net/http"

	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/auth"
)

// collectMetrics reads the workspace's post and channel metrics now
// (members who may publish), then shows the dashboard again.
func (h *handler) collectMetrics(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	if !v.P.Can(auth.ActPublish) {
		h.fail(w, r, auth.ErrForbidden, "", nil)
		return
	}
	c := h.d.Collector
	if c == nil {
		if h.d.Channels == nil {
			h.notFoundPage(w, r)
			return
		}
		c = &analytics.Collector{Store: h.d.Store, Connectors: h.d.Channels, Log: h.log}
	}
	res, err := c.Collect(r.Context(), v.P.Workspace.ID, true)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	key := "analytics.collected"
	if len(res.Held)+len(res.Errors) > 0 {
		key = "analytics.collected_partly"
	}
	h.redirectWithFlash(w, r, wsPath(r, "/analytics"), key)
}
