package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/relais/relais/internal/app"
	"github.com/relais/relais/internal/config"
)

// DataFlags are the flags every command that touches data takes.
type DataFlags struct {
	DataDir       string `name:"data-dir" env:"RELAIS_DATA_DIR" default:"./relais-data" help:"Directory for the SQLite database, the secret key and media."`
	DatabaseURL   string `name:"database-url" env:"RELAIS_DATABASE_URL" help:"postgres:// URL; empty means SQLite in the data directory."`
	SecretKeyFile string `name:"secret-key-file" env:"RELAIS_SECRET_KEY_FILE" help:"File with the keys that encrypt tokens at rest (default: DATA_DIR/secret.key)."`
	BaseURL       string `name:"base-url" env:"RELAIS_BASE_URL" help:"Public URL of this instance (links, OAuth callbacks, feeds)."`
	SMTPURL       string `name:"smtp-url" env:"RELAIS_SMTP_URL" help:"Optional SMTP server for invitation e-mail: smtp://user:password@host:587 or smtps://…"`
	SMTPFrom      string `name:"smtp-from" env:"RELAIS_SMTP_FROM" default:"relais <relais@localhost>" help:"Sender address of relais's e-mail."`
	MetaFlags
	XFlags
	YouTubeFlags
	VimeoFlags
	TumblrFlags
	SoundCloudFlags
	SnapchatFlags
	LinkedInGoogleFlags
	TikTokPinterestFlags
}

// MetaFlags are the operator's Meta app (docs/channels.md): without them,
// Facebook, Instagram and Threads connect by pasted token only.
type MetaFlags struct {
	MetaAppID          string `name:"meta-app-id" env:"RELAIS_META_APP_ID" help:"Meta app id for Facebook Login (Facebook Pages, Instagram through a Page)."`
	MetaAppSecret      string `name:"meta-app-secret" env:"RELAIS_META_APP_SECRET" help:"Meta app secret (also checks webhook signatures)."`
	InstagramAppID     string `name:"instagram-app-id" env:"RELAIS_INSTAGRAM_APP_ID" help:"Instagram app id of the Meta app's Instagram Login (accounts without a Page)."`
	InstagramAppSecret string `name:"instagram-app-secret" env:"RELAIS_INSTAGRAM_APP_SECRET" help:"Instagram app secret."`
	ThreadsAppID       string `name:"threads-app-id" env:"RELAIS_THREADS_APP_ID" help:"Threads app id of the Meta app's Threads use case."`
	ThreadsAppSecret   string `name:"threads-app-secret" env:"RELAIS_THREADS_APP_SECRET" help:"Threads app secret."`
	MetaAPIURL         string `name:"meta-api-url" env:"RELAIS_META_API_URL" help:"Send every Meta API call to this server instead (a test fake or a proxy)."`
	MetaWebhookToken   string `name:"meta-webhook-verify-token" env:"RELAIS_META_WEBHOOK_VERIFY_TOKEN" help:"Verify token of the Meta webhook subscriptions; turns on the receiver at /webhooks/meta."`
}

// app is the Meta app configuration.
func (m MetaFlags) app() config.MetaApp {
	return config.MetaApp{AppID: m.MetaAppID, AppSecret: m.MetaAppSecret, InstagramID: m.InstagramAppID, InstagramSecret: m.InstagramAppSecret,
		ThreadsID: m.ThreadsAppID, ThreadsSecret: m.ThreadsAppSecret, APIURL: m.MetaAPIURL, WebhookVerifyToken: m.MetaWebhookToken}
}

// XFlags are the operator's X app (docs/channels.md): without a client id,
// X connects by pasted token only and tokens are not renewed.
type XFlags struct {
	XClientID     string `name:"x-client-id" env:"RELAIS_X_CLIENT_ID" help:"OAuth 2.0 client id of the operator's X app (sign in with X, token renewal)."`
	XClientSecret string `name:"x-client-secret" env:"RELAIS_X_CLIENT_SECRET" help:"OAuth 2.0 client secret of a confidential X app (empty: a public client)."`
	XAPIURL       string `name:"x-api-url" env:"RELAIS_X_API_URL" help:"Send every X API call and sign-in to this server instead (a test fake or a proxy)."`
}

// YouTubeFlags are the operator's Google OAuth client for YouTube
// (docs/channels.md): without it, YouTube connects by pasted token only.
type YouTubeFlags struct {
	YouTubeClientID     string `name:"youtube-client-id" env:"RELAIS_YOUTUBE_CLIENT_ID" help:"OAuth client id of the operator's Google Cloud project with the YouTube Data and Analytics APIs (sign in with Google, token renewal)."`
	YouTubeClientSecret string `name:"youtube-client-secret" env:"RELAIS_YOUTUBE_CLIENT_SECRET" help:"OAuth client secret of that Google client."`
	YouTubeAPIURL       string `name:"youtube-api-url" env:"RELAIS_YOUTUBE_API_URL" help:"Send every YouTube API call, token request and sign-in to this server instead (a test fake or a proxy)."`
	YouTubeQuota        string `name:"youtube-quota" env:"RELAIS_YOUTUBE_QUOTA" help:"The project's YouTube quota over the defaults: daily=N, bucket.METHOD=N calls a day, METHOD=N units a call (comma-separated)."`
}

// VimeoFlags are the operator's Vimeo app (docs/channels.md): without it,
// Vimeo connects by pasted personal access token only.
type VimeoFlags struct {
	VimeoClientID     string `name:"vimeo-client-id" env:"RELAIS_VIMEO_CLIENT_ID" help:"Client identifier of the operator's Vimeo app (sign in with Vimeo)."`
	VimeoClientSecret string `name:"vimeo-client-secret" env:"RELAIS_VIMEO_CLIENT_SECRET" help:"Client secret of that Vimeo app."`
	VimeoAPIURL       string `name:"vimeo-api-url" env:"RELAIS_VIMEO_API_URL" help:"Send every Vimeo API call and sign-in to this server instead (a test fake or a proxy)."`
}

// TumblrFlags are the operator's Tumblr app (docs/channels.md): without
// them, Tumblr connects by pasted token only and tokens are not renewed.
type TumblrFlags struct {
	TumblrClientID     string `name:"tumblr-client-id" env:"RELAIS_TUMBLR_CLIENT_ID" help:"OAuth consumer key of the operator's Tumblr app (sign in with Tumblr, token renewal)."`
	TumblrClientSecret string `name:"tumblr-client-secret" env:"RELAIS_TUMBLR_CLIENT_SECRET" help:"OAuth consumer secret of the operator's Tumblr app."`
	TumblrAPIURL       string `name:"tumblr-api-url" env:"RELAIS_TUMBLR_API_URL" help:"Send every Tumblr API call and sign-in to this server instead (a test fake or a proxy)."`
}

// SoundCloudFlags are the operator's SoundCloud app (docs/channels.md).
type SoundCloudFlags struct {
	SoundCloudClientID     string `name:"soundcloud-client-id" env:"RELAIS_SOUNDCLOUD_CLIENT_ID" help:"Client id of the operator's SoundCloud app (sign in with SoundCloud, token renewal)."`
	SoundCloudClientSecret string `name:"soundcloud-client-secret" env:"RELAIS_SOUNDCLOUD_CLIENT_SECRET" help:"Client secret of the operator's SoundCloud app."`
	SoundCloudAPIURL       string `name:"soundcloud-api-url" env:"RELAIS_SOUNDCLOUD_API_URL" help:"Send every SoundCloud API call, sign-in and token request to this server instead (a test fake or a proxy)."`
}

// SnapchatFlags are the operator's Snap app, which Snap must have
// allowlisted for the Public Profile API (docs/channels.md).
type SnapchatFlags struct {
	SnapchatClientID     string `name:"snapchat-client-id" env:"RELAIS_SNAPCHAT_CLIENT_ID" help:"OAuth client id of the operator's Snap app (allowlisted for the Public Profile API)."`
	SnapchatClientSecret string `name:"snapchat-client-secret" env:"RELAIS_SNAPCHAT_CLIENT_SECRET" help:"OAuth client secret of the operator's Snap app."`
	SnapchatAPIURL       string `name:"snapchat-api-url" env:"RELAIS_SNAPCHAT_API_URL" help:"Send every Snapchat API call, sign-in and token request to this server instead (a test fake or a proxy)."`
}

// Config turns the flags into the bootstrap configuration.
func (f DataFlags) Config() config.Config {
	c := config.Config{DataDir: f.DataDir, DatabaseURL: f.DatabaseURL, SecretKeyFile: f.SecretKeyFile, BaseURL: f.BaseURL,
		SMTPURL: f.SMTPURL, SMTPFrom: f.SMTPFrom, Meta: f.MetaFlags.app(),
		X:        config.XApp{ClientID: f.XClientID, ClientSecret: f.XClientSecret, APIURL: f.XAPIURL},
		YouTube:  config.YouTubeApp{ClientID: f.YouTubeClientID, ClientSecret: f.YouTubeClientSecret, APIURL: f.YouTubeAPIURL, Quota: f.YouTubeQuota},
		Vimeo:    config.VimeoApp{ClientID: f.VimeoClientID, ClientSecret: f.VimeoClientSecret, APIURL: f.VimeoAPIURL},
		LinkedIn: f.linkedIn(), Google: f.google(),
		TikTok: f.tiktok(), Pinterest: f.pinterest()}
	c.Tumblr = config.OAuthApp{ClientID: f.TumblrClientID, ClientSecret: f.TumblrClientSecret, APIURL: f.TumblrAPIURL}
	c.SoundCloud = config.OAuthApp{ClientID: f.SoundCloudClientID, ClientSecret: f.SoundCloudClientSecret, APIURL: f.SoundCloudAPIURL}
	c.Snapchat = config.OAuthApp{ClientID: f.SnapchatClientID, ClientSecret: f.SnapchatClientSecret, APIURL: f.SnapchatAPIURL}
	return c
}

// open wires the app for a short command (migrations applied: harmless when current).
func (f DataFlags) open(ctx context.Context) (*app.App, error) {
	return app.Open(ctx, f.Config(), slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})), app.Options{Migrate: true})
}
