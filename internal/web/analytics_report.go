package web

import (
	"net/http"
	"time"

	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/valid"
)

// reportView is the printable report's data.
type reportView struct {
	From, To string
	Report   analytics.PeriodReport
	Stats    []statCell
	// Definitions are the formulas, sorted by measure.
	Definitions []string
	CSVURL      string
	// Posts formats the report's posts and numbers.
	Posts postTable
	// Groups are the channel, network and label tables, each with a title key.
	Groups []reportGroups
}

// reportGroups is one table of the report: its title key and rows.
type reportGroups struct {
	Title string
	Rows  []analytics.GroupMeasures
}

// periodOf reads the report's period from the query (from, to: days,
// the last included); the last 28 days by default.
func periodOf(r *http.Request) (string, string, time.Time, time.Time, error) {
	q := r.URL.Query()
	fromS, toS := q.Get("from"), q.Get("to")
	if toS == "" {
		toS = time.Now().UTC().Format(time.DateOnly)
	}
	if fromS == "" {
		t, _ := time.Parse(time.DateOnly, toS)
		fromS = t.Add(-27 * 24 * time.Hour).Format(time.DateOnly)
	}
	from, to, err := analytics.ParsePeriod(fromS, toS, time.Now())
	return fromS, toS, from, to, err
}

// showReport is a report for a period, printable, with its CSV.
func (h *handler) showReport(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	p := h.newPage(r, "analytics.report_title")
	fromS, toS, from, to, err := periodOf(r)
	view := reportView{From: fromS, To: toS}
	p.Form["from"], p.Form["to"] = fromS, toS
	if err != nil {
		if ve, ok := valid.As(err); ok {
			p.Errors[ve.Field] = ve.Message
			p.Data = view
			h.render(w, r, http.StatusBadRequest, "analytics_report", p)
			return
		}
		h.serverError(w, r, err)
		return
	}
	rep, err := h.analyticsService().Report(r.Context(), v.P.Workspace.ID, from, to, analytics.Filter{})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	view.Report, view.Stats = rep, headline(p, rep.Workspace)
	for _, k := range sortedDefinitionKeys() {
		view.Definitions = append(view.Definitions, p.T("analytics.measure_"+k)+": "+p.T("analytics.def_"+k))
	}
	view.Posts = postTable{Slug: v.P.Workspace.Slug, Posts: rep.Posts}
	view.Groups = []reportGroups{{"analytics.by_channel", rep.Channels}, {"analytics.by_network", rep.Networks}, {"analytics.by_label", rep.Labels}}
	view.CSVURL = "/workspaces/" + v.P.Workspace.Slug + "/analytics/report.csv?from=" + fromS + "&to=" + toS
	p.Data = view
	h.render(w, r, http.StatusOK, "analytics_report", p)
}

func sortedDefinitionKeys() []string {
	return []string{"interactions", "engagement_rate", "conversation_rate", "amplification_rate", "applause_rate",
		"virality_rate", "follower_growth", "posts_per_week", "ctr"}
}

// reportCSV downloads the report of a period as CSV.
func (h *handler) reportCSV(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	_, _, from, to, err := periodOf(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rep, err := h.analyticsService().Report(r.Context(), v.P.Workspace.ID, from, to, analytics.Filter{})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="relais-report-`+v.P.Workspace.Slug+`.csv"`)
	if err := analytics.WriteCSV(w, rep); err != nil {
		h.log.Warn("web: report csv", "err", err)
	}
}
