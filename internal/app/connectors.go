package app

// The connectors register their providers with the network package in init.
import (
	"context"

	"github.com/relais/relais/internal/config"
	_ "github.com/relais/relais/internal/network/bluesky"
	_ "github.com/relais/relais/internal/network/feed"
	_ "github.com/relais/relais/internal/network/mastodon"
	"github.com/relais/relais/internal/network/meta"
	_ "github.com/relais/relais/internal/network/telegram"
	_ "github.com/relais/relais/internal/network/webhook"
	"github.com/relais/relais/internal/network/x"
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
