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

// Config turns the flags into the bootstrap configuration.
func (f DataFlags) Config() config.Config {
	return config.Config{DataDir: f.DataDir, DatabaseURL: f.DatabaseURL, SecretKeyFile: f.SecretKeyFile, BaseURL: f.BaseURL,
		SMTPURL: f.SMTPURL, SMTPFrom: f.SMTPFrom, Meta: f.MetaFlags.app(),
		X:      config.XApp{ClientID: f.XClientID, ClientSecret: f.XClientSecret, APIURL: f.XAPIURL},
		TikTok: f.tiktok(), Pinterest: f.pinterest()}
}

// open wires the app for a short command (migrations applied: harmless when current).
func (f DataFlags) open(ctx context.Context) (*app.App, error) {
	return app.Open(ctx, f.Config(), slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})), app.Options{Migrate: true})
}
