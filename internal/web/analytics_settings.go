package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/media"
	"github.com/relais/relais/internal/store"
)

// reportSettingsView is the report page's settings: the scheduled e-mails
// and the brand.
type reportSettingsView struct {
	CanManage bool
	// MailOff says the instance has no SMTP server: schedules wait for one.
	MailOff   bool
	Schedules []scheduleView
	Brand     analytics.Brand
	// Logos are the workspace's images a logo can be (PNG, JPEG, GIF).
	Logos     []store.Media
	Languages []reportLanguage
}

// reportLanguage is a language a report can be sent in, named in itself.
type reportLanguage struct{ Code, Name string }

// scheduleView is a scheduled e-mail as listed.
type scheduleView struct {
	ID         int64
	Frequency  string
	Language   string
	Recipients string
	Next       string
	Last       string
}

// reportSettings fills the page's settings section.
func (h *handler) reportSettings(r *http.Request, p *page, view *reportView) error {
	v := visitOf(r)
	svc := h.analyticsService()
	now := time.Now()
	list, err := svc.Schedules(r.Context(), v.P.Workspace.ID, now)
	if err != nil {
		return err
	}
	st := reportSettingsView{CanManage: v.P.Can(auth.ActManageWorkspace), MailOff: h.d.Mail == nil}
	for _, l := range analytics.ReportLanguages {
		st.Languages = append(st.Languages, reportLanguage{l, languageNames[l]})
	}
	for _, s := range list {
		sv := scheduleView{ID: s.ID, Frequency: p.T("analytics.schedule_" + s.Frequency), Language: languageNames[s.Language],
			Recipients: strings.Join(s.Recipients, ", "), Next: p.T("analytics.schedule_next", s.NextFrom.Format(time.DateOnly), s.NextTo.Add(-time.Second).Format(time.DateOnly))}
		if s.LastPeriod != nil {
			sv.Last = s.LastPeriod.Format(time.DateOnly)
		}
		st.Schedules = append(st.Schedules, sv)
	}
	if st.Brand, err = svc.Brand(r.Context(), v.P.Workspace.ID); err != nil {
		return err
	}
	if h.d.Media != nil && st.CanManage {
		images, err := h.d.Media.List(r.Context(), v.P.Workspace.ID, media.Filter{Kind: store.MediaImage, Limit: 200})
		if err != nil {
			return err
		}
		for _, m := range images {
			if m.MIME == "image/png" || m.MIME == "image/jpeg" || m.MIME == "image/gif" {
				st.Logos = append(st.Logos, m)
			}
		}
	}
	if _, ok := p.Form["brand_name"]; !ok {
		p.Form["brand_name"], p.Form["brand_accent"], p.Form["brand_footer"] = st.Brand.DisplayName, st.Brand.AccentColor, st.Brand.Footer
		p.Form["brand_logo"] = strconv.FormatInt(st.Brand.LogoMediaID, 10)
	}
	view.Settings = st
	return nil
}

// settingsFailed shows the report page again with the error on its field
// and what was typed.
func (h *handler) settingsFailed(w http.ResponseWriter, r *http.Request, err error, form map[string]string) {
	p, _, perr := h.reportPage(r)
	if perr != nil {
		h.serverError(w, r, perr)
		return
	}
	for k, v := range form {
		p.Form[k] = v
	}
	// The form's fields carry a prefix; the core names its own.
	h.fail(w, r, err, "analytics_report", p)
}

// manager is the visit of an owner or admin; others get the not-found page.
func (h *handler) manager(w http.ResponseWriter, r *http.Request) (*visit, bool) {
	v := visitOf(r)
	if !v.P.Can(auth.ActManageWorkspace) {
		h.notFoundPage(w, r)
		return nil, false
	}
	return v, true
}

// createSchedule adds a scheduled report e-mail.
func (h *handler) createSchedule(w http.ResponseWriter, r *http.Request) {
	v, ok := h.manager(w, r)
	if !ok {
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	f := r.PostForm
	in := analytics.ScheduleInput{Frequency: f.Get("frequency"), Language: f.Get("language"), Recipients: []string{f.Get("recipients")}}
	if _, err := h.analyticsService().CreateSchedule(r.Context(), v.P.Workspace.ID, in, time.Now()); err != nil {
		h.settingsFailed(w, r, err, map[string]string{"frequency": in.Frequency, "language": in.Language, "recipients": f.Get("recipients")})
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/analytics/report#report-mail"), "analytics.schedule_saved")
}

// deleteSchedule removes a scheduled report e-mail.
func (h *handler) deleteSchedule(w http.ResponseWriter, r *http.Request) {
	v, ok := h.manager(w, r)
	if !ok {
		return
	}
	if err := h.analyticsService().DeleteSchedule(r.Context(), v.P.Workspace.ID, pathID(r, "id")); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/analytics/report#report-mail"), "analytics.schedule_deleted")
}

// saveBrand saves the reports' brand.
func (h *handler) saveBrand(w http.ResponseWriter, r *http.Request) {
	v, ok := h.manager(w, r)
	if !ok {
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	f := r.PostForm
	logo, _ := strconv.ParseInt(f.Get("logo_media_id"), 10, 64)
	in := analytics.BrandInput{DisplayName: f.Get("display_name"), AccentColor: f.Get("accent_color"), LogoMediaID: logo, Footer: f.Get("footer")}
	if _, err := h.analyticsService().SaveBrand(r.Context(), v.P.Workspace.ID, in, time.Now()); err != nil {
		h.settingsFailed(w, r, err, map[string]string{"brand_name": in.DisplayName, "brand_accent": in.AccentColor,
			"brand_logo": f.Get("logo_media_id"), "brand_footer": in.Footer})
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/analytics/report#report-brand"), "analytics.brand_saved")
}
