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
	a.Listen = &listen.Service{Store: a.Store, Connectors: a.Channels, Log: a.Log}
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
