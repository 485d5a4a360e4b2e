package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/valid"
)

// criticismView is the report of criticism left unanswered.
type criticismView struct {
	Report    inbox.CriticismReport
	ChannelID int64
	Since     string
	Now       time.Time
}

// WaitingDays is how many whole days a message has waited.
func (v criticismView) WaitingDays(received time.Time) int {
	return int(v.Now.Sub(received) / (24 * time.Hour))
}

// criticismReport lists negative messages nobody answered, per channel and
// oldest first, so that none is left buried.
func (h *handler) criticismReport(w http.ResponseWriter, r *http.Request) {
	if h.d.Inbox == nil {
		h.notFoundPage(w, r)
		return
	}
	p := h.newPage(r, "inboxsla.criticism_title")
	v := visitOf(r)
	q := r.URL.Query()
	view := criticismView{Since: q.Get("since"), Now: time.Now()}
	var err error
	if s := q.Get("channel"); s != "" {
		view.ChannelID, err = strconv.ParseInt(s, 10, 64)
		if err != nil || view.ChannelID < 0 {
			err = valid.Errorf("channel", "format", "channel: %q is not a channel id", s)
		}
	}
	var since time.Time
	if err == nil && view.Since != "" {
		loc := p.wsLoc
		if loc == nil {
			loc = time.UTC
		}
		since, err = time.ParseInLocation(time.DateOnly, view.Since, loc)
		if err != nil {
			err = valid.Errorf("since", "format", "since: %q is not a day (2026-12-01)", view.Since)
		}
	}
	status := http.StatusOK
	if err == nil {
		view.Report, err = h.d.Inbox.UnansweredCriticism(r.Context(), v.P, view.ChannelID, since, 200)
	}
	if e, ok := valid.As(err); ok {
		p.Errors[e.Field] = h.slaError(p, e)
		status = http.StatusUnprocessableEntity
	} else if err != nil {
		h.fail(w, r, err, "", p)
		return
	}
	p.Form["since"] = view.Since
	p.Data = view
	h.render(w, r, status, "inbox_criticism", p)
}
