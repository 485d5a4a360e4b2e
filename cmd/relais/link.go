package main

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/relais/relais/internal/campaign"
	"github.com/relais/relais/internal/link"
	"github.com/relais/relais/internal/store"
)

// LinkCmd groups short-link commands.
type LinkCmd struct {
	Create LinkCreateCmd `cmd:"" help:"Create a short link; prints its short URL (or JSON)."`
	List   LinkListCmd   `cmd:"" help:"List a workspace's short links with their clicks."`
	Stats  LinkStatsCmd  `cmd:"" help:"A link's clicks over a period: people, unique visitors and bots apart, by day, referrer, device and bot."`
}

// LinkCreateCmd creates a short link.
type LinkCreateCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	Email     string `name:"email" help:"Act as this member (default: the workspace's owner)."`
	Target    string `arg:"" help:"The http(s) address the link leads to."`
	Title     string `name:"title" help:"A title."`
	Code      string `name:"code" help:"A chosen code (default: random)."`
	Network   string `name:"network" help:"Fills {network} in the UTM templates."`
	Campaign  int64  `name:"campaign" help:"Campaign id."`
	Post      int64  `name:"post" help:"Post id."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run creates the link.
func (c *LinkCreateCmd) Run(ctx context.Context) error {
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := principalFor(ctx, a.Store, a.Auth, c.Email, c.Workspace)
	if err != nil {
		return err
	}
	l, err := a.Links.Create(ctx, p.Workspace.ID, p.User.ID, link.Input{TargetURL: c.Target, Title: c.Title, Code: c.Code, Network: c.Network,
		CampaignID: c.Campaign, PostID: c.Post})
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(os.Stdout, a.Links.View(l, store.ClickCount{}))
	}
	fmt.Println(a.Links.ShortURL(l))
	return nil
}

// LinkListCmd lists links.
type LinkListCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	Campaign  int64  `name:"campaign" help:"Only this campaign's links (and its posts')."`
	Post      int64  `name:"post" help:"Only this post's links."`
	Limit     int    `name:"limit" default:"100" help:"At most this many (1–500)."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run lists the links.
func (c *LinkListCmd) Run(ctx context.Context) error {
	if c.Limit < 1 || c.Limit > 500 {
		return fmt.Errorf("--limit must be between 1 and 500; got %d", c.Limit)
	}
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	list, err := a.Store.Links(ctx, w.ID, store.ClickFilter{CampaignID: c.Campaign, PostID: c.Post}, c.Limit)
	if err != nil {
		return err
	}
	out := make([]link.ShortLink, 0, len(list))
	for _, l := range list {
		out = append(out, a.Links.View(l.Link, l.ClickCount))
	}
	if c.JSON {
		return printJSON(os.Stdout, out)
	}
	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSHORT URL\tCLICKS\tUNIQUE\tBOTS\tTARGET")
	for _, l := range out {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%d\t%s\n", l.ID, l.ShortURL, l.Clicks, l.Unique, l.Bots, l.TargetURL)
	}
	return tw.Flush()
}

// LinkStatsCmd prints a link's statistics.
type LinkStatsCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	ID        int64  `arg:"" help:"Link id."`
	From      string `name:"from" help:"Start day (YYYY-MM-DD, UTC; default 30 days before --to)."`
	To        string `name:"to" help:"End day, included (YYYY-MM-DD, UTC; default today)."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run prints the statistics.
func (c *LinkStatsCmd) Run(ctx context.Context) error {
	from, to, err := period(c.From, c.To)
	if err != nil {
		return err
	}
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	if _, err := a.Store.Link(ctx, w.ID, c.ID); err != nil {
		return fmt.Errorf("link %d: %w", c.ID, err)
	}
	st, err := link.Stats(ctx, a.Store, w.ID, store.ClickFilter{LinkID: c.ID}, from, to)
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(os.Stdout, st)
	}
	fmt.Printf("%s – %s: %d clicks, %d unique visitors, %d by bots (country: unknown)\n", from.Format(time.DateOnly), to.Add(-time.Nanosecond).Format(time.DateOnly), st.Clicks, st.Unique, st.Bots)
	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	for _, g := range []struct {
		name string
		rows []link.KeyCount
	}{{"day", st.ByDay}, {"referrer", st.ByReferrer}, {"device", st.ByDevice}, {"bot", st.ByBot}} {
		for _, r := range g.rows {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\n", g.name, r.Key, r.Clicks, r.Unique, r.Bots)
		}
	}
	return tw.Flush()
}

// period reads a from/to pair of days: [from, to+1 day) in UTC.
func period(fromS, toS string) (time.Time, time.Time, error) {
	to := time.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	if toS != "" {
		d, err := time.Parse(time.DateOnly, toS)
		if err != nil {
			return to, to, fmt.Errorf("--to must be a day like 2026-05-31; got %q", toS)
		}
		to = d.Add(24 * time.Hour)
	}
	from := to.AddDate(0, 0, -30)
	if fromS != "" {
		d, err := time.Parse(time.DateOnly, fromS)
		if err != nil {
			return from, to, fmt.Errorf("--from must be a day like 2026-05-01; got %q", fromS)
		}
		from = d
	}
	if !from.Before(to) {
		return from, to, fmt.Errorf("--from must be before --to")
	}
	return from, to, nil
}

// CampaignCmd groups campaign commands.
type CampaignCmd struct {
	Create CampaignCreateCmd `cmd:"" help:"Create a campaign; prints its id (or JSON)."`
	List   CampaignListCmd   `cmd:"" help:"List a workspace's campaigns."`
	Show   CampaignShowCmd   `cmd:"" help:"A campaign with its posts, links, clicks and goals against results."`
}

// CampaignCreateCmd creates a campaign.
type CampaignCreateCmd struct {
	DataFlags
	Workspace   string             `name:"workspace" required:"" help:"Workspace slug."`
	Email       string             `name:"email" help:"Act as this member (default: the workspace's owner)."`
	Name        string             `arg:"" help:"The campaign's name."`
	Description string             `name:"description" help:"A description."`
	Starts      string             `name:"starts" help:"First day (YYYY-MM-DD, UTC)."`
	Ends        string             `name:"ends" help:"Last day (YYYY-MM-DD, UTC)."`
	Goal        map[string]float64 `name:"goal" help:"A goal as metric=target, e.g. --goal clicks=500 (clicks, unique_clicks, reach, …)."`
	Budget      float64            `name:"budget" help:"Budget in the currency's units (e.g. 1200.50)."`
	Currency    string             `name:"currency" help:"ISO 4217 code, like EUR."`
	JSON        bool               `name:"json" help:"Print JSON."`
}

// Run creates the campaign.
func (c *CampaignCreateCmd) Run(ctx context.Context) error {
	in := campaign.Input{Name: c.Name, Description: c.Description, BudgetCents: int64(c.Budget*100 + 0.5), Currency: c.Currency}
	for _, d := range []struct {
		flag, v string
		dst     **time.Time
		plus    time.Duration
	}{{"--starts", c.Starts, &in.StartsAt, 0}, {"--ends", c.Ends, &in.EndsAt, 24*time.Hour - time.Millisecond}} {
		if d.v == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.v)
		if err != nil {
			return fmt.Errorf("%s must be a day like 2026-05-01; got %q", d.flag, d.v)
		}
		t = t.Add(d.plus)
		*d.dst = &t
	}
	for _, m := range campaign.Metrics {
		if v, ok := c.Goal[m]; ok {
			in.Goals = append(in.Goals, store.CampaignGoal{Metric: m, Target: v})
		}
	}
	if len(in.Goals) != len(c.Goal) {
		return fmt.Errorf("--goal: metrics are %v", campaign.Metrics)
	}
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := principalFor(ctx, a.Store, a.Auth, c.Email, c.Workspace)
	if err != nil {
		return err
	}
	camp, err := a.Campaigns.Create(ctx, p.Workspace.ID, p.User.ID, in)
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(os.Stdout, campaign.NewCampaign(camp))
	}
	fmt.Println(camp.ID)
	return nil
}

// CampaignListCmd lists campaigns.
type CampaignListCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run lists the campaigns.
func (c *CampaignListCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	list, err := a.Store.Campaigns(ctx, w.ID)
	if err != nil {
		return err
	}
	out := make([]campaign.Campaign, 0, len(list))
	for _, x := range list {
		out = append(out, campaign.NewCampaign(x))
	}
	if c.JSON {
		return printJSON(os.Stdout, out)
	}
	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSTARTS\tENDS\tGOALS")
	for _, x := range out {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\n", x.ID, x.Name, day(x.StartsAt), day(x.EndsAt), len(x.Goals))
	}
	return tw.Flush()
}

func day(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(time.DateOnly)
}

// CampaignShowCmd shows a campaign's results.
type CampaignShowCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	ID        int64  `arg:"" help:"Campaign id."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run shows the campaign.
func (c *CampaignShowCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	r, err := a.Campaigns.Results(ctx, w.ID, c.ID)
	if err != nil {
		return fmt.Errorf("campaign %d: %w", c.ID, err)
	}
	out := campaign.NewReport(r, a.Links)
	if c.JSON {
		return printJSON(os.Stdout, out)
	}
	fmt.Printf("%s (%s – %s): %d posts, %d links, %d clicks, %d unique, %d by bots\n", out.Name, out.From.Format(time.DateOnly), out.To.Format(time.DateOnly),
		len(out.PostIDs), len(out.Links), out.Clicks, out.Unique, out.Bots)
	for _, g := range out.Results {
		actual := "unknown"
		if g.Actual != nil {
			actual = fmt.Sprintf("%g (%.0f%%)", *g.Actual, *g.Progress*100)
		}
		fmt.Printf("goal %s %g: %s\n", g.Metric, g.Target, actual)
	}
	return nil
}
