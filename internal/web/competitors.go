package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/relais/relais/internal/competitor"
	"github.com/relais/relais/internal/valid"
)

// competitorsData is the competitor page: each panel with its 30-day report.
type competitorsData struct {
	Reports []panelReport
}

type panelReport struct {
	ID     int64
	Report competitor.PanelReport
	// Chart is the JSON of the followers chart: one line per account.
	Chart string
}

// followersChart is a report's followers per day, one series per account.
func followersChart(r competitor.PanelReport) string {
	c := struct {
		X         []int64    `json:"x"`
		Names     []string   `json:"names"`
		Followers [][]*int64 `json:"followers"`
	}{X: []int64{}, Names: []string{}, Followers: [][]*int64{}}
	for _, d := range r.Days {
		c.X = append(c.X, d.Unix())
	}
	for _, row := range r.Rows {
		c.Names = append(c.Names, row.Brand+" · "+row.Network+" "+row.Handle)
		c.Followers = append(c.Followers, row.DailyFollowers)
	}
	b, _ := json.Marshal(c)
	return string(b)
}

func (h *handler) competitorSvc() *competitor.Service {
	return &competitor.Service{Store: h.d.Store, Connectors: h.d.Channels, Log: h.d.Log}
}

// competitorsPage lists the panels with their ranking.
func (h *handler) competitorsPage(w http.ResponseWriter, r *http.Request) {
	h.renderCompetitors(w, r, http.StatusOK, h.newPage(r, "competitor.title"))
}

func (h *handler) renderCompetitors(w http.ResponseWriter, r *http.Request, status int, p *page) {
	ws := visitOf(r).P.Workspace.ID
	panels, err := h.d.Store.CompetitorPanels(r.Context(), ws)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	var d competitorsData
	for _, pn := range panels {
		rep, err := h.competitorSvc().Report(r.Context(), ws, pn.ID, 30)
		if err != nil {
			h.fail(w, r, err, "", nil)
			return
		}
		d.Reports = append(d.Reports, panelReport{ID: pn.ID, Report: rep, Chart: followersChart(rep)})
	}
	p.Data = d
	h.render(w, r, status, "competitors", p)
}

// addCompetitorPanel creates a panel from a name and one account per line.
func (h *handler) addCompetitorPanel(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	var accs []competitor.AccountInput
	var err error
	for _, line := range strings.Split(r.PostFormValue("accounts"), "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		a, perr := competitor.ParseAccount(line)
		if perr != nil {
			err = perr
			break
		}
		accs = append(accs, a)
	}
	if err == nil {
		_, err = h.competitorSvc().CreatePanel(r.Context(), visitOf(r).P.Workspace.ID, r.PostFormValue("name"), accs)
	}
	if e, ok := valid.As(err); ok {
		p := h.newPage(r, "competitor.title")
		keep(p, r, "name", "accounts")
		field := e.Field
		if field != "name" {
			field = "accounts"
		}
		p.Errors[field] = translateInvalid(p, e)
		h.renderCompetitors(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/competitors"), "competitor.flash_added")
}

// deleteCompetitorPanel removes a panel with its accounts and their history.
func (h *handler) deleteCompetitorPanel(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	if err := h.d.Store.DeleteCompetitorPanel(r.Context(), visitOf(r).P.Workspace.ID, pathID(r, "id")); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/competitors"), "competitor.flash_deleted")
}

// competitorCSV downloads a panel's report.
func (h *handler) competitorCSV(w http.ResponseWriter, r *http.Request) {
	rep, err := h.competitorSvc().Report(r.Context(), visitOf(r).P.Workspace.ID, pathID(r, "id"), 30)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="competitors.csv"`)
	_ = competitor.WriteCSV(w, rep)
}

// competitorPDF downloads a panel's 30-day report as a PDF in the reader's language.
func (h *handler) competitorPDF(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r).P
	rep, err := h.competitorSvc().Report(r.Context(), v.Workspace.ID, pathID(r, "id"), 30)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	var b bytes.Buffer
	if err := competitor.WritePDF(&b, rep, h.newPage(r, "competitor.title").Lang, v.Workspace.Name, time.Now()); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="competitor-report.pdf"`)
	_, _ = w.Write(b.Bytes())
}
