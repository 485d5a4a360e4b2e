package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/jobs"
	"github.com/relais/relais/internal/link"
	"github.com/relais/relais/internal/publish"
	"github.com/relais/relais/internal/store/postgres"
)

// ServeOptions tune Serve.
type ServeOptions struct {
	// Ready is called with the bound address once the server accepts connections.
	Ready func(addr string)
}

// Serve runs the HTTP server and the background workers until ctx ends, then
// shuts down gracefully.
func (a *App) Serve(ctx context.Context, o ServeOptions) error {
	if !a.Config.IsPostgres() {
		unlock, err := lockDataDir(a.Config.DataDir)
		if err != nil {
			return err
		}
		defer unlock()
	}
	runner, closeJobs, err := a.startJobs(ctx)
	if err != nil {
		return err
	}
	defer closeJobs()

	if n, err := a.Media.CleanSpool(time.Hour); err != nil {
		a.Log.Warn("media: clean upload spool", "err", err)
	} else if n > 0 {
		a.Log.Info("media: removed stale uploads", "files", n)
	}
	engine, err := publish.New(publish.Config{Store: a.Store, Resolver: a.Channels, Media: compose.MediaLoader{Library: a.Media},
		Notifiers: a.Notifiers(), Logger: a.Log, MaxAttempts: a.maxAttempts,
		LeadTime: a.Config.Publish.LeadTime, CallTimeout: a.Config.Publish.CallTimeout,
		PublishGrace: a.Config.Publish.Grace, StageLease: a.Config.Publish.StageLease, RewriteFunc: a.Links.Rewrite})
	if err != nil {
		return err
	}
	// Posts queued through the web UI and the API wake the engine at once.
	a.Compose.Wake = engine.Wake
	engineCtx, stopEngine := context.WithCancel(context.WithoutCancel(ctx))
	engineDone := make(chan error, 1)
	go func() { engineDone <- engine.Run(engineCtx) }()
	listenDone := make(chan struct{})
	if a.Config.IsPostgres() {
		// Work queued by another instance or a CLI command wakes this
		// engine at once (NOTIFY from the publications table).
		go func() {
			defer close(listenDone)
			postgres.Listen(engineCtx, a.Config.DatabaseURL, postgres.PublishChannel, engine.Wake, a.Log)
		}()
	} else {
		close(listenDone)
	}
	defer func() {
		stopEngine()
		<-listenDone
		if err := <-engineDone; err != nil && !errors.Is(err, context.Canceled) {
			a.Log.Error("publishing engine stopped", "err", err)
		}
		if err := a.Webhooks.Close(); err != nil {
			a.Log.Warn("notification webhooks", "err", err)
		}
	}()

	// Clicks on short links are written in batches; the last batch after the
	// server has answered its last request.
	a.Links.Recorder = link.NewRecorder(a.Store, link.RecorderOptions{Log: a.Log})
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := a.Links.Recorder.Close(cctx); err != nil {
			a.Log.Error("links: clicks not written at shutdown", "err", err)
		}
	}()
	// The inbox reads the channels' conversations (sub-minute, so not a periodic job).
	pollCtx, stopPoll := context.WithCancel(context.WithoutCancel(ctx))
	pollDone := make(chan struct{})
	go func() { defer close(pollDone); a.Inbox.Poll(pollCtx, a.Config.InboxPollInterval) }()
	defer func() { stopPoll(); <-pollDone }()
	// Listening reads Bluesky's firehose when an endpoint is configured, and
	// the Mastodon instances' public and hashtag streams.
	if stop := a.startJetstream(ctx); stop != nil {
		defer stop()
	}
	defer a.startListenStreams(ctx)()

	handler, err := a.Handler()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return fmt.Errorf("app: listen on %s: %w", a.Config.Addr, err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		// Long enough for large media uploads; slow clients are bounded by the header timeout.
		ReadTimeout:    15 * time.Minute,
		WriteTimeout:   15 * time.Minute,
		IdleTimeout:    120 * time.Second,
		MaxHeaderBytes: 64 << 10,
		BaseContext:    func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	a.Log.Info("relais is listening", "addr", ln.Addr().String(), "url", a.Config.PublicURL(), "database", a.Store.Dialect(), "version", Version)
	if o.Ready != nil {
		o.Ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = srv.Shutdown(sctx)
	if runner != nil {
		err = errors.Join(err, runner.Stop(sctx))
	}
	return err
}

// Periodic lists the maintenance jobs every instance registers; River runs each once.
func (a *App) Periodic() []jobs.Periodic {
	return append(append(append(append(a.inboxPeriodic(), a.slaPeriodic()...), a.influencerPeriodic()...), a.listenPeriodic()...), []jobs.Periodic{{
		// Health and server limits of every channel (Mastodon instances change theirs).
		Name:  "check_channels",
		Every: 24 * time.Hour,
		Run: func(ctx context.Context) error {
			checked, broken, err := a.Channels.CheckAll(ctx)
			if err == nil {
				a.Log.Info("checked channels", "checked", checked, "needs_reconnect", broken)
			}
			return err
		},
	}, {
		// Container ids kept for retries; Meta expires containers after 24 hours.
		Name:  "delete_publish_checkpoints",
		Every: periodicEvery,
		Run: func(ctx context.Context) error {
			n, err := a.Store.DeleteCheckpointsBefore(ctx, time.Now().Add(-48*time.Hour))
			if err == nil && n > 0 {
				a.Log.Info("deleted old publish checkpoints", "deleted", n)
			}
			return err
		},
	}, {
		// Metric snapshots of publications (1 h, 24 h, 7 d, 28 d) and daily channel counts.
		Name:  "collect_metrics",
		Every: periodicEvery,
		Run: func(ctx context.Context) error {
			res, err := a.Collector.Collect(ctx, 0, false)
			if err == nil && res.Snapshots+res.Channels+len(res.Errors) > 0 {
				a.Log.Info("collected metrics", "snapshots", res.Snapshots, "channels", res.Channels, "held", len(res.Held), "errors", res.Errors)
			}
			return err
		},
	}, {
		// Contest entrants' and voters' data past the contest's retention period.
		Name:  "purge_contest_data",
		Every: periodicEvery,
		Run: func(ctx context.Context) error {
			e, v, err := a.Contests.Purge(ctx)
			if err == nil && e+v > 0 {
				a.Log.Info("purged contest data past retention", "entries", e, "votes", v)
			}
			return err
		},
	}, {
		Name:  "expire_sessions_invitations",
		Every: periodicEvery,
		Run: func(ctx context.Context) error {
			s, i, err := a.Auth.ExpireOld(ctx)
			if err == nil && s+i > 0 {
				a.Log.Info("expired old sessions and invitations", "sessions", s, "invitations", i)
			}
			return err
		},
	}}...)
}

// inboxPeriodic is the crisis watch, every 10 minutes over the workspaces
// the inbox names, once the inbox has set the watcher's Source.
func (a *App) inboxPeriodic() []jobs.Periodic {
	if a.Crisis == nil || a.Crisis.Source == nil {
		return nil
	}
	return []jobs.Periodic{{
		Name:  "crisis_watch",
		Every: periodicEvery,
		Run: func(ctx context.Context) error {
			ids, err := a.Crisis.Source.WatchedWorkspaces(ctx)
			if err != nil {
				return err
			}
			return a.Crisis.CheckAll(ctx, ids, time.Now())
		},
	}}
}

func (a *App) startJobs(ctx context.Context) (jobs.Runner, func(), error) {
	var runner jobs.Runner
	var closer func()
	if a.Config.IsPostgres() {
		pool, err := pgxpool.New(ctx, a.Config.DatabaseURL)
		if err != nil {
			return nil, nil, fmt.Errorf("app: jobs pool: %w", err)
		}
		if runner, err = jobs.NewPostgres(ctx, pool, a.Periodic(), a.Log); err != nil {
			pool.Close()
			return nil, nil, err
		}
		closer = pool.Close
	} else {
		// One process owns a SQLite data directory (lockDataDir): the jobs
		// run on its own timers, without a leader election to poll for.
		var err error
		if runner, err = jobs.NewLocal(a.Periodic(), a.Log); err != nil {
			return nil, nil, err
		}
		closer = func() {}
	}
	if err := runner.Start(ctx); err != nil {
		closer()
		return nil, nil, fmt.Errorf("app: start jobs: %w", err)
	}
	return runner, closer, nil
}

// Notifiers are who hears about publishing failures: in-app notifications
// and the workspaces' notification webhooks.
func (a *App) Notifiers() []publish.Notifier {
	return []publish.Notifier{publish.InApp{Store: a.Store}, a.Webhooks}
}

// maxAttempts is the workspace's retry maximum for the publishing engine.
func (a *App) maxAttempts(ctx context.Context, workspaceID int64) int {
	w, err := a.Store.WorkspaceByID(ctx, workspaceID)
	if err != nil || w.MaxPublishAttempts < 1 {
		return publish.DefaultMaxAttempts
	}
	return w.MaxPublishAttempts
}
