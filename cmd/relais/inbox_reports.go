package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/relais/relais/internal/app"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/sla"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// reportFlags are what the inbox's reports take: the workspace, who reads
// it, and JSON output.
type reportFlags struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	Email     string `name:"email" help:"Act as this member (default: the workspace's owner)."`
	JSON      bool   `name:"json" help:"Print JSON."`

	Out io.Writer `kong:"-"`
}

// openWorkspace opens the app, the principal reading the workspace and the
// workspace's time zone (UTC when unknown); close the app when done.
func (f reportFlags) openWorkspace(ctx context.Context) (*app.App, auth.Principal, *time.Location, error) {
	a, err := f.open(ctx)
	if err != nil {
		return nil, auth.Principal{}, nil, err
	}
	p, err := principalFor(ctx, a.Store, a.Auth, f.Email, f.Workspace)
	if err != nil {
		a.Close()
		return nil, auth.Principal{}, nil, err
	}
	loc, err := time.LoadLocation(p.Workspace.Timezone)
	if err != nil {
		loc = time.UTC
	}
	return a, p, loc, nil
}

// InboxSLACmd prints the response-time report.
type InboxSLACmd struct {
	reportFlags
	From   string `name:"from" help:"First day (2026-12-01), in the workspace's time zone; default 29 days before --to."`
	To     string `name:"to" help:"Last day, included; default today."`
	Period string `name:"period" enum:"day,week,month" default:"week" help:"Length of the per-period rows: day, week or month."`
	CSV    bool   `name:"csv" help:"Print CSV (one row per group: total, channel, member, period)."`
}

// Run prints the report.
func (c *InboxSLACmd) Run(ctx context.Context) error {
	if c.JSON && c.CSV {
		return valid.Errorf("csv", "conflict", "--json and --csv: choose one")
	}
	a, p, loc, err := c.openWorkspace(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	from, to, err := sla.ParseRange(c.From, c.To, loc, time.Now())
	if err != nil {
		return err
	}
	period, err := sla.ParsePeriod(c.Period)
	if err != nil {
		return err
	}
	rep, err := a.Moderation.SLAReport(ctx, p.Workspace.ID, from, to, period)
	if err != nil {
		return err
	}
	names, err := moderation.SLANames(ctx, a.Store, p.Workspace.ID)
	if err != nil {
		return err
	}
	w := outOr(c.Out)
	switch {
	case c.JSON:
		return printJSON(w, rep)
	case c.CSV:
		return sla.WriteCSV(w, rep, names)
	}
	fmt.Fprintf(w, "%s – %s, target %d min\n", from.Format(time.DateOnly), to.AddDate(0, 0, -1).Format(time.DateOnly), rep.TargetMinutes)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "GROUP\tNAME\tCONVERSATIONS\tANSWERED\tRATE\tWITHIN TARGET\tMEDIAN MIN\tP90 MIN")
	row := func(group string, f sla.Figures) {
		name := names.Name(group, f.Key)
		if name == "" {
			name = f.Key
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.0f %%\t%.0f %%\t%.0f\t%.0f\n", group, name, f.Conversations, f.Answered,
			100*f.ResponseRate, 100*f.TargetRate, f.MedianMinutes, f.P90Minutes)
	}
	row("total", rep.Total)
	for _, g := range []struct {
		name string
		rows []sla.Figures
	}{{"channel", rep.ByChannel}, {"member", rep.ByMember}, {"period", rep.ByPeriod}} {
		for _, f := range g.rows {
			row(g.name, f)
		}
	}
	return tw.Flush()
}

// InboxCriticismCmd prints the criticism left unanswered.
type InboxCriticismCmd struct {
	reportFlags
	Channel int64  `name:"channel" help:"Only this channel's messages."`
	Since   string `name:"since" help:"Only messages read since this day (2026-12-01, the workspace's time zone)."`
	Limit   int    `name:"limit" default:"100" help:"At most this many messages (1–500)."`
}

// Run prints the report.
func (c *InboxCriticismCmd) Run(ctx context.Context) error {
	a, p, loc, err := c.openWorkspace(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	var since time.Time
	if c.Since != "" {
		if since, err = time.ParseInLocation(time.DateOnly, c.Since, loc); err != nil {
			return valid.Errorf("since", "format", "--since: %q is not a day (2026-12-01)", c.Since)
		}
	}
	if c.Limit < 1 {
		return valid.Errorf("limit", "range", "--limit must be between 1 and 500; got %d", c.Limit)
	}
	rep, err := a.Inbox.UnansweredCriticism(ctx, p, c.Channel, since, c.Limit)
	if err != nil {
		return notFoundChannel(c.Channel, err)
	}
	w := outOr(c.Out)
	if c.JSON {
		return printJSON(w, rep)
	}
	fmt.Fprintf(w, "%d negative messages without an answer\n", rep.Total)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CHANNEL\tNETWORK\tHANDLE\tUNANSWERED\tOLDEST")
	for _, ch := range rep.ByChannel {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\n", ch.ChannelID, ch.Network, ch.Handle, ch.Count, ch.Oldest.UTC().Format("2006-01-02 15:04 UTC"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(rep.Messages) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tRECEIVED\tNETWORK\tAUTHOR\tSTATE\tTEXT")
	for _, m := range rep.Messages {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", m.ID, m.ReceivedAt.UTC().Format("2006-01-02 15:04"), m.Network, m.Author, m.State, shorten(m.Text, 60))
	}
	return tw.Flush()
}

// notFoundChannel names the channel when the store did not find it in the workspace.
func notFoundChannel(id int64, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("channel: no channel with the id %d in this workspace", id)
	}
	return err
}
