package web

import (
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/store"
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
	PDFURL      string
	// Posts formats the report's posts and numbers.
	Posts postTable
	// Groups are the channel, network and label tables, each with a title key.
	Groups []reportGroups
	// Channels are the workspace's channels, for the filter.
	Channels []store.Channel
	// ChannelID is the channel filter (0: all).
	ChannelID int64
	// Settings are the reports sent by e-mail and the brand.
	Settings reportSettingsView
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

// filterOf reads the report's filter from the query: channel_id and label (key:value).
func filterOf(r *http.Request) (analytics.Filter, error) {
	q := r.URL.Query()
	var f analytics.Filter
	if s := q.Get("channel_id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 0 {
			return f, valid.Errorf("channel_id", "format", "channel_id: %q is not a channel id", s)
		}
		f.ChannelID = id
	}
	label, err := analytics.ParseLabel(q.Get("label"))
	f.Label = label
	return f, err
}

// showReport is a report for a period, printable, with its CSV, and the
// settings of the reports sent by e-mail and of the brand.
func (h *handler) showReport(w http.ResponseWriter, r *http.Request) {
	p, status, err := h.reportPage(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.render(w, r, status, "analytics_report", p)
}

// reportPage builds the report page; a bad period or filter is shown on the
// form with status 400.
func (h *handler) reportPage(r *http.Request) (*page, int, error) {
	v := visitOf(r)
	p := h.newPage(r, "analytics.report_title")
	fromS, toS, from, to, err := periodOf(r)
	f, ferr := filterOf(r)
	if err == nil {
		err = ferr
	}
	view := reportView{From: fromS, To: toS, ChannelID: f.ChannelID}
	p.Form["from"], p.Form["to"], p.Form["label"] = fromS, toS, r.URL.Query().Get("label")
	channels, cerr := h.d.Store.Channels(r.Context(), v.P.Workspace.ID)
	if cerr != nil {
		return nil, 0, cerr
	}
	view.Channels = channels
	if serr := h.reportSettings(r, p, &view); serr != nil {
		return nil, 0, serr
	}
	if err != nil {
		if ve, ok := valid.As(err); ok {
			p.Errors[ve.Field] = ve.Message
			p.Data = view
			return p, http.StatusBadRequest, nil
		}
		return nil, 0, err
	}
	rep, err := h.analyticsService().Report(r.Context(), v.P.Workspace.ID, from, to, f)
	if err != nil {
		return nil, 0, err
	}
	view.Report, view.Stats = rep, headline(p, rep.Workspace)
	for _, k := range sortedDefinitionKeys() {
		view.Definitions = append(view.Definitions, p.T("analytics.measure_"+k)+": "+p.T("analytics.def_"+k))
	}
	view.Posts = postTable{Slug: v.P.Workspace.Slug, Posts: rep.Posts}
	view.Groups = []reportGroups{{"analytics.by_channel", rep.Channels}, {"analytics.by_network", rep.Networks}, {"analytics.by_label", rep.Labels}}
	q := url.Values{"from": {fromS}, "to": {toS}}
	if f.ChannelID != 0 {
		q.Set("channel_id", strconv.FormatInt(f.ChannelID, 10))
	}
	if f.Label != "" {
		q.Set("label", f.Label)
	}
	view.CSVURL = "/workspaces/" + v.P.Workspace.Slug + "/analytics/report.csv?" + q.Encode()
	view.PDFURL = "/workspaces/" + v.P.Workspace.Slug + "/analytics/report.pdf?" + q.Encode()
	p.Data = view
	return p, http.StatusOK, nil
}

func sortedDefinitionKeys() []string {
	return []string{"interactions", "engagement_rate", "conversation_rate", "amplification_rate", "applause_rate",
		"virality_rate", "follower_growth", "posts_per_week", "ctr"}
}

// reportCSV downloads the report of a period as CSV.
func (h *handler) reportCSV(w http.ResponseWriter, r *http.Request) {
	rep, ok := h.reportFor(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="relais-report-`+visitOf(r).P.Workspace.Slug+`.csv"`)
	if err := analytics.WriteCSV(w, rep); err != nil {
		h.log.Warn("web: report csv", "err", err)
	}
}

// reportFor computes the report the query asks for; false when an answer was written.
func (h *handler) reportFor(w http.ResponseWriter, r *http.Request) (analytics.PeriodReport, bool) {
	_, _, from, to, err := periodOf(r)
	f, ferr := filterOf(r)
	if err == nil {
		err = ferr
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return analytics.PeriodReport{}, false
	}
	rep, err := h.analyticsService().Report(r.Context(), visitOf(r).P.Workspace.ID, from, to, f)
	if err != nil {
		h.serverError(w, r, err)
		return rep, false
	}
	return rep, true
}

// reportPDF downloads the report of a period as PDF, in the page's
// language, with the workspace's brand.
func (h *handler) reportPDF(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	rep, ok := h.reportFor(w, r)
	if !ok {
		return
	}
	p := h.newPage(r, "analytics.report_title")
	tx, err := h.analyticsService().Branded(r.Context(), v.P.Workspace, p.Lang)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="relais-report-`+v.P.Workspace.Slug+`.pdf"`)
	if err := analytics.WritePDF(w, rep, tx); err != nil {
		h.log.Warn("web: report pdf", "err", err)
	}
}

// reportLabelKeys are the catalog keys (after "analytics.") a report's
// PDF, HTML and e-mail print.
var reportLabelKeys = []string{"posts", "interactions", "engagement_rate", "followers", "follower_growth", "applause_rate", "conversation_rate",
	"amplification_rate", "virality_rate", "posts_per_week", "channel", "post", "published", "definitions", "likes", "reposts", "replies", "period",
	"previous", "mail_subject_weekly", "mail_subject_monthly", "mail_intro"}

// reportTextOf is the report's wording from a catalog.
func reportTextOf(lang string, cat catalog) analytics.ReportText {
	tx := analytics.ReportText{Lang: lang, Labels: map[string]string{"title": cat.T("analytics.report_title")}}
	for _, k := range reportLabelKeys {
		tx.Labels[k] = cat.T("analytics." + k)
	}
	for _, k := range sortedDefinitionKeys() {
		tx.Definitions = append(tx.Definitions, cat.T("analytics.measure_"+k)+": "+cat.T("analytics.def_"+k))
	}
	return tx
}

var reportCatalogs = sync.OnceValues(loadCatalogs)

// ReportText is the analytics report's wording in lang (en, fr, de; else
// en) from the UI's catalogs, for the reports relais writes outside a
// page: the API's HTML and PDF and the scheduled e-mails.
func ReportText(lang string) analytics.ReportText {
	cats, err := reportCatalogs()
	if err != nil {
		return analytics.ReportText{Lang: lang}
	}
	cat, ok := cats[lang]
	if !ok {
		lang, cat = "en", cats["en"]
	}
	return reportTextOf(lang, cat)
}
