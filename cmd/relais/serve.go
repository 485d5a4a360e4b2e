package main

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/relais/relais/internal/app"
	"github.com/relais/relais/internal/config"
)

// ServeCmd runs the server.
type ServeCmd struct {
	DataFlags
	Addr              string `name:"addr" env:"RELAIS_ADDR" default:"127.0.0.1:8080" help:"Listen address."`
	AllowPrivateHosts bool   `name:"allow-private-hosts" env:"RELAIS_ALLOW_PRIVATE_HOSTS" help:"Let connectors reach private and loopback addresses (tests, self-hosted servers on a LAN)."`
	LogFormat         string `name:"log-format" env:"RELAIS_LOG_FORMAT" enum:"text,json" default:"text" help:"Log format."`
	LogLevel          string `name:"log-level" env:"RELAIS_LOG_LEVEL" enum:"debug,info,warn,error" default:"info" help:"Log level."`
	NoMigrate         bool   `name:"no-migrate" help:"Do not apply migrations at start."`
	MetricsToken      string `name:"metrics-token" env:"RELAIS_METRICS_TOKEN" help:"Bearer token that /metrics requires (empty: /metrics is open)."`
	TrustedProxies    string `name:"trusted-proxies" env:"RELAIS_TRUSTED_PROXIES" help:"Reverse proxies (IPs or CIDR ranges, comma-separated) whose X-Forwarded-For names the client."`

	PublishLeadTime    time.Duration `name:"publish-lead-time" env:"RELAIS_PUBLISH_LEAD_TIME" help:"How early posts are prepared before they are due (default 30s)."`
	PublishCallTimeout time.Duration `name:"publish-call-timeout" env:"RELAIS_PUBLISH_CALL_TIMEOUT" help:"Longest wait for one network call (default 60s)."`
	PublishGrace       time.Duration `name:"publish-grace" env:"RELAIS_PUBLISH_GRACE" help:"Added to the call timeout before a call left in flight by a dead instance is reconciled (default 30s)."`
	PublishStageLease  time.Duration `name:"publish-stage-lease" env:"RELAIS_PUBLISH_STAGE_LEASE" help:"How long a dead instance's prepared posts wait before another takes them (default 15s)."`
	InboxPollInterval  time.Duration `name:"inbox-poll-interval" env:"RELAIS_INBOX_POLL_INTERVAL" default:"60s" help:"How often the inbox reads comments and mentions on networks other than Mastodon (Mastodon: every 15s)."`
	ListenJetstream    string        `name:"listen-jetstream" env:"RELAIS_LISTEN_JETSTREAM" help:"Jetstream endpoint (wss://…/subscribe) listening reads Bluesky's public firehose from; empty: Bluesky listening off."`
}

// Run starts the server.
func (c *ServeCmd) Run(ctx context.Context) error {
	cfg := c.Config()
	cfg.Addr, cfg.AllowPrivateHosts, cfg.LogFormat, cfg.LogLevel = c.Addr, c.AllowPrivateHosts, c.LogFormat, c.LogLevel
	cfg.MetricsToken, cfg.TrustedProxies = c.MetricsToken, c.TrustedProxies
	cfg.Publish = config.PublishTimings{LeadTime: c.PublishLeadTime, CallTimeout: c.PublishCallTimeout, Grace: c.PublishGrace, StageLease: c.PublishStageLease}
	cfg.InboxPollInterval = c.InboxPollInterval
	cfg.ListenJetstream = c.ListenJetstream
	log := logger(c.LogFormat, c.LogLevel)
	a, err := app.Open(ctx, cfg, log, app.Options{Migrate: !c.NoMigrate})
	if err != nil {
		return err
	}
	defer a.Close()
	return a.Serve(ctx, app.ServeOptions{Ready: func(addr string) {
		// Start-up (migrations, the template check, the CLI and API models)
		// leaves garbage behind: collect it now and give the memory back, so
		// that an idle server holds what it uses and no more.
		go debug.FreeOSMemory()
		need, _ := a.Auth.SetupNeeded(ctx)
		url := cfg.PublicURL()
		if cfg.BaseURL == "" {
			url = "http://" + strings.Replace(addr, "[::]", "127.0.0.1", 1)
		}
		if need {
			fmt.Fprintf(os.Stdout, "relais is running at %s — open %s/setup to create the owner account\n", url, url)
		} else {
			fmt.Fprintf(os.Stdout, "relais is running at %s\n", url)
		}
	}})
}

// MigrateCmd applies migrations.
type MigrateCmd struct {
	DataFlags
}

// Run applies migrations.
func (c *MigrateCmd) Run(ctx context.Context) error {
	st, err := app.OpenStore(ctx, c.Config(), true)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Println("migrations applied")
	return nil
}

// BackupCmd writes a backup.
type BackupCmd struct {
	DataFlags
	Out string `name:"out" short:"o" required:"" help:"File to write (SQLite: a database file; PostgreSQL: a pg_dump custom-format archive)."`
}

// Run writes the backup.
func (c *BackupCmd) Run(ctx context.Context) error {
	if _, err := os.Stat(c.Out); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file", c.Out)
	}
	st, err := app.OpenStore(ctx, c.Config(), false)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, c.Out); err != nil {
		return err
	}
	fmt.Println(c.Out)
	return nil
}
