package app

// The connectors register their providers with the network package in init.
import (
	"github.com/relais/relais/internal/config"
	_ "github.com/relais/relais/internal/network/bluesky"
	_ "github.com/relais/relais/internal/network/feed"
	_ "github.com/relais/relais/internal/network/mastodon"
	_ "github.com/relais/relais/internal/network/telegram"
	_ "github.com/relais/relais/internal/network/webhook"
	"github.com/relais/relais/internal/network/x"
)

// configureX hands the operator's X app to the X provider.
func configureX(c config.XApp) {
	x.Configure(x.App{ClientID: c.ClientID, ClientSecret: c.ClientSecret, APIURL: c.APIURL})
}
