package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/listen"
	"github.com/relais/relais/internal/store"
)

// ListenCmd groups the listening commands.
type ListenCmd struct {
	Query    ListenQueryCmd    `cmd:"" help:"Add, list and delete listening queries."`
	Mentions ListenMentionsCmd `cmd:"" help:"List the mentions the queries matched, newest first."`
	Preview  ListenPreviewCmd  `cmd:"" help:"Show what a query, unsaved, would have matched among the stored mentions."`
	Volume   ListenVolumeCmd   `cmd:"" help:"Mentions per query over a period: sentiment, reach, share of voice."`
	Bursts   ListenBurstsCmd   `cmd:"" help:"Terms bursting in the last 24 hours of mentions against the 7 days before."`
	Poll     ListenPollCmd     `cmd:"" help:"Read the Mastodon timelines of the workspaces' Mastodon channels once and store the matches."`
	Feed     ListenFeedCmd     `cmd:"" help:"Add, list, delete and read the website feeds (RSS, Atom, JSON Feed) a workspace listens to."`
	Search   ListenSearchCmd   `cmd:"" help:"Run the queries through the search of the connected X, YouTube, Threads and Instagram channels once."`
}

// ListenQueryCmd groups the query commands.
type ListenQueryCmd struct {
	Add    ListenQueryAddCmd    `cmd:"" help:"Add a listening query."`
	List   ListenQueryListCmd   `cmd:"" help:"List a workspace's listening queries."`
	Delete ListenQueryDeleteCmd `cmd:"" help:"Delete a listening query (its mentions stay)."`
}

// listenSpecFlags are a query's parts.
type listenSpecFlags struct {
	Keywords       string   `name:"keywords" help:"Words and \"phrases\" with AND, OR, NOT and parentheses; prefix* matches word beginnings."`
	Hashtags       []string `name:"hashtag" help:"A hashtag to listen for (repeatable)."`
	Mentions       []string `name:"mention" help:"A handle whose mentions to listen for (repeatable)."`
	Authors        []string `name:"author" help:"Only posts by this author (repeatable)."`
	ExcludeAuthors []string `name:"exclude-author" help:"Never posts by this author (repeatable)."`
	Languages      []string `name:"lang" help:"Only posts in this language (repeatable: en, fr, de…)."`
	Networks       []string `name:"network" help:"Only posts on this network (repeatable: bluesky, mastodon, …)."`
	AlertMentions  bool     `name:"alert-mentions" help:"Announce each new mention (in-app, mention.received webhook)."`
	AlertMinReach  int64    `name:"alert-min-reach" help:"Only announce mentions whose author has at least this many followers."`
	AlertBursts    bool     `name:"alert-bursts" help:"Announce terms bursting in the query's mentions (mention.burst webhook)."`
	AlertEmail     bool     `name:"alert-email" help:"Also e-mail the alerts to owners and admins (when mail is configured)."`
}

func (f listenSpecFlags) spec(name string) listen.Spec {
	return listen.Spec{Name: name, Keywords: f.Keywords, Hashtags: f.Hashtags, Mentions: f.Mentions, Authors: f.Authors,
		ExcludeAuthors: f.ExcludeAuthors, Languages: f.Languages, Networks: f.Networks,
		AlertMentions: f.AlertMentions, AlertMinReach: f.AlertMinReach, AlertBursts: f.AlertBursts, AlertEmail: f.AlertEmail}
}

// ListenQueryAddCmd adds a query.
type ListenQueryAddCmd struct {
	memberFlags
	listenSpecFlags
	Name string `arg:"" help:"The query's name."`
	JSON bool   `name:"json" help:"Print JSON."`
}

// Run adds the query, as a member who may compose (like the API).
func (c *ListenQueryAddCmd) Run(ctx context.Context) error {
	a, p, err := c.act(ctx, auth.ActCompose)
	if err != nil {
		return err
	}
	defer a.Close()
	q, err := a.Listen.AddQuery(ctx, p.Workspace.ID, p.User.ID, c.spec(c.Name))
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(os.Stdout, q)
	}
	fmt.Printf("query %d %q added\n", q.ID, q.Name)
	return nil
}

// ListenQueryListCmd lists queries.
type ListenQueryListCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run lists the queries.
func (c *ListenQueryListCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	qs, err := a.Listen.Queries(ctx, w.ID)
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(os.Stdout, map[string]any{"queries": append([]listen.Query{}, qs...)})
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tKEYWORDS\tHASHTAGS\tMENTIONS\tPAUSED")
	for _, q := range qs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%v\n", q.ID, q.Name, q.Keywords, strings.Join(q.Hashtags, " "), strings.Join(q.Mentions, " "), q.Paused)
	}
	return tw.Flush()
}

// ListenQueryDeleteCmd deletes a query.
type ListenQueryDeleteCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	ID        int64  `arg:"" help:"Query id."`
}

// Run deletes the query.
func (c *ListenQueryDeleteCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	return a.Listen.DeleteQuery(ctx, w.ID, c.ID)
}

// ListenMentionsCmd lists mentions.
type ListenMentionsCmd struct {
	DataFlags
	Workspace string        `name:"workspace" required:"" help:"Workspace slug."`
	Query     int64         `name:"query" help:"Only this query's mentions."`
	Since     time.Duration `name:"since" help:"Only mentions posted within this long (e.g. 24h)."`
	Limit     int           `name:"limit" default:"100" help:"At most this many (1–500)."`
	JSON      bool          `name:"json" help:"Print JSON."`
}

// Run lists the mentions.
func (c *ListenMentionsCmd) Run(ctx context.Context) error {
	if c.Limit < 1 || c.Limit > 500 {
		return fmt.Errorf("--limit must be between 1 and 500; got %d", c.Limit)
	}
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	f := store.MentionFilter{QueryID: c.Query, Limit: c.Limit}
	if c.Since > 0 {
		f.Since = time.Now().Add(-c.Since)
	}
	ms, err := a.Store.Mentions(ctx, w.ID, f)
	if err != nil {
		return err
	}
	views := make([]listen.MentionView, 0, len(ms))
	for _, m := range ms {
		views = append(views, listen.View(m))
	}
	if c.JSON {
		return printJSON(os.Stdout, map[string]any{"mentions": views})
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPOSTED\tNETWORK\tAUTHOR\tSENTIMENT\tTEXT")
	for _, m := range views {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", m.ID, m.PostedAt.Format(time.DateTime), m.Network, m.Author, m.Sentiment, oneLine(m.Text, 80))
	}
	return tw.Flush()
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// ListenPreviewCmd previews a query.
type ListenPreviewCmd struct {
	DataFlags
	listenSpecFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	Limit     int    `name:"limit" default:"20" help:"Matches shown (1–100)."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run previews the query.
func (c *ListenPreviewCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.Listen.Preview(ctx, w.ID, c.spec("preview"), c.Limit)
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(os.Stdout, res)
	}
	fmt.Printf("%d of %d posts matched\n", res.Matched, res.Scanned)
	for _, it := range res.Items {
		fmt.Printf("  %s %s: %s\n", it.Network, it.Author, oneLine(it.Text, 100))
	}
	return nil
}

// ListenVolumeCmd shows the volume.
type ListenVolumeCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	Days      int    `name:"days" default:"30" help:"Days, today included (1–366)."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run shows the volume.
func (c *ListenVolumeCmd) Run(ctx context.Context) error {
	if c.Days < 1 || c.Days > listen.MaxVolumeDays {
		return fmt.Errorf("--days must be between 1 and %d; got %d", listen.MaxVolumeDays, c.Days)
	}
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	v, err := a.Listen.Volume(ctx, w.ID, c.Days)
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(os.Stdout, v)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "QUERY\tMENTIONS\tNET SENTIMENT\tREACH\tSHARE OF VOICE")
	for _, q := range v.Queries {
		fmt.Fprintf(tw, "%s\t%d\t%+.2f\t%d\t%.1f%%\n", q.Name, q.Mentions, q.NetSentiment, q.Reach, 100*q.ShareOfVoice)
	}
	return tw.Flush()
}

// ListenPollCmd polls the Mastodon timelines once.
type ListenPollCmd struct {
	DataFlags
	JSON bool `name:"json" help:"Print JSON."`
}

// Run polls.
func (c *ListenPollCmd) Run(ctx context.Context) error {
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.Listen.PollMastodon(ctx)
	if c.JSON {
		if perr := printJSON(os.Stdout, res); perr != nil {
			return perr
		}
	} else {
		fmt.Printf("%d channels, %d posts read, %d new mentions\n", res.Channels, res.Read, res.New)
	}
	return err
}

// ListenBurstsCmd lists bursting terms.
type ListenBurstsCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	Query     int64  `name:"query" help:"Only this query's mentions."`
	Limit     int    `name:"limit" default:"10" help:"At most this many terms (1–50)."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run lists the bursts.
func (c *ListenBurstsCmd) Run(ctx context.Context) error {
	if c.Limit < 1 || c.Limit > 50 {
		return fmt.Errorf("--limit must be between 1 and 50; got %d", c.Limit)
	}
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	terms, err := a.Listen.Bursts(ctx, w.ID, c.Query, c.Limit)
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(os.Stdout, map[string]any{"terms": terms})
	}
	for _, t := range terms {
		fmt.Printf("%s\t%d mentions (expected %.1f, p=%.2g)\n", t.Term, t.Count, t.Expected, t.P)
	}
	return nil
}
