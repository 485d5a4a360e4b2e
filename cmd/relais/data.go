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
	XFlags
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
		SMTPURL: f.SMTPURL, SMTPFrom: f.SMTPFrom,
		X: config.XApp{ClientID: f.XClientID, ClientSecret: f.XClientSecret, APIURL: f.XAPIURL}}
}

// open wires the app for a short command (migrations applied: harmless when current).
func (f DataFlags) open(ctx context.Context) (*app.App, error) {
	return app.Open(ctx, f.Config(), slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})), app.Options{Migrate: true})
}
