package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/relais/relais/internal/app"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/store"
)

// InboxRulesCmd groups the rule commands.
type InboxRulesCmd struct {
	List   InboxRulesListCmd   `cmd:"" help:"List a workspace's moderation rules in evaluation order."`
	Add    InboxRulesAddCmd    `cmd:"" help:"Add a moderation rule after the last one; prints its id."`
	Remove InboxRulesRemoveCmd `cmd:"" help:"Remove a moderation rule."`
	DryRun InboxRulesDryRunCmd `cmd:"" name:"dry-run" help:"What the rules would have done over the last 30 days of messages."`
}

// memberFlags pick the workspace and the member the command acts as.
type memberFlags struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	Email     string `name:"email" help:"Act as this member (default: the workspace's owner)."`
}

// act opens the app and the principal, checking the member may do action.
func (f memberFlags) act(ctx context.Context, action auth.Action) (*app.App, auth.Principal, error) {
	a, err := f.open(ctx)
	if err != nil {
		return nil, auth.Principal{}, err
	}
	p, err := principalFor(ctx, a.Store, a.Auth, f.Email, f.Workspace)
	if err == nil && !p.Can(action) {
		err = fmt.Errorf("%s's role (%s) in %q does not allow this", p.User.Email, p.Role, f.Workspace)
	}
	if err != nil {
		a.Close()
		return nil, auth.Principal{}, err
	}
	return a, p, nil
}

// RuleJSON is a rule as the CLI prints it.
type RuleJSON struct {
	ID             int64                 `json:"id"`
	Name           string                `json:"name"`
	Position       int                   `json:"position"`
	Enabled        bool                  `json:"enabled"`
	StopAfterMatch bool                  `json:"stop_after_match"`
	Conditions     moderation.Conditions `json:"conditions"`
	Actions        []moderation.Action   `json:"actions"`
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// InboxRulesListCmd lists rules.
type InboxRulesListCmd struct {
	memberFlags
	JSON bool `name:"json" help:"Print JSON."`
}

// Run lists the rules.
func (c *InboxRulesListCmd) Run(ctx context.Context) error {
	a, p, err := c.act(ctx, auth.ActView)
	if err != nil {
		return err
	}
	defer a.Close()
	rules, err := a.Moderation.Rules(ctx, p.Workspace.ID)
	if err != nil {
		return err
	}
	out := make([]RuleJSON, 0, len(rules))
	for _, r := range rules {
		out = append(out, RuleJSON{ID: r.ID, Name: r.Name, Position: r.Position, Enabled: r.Enabled, StopAfterMatch: r.StopAfterMatch, Conditions: r.Conditions, Actions: r.Actions})
	}
	if c.JSON {
		return printJSON(os.Stdout, out)
	}
	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPOS\tNAME\tENABLED\tSTOP\tKEYWORDS\tACTIONS")
	for _, r := range out {
		var acts []string
		for _, x := range r.Actions {
			acts = append(acts, strings.TrimSuffix(x.Kind+"="+x.Value, "="))
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%t\t%t\t%s\t%s\n", r.ID, r.Position, r.Name, r.Enabled, r.StopAfterMatch, r.Conditions.Keywords, strings.Join(acts, ","))
	}
	return tw.Flush()
}

// InboxRulesAddCmd adds a rule.
type InboxRulesAddCmd struct {
	memberFlags
	Name         string   `name:"name" required:"" help:"The rule's name."`
	Keywords     string   `name:"keywords" help:"Words and \"phrases\" with AND, OR, NOT and parentheses: refund AND (late OR \"not arrived\") AND NOT spam."`
	Networks     []string `name:"network" help:"Networks (mastodon, bluesky, telegram, …); repeat or comma-separate."`
	Channels     []int64  `name:"channel" help:"Channel ids."`
	Languages    []string `name:"language" help:"Languages (en, fr, de, other)."`
	Sentiments   []string `name:"sentiment" help:"negative, neutral or positive."`
	Themes       []string `name:"theme" help:"Feedback themes (delivery, refund_return, …)."`
	Authors      []string `name:"author" help:"Author handles."`
	FirstContact string   `name:"first-contact" enum:",true,false" default:"" help:"true: only an author's first message; false: only later ones."`
	From         string   `name:"from" help:"Time-of-day window start, HH:MM in the workspace's zone."`
	To           string   `name:"to" help:"Time-of-day window end (exclusive), HH:MM; earlier than --from wraps past midnight."`
	Actions      []string `name:"action" required:"" sep:"none" help:"kind or kind=value: assign=USER_ID, label=TEXT, priority=low|normal|high|urgent, spam, hide, auto_reply=SAVED_REPLY_ID, notify[=USER_ID]; repeat for several."`
	Stop         bool     `name:"stop" help:"Stop after this rule matches (first match)."`
	Disabled     bool     `name:"disabled" help:"Add the rule switched off."`
}

// Run adds the rule and prints its id.
func (c *InboxRulesAddCmd) Run(ctx context.Context) error {
	a, p, err := c.act(ctx, auth.ActManageWorkspace)
	if err != nil {
		return err
	}
	defer a.Close()
	r := moderation.Rule{Name: c.Name, Enabled: !c.Disabled, StopAfterMatch: c.Stop, Conditions: moderation.Conditions{
		Keywords: c.Keywords, Networks: c.Networks, ChannelIDs: c.Channels, Languages: c.Languages, Sentiments: c.Sentiments,
		Themes: c.Themes, Authors: c.Authors, TimeFrom: c.From, TimeTo: c.To}}
	if c.FirstContact != "" {
		v := c.FirstContact == "true"
		r.Conditions.FirstContact = &v
	}
	for _, s := range c.Actions {
		kind, value, _ := strings.Cut(s, "=")
		r.Actions = append(r.Actions, moderation.Action{Kind: kind, Value: value})
	}
	r, err = a.Moderation.CreateRule(ctx, p.Workspace.ID, r)
	if err != nil {
		return err
	}
	fmt.Println(r.ID)
	return nil
}

// InboxRulesRemoveCmd removes a rule.
type InboxRulesRemoveCmd struct {
	memberFlags
	ID int64 `arg:"" help:"Rule id."`
}

// Run removes the rule.
func (c *InboxRulesRemoveCmd) Run(ctx context.Context) error {
	a, p, err := c.act(ctx, auth.ActManageWorkspace)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Moderation.DeleteRule(ctx, p.Workspace.ID, c.ID); err != nil {
		return fmt.Errorf("rule %d: %w", c.ID, err)
	}
	return nil
}

// InboxRulesDryRunCmd runs the rules over past messages.
type InboxRulesDryRunCmd struct {
	memberFlags
	JSON bool `name:"json" help:"Print JSON."`
}

// Run prints what each rule would have done.
func (c *InboxRulesDryRunCmd) Run(ctx context.Context) error {
	a, p, err := c.act(ctx, auth.ActView)
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := a.Moderation.DryRun(ctx, p.Workspace.ID)
	if err != nil {
		return err
	}
	return printDryRun(os.Stdout, rep, c.JSON)
}

func printDryRun(w io.Writer, rep moderation.DryRunReport, asJSON bool) error {
	if asJSON {
		return printJSON(w, rep)
	}
	fmt.Fprintf(w, "%d messages from %s to %s, %d matched\n", rep.Messages, rep.Since.Format(time.DateOnly), rep.Until.Format(time.DateOnly), rep.Matched)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tNAME\tMATCHED\tACTIONS")
	for _, r := range rep.Rules {
		var acts []string
		for _, k := range append(moderation.ActionKinds, moderation.ActFlagReview) {
			if n := r.Actions[k]; n > 0 {
				acts = append(acts, fmt.Sprintf("%s %d", k, n))
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\n", r.RuleID, r.Name, r.Matched, strings.Join(acts, ", "))
	}
	return tw.Flush()
}

// InboxSavedRepliesCmd groups the saved-reply commands.
type InboxSavedRepliesCmd struct {
	List InboxSavedRepliesListCmd `cmd:"" help:"List a workspace's saved replies."`
	Add  InboxSavedRepliesAddCmd  `cmd:"" help:"Add a saved reply; prints its id."`
}

// SavedReplyJSON is a saved reply as the CLI prints it.
type SavedReplyJSON struct {
	ID           int64    `json:"id"`
	Name         string   `json:"name"`
	Lang         string   `json:"lang"`
	Body         string   `json:"body"`
	Placeholders []string `json:"placeholders"`
}

// InboxSavedRepliesListCmd lists saved replies.
type InboxSavedRepliesListCmd struct {
	memberFlags
	JSON bool `name:"json" help:"Print JSON."`
}

// Run lists the saved replies.
func (c *InboxSavedRepliesListCmd) Run(ctx context.Context) error {
	a, p, err := c.act(ctx, auth.ActView)
	if err != nil {
		return err
	}
	defer a.Close()
	list, err := a.Moderation.SavedReplies(ctx, p.Workspace.ID)
	if err != nil {
		return err
	}
	out := make([]SavedReplyJSON, 0, len(list))
	for _, r := range list {
		ph := moderation.Uses(r.Body)
		if ph == nil {
			ph = []string{}
		}
		out = append(out, SavedReplyJSON{ID: r.ID, Name: r.Name, Lang: r.Lang, Body: r.Body, Placeholders: ph})
	}
	if c.JSON {
		return printJSON(os.Stdout, out)
	}
	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLANG\tNAME\tTEXT")
	for _, r := range out {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", r.ID, r.Lang, r.Name, strings.ReplaceAll(r.Body, "\n", " "))
	}
	return tw.Flush()
}

// InboxSavedRepliesAddCmd adds a saved reply.
type InboxSavedRepliesAddCmd struct {
	memberFlags
	Name string `name:"name" required:"" help:"The reply's name."`
	Lang string `name:"lang" required:"" enum:"en,fr,de" help:"Its language: en, fr or de."`
	Body string `name:"body" required:"" help:"Its text, with placeholders {first_name}, {order_link}, {author}, {channel}, {network}, {agent}."`
}

// Run adds the saved reply and prints its id.
func (c *InboxSavedRepliesAddCmd) Run(ctx context.Context) error {
	a, p, err := c.act(ctx, auth.ActCompose)
	if err != nil {
		return err
	}
	defer a.Close()
	r, err := a.Moderation.CreateSavedReply(ctx, p.Workspace.ID, store.SavedReply{Name: c.Name, Lang: c.Lang, Body: c.Body})
	if err != nil {
		return err
	}
	fmt.Println(r.ID)
	return nil
}
