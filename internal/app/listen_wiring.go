package app

import (
	"context"
	"time"

	"github.com/relais/relais/internal/competitor"
	"github.com/relais/relais/internal/jobs"
	"github.com/relais/relais/internal/listen"
)

// wireListen creates the listening service over the channels.
func (a *App) wireListen() {
	a.Listen = &listen.Service{Store: a.Store, Connectors: a.Channels, HTTP: a.Channels.Env.HTTP, Log: a.Log,
		Alerts: &listen.Alerter{Notifiers: a.Notifiers(), Mail: a.Mail, BaseURL: a.Config.PublicURL(), Log: a.Log}}
	a.Competitors = &competitor.Service{Store: a.Store, Connectors: a.Channels, HTTP: a.Channels.Env.HTTP, Log: a.Log}
}

// listenPeriodic reads the Mastodon timelines every minute (the fallback of
// the streams) and the competitors' metrics every day.
func (a *App) listenPeriodic() []jobs.Periodic {
	if a.Listen == nil {
		return nil
	}
	return []jobs.Periodic{{
		Name:  "listen_mastodon",
		Every: time.Minute,
		Run: func(ctx context.Context) error {
			res, err := a.Listen.PollMastodon(ctx)
			if err == nil && res.New > 0 {
				a.Log.Info("listening: new mentions", "channels", res.Channels, "read", res.Read, "new", res.New)
			}
			return err
		},
	}, {
		// Website feeds, with their validators: an unchanged feed costs a 304.
		Name:  "listen_feeds",
		Every: 15 * time.Minute,
		Run: func(ctx context.Context) error {
			res, err := a.Listen.PollFeeds(ctx, 0)
			if err == nil && res.New+len(res.Errors) > 0 {
				a.Log.Info("listening: website feeds", "feeds", res.Feeds, "read", res.Read, "new", res.New, "errors", res.Errors)
			}
			return err
		},
	}, {
		// Network search (X, YouTube, Threads, Instagram hashtags): each
		// search runs at its network's interval (listen.SearchEvery).
		Name:  "listen_search",
		Every: 5 * time.Minute,
		Run: func(ctx context.Context) error {
			res, err := a.Listen.PollSearch(ctx, 0)
			if err == nil && res.New+len(res.Errors) > 0 {
				a.Log.Info("listening: network search", "searches", res.Searches, "read", res.Read, "new", res.New, "errors", res.Errors)
			}
			return err
		},
	}, {
		// Burst alerts of the queries that ask for them.
		Name:  "listen_bursts",
		Every: 15 * time.Minute,
		Run: func(ctx context.Context) error {
			res, err := a.Listen.CheckBursts(ctx)
			if err == nil && res.Alerts > 0 {
				a.Log.Info("listening: burst alerts", "queries", res.Queries, "alerts", res.Alerts)
			}
			return err
		},
	}, {
		// Competitors' public metrics, once a day (a second run the same day replaces the figures).
		Name:  "competitor_metrics",
		Every: 24 * time.Hour,
		Run: func(ctx context.Context) error {
			res, err := a.Competitors.Collect(ctx, 0)
			if err == nil && res.Accounts+len(res.Errors) > 0 {
				a.Log.Info("competitor metrics", "accounts", res.Accounts, "errors", res.Errors)
			}
			return err
		},
	}}
}

// startJetstream reads Bluesky's firehose until the returned stop is
// called; nil when no endpoint is configured.
func (a *App) startJetstream(ctx context.Context) func() {
	if a.Config.ListenJetstream == "" || a.Listen == nil {
		return nil
	}
	jctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := a.Listen.RunJetstream(jctx, a.Config.ListenJetstream); err != nil {
			a.Log.Error("listening: jetstream stopped", "err", err)
		}
	}()
	return func() { cancel(); <-done }
}

// startListenStreams keeps listening's Mastodon streams (one instance at a
// time holds them) until the returned stop is called.
func (a *App) startListenStreams(ctx context.Context) func() {
	if a.Listen == nil {
		return func() {}
	}
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	streams := &listen.Streams{Service: a.Listen}
	go func() { defer close(done); streams.Run(sctx) }()
	return func() { cancel(); <-done }
}
