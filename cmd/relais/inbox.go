package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/relais/relais/internal/app"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/store"
)

// InboxCmd groups the inbox commands.
type InboxCmd struct {
	List   InboxListCmd   `cmd:"" help:"List a workspace's inbox: comments, replies and mentions, newest first."`
	Reply  InboxReplyCmd  `cmd:"" help:"Answer a message through its network, as the channel; prints the reply's URL."`
	Assign InboxAssignCmd `cmd:"" help:"Assign a message to a member."`
	Close  InboxCloseCmd  `cmd:"" help:"Close a message."`
	Reopen InboxReopenCmd `cmd:"" help:"Reopen a message."`
	Sync   InboxSyncCmd   `cmd:"" help:"Read the workspace's channels now (relais serve does it continuously)."`
	// Reports (inbox_reports.go).
	SLA       InboxSLACmd       `cmd:"" name:"sla" help:"Response times: first-response time and response rate per channel, member and period (table, JSON or CSV)."`
	Criticism InboxCriticismCmd `cmd:"" help:"Criticism left unanswered: negative messages without a reply, per channel and oldest first."`
	// Moderation rules and saved replies (inbox_rules.go).
	Rules        InboxRulesCmd        `cmd:"" help:"Moderation rules: list, add, remove, dry-run."`
	SavedReplies InboxSavedRepliesCmd `cmd:"" name:"saved-replies" help:"Saved replies: list, add."`
}

// inboxFlags are what every command on one message takes.
type inboxFlags struct {
	DataFlags
	Workspace string `name:"workspace" help:"Workspace slug (default: the message's)."`
	Email     string `name:"email" help:"Act as this member (default: the workspace's owner)."`

	Out io.Writer `kong:"-"`
}

// openMessage opens the app and the principal acting on message id.
func (f inboxFlags) openMessage(ctx context.Context, id int64) (*app.App, auth.Principal, error) {
	a, err := f.open(ctx)
	if err != nil {
		return nil, auth.Principal{}, err
	}
	slug := f.Workspace
	if slug == "" {
		ws, err := a.Store.MessageWorkspace(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			a.Close()
			return nil, auth.Principal{}, fmt.Errorf("message: no inbox message with the id %d", id)
		}
		if err == nil {
			var w store.Workspace
			w, err = a.Store.WorkspaceByID(ctx, ws)
			slug = w.Slug
		}
		if err != nil {
			a.Close()
			return nil, auth.Principal{}, err
		}
	}
	p, err := principalFor(ctx, a.Store, a.Auth, f.Email, slug)
	if err != nil {
		a.Close()
		return nil, auth.Principal{}, err
	}
	return a, p, nil
}

// notFound names the message when the store did not find it in the workspace.
func notFound(id int64, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("message: no inbox message with the id %d in this workspace", id)
	}
	return err
}

// InboxListCmd lists messages.
type InboxListCmd struct {
	DataFlags
	Workspace  string `name:"workspace" required:"" help:"Workspace slug."`
	Email      string `name:"email" help:"Act as this member (default: the workspace's owner)."`
	State      string `name:"state" enum:"open,pending,closed," default:"" help:"Only messages in this state: open, pending or closed."`
	Sentiment  string `name:"sentiment" enum:"negative,neutral,positive," default:"" help:"Only messages of this sentiment."`
	Network    string `name:"network" help:"Only messages from this network (mastodon, bluesky, …)."`
	Channel    int64  `name:"channel" help:"Only messages of this channel id."`
	Language   string `name:"language" help:"Only messages in this language (en, fr, de, other)."`
	Theme      string `name:"theme" help:"Only messages with this feedback theme (delivery, price, …)."`
	Assignee   string `name:"assignee" help:"Only messages assigned to this member (e-mail, name or id)."`
	Unanswered bool   `name:"unanswered" help:"Only messages without a reply from relais."`
	Search     string `name:"search" help:"Only messages with all these words."`
	Limit      int    `name:"limit" default:"50" help:"At most this many messages (1–200)."`
	JSON       bool   `name:"json" help:"Print JSON."`

	Out io.Writer `kong:"-"`
}

// Run lists the messages.
func (c *InboxListCmd) Run(ctx context.Context) error {
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := principalFor(ctx, a.Store, a.Auth, c.Email, c.Workspace)
	if err != nil {
		return err
	}
	f := store.MessageFilter{State: store.MessageState(c.State), Sentiment: c.Sentiment, Network: c.Network, ChannelID: c.Channel,
		Language: c.Language, Theme: c.Theme, Unanswered: c.Unanswered, Search: c.Search, Limit: c.Limit}
	if c.Assignee != "" {
		ids, err := a.Inbox.MemberID(ctx, p, c.Assignee)
		if err != nil {
			return err
		}
		f.AssigneeID = ids
	}
	list, err := a.Inbox.List(ctx, p, f)
	if err != nil {
		return err
	}
	out := inbox.ViewsOf(list)
	w := outOr(c.Out)
	if c.JSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNETWORK\tAUTHOR\tSTATE\tSENTIMENT\tTEXT")
	for _, m := range out {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", m.ID, m.Network, m.Author, m.State, m.Sentiment, shorten(m.Text, 60))
	}
	return tw.Flush()
}

// shorten keeps the first n characters of one line of text.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// InboxReplyCmd answers a message.
type InboxReplyCmd struct {
	inboxFlags
	ID   int64  `arg:"" help:"The message's id."`
	Text string `name:"text" required:"" help:"The reply."`
	Key  string `name:"key" help:"Idempotency key (default: derived from the message and the text, so running the command again never answers twice)."`
}

// Run sends the reply and prints its URL.
func (c *InboxReplyCmd) Run(ctx context.Context) error {
	a, p, err := c.openMessage(ctx, c.ID)
	if err != nil {
		return err
	}
	defer a.Close()
	r, err := a.Inbox.Reply(ctx, p, c.ID, c.Text, c.Key)
	if err != nil {
		return notFound(c.ID, err)
	}
	out := r.URL
	if out == "" {
		out = r.RemoteID
	}
	fmt.Fprintln(outOr(c.Out), out)
	return nil
}

// InboxAssignCmd assigns a message.
type InboxAssignCmd struct {
	inboxFlags
	ID int64  `arg:"" help:"The message's id."`
	To string `name:"to" required:"" help:"The member's e-mail, name or user id; none to unassign."`
}

// Run assigns the message.
func (c *InboxAssignCmd) Run(ctx context.Context) error {
	a, p, err := c.openMessage(ctx, c.ID)
	if err != nil {
		return err
	}
	defer a.Close()
	return notFound(c.ID, a.Inbox.Assign(ctx, p, c.ID, c.To))
}

// InboxCloseCmd closes a message.
type InboxCloseCmd struct {
	inboxFlags
	ID int64 `arg:"" help:"The message's id."`
}

// Run closes the message.
func (c *InboxCloseCmd) Run(ctx context.Context) error {
	return c.setState(ctx, c.ID, store.MessageClosed)
}

// InboxReopenCmd reopens a message.
type InboxReopenCmd struct {
	inboxFlags
	ID int64 `arg:"" help:"The message's id."`
}

// Run reopens the message.
func (c *InboxReopenCmd) Run(ctx context.Context) error {
	return c.setState(ctx, c.ID, store.MessageOpen)
}

func (f inboxFlags) setState(ctx context.Context, id int64, st store.MessageState) error {
	a, p, err := f.openMessage(ctx, id)
	if err != nil {
		return err
	}
	defer a.Close()
	return notFound(id, a.Inbox.SetState(ctx, p, id, st))
}

// InboxSyncCmd reads a workspace's channels now.
type InboxSyncCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	JSON      bool   `name:"json" help:"Print JSON."`

	Out io.Writer `kong:"-"`
}

// Run reads the channels and prints what was new.
func (c *InboxSyncCmd) Run(ctx context.Context) error {
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := principalFor(ctx, a.Store, a.Auth, "", c.Workspace)
	if err != nil {
		return err
	}
	res, err := a.Inbox.Sync(ctx, p)
	// The message.received deliveries are queued; let them go out before exiting.
	if cerr := a.Webhooks.Close(); cerr != nil && err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	w := outOr(c.Out)
	if c.JSON {
		return json.NewEncoder(w).Encode(res)
	}
	fmt.Fprintf(w, "%d channels read, %d messages, %d new\n", res.Channels, res.Read, res.New)
	for _, e := range res.Errors {
		fmt.Fprintln(w, "  "+e)
	}
	return nil
}
