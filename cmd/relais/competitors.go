package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/relais/relais/internal/competitor"
	"github.com/relais/relais/internal/store"
)

// CompetitorsCmd groups the competitor benchmark commands.
type CompetitorsCmd struct {
	Panel   CompetitorsPanelCmd   `cmd:"" help:"Add, list and report on competitor panels."`
	Collect CompetitorsCollectCmd `cmd:"" help:"Read today's public metrics of every competitor account now."`
}

// CompetitorsPanelCmd groups the panel commands.
type CompetitorsPanelCmd struct {
	Add    CompetitorsPanelAddCmd    `cmd:"" help:"Add a panel with its accounts."`
	List   CompetitorsPanelListCmd   `cmd:"" help:"List a workspace's panels and their accounts."`
	Report CompetitorsPanelReportCmd `cmd:"" help:"A panel's ranking: followers, growth, posts per week, engagement per post, top post, formats, hashtags, share of voice."`
}

// CompetitorsPanelAddCmd adds a panel.
type CompetitorsPanelAddCmd struct {
	DataFlags
	Workspace string   `name:"workspace" required:"" help:"Workspace slug."`
	Name      string   `arg:"" help:"The panel's name."`
	Accounts  []string `name:"account" help:"An account, written brand:network:handle (Acme:bluesky:acme.bsky.social); repeatable."`
	JSON      bool     `name:"json" help:"Print JSON."`
}

// PanelView is a panel as the CLI and the API show it.
type PanelView struct {
	ID       int64                         `json:"id"`
	Name     string                        `json:"name"`
	Accounts []competitor.BrandAccountView `json:"accounts"`
}

func panelView(p store.CompetitorPanel) PanelView {
	v := PanelView{ID: p.ID, Name: p.Name, Accounts: []competitor.BrandAccountView{}}
	for _, a := range p.Accounts {
		v.Accounts = append(v.Accounts, competitor.ViewAccount(a))
	}
	return v
}

// Run adds the panel.
func (c *CompetitorsPanelAddCmd) Run(ctx context.Context) error {
	var accs []competitor.AccountInput
	for _, s := range c.Accounts {
		a, err := competitor.ParseAccount(s)
		if err != nil {
			return err
		}
		accs = append(accs, a)
	}
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := a.Competitors.CreatePanel(ctx, w.ID, c.Name, accs)
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(os.Stdout, panelView(p))
	}
	fmt.Printf("panel %d %q added with %d accounts\n", p.ID, p.Name, len(p.Accounts))
	return nil
}

// CompetitorsPanelListCmd lists panels.
type CompetitorsPanelListCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run lists the panels.
func (c *CompetitorsPanelListCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	ps, err := a.Store.CompetitorPanels(ctx, w.ID)
	if err != nil {
		return err
	}
	views := []PanelView{}
	for _, p := range ps {
		views = append(views, panelView(p))
	}
	if c.JSON {
		return printJSON(os.Stdout, map[string]any{"panels": views})
	}
	for _, p := range views {
		fmt.Printf("%d %s\n", p.ID, p.Name)
		for _, acc := range p.Accounts {
			fmt.Printf("  %s  %s  %s\n", acc.Brand, acc.Network, acc.Handle)
		}
	}
	return nil
}

// CompetitorsPanelReportCmd reports on a panel.
type CompetitorsPanelReportCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	ID        int64  `arg:"" help:"Panel id."`
	Days      int    `name:"days" default:"30" help:"Period for growth and share of voice (1–366)."`
	Format    string `name:"format" enum:"table,csv,pdf" default:"table" help:"table, csv or pdf (PDF to --output or standard output)."`
	Lang      string `name:"lang" enum:"en,fr,de" default:"en" help:"The PDF's language: en, fr or de."`
	Output    string `name:"output" short:"o" help:"Write the PDF to this file."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run prints the report.
func (c *CompetitorsPanelReportCmd) Run(ctx context.Context) error {
	if c.Days < 1 || c.Days > 366 {
		return fmt.Errorf("--days must be between 1 and 366; got %d", c.Days)
	}
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	r, err := a.Competitors.Report(ctx, w.ID, c.ID, c.Days)
	if err != nil {
		return err
	}
	switch {
	case c.JSON:
		return printJSON(os.Stdout, r)
	case c.Format == "csv":
		return competitor.WriteCSV(os.Stdout, r)
	case c.Format == "pdf":
		var b bytes.Buffer
		if err := competitor.WritePDF(&b, r, c.Lang, w.Name, time.Now()); err != nil {
			return err
		}
		if c.Output != "" {
			return os.WriteFile(c.Output, b.Bytes(), 0o644)
		}
		_, err := os.Stdout.Write(b.Bytes())
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tBRAND\tNETWORK\tFOLLOWERS\tGROWTH\tPOSTS/WEEK\tENG./POST\tSHARE OF VOICE")
	for _, row := range r.Rows {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%+d\t%d\t%.1f\t%.1f%%\n", row.Rank, row.Brand, row.Network, row.Followers, row.Growth, row.PostsWeek, row.EngagementPost, 100*row.ShareOfVoice)
	}
	return tw.Flush()
}

// CompetitorsCollectCmd collects the metrics now.
type CompetitorsCollectCmd struct {
	DataFlags
	JSON bool `name:"json" help:"Print JSON."`
}

// Run collects.
func (c *CompetitorsCollectCmd) Run(ctx context.Context) error {
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.Competitors.Collect(ctx, 0)
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(os.Stdout, res)
	}
	fmt.Printf("%d accounts measured\n", res.Accounts)
	for _, e := range res.Errors {
		fmt.Println("  " + e)
	}
	return nil
}
