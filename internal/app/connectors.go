package app

// The connectors register their providers with the network package in init.
import (
	"context"
	"fmt"

	"github.com/relais/relais/internal/config"
	_ "github.com/relais/relais/internal/network/bluesky"
	_ "github.com/relais/relais/internal/network/feed"
	_ "github.com/relais/relais/internal/network/mastodon"
	"github.com/relais/relais/internal/network/meta"
	"github.com/relais/relais/internal/network/snapchat"
	"github.com/relais/relais/internal/network/soundcloud"
	_ "github.com/relais/relais/internal/network/telegram"
	"github.com/relais/relais/internal/network/tumblr"
	"github.com/relais/relais/internal/network/vimeo"
	_ "github.com/relais/relais/internal/network/webhook"
	"github.com/relais/relais/internal/network/x"
	"github.com/relais/relais/internal/network/youtube"
)

// apps is the configuration in force for the network apps.
func (a *App) apps() config.Config {
	if a.Operator == nil {
		return a.Config
	}
	return a.Operator.Effective()
}

// configureApps hands the network apps in force to their providers.
func configureApps(c config.Config) {
	configureMeta(c.Meta)
	configureX(c.X)
	_ = configureYouTube(c.YouTube) // its quota was checked when the app opened
	configureVimeo(c.Vimeo)
	configureTumblr(c.Tumblr)
	configureSoundCloud(c.SoundCloud)
	configureSnapchat(c.Snapchat)
	configureLinkedInGoogle(c.LinkedIn, c.Google)
	configureTikTokPinterest(c)
}

// configureMeta hands the operator's Meta app to the Facebook, Instagram and Threads providers.
func configureMeta(m config.MetaApp) {
	a := meta.App{ID: m.AppID, Secret: m.AppSecret, InstagramID: m.InstagramID, InstagramSecret: m.InstagramSecret,
		ThreadsID: m.ThreadsID, ThreadsSecret: m.ThreadsSecret}
	if m.APIURL != "" {
		a.Endpoints = meta.SameHost(m.APIURL)
	}
	meta.Configure(a)
}

// metaChange takes one change of a verified Meta webhook delivery (a new
// comment, mention or reply). MetaChanges, when set, receives it; otherwise
// the inbox reads the channels connected to that account at once, in the
// background (the handler answers Meta at once), and polling stays the
// fallback for a delivery that never comes.
func (a *App) metaChange(ctx context.Context, c meta.Change) {
	if a.MetaChanges != nil {
		a.MetaChanges(ctx, c)
		return
	}
	n := a.syncMetaAccount(ctx, c)
	a.Log.Info("meta webhook", "network", c.Kind(), "account", c.AccountID, "field", c.Field, "channels", n)
}

// configureX hands the operator's X app to the X provider.
func configureX(c config.XApp) {
	x.Configure(x.App{ClientID: c.ClientID, ClientSecret: c.ClientSecret, APIURL: c.APIURL})
}

// configureYouTube hands the operator's Google client and quota to the YouTube provider.
func configureYouTube(c config.YouTubeApp) error {
	q, err := youtube.ParseQuota(c.Quota)
	if err != nil {
		return fmt.Errorf("app: --youtube-quota: %w", err)
	}
	youtube.Configure(youtube.App{ClientID: c.ClientID, ClientSecret: c.ClientSecret, APIURL: c.APIURL, Quota: q})
	return nil
}

// configureVimeo hands the operator's Vimeo app to the Vimeo provider.
func configureVimeo(c config.VimeoApp) {
	vimeo.Configure(vimeo.App{ClientID: c.ClientID, ClientSecret: c.ClientSecret, APIURL: c.APIURL})
}

// configureTumblr hands the operator's Tumblr app to the Tumblr provider.
func configureTumblr(c config.OAuthApp) {
	tumblr.Configure(tumblr.App{ClientID: c.ClientID, ClientSecret: c.ClientSecret, APIURL: c.APIURL})
}

// configureSoundCloud hands the operator's SoundCloud app to the SoundCloud provider.
func configureSoundCloud(c config.OAuthApp) {
	soundcloud.Configure(soundcloud.App{ClientID: c.ClientID, ClientSecret: c.ClientSecret, APIURL: c.APIURL})
}

// configureSnapchat hands the operator's Snap app to the Snapchat provider.
func configureSnapchat(c config.OAuthApp) {
	snapchat.Configure(snapchat.App{ClientID: c.ClientID, ClientSecret: c.ClientSecret, APIURL: c.APIURL})
}
