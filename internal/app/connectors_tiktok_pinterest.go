package app

import (
	"github.com/relais/relais/internal/config"
	"github.com/relais/relais/internal/network/pinterest"
	"github.com/relais/relais/internal/network/tiktok"
)

// configureTikTokPinterest hands the operator's TikTok and Pinterest apps to their providers.
func configureTikTokPinterest(c config.Config) {
	tiktok.Configure(tiktok.App{ClientKey: c.TikTok.ClientKey, ClientSecret: c.TikTok.ClientSecret, PullFromURL: c.TikTok.PullFromURL, APIURL: c.TikTok.APIURL})
	pinterest.Configure(pinterest.App{AppID: c.Pinterest.AppID, AppSecret: c.Pinterest.AppSecret, Sandbox: c.Pinterest.Sandbox, APIURL: c.Pinterest.APIURL})
}
