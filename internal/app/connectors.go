package app

// The connectors register their providers with the network package in init.
import (
	"context"

	"github.com/relais/relais/internal/config"
	_ "github.com/relais/relais/internal/network/bluesky"
	_ "github.com/relais/relais/internal/network/feed"
	_ "github.com/relais/relais/internal/network/mastodon"
	"github.com/relais/relais/internal/network/meta"
	"github.com/relais/relais/internal/network/snapchat"
	"github.com/relais/relais/internal/network/soundcloud"
	_ "github.com/relais/relais/internal/network/telegram"
	"github.com/relais/relais/internal/network/tumblr"
	_ "github.com/relais/relais/internal/network/webhook"
	"github.com/relais/relais/internal/network/x"
)

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
// comment, mention or reply). MetaChanges, when set, receives it (the inbox
// reads the channel at once); without it the change is logged and the
// inbox's polling picks it up.
func (a *App) metaChange(ctx context.Context, c meta.Change) {
	if a.MetaChanges != nil {
		a.MetaChanges(ctx, c)
		return
	}
	a.Log.Info("meta webhook", "network", c.Kind(), "account", c.AccountID, "field", c.Field)
}

// configureX hands the operator's X app to the X provider.
func configureX(c config.XApp) {
	x.Configure(x.App{ClientID: c.ClientID, ClientSecret: c.ClientSecret, APIURL: c.APIURL})
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
