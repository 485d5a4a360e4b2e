package web

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/relais/relais/internal/analytics"
)

// statCell is one headline measure with its change from the previous period.
type statCell struct {
	Label string
	Value string
	// Delta is the change in points or count, empty when either side is unknown.
	Delta string
	Up    bool
	// Series is the key of its sparkline in the chart data ("" for none).
	Series string
}

// heatRow is one weekday of a channel's best-time heatmap.
type heatRow struct {
	Day   string
	Cells []heatCell
}

type heatCell struct {
	Hour  int
	Level int
	Title string
}

// bestTimeView is a channel's heatmap and recommended slots.
type bestTimeView struct {
	Handle      string
	Network     string
	Posts       int
	Prior       string
	Rows        []heatRow
	Recommended []string
}

// analyticsView is the dashboard's data.
type analyticsView struct {
	Days   int
	Report analytics.PeriodReport
	Stats  []statCell
	Top    postTable
	Bottom postTable
	// Hours are 0–23, the heatmap's columns.
	Hours     []int
	BestTimes []bestTimeView
	Goals     []goalView
	// Campaigns are the active campaigns against their goals.
	Campaigns []campaignStatus
	// Channels are the workspace's channels, for the goal form.
	Channels []analytics.GroupMeasures
	// Chart is the JSON the charts read: days and one series per measure.
	Chart string
}

// periodDays are the dashboard's period choices.
var periodDays = []int{7, 28, 90}

func (h *handler) analyticsService() *analytics.Service {
	if h.d.Analytics != nil {
		return h.d.Analytics
	}
	svc := &analytics.Service{Store: h.d.Store, Texts: ReportText}
	if h.d.Media != nil {
		svc.Media = h.d.Media
	}
	return svc
}

// showAnalytics is the workspace's analytics dashboard for the last 7, 28
// or 90 days.
func (h *handler) showAnalytics(w http.ResponseWriter, r *http.Request) {
	p, err := h.analyticsPage(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "analytics", p)
}

// analyticsPage builds the dashboard.
func (h *handler) analyticsPage(r *http.Request) (*page, error) {
	v := visitOf(r)
	days := 28
	if n, err := strconv.Atoi(r.URL.Query().Get("days")); err == nil {
		for _, d := range periodDays {
			if d == n {
				days = n
			}
		}
	}
	now := time.Now().UTC()
	to := now.Truncate(24 * time.Hour).Add(24 * time.Hour)
	from := to.Add(-time.Duration(days) * 24 * time.Hour)
	svc := h.analyticsService()
	dash, err := svc.Dashboard(r.Context(), v.P.Workspace.ID, from, to, v.P.Workspace.Timezone, now)
	if err != nil {
		return nil, err
	}
	rep, series, best := dash.Report, dash.Series, dash.BestTimes
	goals, err := svc.Goals(r.Context(), v.P.Workspace.ID, now)
	if err != nil {
		return nil, err
	}
	p := h.newPage(r, "analytics.title")
	view := analyticsView{Days: days, Report: rep, Chart: chartData(series)}
	view.Stats = headline(p, rep.Workspace)
	top, bottom := topBottom(rep.Posts, 5)
	view.Top, view.Bottom = postTable{Slug: v.P.Workspace.Slug, Posts: top}, postTable{Slug: v.P.Workspace.Slug, Posts: bottom}
	for hour := range 24 {
		view.Hours = append(view.Hours, hour)
	}
	handles := map[int64]string{}
	for _, c := range rep.Channels {
		handles[c.ChannelID] = c.Handle
	}
	for _, b := range best {
		view.BestTimes = append(view.BestTimes, bestTimeOf(p, b, handles[b.ChannelID]))
	}
	for _, g := range goals {
		view.Goals = append(view.Goals, goalOf(p, g, handles))
	}
	view.Channels = rep.Channels
	if view.Campaigns, err = h.activeCampaigns(r.Context(), v.P.Workspace.ID, now); err != nil {
		return nil, err
	}
	p.Data = view
	return p, nil
}

// headline is the dashboard's cards: the period's value and its change.
func headline(p *page, m analytics.GroupMeasures) []statCell {
	prev := m.Previous
	cells := []statCell{
		intCell(p.T("analytics.posts"), int64p(int64(m.Posts)), int64p(int64(prev.Posts)), "posts"),
		intCell(p.T("analytics.interactions"), m.Interactions, prev.Interactions, "interactions"),
		pctCell(p.T("analytics.engagement_rate"), m.EngagementRate, prev.EngagementRate, "engagement_rate"),
		intCell(p.T("analytics.followers"), m.Followers, prev.Followers, "followers"),
		intCell(p.T("analytics.follower_growth"), m.FollowerGrowth, prev.FollowerGrowth, ""),
		rateCell(p.T("analytics.applause_rate"), m.ApplauseRate, prev.ApplauseRate),
		rateCell(p.T("analytics.conversation_rate"), m.ConversationRate, prev.ConversationRate),
		rateCell(p.T("analytics.amplification_rate"), m.AmplificationRate, prev.AmplificationRate),
		pctCell(p.T("analytics.virality_rate"), m.ViralityRate, prev.ViralityRate, ""),
		rateCell(p.T("analytics.posts_per_week"), &m.PostsPerWeek, &prev.PostsPerWeek),
	}
	return cells
}

func int64p(v int64) *int64 { return &v }

func intCell(label string, cur, prev *int64, series string) statCell {
	c := statCell{Label: label, Value: fmtInt(cur), Series: series}
	if cur != nil && prev != nil {
		d := *cur - *prev
		c.Delta, c.Up = fmt.Sprintf("%+d", d), d >= 0
	}
	return c
}

func pctCell(label string, cur, prev *float64, series string) statCell {
	return floatCell(label, fmtPct(cur), cur, prev, series)
}

func rateCell(label string, cur, prev *float64) statCell {
	return floatCell(label, fmtFloat(cur), cur, prev, "")
}

func floatCell(label, value string, cur, prev *float64, series string) statCell {
	c := statCell{Label: label, Value: value, Series: series}
	if cur != nil && prev != nil {
		d := *cur - *prev
		c.Delta, c.Up = fmt.Sprintf("%+.2f", d), d >= 0
	}
	return c
}

func fmtInt(v *int64) string { return analytics.FormatCount(v, "–") }

func fmtPct(v *float64) string { return analytics.FormatRate(v, 2, " %", "–") }

func fmtFloat(v *float64) string { return analytics.FormatRate(v, 2, "", "–") }

// topBottom are the n best and n worst posts by engagement rate (those
// without one are left out); a post is never in both.
func topBottom(posts []analytics.PostMeasures, n int) (top, bottom []analytics.PostMeasures) {
	var rated []analytics.PostMeasures
	for _, p := range posts {
		if p.EngagementRate != nil {
			rated = append(rated, p)
		}
	}
	sort.SliceStable(rated, func(i, j int) bool { return *rated[i].EngagementRate > *rated[j].EngagementRate })
	k := min(n, len(rated))
	top = rated[:k]
	rest := rated[k:]
	b := min(n, len(rest))
	bottom = append([]analytics.PostMeasures(nil), rest[len(rest)-b:]...)
	for i, j := 0, len(bottom)-1; i < j; i, j = i+1, j-1 {
		bottom[i], bottom[j] = bottom[j], bottom[i]
	}
	return top, bottom
}

// chartData lays the time series out for uPlot as JSON: x in Unix seconds,
// one array per measure, null where unknown.
func chartData(days []analytics.DayPoint) string {
	x := make([]int64, len(days))
	posts := make([]int, len(days))
	inter := make([]*int64, len(days))
	er := make([]*float64, len(days))
	followers := make([]*int64, len(days))
	for i, d := range days {
		x[i], posts[i], inter[i], er[i], followers[i] = d.Day.Unix(), d.Posts, d.Interactions, d.EngagementRate, d.Followers
	}
	b, _ := json.Marshal(map[string]any{"x": x, "posts": posts, "interactions": inter, "engagement_rate": er, "followers": followers})
	return string(b)
}

// bestTimeOf turns a channel's model into heatmap rows (levels 0–5 by the
// index: 0 typical or below, 5 twice typical or more).
func bestTimeOf(p *page, b analytics.ChannelBestTimes, handle string) bestTimeView {
	v := bestTimeView{Handle: handle, Network: b.Network, Posts: b.Posts, Prior: p.T("analytics.prior_" + b.Prior)}
	for day := range 7 {
		row := heatRow{Day: p.T(fmt.Sprintf("weekday.%d", day+1))}
		for hour := range 24 {
			s := b.Slots[day*24+hour]
			level := 0
			if s.Index > 100 {
				level = min(5, 1+int(math.Floor((s.Index-100)/20)))
			}
			row.Cells = append(row.Cells, heatCell{Hour: hour, Level: level,
				Title: p.T("analytics.heat_cell", row.Day, hour, int(math.Round(s.Index)), s.Posts)})
		}
		v.Rows = append(v.Rows, row)
	}
	for _, k := range b.Recommended {
		v.Recommended = append(v.Recommended, p.T("analytics.slot", p.T(fmt.Sprintf("weekday.%d", k/24+1)), k%24))
	}
	return v
}

// postTable is a list of posts with their counts, in a workspace.
type postTable struct {
	Slug  string
	Posts []analytics.PostMeasures
}

// Num shows a count; "–" when unknown.
func (postTable) Num(v *int64) string { return fmtInt(v) }

// Pct shows a rate in %; "–" when unknown.
func (postTable) Pct(v *float64) string { return fmtPct(v) }

// Rate shows a ratio with two decimals; "–" when unknown.
func (postTable) Rate(v *float64) string { return fmtFloat(v) }
