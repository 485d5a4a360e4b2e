package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/sla"
	"github.com/relais/relais/internal/valid"
)

// slaRow is one row of the response-time report with its name.
type slaRow struct {
	sla.Figures
	Name string
}

// slaView is the response-time report page.
type slaView struct {
	From, To, Period string
	Report           sla.ResponseReport
	Total            slaRow
	// Groups are the channel, member and period tables.
	Groups []slaGroup
	CSVURL string
}

// slaGroup is one table of the report: Name is channel, member or period.
type slaGroup struct {
	Name string
	Rows []slaRow
}

// slaReportOf reads the period the query asks for and builds the report;
// a *valid.Error says which input is wrong.
func (h *handler) slaReportOf(r *http.Request) (slaView, sla.Names, error) {
	v := visitOf(r)
	q := r.URL.Query()
	view := slaView{From: q.Get("from"), To: q.Get("to"), Period: q.Get("period")}
	loc, err := time.LoadLocation(v.P.Workspace.Timezone)
	if err != nil {
		loc = time.UTC
	}
	from, to, err := sla.ParseRange(view.From, view.To, loc, time.Now())
	if err != nil {
		return view, sla.Names{}, err
	}
	view.From, view.To = from.Format(time.DateOnly), to.AddDate(0, 0, -1).Format(time.DateOnly)
	period, err := sla.ParsePeriod(view.Period)
	if err != nil {
		return view, sla.Names{}, err
	}
	view.Period = string(period)
	rep, err := h.moderation().SLAReport(r.Context(), v.P.Workspace.ID, from, to, period)
	if err != nil {
		return view, sla.Names{}, err
	}
	names, err := moderation.SLANames(r.Context(), h.d.Store, v.P.Workspace.ID)
	if err != nil {
		return view, names, err
	}
	rows := func(group string, fs []sla.Figures) []slaRow {
		out := make([]slaRow, len(fs))
		for i, f := range fs {
			out[i] = slaRow{Figures: f, Name: names.Name(group, f.Key)}
		}
		return out
	}
	view.Report, view.Total = rep, slaRow{Figures: rep.Total}
	view.Groups = []slaGroup{{"channel", rows("channel", rep.ByChannel)}, {"member", rows("member", rep.ByMember)}, {"period", rows("period", rep.ByPeriod)}}
	view.CSVURL = "/workspaces/" + v.P.Workspace.Slug + "/inbox/response-times.csv?" + url.Values{"from": {view.From}, "to": {view.To}, "period": {view.Period}}.Encode()
	return view, names, nil
}

// responseTimes shows first-response time and response rate per channel,
// member and period against the workspace's target, with the CSV.
func (h *handler) responseTimes(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "inboxsla.title")
	view, _, err := h.slaReportOf(r)
	status := http.StatusOK
	if e, ok := valid.As(err); ok {
		p.Errors[e.Field] = h.slaError(p, e)
		status = http.StatusUnprocessableEntity
	} else if err != nil {
		h.serverError(w, r, err)
		return
	}
	p.Form["from"], p.Form["to"], p.Form["period"] = view.From, view.To, view.Period
	p.Data = view
	h.render(w, r, status, "inbox_sla", p)
}

// responseTimesCSV downloads the report as CSV.
func (h *handler) responseTimesCSV(w http.ResponseWriter, r *http.Request) {
	view, names, err := h.slaReportOf(r)
	if e, ok := valid.As(err); ok {
		http.Error(w, e.Message, http.StatusUnprocessableEntity)
		return
	} else if err != nil {
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="relais-response-times-`+visitOf(r).P.Workspace.Slug+`.csv"`)
	if err := sla.WriteCSV(w, view.Report, names); err != nil {
		h.log.Warn("web: response times csv", "err", err)
	}
}

// slaError translates a report input error.
func (h *handler) slaError(p *page, e *valid.Error) string {
	if key := "inboxsla.err_" + e.Field + "_" + e.Code; p.cat[key] != "" {
		return p.T(key, e.Args...)
	}
	return translateInvalid(p, e)
}
