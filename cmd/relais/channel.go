package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/channel"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
)

// ChannelCmd groups channel commands.
type ChannelCmd struct {
	Add   ChannelAddCmd   `cmd:"" help:"Connect a channel; prints the new channel id."`
	List  ChannelListCmd  `cmd:"" help:"List a workspace's channels."`
	Check ChannelCheckCmd `cmd:"" help:"Check a channel's credentials and refresh its limits."`
	Slots ChannelSlotsCmd `cmd:"" help:"Show a channel's posting slots and the best times its results recommend; --add-suggested adds them."`
}

// ChannelAddCmd connects a channel. Network-specific flags fill the
// network's connect fields; --set name=value fills any field.
type ChannelAddCmd struct {
	DataFlags
	Network   string `arg:"" enum:"bluesky,mastodon,telegram,website,webhook,facebook,instagram,threads,x,youtube,vimeo,tumblr,soundcloud,snapchat,linkedin,google_business,tiktok,pinterest" help:"The network: bluesky, mastodon, telegram, website, webhook, facebook, instagram, threads, x, youtube, vimeo, tumblr, soundcloud, snapchat, linkedin, google_business, tiktok or pinterest (LinkedIn: --set as=organization --set organization=NAME; Google Business Profile: --set location=NAME)."`
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	Email     string `name:"email" help:"Act as this member (default: the workspace's owner)."`

	Handle           string `name:"handle" group:"bluesky" help:"Bluesky handle (alice.bsky.social)."`
	AppPasswordStdin bool   `name:"app-password-stdin" group:"bluesky" help:"Read the Bluesky app password from stdin."`
	PDSURL           string `name:"pds-url" group:"bluesky" help:"Bluesky: the PDS URL of a self-hosted server."`

	Instance   string `name:"instance" group:"mastodon" help:"Mastodon: the instance (mastodon.social)."`
	TokenStdin bool   `name:"token-stdin" group:"mastodon" help:"Mastodon, Facebook, Instagram, Threads, X, YouTube, Vimeo, Tumblr, SoundCloud, Snapchat, LinkedIn, Google Business Profile, TikTok, Pinterest: read an access token from stdin (X, Tumblr, SoundCloud, TikTok, Pinterest: --set refresh_token=… lets it be renewed; Tumblr: --set blog=name picks the blog)."`

	Page  string `name:"page" group:"meta" help:"Facebook: the Page's name or id, when the token manages several Pages."`
	Login string `name:"login" group:"meta" enum:",facebook,instagram" default:"" help:"Instagram: the token's login, facebook (a Page or user token) or instagram (Instagram Login)."`

	BotTokenStdin bool   `name:"bot-token-stdin" group:"telegram" help:"Telegram: read the bot token from stdin."`
	Chat          string `name:"chat" group:"telegram" help:"Telegram: @channel or -100… id."`

	Title       string `name:"title" group:"website" help:"Website: the feed's title."`
	SiteURL     string `name:"site-url" group:"website" help:"Website: the brand's site."`
	Description string `name:"description" group:"website" help:"Website: the feed's description."`
	Language    string `name:"language" group:"website" help:"Website: the feed's language (en, fr, de…)."`

	URL         string `name:"url" group:"webhook" help:"Webhook: the URL to POST to."`
	SecretStdin bool   `name:"secret-stdin" group:"webhook" help:"Webhook: read the signing secret from stdin (default: generated and printed on stderr)."`
	Label       string `name:"label" group:"webhook" help:"Webhook: a label."`

	Set map[string]string `name:"set" help:"Any connect field as name=value (see relais channel add --help)."`
}

// Run connects the channel.
func (c *ChannelAddCmd) Run(ctx context.Context) error {
	in := map[string]string{}
	for k, v := range c.Set {
		in[k] = v
	}
	set := func(k, v string) {
		if v != "" {
			in[k] = v
		}
	}
	set("handle", c.Handle)
	set("pds_url", c.PDSURL)
	set("instance", c.Instance)
	set("chat", c.Chat)
	set("title", c.Title)
	set("site_url", c.SiteURL)
	set("description", c.Description)
	set("language", c.Language)
	set("url", c.URL)
	set("label", c.Label)
	set("page", c.Page)
	set("login", c.Login)
	for flag, field := range map[*bool]string{&c.AppPasswordStdin: "app_password", &c.TokenStdin: "access_token", &c.BotTokenStdin: "bot_token", &c.SecretStdin: "secret"} {
		if *flag {
			v, err := readSecretLine(os.Stdin)
			if err != nil {
				return err
			}
			if v == "" {
				return fmt.Errorf("%s: stdin was empty", field)
			}
			in[field] = v
		}
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
	ch, err := a.Channels.Connect(ctx, p, network.Kind(c.Network), in)
	if err != nil {
		return err
	}
	if c.Network == string(network.Webhook) && !c.SecretStdin {
		if st, err := a.Channels.Stored(ch); err == nil && st.Secrets["secret"] != "" {
			fmt.Fprintf(os.Stderr, "webhook signing secret (shown once): %s\n", st.Secrets["secret"])
		}
	}
	fmt.Println(ch.ID)
	return nil
}

// ChannelListCmd lists channels.
type ChannelListCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// ChannelJSON is a channel as the CLI prints it.
type ChannelJSON struct {
	ID           int64             `json:"id"`
	Network      string            `json:"network"`
	RemoteID     string            `json:"remote_id"`
	Handle       string            `json:"handle"`
	DisplayName  string            `json:"display_name,omitempty"`
	URL          string            `json:"url,omitempty"`
	Settings     map[string]string `json:"settings"`
	Status       string            `json:"status"`
	StatusReason string            `json:"status_reason,omitempty"`
	Limits       network.Limits    `json:"limits"`
	// Feeds are a website channel's public feed addresses.
	Feeds *channel.FeedURLs `json:"feeds,omitempty"`
}

// Run lists the channels.
func (c *ChannelListCmd) Run(ctx context.Context) error {
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	w, err := a.Store.WorkspaceBySlug(ctx, c.Workspace)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("workspace: no workspace with the slug %q", c.Workspace)
	}
	if err != nil {
		return err
	}
	list, err := a.Store.Channels(ctx, w.ID)
	if err != nil {
		return err
	}
	out := make([]ChannelJSON, 0, len(list))
	for _, ch := range list {
		out = append(out, ChannelJSON{ID: ch.ID, Network: ch.Network, RemoteID: ch.RemoteID, Handle: ch.Handle, DisplayName: ch.DisplayName,
			URL: ch.URL, Settings: ch.Settings, Status: string(ch.Status), StatusReason: ch.StatusReason, Limits: a.Channels.Limits(ch), Feeds: a.Channels.Feeds(ch)})
	}
	if c.JSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNETWORK\tHANDLE\tSTATUS")
	for _, ch := range out {
		status := ch.Status
		if ch.StatusReason != "" {
			status += " (" + strings.ReplaceAll(ch.StatusReason, "\n", " ") + ")"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", ch.ID, ch.Network, ch.Handle, status)
	}
	return tw.Flush()
}

// ChannelCheckCmd checks one channel.
type ChannelCheckCmd struct {
	DataFlags
	ID int64 `arg:"" help:"Channel id."`
}

// Run checks the channel and exits non-zero when it needs reconnecting.
func (c *ChannelCheckCmd) Run(ctx context.Context) error {
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	ch, err := a.Store.ChannelByID(ctx, c.ID)
	if err != nil {
		return fmt.Errorf("channel %d: %w", c.ID, err)
	}
	p := auth.Principal{Workspace: store.Workspace{ID: ch.WorkspaceID}, Role: store.RoleOwner}
	ch, err = a.Channels.Check(ctx, p, c.ID)
	if err != nil {
		return err
	}
	fmt.Printf("%d\t%s\t%s\t%s\n", ch.ID, ch.Network, ch.Handle, ch.Status)
	if ch.Status == store.ChannelNeedsReconnect {
		return fmt.Errorf("channel %d needs reconnecting: %s", ch.ID, ch.StatusReason)
	}
	return nil
}
