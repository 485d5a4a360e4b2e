package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/valid"
)

// goalView is a goal as the dashboard shows it.
type goalView struct {
	ID int64
	// Scope is the channel's handle, or the workspace's name key.
	Scope    string
	Start    string
	Target   string
	Current  string
	Due      string
	Progress int
	// Forecast says where the trend leads, translated.
	Forecast string
	OnTrack  bool
}

func goalOf(p *page, g analytics.GoalStatus, handles map[int64]string) goalView {
	v := goalView{ID: g.ID, Scope: p.T("analytics.goal_workspace"), Start: strconv.FormatInt(g.StartValue, 10),
		Target: strconv.FormatInt(g.Target, 10), Current: fmtInt(g.Current), Due: g.DueOn.Format(time.DateOnly), OnTrack: g.OnTrack}
	if g.ChannelID != 0 {
		v.Scope = handles[g.ChannelID]
	}
	if g.ProgressPct != nil {
		v.Progress = max(0, min(100, int(*g.ProgressPct+0.5)))
	}
	switch {
	case g.ForecastAtDue == nil:
		v.Forecast = p.T("analytics.goal_no_trend")
	case g.OnTrack && g.ReachedOn != nil:
		v.Forecast = p.T("analytics.goal_on_track", *g.ForecastAtDue, g.ReachedOn.Format(time.DateOnly))
	case g.OnTrack:
		v.Forecast = p.T("analytics.goal_reached", *g.ForecastAtDue)
	default:
		v.Forecast = p.T("analytics.goal_behind", *g.ForecastAtDue)
	}
	return v
}

// createGoal saves a goal from the dashboard's form (members who manage the workspace).
func (h *handler) createGoal(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	if !v.P.Can(auth.ActManageWorkspace) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	in, field := goalForm(r)
	var err error
	if field == "" {
		_, err = h.analyticsService().CreateGoal(r.Context(), v.P.Workspace.ID, in, time.Now())
		if ve, ok := valid.As(err); ok {
			field, err = ve.Field+":"+ve.Code, nil
		}
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if field != "" {
		p, perr := h.analyticsPage(r)
		if perr != nil {
			h.serverError(w, r, perr)
			return
		}
		name, code, _ := strings.Cut(field, ":")
		p.Errors["goal_"+name] = p.T("analytics.goal_err_" + code)
		for _, k := range []string{"channel_id", "start_value", "target", "starts_on", "due_on"} {
			p.Form["goal_"+k] = r.PostForm.Get(k)
		}
		h.render(w, r, http.StatusUnprocessableEntity, "analytics", p)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/analytics"), "analytics.goal_saved")
}

// goalForm reads the form; field is "name:code" of the first unreadable field.
func goalForm(r *http.Request) (analytics.GoalInput, string) {
	in := analytics.GoalInput{Metric: "followers"}
	f := r.PostForm
	var err error
	if s := f.Get("channel_id"); s != "" {
		if in.ChannelID, err = strconv.ParseInt(s, 10, 64); err != nil {
			return in, "channel_id:not_found"
		}
	}
	for name, dst := range map[string]*int64{"start_value": &in.StartValue, "target": &in.Target} {
		if *dst, err = strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(f.Get(name)), " ", ""), 10, 64); err != nil {
			return in, name + ":number"
		}
	}
	for name, dst := range map[string]*time.Time{"starts_on": &in.StartsOn, "due_on": &in.DueOn} {
		if *dst, err = time.Parse(time.DateOnly, f.Get(name)); err != nil {
			return in, name + ":date"
		}
	}
	return in, ""
}

// deleteGoal removes a goal.
func (h *handler) deleteGoal(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	if !v.P.Can(auth.ActManageWorkspace) {
		h.notFoundPage(w, r)
		return
	}
	if err := h.d.Store.DeleteGoal(r.Context(), v.P.Workspace.ID, pathID(r, "id")); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/analytics"), "analytics.goal_deleted")
}
