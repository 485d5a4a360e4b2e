package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/relais/relais/internal/app"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/store"
)

// PostCmd groups post commands.
type PostCmd struct {
	Create        PostCreateCmd        `cmd:"" help:"Validate and save a post (and schedule it with --at, --queue or --now); prints the post id."`
	Show          PostShowCmd          `cmd:"" help:"Show a post with its variants, state, publications and attempt log."`
	List          PostListCmd          `cmd:"" help:"List a workspace's posts."`
	MarkPublished PostMarkPublishedCmd `cmd:"" name:"mark-published" help:"Confirm that a needs_review publication is on the network (checked by hand), instead of retrying it."`
	Delete        PostDeleteCmd        `cmd:"" help:"Delete a post; with --remote, delete it on its networks too."`
}

// composer builds the composer service over an opened app.
func composer(a *app.App) *compose.Service {
	return compose.NewService(a.Store, a.Channels, a.Config.PublicURL())
}

func outOr(w io.Writer) io.Writer {
	if w == nil {
		return os.Stdout
	}
	return w
}

// explain turns a validation failure into one line per problem, naming the
// channel's network, the limit and the measured value.
func explain(err error) error {
	if ve, ok := compose.AsValidation(err); ok {
		lines := make([]string, 0, len(ve.Problems))
		for _, p := range ve.Problems {
			lines = append(lines, fmt.Sprintf("%s: %s", p.Path, p.Message))
		}
		return fmt.Errorf("the post does not validate:\n  %s", strings.Join(lines, "\n  "))
	}
	return err
}

// PostCreateCmd composes a post from the terminal.
type PostCreateCmd struct {
	DataFlags
	Workspace string   `name:"workspace" required:"" help:"Workspace slug."`
	Email     string   `name:"email" help:"Act as this member (default: the workspace's owner)."`
	Channels  []int64  `name:"channels" required:"" sep:"," help:"Channel ids, comma-separated."`
	Text      string   `name:"text" help:"The post's text."`
	Link      string   `name:"link" help:"A link for the link card."`
	Media     []string `name:"media" type:"existingfile" help:"A file to attach (repeatable); it goes into the workspace's media library."`
	Alt       []string `name:"alt" help:"Alt text of the --media file at the same position (repeatable)."`
	Label     []string `name:"label" help:"A label key=value (repeatable), e.g. --label theme=launch."`
	Option    []string `name:"option" sep:"none" help:"A post option name=value for every channel, or CHANNEL:name=value for one (repeatable; a value may hold commas), e.g. --option 3:board=549755885175 --option 4:privacy_level=SELF_ONLY."`
	Timezone  string   `name:"timezone" help:"IANA time zone of the post (default: the workspace's)."`
	Language  string   `name:"language" default:"auto" help:"The post's language sent to the networks: auto (detected from the text) or a code such as en, fr, de."`
	At        string   `name:"at" xor:"when" help:"Schedule at this moment (RFC 3339, e.g. 2026-05-04T09:00:00+02:00)."`
	Queue     bool     `name:"queue" xor:"when" help:"Schedule at the channels' next free posting slot."`
	Now       bool     `name:"now" xor:"when" help:"Publish now."`

	Out io.Writer `kong:"-"`
}

// Run validates, saves and optionally schedules the post.
func (c *PostCreateCmd) Run(ctx context.Context) error {
	var at time.Time
	if c.At != "" {
		t, err := time.Parse(time.RFC3339, c.At)
		if err != nil {
			return fmt.Errorf("at: %q is not an RFC 3339 time (like 2026-05-04T09:00:00+02:00)", c.At)
		}
		at = t
	}
	in := compose.PostInput{Text: c.Text, Link: c.Link, Timezone: c.Timezone, Language: c.Language}
	for _, l := range c.Label {
		lab, err := compose.ParseLabel(l)
		if err != nil {
			return err
		}
		in.Labels = append(in.Labels, lab)
	}
	for _, id := range c.Channels {
		in.Variants = append(in.Variants, compose.VariantInput{ChannelID: id})
	}
	if err := applyOptions(in.Variants, c.Option); err != nil {
		return err
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
	if len(c.Media) > 0 {
		refs, err := c.upload(ctx, a, p)
		if err != nil {
			return err
		}
		in.Media = refs
	}
	svc := composer(a)
	v, err := svc.Create(ctx, p, in)
	if err != nil {
		return explain(err)
	}
	switch {
	case !at.IsZero():
		_, err = svc.Schedule(ctx, p, v.ID, at, c.Timezone)
	case c.Queue:
		_, err = svc.Queue(ctx, p, v.ID)
	case c.Now:
		_, err = svc.PublishNow(ctx, p, v.ID)
	}
	if err != nil {
		// The draft is saved; say so, so that it can be scheduled later.
		return fmt.Errorf("post %d saved as a draft but not scheduled: %w", v.ID, explain(err))
	}
	fmt.Fprintln(outOr(c.Out), v.ID)
	return nil
}

// upload puts the --media files into the workspace's media library.
func (c *PostCreateCmd) upload(ctx context.Context, a *app.App, p auth.Principal) ([]compose.MediaRef, error) {
	if !p.Can(auth.ActCompose) {
		return nil, fmt.Errorf("media: %w", auth.ErrForbidden)
	}
	lib := a.Media
	if lib == nil {
		return nil, errors.New("media: the media library is not configured")
	}
	refs := make([]compose.MediaRef, 0, len(c.Media))
	for i, path := range c.Media {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("media: %w", err)
		}
		m, err := lib.Upload(ctx, p.Workspace.ID, p.User.ID, filepath.Base(path), f, 0)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("media %s: %w", path, err)
		}
		if i < len(c.Alt) && c.Alt[i] != "" {
			if m, err = lib.SetAlt(ctx, p.Workspace.ID, m.ID, c.Alt[i]); err != nil {
				return nil, fmt.Errorf("media %s: %w", path, err)
			}
		}
		refs = append(refs, compose.MediaRef{MediaID: m.ID})
	}
	return refs, nil
}

// PostShowCmd prints a post.
type PostShowCmd struct {
	DataFlags
	ID    int64  `arg:"" help:"Post id."`
	Email string `name:"email" help:"Act as this member (default: the workspace's owner)."`
	JSON  bool   `name:"json" help:"Print JSON."`

	Out io.Writer `kong:"-"`
}

// Run prints the post with its publications and attempt log.
func (c *PostShowCmd) Run(ctx context.Context) error {
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := principalForPost(ctx, a.Store, a.Auth, c.Email, c.ID)
	if err != nil {
		return err
	}
	d, err := composer(a).Detail(ctx, p, c.ID)
	if err != nil {
		return err
	}
	out := outOr(c.Out)
	if c.JSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	fmt.Fprintf(out, "post %d  %s  workspace %s\n", d.ID, d.State, p.Workspace.Slug)
	if d.ScheduledAt != nil {
		fmt.Fprintf(out, "scheduled %s (%s)\n", d.ScheduledAt.Format(time.RFC3339), d.Timezone)
	}
	fmt.Fprintf(out, "text: %s\n", d.Text)
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CHANNEL\tNETWORK\tPUBLICATION\tATTEMPTS\tREMOTE ID\tURL\tERROR")
	for _, v := range d.Variants {
		state, attempts, rid, url, msg := "-", "0", "", "", ""
		if pub := v.Publication; pub != nil {
			state, attempts, rid, url, msg = pub.State, strconv.Itoa(pub.Attempts), pub.RemoteID, pub.URL, pub.ErrorMessage
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", v.ChannelID, v.Network, state, attempts, rid, url, msg)
	}
	return tw.Flush()
}

// PostListCmd lists posts.
type PostListCmd struct {
	DataFlags
	Workspace string   `name:"workspace" required:"" help:"Workspace slug."`
	Email     string   `name:"email" help:"Act as this member (default: the workspace's owner)."`
	State     []string `name:"state" help:"Only posts in these states (repeatable)."`
	Label     []string `name:"label" help:"Only posts with this label key=value (repeatable)."`
	Limit     int      `name:"limit" default:"1000" help:"Posts per page (1 to 5000)."`
	Cursor    string   `name:"cursor" help:"Continue after the page that printed this next cursor."`
	All       bool     `name:"all" help:"List every page."`
	JSON      bool     `name:"json" help:"Print JSON: {\"posts\": [...], \"next_cursor\": \"...\"}."`
	// AwaitingApproval lists the acting member's approval queue instead.
	AwaitingApproval bool `name:"awaiting-approval" help:"Only the posts waiting for the member's approval (in review, not their own unless the workspace allows it); use with --email."`

	Out io.Writer `kong:"-"`
}

// Run lists one page of posts, or every page with --all.
func (c *PostListCmd) Run(ctx context.Context) error {
	q := compose.Query{Limit: c.Limit, Cursor: c.Cursor}
	for _, s := range c.State {
		q.States = append(q.States, store.PostState(s))
	}
	for _, l := range c.Label {
		lab, err := compose.ParseLabel(l)
		if err != nil {
			return err
		}
		q.Labels = append(q.Labels, lab)
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
	svc := composer(a)
	var pg compose.Page
	if c.AwaitingApproval {
		pg.Items, err = svc.AwaitingApproval(ctx, p)
	} else {
		pg, err = svc.Page(ctx, p, q)
	}
	if err != nil {
		return err
	}
	for c.All && pg.NextCursor != "" {
		q.Cursor = pg.NextCursor
		next, err := svc.Page(ctx, p, q)
		if err != nil {
			return err
		}
		pg.Items, pg.NextCursor = append(pg.Items, next.Items...), next.NextCursor
	}
	out := outOr(c.Out)
	if c.JSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Posts      []compose.CalendarItem `json:"posts"`
			NextCursor string                 `json:"next_cursor"`
		}{pg.Items, pg.NextCursor})
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tSCHEDULED\tCHANNELS\tTEXT")
	for _, it := range pg.Items {
		when := "-"
		if it.ScheduledAt != nil {
			when = it.ScheduledAt.Format(time.RFC3339)
		}
		chans := make([]string, len(it.ChannelIDs))
		for i, id := range it.ChannelIDs {
			chans[i] = strconv.FormatInt(id, 10)
		}
		text := []rune(strings.ReplaceAll(it.Text, "\n", " "))
		if len(text) > 50 {
			text = append(text[:49], '…')
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", it.ID, it.State, when, strings.Join(chans, ","), string(text))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if pg.NextCursor != "" {
		fmt.Fprintf(out, "more posts: add --cursor %s (or --all)\n", pg.NextCursor)
	}
	return nil
}

// applyOptions sets --option values on the variants: name=value on every
// one, CHANNEL:name=value on that channel's.
func applyOptions(variants []compose.VariantInput, opts []string) error {
	for _, o := range opts {
		spec, value, ok := strings.Cut(o, "=")
		scope, name, scoped := strings.Cut(spec, ":")
		if !scoped {
			scope, name = "", spec
		}
		if !ok || strings.TrimSpace(name) == "" {
			return fmt.Errorf("option: %q is not name=value or CHANNEL:name=value", o)
		}
		found := false
		for i := range variants {
			if scoped && strconv.FormatInt(variants[i].ChannelID, 10) != scope {
				continue
			}
			if variants[i].Options == nil {
				variants[i].Options = map[string]string{}
			}
			variants[i].Options[strings.TrimSpace(name)] = value
			found = true
		}
		if !found {
			return fmt.Errorf("option: channel %s of %q is not among --channels", scope, o)
		}
	}
	return nil
}
