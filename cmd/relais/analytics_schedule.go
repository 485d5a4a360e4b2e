package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/relais/relais/internal/analytics"
)

// AnalyticsScheduleCmd manages the reports sent by e-mail.
type AnalyticsScheduleCmd struct {
	List   AnalyticsScheduleListCmd   `cmd:"" help:"List the reports a workspace sends by e-mail."`
	Add    AnalyticsScheduleAddCmd    `cmd:"" help:"Send the report of every week or month by e-mail (HTML with the PDF and CSV attached)."`
	Remove AnalyticsScheduleRemoveCmd `cmd:"" help:"Stop a report sent by e-mail."`
}

// AnalyticsScheduleListCmd lists the schedules.
type AnalyticsScheduleListCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run lists the workspace's scheduled reports.
func (c *AnalyticsScheduleListCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	list, err := a.Analytics.Schedules(ctx, w.ID, time.Now())
	if err != nil {
		return err
	}
	if c.JSON {
		return json.NewEncoder(os.Stdout).Encode(list)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEVERY\tLANGUAGE\tRECIPIENTS\tLAST SENT\tNEXT PERIOD")
	for _, s := range list {
		last := "–"
		if s.LastPeriod != nil {
			last = s.LastPeriod.Format(time.DateOnly)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s – %s\n", s.ID, s.Frequency, s.Language, strings.Join(s.Recipients, ", "), last,
			s.NextFrom.Format(time.DateOnly), s.NextTo.Add(-time.Second).Format(time.DateOnly))
	}
	return tw.Flush()
}

// AnalyticsScheduleAddCmd adds a schedule.
type AnalyticsScheduleAddCmd struct {
	DataFlags
	Workspace string   `name:"workspace" required:"" help:"Workspace slug."`
	Every     string   `name:"every" required:"" enum:"weekly,monthly" help:"weekly (the last full week, sent on Monday) or monthly (the last month, sent on the 1st); UTC."`
	Lang      string   `name:"lang" default:"en" enum:"en,fr,de" help:"Language of the e-mail and its PDF."`
	To        []string `name:"to" required:"" help:"Recipients' e-mail addresses (repeat or separate with commas; at most 20)."`
	JSON      bool     `name:"json" help:"Print JSON."`
}

// Run saves the schedule and prints its id.
func (c *AnalyticsScheduleAddCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	s, err := a.Analytics.CreateSchedule(ctx, w.ID, analytics.ScheduleInput{Frequency: c.Every, Language: c.Lang, Recipients: c.To}, time.Now())
	if err != nil {
		return err
	}
	if c.JSON {
		return json.NewEncoder(os.Stdout).Encode(s)
	}
	fmt.Println(s.ID)
	if a.Mail == nil {
		fmt.Fprintln(os.Stderr, "note: no SMTP server is configured (RELAIS_SMTP_URL): the report is sent once one is")
	}
	return nil
}

// AnalyticsScheduleRemoveCmd removes a schedule.
type AnalyticsScheduleRemoveCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	ID        int64  `arg:"" help:"Schedule id (from list)."`
}

// Run removes the schedule.
func (c *AnalyticsScheduleRemoveCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Analytics.DeleteSchedule(ctx, w.ID, c.ID); err != nil {
		return fmt.Errorf("schedule %d: %w", c.ID, err)
	}
	return nil
}

// AnalyticsBrandCmd shows or sets the reports' brand.
type AnalyticsBrandCmd struct {
	Show AnalyticsBrandShowCmd `cmd:"" help:"Print the brand of a workspace's reports."`
	Set  AnalyticsBrandSetCmd  `cmd:"" help:"Set the brand of a workspace's reports (HTML, PDF, e-mail)."`
}

// AnalyticsBrandShowCmd prints the brand.
type AnalyticsBrandShowCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run prints the brand.
func (c *AnalyticsBrandShowCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	b, err := a.Analytics.Brand(ctx, w.ID)
	if err != nil {
		return err
	}
	if c.JSON {
		return json.NewEncoder(os.Stdout).Encode(b)
	}
	fmt.Printf("name: %s\naccent colour: %s\nlogo media id: %d\nfooter: %s\n", b.DisplayName, b.AccentColor, b.LogoMediaID, b.Footer)
	return nil
}

// AnalyticsBrandSetCmd sets the brand (every field; empty clears it).
type AnalyticsBrandSetCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	Name      string `name:"name" help:"Name shown instead of the workspace's (at most 100 characters)."`
	Accent    string `name:"accent" help:"Accent colour #rrggbb."`
	Logo      int64  `name:"logo" help:"Media library id of a PNG, JPEG or GIF logo (0: none)."`
	Footer    string `name:"footer" help:"Footer text (at most 300 characters)."`
}

// Run saves the brand.
func (c *AnalyticsBrandSetCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	_, err = a.Analytics.SaveBrand(ctx, w.ID, analytics.BrandInput{DisplayName: c.Name, AccentColor: c.Accent, LogoMediaID: c.Logo, Footer: c.Footer}, time.Now())
	return err
}
