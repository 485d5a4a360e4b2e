package main

import "github.com/relais/relais/internal/config"

// TikTokPinterestFlags are the operator's TikTok and Pinterest apps
// (docs/channels.md): without them, those networks connect by pasted token
// only and tokens are not renewed.
type TikTokPinterestFlags struct {
	TikTokClientKey    string `name:"tiktok-client-key" env:"RELAIS_TIKTOK_CLIENT_KEY" help:"Client key of the operator's TikTok app (sign in with TikTok, token renewal)."`
	TikTokClientSecret string `name:"tiktok-client-secret" env:"RELAIS_TIKTOK_CLIENT_SECRET" help:"Client secret of the operator's TikTok app."`
	TikTokPullFromURL  bool   `name:"tiktok-pull-from-url" env:"RELAIS_TIKTOK_PULL_FROM_URL" help:"Let TikTok fetch videos from relais's signed media URLs (the media domain must be verified with TikTok) instead of uploading them."`
	TikTokAPIURL       string `name:"tiktok-api-url" env:"RELAIS_TIKTOK_API_URL" help:"Send every TikTok API call and sign-in to this server instead (a test fake or a proxy)."`

	PinterestAppID     string `name:"pinterest-app-id" env:"RELAIS_PINTEREST_APP_ID" help:"App id of the operator's Pinterest app (sign in with Pinterest, token renewal)."`
	PinterestAppSecret string `name:"pinterest-app-secret" env:"RELAIS_PINTEREST_APP_SECRET" help:"App secret of the operator's Pinterest app."`
	PinterestSandbox   bool   `name:"pinterest-sandbox" env:"RELAIS_PINTEREST_SANDBOX" help:"Send Pinterest calls to its sandbox (trial apps may only write there)."`
	PinterestAPIURL    string `name:"pinterest-api-url" env:"RELAIS_PINTEREST_API_URL" help:"Send every Pinterest API call and sign-in to this server instead (a test fake or a proxy)."`
}

func (f TikTokPinterestFlags) tiktok() config.TikTokApp {
	return config.TikTokApp{ClientKey: f.TikTokClientKey, ClientSecret: f.TikTokClientSecret, PullFromURL: f.TikTokPullFromURL, APIURL: f.TikTokAPIURL}
}

func (f TikTokPinterestFlags) pinterest() config.PinterestApp {
	return config.PinterestApp{AppID: f.PinterestAppID, AppSecret: f.PinterestAppSecret, Sandbox: f.PinterestSandbox, APIURL: f.PinterestAPIURL}
}
