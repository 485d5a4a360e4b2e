package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/relais/relais/internal/crisis"
)

// crisisData is the crisis view: the spike test on the hour in progress.
type crisisData struct {
	// Ready is false until the inbox supplies negative messages, or while
	// it has less than four weeks of them.
	Ready  bool
	Detail crisis.Detail
}

// crisisView shows the spike test of the hour in progress, the spiking
// terms and the messages to answer.
func (h *handler) crisisView(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "inboxrules.crisis_title")
	var d crisisData
	if h.d.CrisisSource != nil {
		det, err := crisis.Report(r.Context(), h.d.CrisisSource, visitOf(r).P.Workspace.ID, time.Now(), h.d.CrisisConfig)
		switch {
		case errors.Is(err, crisis.ErrShortHistory):
		case err != nil:
			h.serverError(w, r, err)
			return
		default:
			d = crisisData{Ready: true, Detail: det}
		}
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "inbox_crisis", p)
}
