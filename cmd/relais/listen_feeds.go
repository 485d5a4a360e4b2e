package main

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/relais/relais/internal/app"
	"github.com/relais/relais/internal/listen"
)

// ListenFeedCmd groups the website feed commands.
type ListenFeedCmd struct {
	Add    ListenFeedAddCmd    `cmd:"" help:"Listen to a website feed (RSS, Atom or JSON Feed)."`
	List   ListenFeedListCmd   `cmd:"" help:"List a workspace's website feeds."`
	Delete ListenFeedDeleteCmd `cmd:"" help:"Stop listening to a website feed (its mentions stay)."`
	Poll   ListenFeedPollCmd   `cmd:"" help:"Read the website feeds now and store the matches."`
}

// ListenFeedAddCmd adds a feed.
type ListenFeedAddCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	URL       string `arg:"" help:"The feed's http(s) address."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run adds the feed.
func (c *ListenFeedAddCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	f, err := a.Listen.AddFeed(ctx, w.ID, c.URL)
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(os.Stdout, f)
	}
	fmt.Printf("feed %d %s added\n", f.ID, f.URL)
	return nil
}

// ListenFeedListCmd lists feeds.
type ListenFeedListCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run lists the feeds.
func (c *ListenFeedListCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	fs, err := a.Listen.Feeds(ctx, w.ID)
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(os.Stdout, map[string]any{"feeds": append([]listen.Feed{}, fs...)})
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tURL\tTITLE\tMENTIONS\tCHECKED\tERROR")
	for _, f := range fs {
		checked := "never"
		if f.CheckedAt != nil {
			checked = f.CheckedAt.Format(time.DateTime)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\n", f.ID, f.URL, f.Title, f.Items, checked, oneLine(f.LastError, 60))
	}
	return tw.Flush()
}

// ListenFeedDeleteCmd deletes a feed.
type ListenFeedDeleteCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	ID        int64  `arg:"" help:"Feed id."`
}

// Run deletes the feed.
func (c *ListenFeedDeleteCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	return a.Listen.DeleteFeed(ctx, w.ID, c.ID)
}

// ListenFeedPollCmd reads the feeds once.
type ListenFeedPollCmd struct {
	DataFlags
	Workspace string `name:"workspace" help:"Only this workspace's feeds (default: every workspace's)."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run reads the feeds.
func (c *ListenFeedPollCmd) Run(ctx context.Context) error {
	a, wsID, err := openOptionalWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.Listen.PollFeeds(ctx, wsID)
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(os.Stdout, res)
	}
	fmt.Printf("%d feeds (%d unchanged), %d items read, %d new mentions\n", res.Feeds, res.Unchanged, res.Read, res.New)
	for _, e := range res.Errors {
		fmt.Println("  error:", e)
	}
	return nil
}

// ListenSearchCmd runs the network searches once.
type ListenSearchCmd struct {
	DataFlags
	Workspace string `name:"workspace" help:"Only this workspace's queries (default: every workspace's)."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run searches.
func (c *ListenSearchCmd) Run(ctx context.Context) error {
	a, wsID, err := openOptionalWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.Listen.PollSearch(ctx, wsID)
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(os.Stdout, res)
	}
	fmt.Printf("%d channels, %d searches (%d not due), %d posts read, %d new mentions\n", res.Channels, res.Searches, res.Skipped, res.Read, res.New)
	for _, e := range res.Errors {
		fmt.Println("  error:", e)
	}
	return nil
}

// openOptionalWorkspace opens the app and, when slug is not empty, finds
// the workspace (0: every workspace).
func openOptionalWorkspace(ctx context.Context, f DataFlags, slug string) (*app.App, int64, error) {
	if slug == "" {
		a, err := f.open(ctx)
		return a, 0, err
	}
	a, w, err := openWorkspace(ctx, f, slug)
	return a, w.ID, err
}
