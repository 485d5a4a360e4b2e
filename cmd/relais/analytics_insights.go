package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/relais/relais/internal/analytics"
)

// AnalyticsInsightsCmd prints daily channel insights.
type AnalyticsInsightsCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	From      string `name:"from" help:"First day (YYYY-MM-DD, UTC); default 28 days before --to."`
	To        string `name:"to" help:"Last day, included (YYYY-MM-DD, UTC); default now."`
	Channel   int64  `name:"channel" help:"Only this channel id."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run prints the insights, one line per channel, day and metric.
func (c *AnalyticsInsightsCmd) Run(ctx context.Context) error {
	from, to, err := analytics.ParsePeriod(c.From, c.To, time.Now())
	if err != nil {
		return err
	}
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	list, err := a.Analytics.Insights(ctx, w.ID, c.Channel, from, to)
	if err != nil {
		return err
	}
	if c.JSON {
		return json.NewEncoder(os.Stdout).Encode(list)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CHANNEL\tDAY\tMETRIC\tVALUE")
	for _, p := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\n", p.ChannelID, p.Day.Format(time.DateOnly), p.Metric, p.Value)
	}
	return tw.Flush()
}
