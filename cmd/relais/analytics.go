package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/app"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// AnalyticsCmd groups the analytics commands.
type AnalyticsCmd struct {
	Collect AnalyticsCollectCmd `cmd:"" help:"Read the metrics of a workspace's recent posts and channels now."`
	Report  AnalyticsReportCmd  `cmd:"" help:"Print a workspace's measures for a period, per channel and per post."`
	// Insights: analytics_insights.go.
	Insights AnalyticsInsightsCmd `cmd:"" help:"Print the daily counts networks report per channel (Google Business Profile: impressions, calls, directions, website clicks)."`
	// Schedule and Brand: analytics_schedule.go.
	Schedule AnalyticsScheduleCmd `cmd:"" help:"Reports sent by e-mail every week or month."`
	Brand    AnalyticsBrandCmd    `cmd:"" help:"The brand of a workspace's reports: name, accent colour, logo, footer."`
}

// AnalyticsCollectCmd collects now.
type AnalyticsCollectCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run collects the workspace's metrics now.
func (c *AnalyticsCollectCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.Collector.Collect(ctx, w.ID, true)
	if err != nil {
		return err
	}
	if c.JSON {
		return json.NewEncoder(os.Stdout).Encode(res)
	}
	fmt.Printf("%d post readings, %d channel readings\n", res.Snapshots, res.Channels)
	for _, id := range res.Held {
		fmt.Printf("channel %d: rate limited by its network, skipped\n", id)
	}
	for _, e := range res.Errors {
		fmt.Println(e)
	}
	return nil
}

// AnalyticsReportCmd prints a report.
type AnalyticsReportCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	From      string `name:"from" help:"First day (YYYY-MM-DD, UTC) or RFC 3339 time; default 28 days before --to."`
	To        string `name:"to" help:"Last day, included (YYYY-MM-DD, UTC) or RFC 3339 time (excluded); default now."`
	Channel   int64  `name:"channel" help:"Only this channel id."`
	Network   string `name:"network" help:"Only this network."`
	Label     string `name:"label" help:"Only posts with this label (key:value)."`
	JSON      bool   `name:"json" help:"Print the report as JSON."`
	CSV       bool   `name:"csv" help:"Print the report as CSV (groups and posts)."`
}

// Run prints the report.
func (c *AnalyticsReportCmd) Run(ctx context.Context) error {
	from, to, err := analytics.ParsePeriod(c.From, c.To, time.Now())
	if err != nil {
		return err
	}
	label, err := analytics.ParseLabel(c.Label)
	if err != nil {
		return err
	}
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := a.Analytics.Report(ctx, w.ID, from, to, analytics.Filter{ChannelID: c.Channel, Network: c.Network, Label: label})
	if err != nil {
		return err
	}
	switch {
	case c.JSON:
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	case c.CSV:
		return analytics.WriteCSV(os.Stdout, rep)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s – %s\n", rep.From.Format(time.DateOnly), rep.To.Format(time.DateOnly))
	fmt.Fprintln(tw, "CHANNEL\tNETWORK\tPOSTS\tLIKES\tREPOSTS\tREPLIES\tFOLLOWERS\tER %")
	for _, g := range rep.Channels {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", g.Handle, g.Network, g.Posts, orDash(g.Likes), orDash(g.Reposts),
			orDash(g.Replies), orDash(g.Followers), orDashF(g.EngagementRate))
	}
	return tw.Flush()
}

func orDash(v *int64) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprint(*v)
}

func orDashF(v *float64) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprintf("%.2f", *v)
}

// openWorkspace opens the app and reads the workspace named by slug; the
// caller closes the app.
func openWorkspace(ctx context.Context, f DataFlags, slug string) (*app.App, store.Workspace, error) {
	a, err := f.open(ctx)
	if err != nil {
		return nil, store.Workspace{}, err
	}
	w, err := workspaceBySlug(ctx, a.Store, slug)
	if err != nil {
		a.Close()
		return nil, store.Workspace{}, err
	}
	return a, w, nil
}

// workspaceBySlug reads a workspace, naming the slug when there is none.
func workspaceBySlug(ctx context.Context, st store.Store, slug string) (store.Workspace, error) {
	w, err := st.WorkspaceBySlug(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		return w, valid.Errorf("workspace", "not_found", "workspace: no workspace with the slug %q", slug)
	}
	return w, err
}
