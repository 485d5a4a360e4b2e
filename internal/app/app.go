// Package app wires relais together: configuration → store → keyring →
// services → jobs → HTTP, and runs the server with a graceful shutdown.
package app

import (
	"context"
	"errors"
	"fmt"
	"github.com/relais/relais/internal/network/youtube"
	"github.com/relais/relais/internal/operator"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/relais/relais/internal/alert"
	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/campaign"
	"github.com/relais/relais/internal/channel"
	"github.com/relais/relais/internal/competitor"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/config"
	"github.com/relais/relais/internal/contest"
	"github.com/relais/relais/internal/crisis"
	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/influencer"
	"github.com/relais/relais/internal/link"
	"github.com/relais/relais/internal/listen"
	"github.com/relais/relais/internal/mail"
	"github.com/relais/relais/internal/media"
	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/meta"
	"github.com/relais/relais/internal/secret"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/postgres"
	"github.com/relais/relais/internal/store/sqlite"
	"github.com/relais/relais/internal/web"
)

// Version is set at build time with -ldflags "-X github.com/relais/relais/internal/app.Version=…".
var Version = "dev"

// App holds the wired services.
type App struct {
	Config   config.Config
	Log      *slog.Logger
	Store    store.Store
	Keyring  *secret.Keyring
	Auth     *auth.Service
	Channels *channel.Service
	Media    *media.Library
	Compose  *compose.Service
	// Mail sends invitation e-mail; nil when no SMTP server is configured.
	Mail *mail.Sender
	// Webhooks delivers failure notifications to the workspaces' notification webhooks.
	Webhooks *alert.Webhooks
	// Operator holds the network apps' settings entered by an instance
	// administrator; Operator.Effective() is the configuration in force.
	Operator *operator.Service
	// MetaChanges receives the changes of verified Meta webhook deliveries
	// (/webhooks/meta); nil reads the inbox of the channels connected to the
	// change's account at once (polling stays the fallback).
	MetaChanges func(ctx context.Context, c meta.Change)
	syncOnce    sync.Once
	syncer      *accountSyncer
	// Moderation manages inbox rules, saved replies and inbox settings. Its
	// Source (past messages for dry runs) is the inbox's to set.
	Moderation *moderation.Service
	// Crisis watches negative messages for spikes; it runs (crisis_watch)
	// once the inbox sets its Source.
	Crisis *crisis.Watcher
	// Links creates and resolves short links; Serve gives it its click recorder.
	Links *link.Service
	// Campaigns manages campaigns and measures them against their goals.
	Campaigns *campaign.Service
	// Analytics computes reports; Collector takes the metric snapshots.
	Analytics *analytics.Service
	Collector *analytics.Collector
	// Inbox reads and answers the channels' conversations.
	Inbox *inbox.Service
	// Contests runs contests, their public pages' votes and draws.
	Contests *contest.Service
	// Influencers is the influencer directory, vetting and campaign pipeline.
	Influencers *influencer.Service
	// Listen runs social listening (queries, sources, mentions).
	Listen *listen.Service
	// Competitors keeps competitor panels and their daily metrics.
	Competitors *competitor.Service
}

// Options tune Open.
type Options struct {
	// Migrate applies migrations at open (serve and migrate do; short commands too, harmlessly).
	Migrate bool
}

// OpenStore opens the configured database.
func OpenStore(ctx context.Context, cfg config.Config, migrate bool) (store.Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.IsPostgres() {
		return postgres.Open(ctx, cfg.DatabaseURL, migrate)
	}
	if err := PrivateDataDir(cfg.DataDir, cfg.SQLitePath()); err != nil {
		return nil, err
	}
	return sqlite.Open(ctx, cfg.SQLitePath(), migrate)
}

// PrivateDataDir makes the data directory 0700 and the SQLite database with
// its WAL and shared-memory files 0600, also when they existed before with
// wider modes. The database file is created 0600 before SQLite opens it, and
// SQLite gives its WAL and -shm files the database file's mode.
func PrivateDataDir(dir, dbPath string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("app: create data directory %s: %w", dir, err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("app: make data directory %s private: %w", dir, err)
	}
	f, err := os.OpenFile(dbPath, os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("app: create database file: %w", err)
	}
	f.Close()
	for _, p := range []string{dbPath, dbPath + "-wal", dbPath + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("app: make %s private: %w", p, err)
		}
	}
	return nil
}

// Open wires the application over the configured database.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger, o Options) (*App, error) {
	if log == nil {
		log = slog.Default()
	}
	// Paths and URLs in every log line lose their secrets (invitation
	// tokens, feed keys, query values), whatever the level.
	log = slog.New(auth.RedactLogs(log.Handler()))
	st, err := OpenStore(ctx, cfg, o.Migrate)
	if err != nil {
		return nil, err
	}
	kr, err := secret.LoadOrCreate(cfg.KeyFile())
	if err != nil {
		st.Close()
		return nil, err
	}
	if cfg.SecretKeyFile == "" {
		// The default key file lives in the data directory: keep it private
		// even if it was copied in with a wider mode. A file the operator
		// placed elsewhere keeps the mode they chose.
		if err := os.Chmod(cfg.KeyFile(), 0o600); err != nil {
			st.Close()
			return nil, fmt.Errorf("app: make the secret key file private: %w", err)
		}
	}
	allow := cfg.AllowPrivateHosts || network.AllowPrivateHosts()
	// Checked here, applied once with the other apps by Operator.Load below.
	if _, err := youtube.ParseQuota(cfg.YouTube.Quota); err != nil {
		st.Close()
		return nil, fmt.Errorf("app: --youtube-quota: %w", err)
	}
	if cfg.AllowPrivateHosts {
		// One switch for every check (connect forms, hook URLs, deliveries):
		// the flag sets what the environment variable would.
		os.Setenv("RELAIS_ALLOW_PRIVATE_HOSTS", "true")
	}
	a := &App{Config: cfg, Log: log, Store: st, Keyring: kr, Auth: auth.NewService(st)}
	// The network apps an administrator entered on the settings page fill in
	// what the environment left empty.
	a.Operator = &operator.Service{Store: st, Keyring: kr, Env: cfg, Apply: configureApps}
	if err := a.Operator.Load(ctx); err != nil {
		st.Close()
		return nil, err
	}
	a.Channels = &channel.Service{Store: st, Keyring: kr, Env: network.Env{
		HTTP:    network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow}),
		BaseURL: cfg.PublicURL(),
	}}
	mediaDir := filepath.Join(cfg.DataDir, "media")
	if err := os.MkdirAll(mediaDir, 0o700); err != nil {
		st.Close()
		return nil, fmt.Errorf("app: create media directory: %w", err)
	}
	if err := os.Chmod(cfg.DataDir, 0o700); err != nil {
		st.Close()
		return nil, fmt.Errorf("app: make data directory private: %w", err)
	}
	root, err := os.OpenRoot(mediaDir)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("app: open media directory: %w", err)
	}
	a.Media = &media.Library{Store: st, Root: root, SignKey: kr.Derive("media-urls"), BaseURL: cfg.PublicURL(),
		Client: network.NewHTTPClient(network.HTTPOptions{Timeout: 5 * time.Minute, AllowPrivate: &allow})}
	a.Compose = compose.NewService(st, a.Channels, cfg.PublicURL())
	a.Webhooks = &alert.Webhooks{Store: st, Keyring: kr, Client: a.Channels.Env.HTTP, Log: log, BaseURL: cfg.PublicURL(), AllowPrivate: &allow}
	a.Links = &link.Service{Store: st, BaseURL: cfg.PublicURL()}
	a.Campaigns = &campaign.Service{Store: st}
	a.Influencers = &influencer.Service{Store: st, Connectors: a.Channels, Links: a.Links}
	// Reports are worded from the UI's catalogs and carry the brand's logo from the media library.
	a.Analytics = &analytics.Service{Store: st, Texts: web.ReportText, Media: a.Media}
	a.Collector = &analytics.Collector{Store: st, Connectors: a.Channels, Log: log, Clicks: publicationClicks{st}}
	// Campaign goals other than clicks are measured by analytics over the campaign's posts.
	a.Campaigns.MetricFunc = campaignMetric(a.Analytics)
	// Deleting a post on its networks tells the notification webhooks (post.deleted).
	a.Compose.Notifier = a.Webhooks
	// New inbox messages go to the notification webhooks (message.received);
	// wireInbox adds the moderation rules.
	a.Inbox = &inbox.Service{Store: st, Connectors: a.Channels, Log: log,
		Hooks: []inbox.Hook{inbox.WebhookHook{Notifier: a.Webhooks}}}
	if a.Mail, err = mail.New(cfg.SMTPURL, cfg.SMTPFrom); err != nil {
		a.Close()
		return nil, err
	}
	a.Moderation = &moderation.Service{Store: st}
	a.Crisis = &crisis.Watcher{Store: st, Notifiers: a.Notifiers(), Mail: a.Mail, BaseURL: cfg.PublicURL(), Log: log}
	a.wireInbox()
	a.Contests = contest.New(st, kr.Derive("contests"), a.Mail, cfg.PublicURL(), log)
	a.Contests.Secrets = kr
	a.Contests.Connectors = a.Channels
	a.wireListen()
	return a, nil
}

// Close releases the store and the media directory.
func (a *App) Close() error {
	if a.Contests != nil {
		a.Contests.Close()
	}
	if a.Media != nil && a.Media.Root != nil {
		a.Media.Root.Close()
	}
	return a.Store.Close()
}

// ErrLocked is returned when another relais serve holds the SQLite data directory.
var ErrLocked = errors.New("app: another relais serve is already running on this data directory")

// lockDataDir takes an exclusive lock on DataDir/relais.lock for the process's
// lifetime: SQLite mode allows one server per data directory.
func lockDataDir(dir string) (func(), error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "relais.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("app: open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			pid, _ := os.ReadFile(path)
			return nil, fmt.Errorf("%w (lock %s held by pid %s); stop it first, or use PostgreSQL (--database-url) to run several instances", ErrLocked, path, string(pid))
		}
		return nil, fmt.Errorf("app: lock %s: %w", path, err)
	}
	_ = f.Truncate(0)
	_, _ = fmt.Fprintf(f, "%d", os.Getpid())
	return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}

// periodicEvery is how often maintenance runs.
const periodicEvery = 10 * time.Minute
