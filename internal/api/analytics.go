package api

import (
	"bytes"
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		if h.d.Analytics == nil && h.d.Store != nil {
			h.d.Analytics = &analytics.Service{Store: h.d.Store}
			if h.d.Media != nil {
				h.d.Analytics.Media = h.d.Media
			}
		}
		if h.d.Collector == nil && h.d.Store != nil && h.d.Channels != nil {
			h.d.Collector = &analytics.Collector{Store: h.d.Store, Connectors: h.d.Channels, Log: h.d.Log}
		}
		op := func(method, path, id, summary string) huma.Operation {
			return huma.Operation{OperationID: id, Method: method, Path: "/api/v1/analytics" + path, Summary: summary,
				Tags: []string{"Analytics"}, DefaultStatus: http.StatusOK}
		}
		huma.Register(h.api, h.reportOperation(op(http.MethodGet, "/report", "analytics-report",
			"Measures of a period per workspace, channel, network, label and post, with the previous period (formulas in definitions and docs/analytics.md); as JSON, HTML, CSV or PDF")), h.analyticsReport)
		huma.Register(h.api, csvOperation(op(http.MethodGet, "/report.csv", "analytics-report-csv", "The report of a period as CSV"),
			"One row per group (workspace, channel, network, label, and the previous period's) and per post; an empty cell is unknown"), h.analyticsCSV)
		huma.Register(h.api, op(http.MethodGet, "/posts", "analytics-posts", "Per-post counts and rates of a period"), h.analyticsPosts)
		huma.Register(h.api, op(http.MethodGet, "/channels", "analytics-channels", "Per-channel measures of a period, with the previous period"), h.analyticsChannels)
		huma.Register(h.api, op(http.MethodGet, "/timeseries", "analytics-timeseries", "Posts, interactions, engagement rate and followers day by day (UTC)"), h.analyticsTimeseries)
		huma.Register(h.api, op(http.MethodGet, "/insights", "analytics-insights",
			"Daily account-level counts networks report per channel (Google Business Profile: impressions, calls, direction requests, website clicks), by channel, day and metric"), h.analyticsInsights)
		huma.Register(h.api, op(http.MethodGet, "/best-times", "analytics-best-times",
			"Engagement by local hour of week per channel (168 buckets, Monday 00:00 first) and the empirical-Bayes recommendation (methods.md §3)"), h.analyticsBestTimes)
		huma.Register(h.api, op(http.MethodGet, "/goals", "analytics-goals", "Long-term goals with their progress and the forecast of the last 90 days' trend"), h.analyticsGoals)
		create := op(http.MethodPost, "/goals", "analytics-create-goal", "Set a long-term goal for the workspace (channel_id 0) or one channel")
		create.DefaultStatus = http.StatusCreated
		huma.Register(h.api, create, h.analyticsCreateGoal)
		del := op(http.MethodDelete, "/goals/{id}", "analytics-delete-goal", "Remove a goal")
		del.DefaultStatus = http.StatusNoContent
		huma.Register(h.api, del, h.analyticsDeleteGoal)
		huma.Register(h.api, op(http.MethodPost, "/collect", "analytics-collect", "Read the metrics of the workspace's posts of the last 28 days and of its channels now"), h.analyticsCollect)
	})
}

// PeriodInput selects a report's period and posts.
type PeriodInput struct {
	From    string `query:"from" doc:"First day (YYYY-MM-DD, UTC) or RFC 3339 time; default 28 days before to"`
	To      string `query:"to" doc:"Last day, included (YYYY-MM-DD) or RFC 3339 time, excluded; default now"`
	Channel int64  `query:"channel_id" doc:"Only this channel"`
	Network string `query:"network" doc:"Only this network"`
	Label   string `query:"label" doc:"Only posts with this label, key:value"`
}

// AnalyticsPostsOutput lists per-post measures.
type AnalyticsPostsOutput struct {
	Body struct {
		Posts []analytics.PostMeasures `json:"posts"`
	}
}

// AnalyticsChannelsOutput lists per-channel measures.
type AnalyticsChannelsOutput struct {
	Body struct {
		Channels []analytics.GroupMeasures `json:"channels"`
	}
}

// TimeseriesOutput is a day-by-day series.
type TimeseriesOutput struct {
	Body struct {
		Days []analytics.DayPoint `json:"days"`
	}
}

// CollectOutput says what a collection did.
type CollectOutput struct {
	Body analytics.CollectResult
}

func (h *Handler) report(ctx context.Context, in *PeriodInput) (analytics.PeriodReport, error) {
	p := principal(ctx)
	if !p.Can(auth.ActView) {
		return analytics.PeriodReport{}, h.fail(auth.ErrForbidden)
	}
	f, err := filterOf(in)
	if err != nil {
		return analytics.PeriodReport{}, h.fail(err)
	}
	from, to, err := analytics.ParsePeriod(in.From, in.To, time.Now())
	if err != nil {
		return analytics.PeriodReport{}, h.fail(err)
	}
	rep, err := h.d.Analytics.Report(ctx, p.Workspace.ID, from, to, f)
	if err != nil {
		return rep, h.fail(err)
	}
	return rep, nil
}

func filterOf(in *PeriodInput) (analytics.Filter, error) {
	label, err := analytics.ParseLabel(in.Label)
	return analytics.Filter{ChannelID: in.Channel, Network: in.Network, Label: label}, err
}

func (h *Handler) analyticsCSV(ctx context.Context, in *PeriodInput) (*SampleOutput, error) {
	rep, err := h.report(ctx, in)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := analytics.WriteCSV(&b, rep); err != nil {
		return nil, h.fail(err)
	}
	return &SampleOutput{ContentType: "text/csv; charset=utf-8", ContentDisposition: `attachment; filename="relais-report.csv"`, Body: b.Bytes()}, nil
}

func (h *Handler) analyticsPosts(ctx context.Context, in *PeriodInput) (*AnalyticsPostsOutput, error) {
	rep, err := h.report(ctx, in)
	if err != nil {
		return nil, err
	}
	out := &AnalyticsPostsOutput{}
	out.Body.Posts = rep.Posts
	return out, nil
}

func (h *Handler) analyticsChannels(ctx context.Context, in *PeriodInput) (*AnalyticsChannelsOutput, error) {
	rep, err := h.report(ctx, in)
	if err != nil {
		return nil, err
	}
	out := &AnalyticsChannelsOutput{}
	out.Body.Channels = rep.Channels
	return out, nil
}

func (h *Handler) analyticsTimeseries(ctx context.Context, in *PeriodInput) (*TimeseriesOutput, error) {
	p := principal(ctx)
	if !p.Can(auth.ActView) {
		return nil, h.fail(auth.ErrForbidden)
	}
	f, err := filterOf(in)
	if err != nil {
		return nil, h.fail(err)
	}
	from, to, err := analytics.ParsePeriod(in.From, in.To, time.Now())
	if err != nil {
		return nil, h.fail(err)
	}
	days, err := h.d.Analytics.Timeseries(ctx, p.Workspace.ID, from, to, f)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &TimeseriesOutput{}
	out.Body.Days = days
	if out.Body.Days == nil {
		out.Body.Days = []analytics.DayPoint{}
	}
	return out, nil
}

// InsightsOutput lists daily channel insights.
type InsightsOutput struct {
	Body struct {
		Insights []analytics.InsightPoint `json:"insights"`
	}
}

func (h *Handler) analyticsInsights(ctx context.Context, in *PeriodInput) (*InsightsOutput, error) {
	p := principal(ctx)
	if !p.Can(auth.ActView) {
		return nil, h.fail(auth.ErrForbidden)
	}
	from, to, err := analytics.ParsePeriod(in.From, in.To, time.Now())
	if err != nil {
		return nil, h.fail(err)
	}
	list, err := h.d.Analytics.Insights(ctx, p.Workspace.ID, in.Channel, from, to)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &InsightsOutput{}
	out.Body.Insights = list
	return out, nil
}

func (h *Handler) analyticsCollect(ctx context.Context, _ *struct{}) (*CollectOutput, error) {
	p := principal(ctx)
	if !p.Can(auth.ActPublish) {
		return nil, h.fail(auth.ErrForbidden)
	}
	res, err := h.d.Collector.Collect(ctx, p.Workspace.ID, true)
	if err != nil {
		return nil, h.fail(err)
	}
	if res.Held == nil {
		res.Held = []int64{}
	}
	if res.Errors == nil {
		res.Errors = []string{}
	}
	return &CollectOutput{Body: res}, nil
}

// BestTimesOutput is the best-time model of every channel.
type BestTimesOutput struct {
	Body struct {
		Timezone string                       `json:"timezone"`
		Channels []analytics.ChannelBestTimes `json:"channels"`
	}
}

func (h *Handler) analyticsBestTimes(ctx context.Context, _ *struct{}) (*BestTimesOutput, error) {
	p := principal(ctx)
	if !p.Can(auth.ActView) {
		return nil, h.fail(auth.ErrForbidden)
	}
	list, err := h.d.Analytics.BestTimes(ctx, p.Workspace.ID, p.Workspace.Timezone, time.Now())
	if err != nil {
		return nil, h.fail(err)
	}
	out := &BestTimesOutput{}
	out.Body.Timezone, out.Body.Channels = p.Workspace.Timezone, list
	return out, nil
}

// GoalsOutput lists goals.
type GoalsOutput struct {
	Body struct {
		Goals []analytics.GoalStatus `json:"goals"`
	}
}

// GoalInput is a new goal.
type GoalInput struct {
	Body analytics.GoalInput
}

// GoalOutput is a saved goal with its status.
type GoalOutput struct {
	Body analytics.GoalStatus
}

// GoalPath names a goal.
type GoalPath struct {
	ID int64 `path:"id"`
}

func (h *Handler) analyticsGoals(ctx context.Context, _ *struct{}) (*GoalsOutput, error) {
	p := principal(ctx)
	if !p.Can(auth.ActView) {
		return nil, h.fail(auth.ErrForbidden)
	}
	list, err := h.d.Analytics.Goals(ctx, p.Workspace.ID, time.Now())
	if err != nil {
		return nil, h.fail(err)
	}
	out := &GoalsOutput{}
	out.Body.Goals = list
	return out, nil
}

func (h *Handler) analyticsCreateGoal(ctx context.Context, in *GoalInput) (*GoalOutput, error) {
	p := principal(ctx)
	if !p.Can(auth.ActManageWorkspace) {
		return nil, h.fail(auth.ErrForbidden)
	}
	g, err := h.d.Analytics.CreateGoal(ctx, p.Workspace.ID, in.Body, time.Now())
	if err != nil {
		return nil, h.fail(err)
	}
	list, err := h.d.Analytics.Goals(ctx, p.Workspace.ID, time.Now())
	if err != nil {
		return nil, h.fail(err)
	}
	for _, st := range list {
		if st.ID == g.ID {
			return &GoalOutput{Body: st}, nil
		}
	}
	return nil, h.fail(store.ErrNotFound)
}

func (h *Handler) analyticsDeleteGoal(ctx context.Context, in *GoalPath) (*struct{}, error) {
	p := principal(ctx)
	if !p.Can(auth.ActManageWorkspace) {
		return nil, h.fail(auth.ErrForbidden)
	}
	if err := h.d.Store.DeleteGoal(ctx, p.Workspace.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	return nil, nil
}
