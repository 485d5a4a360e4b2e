package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/relais/relais/internal/app"
)

// BenchLinksCmd runs the short-link redirector benchmark.
type BenchLinksCmd struct {
	DB          string        `name:"db" enum:"sqlite,postgres" default:"sqlite" help:"Database: sqlite or postgres."`
	DatabaseURL string        `name:"database-url" env:"RELAIS_DATABASE_URL" help:"PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres); the bench works in a temporary database it creates and drops."`
	Duration    time.Duration `name:"duration" default:"10s" help:"How long the clients follow links."`
	Concurrency int           `name:"concurrency" default:"64" help:"Concurrent clients (keep-alive connections)."`
	Links       int           `name:"links" default:"1000" help:"Short links the clients pick from."`
	JSON        bool          `name:"json" help:"Print the result as JSON."`
}

// Run runs the benchmark.
func (c *BenchLinksCmd) Run(ctx context.Context) error {
	if err := checkRanges(
		flagRange{"--concurrency", c.Concurrency, 1, 4096},
		flagRange{"--links", c.Links, 1, 1_000_000},
	); err != nil {
		return err
	}
	if err := checkDuration("--duration", c.Duration, 100*time.Millisecond, time.Hour); err != nil {
		return err
	}
	res, err := app.BenchLinks(ctx, app.LinkBenchOptions{DB: c.DB, DatabaseURL: c.DatabaseURL, Duration: c.Duration, Concurrency: c.Concurrency, Links: c.Links})
	if err != nil {
		return err
	}
	if c.JSON {
		return json.NewEncoder(os.Stdout).Encode(res)
	}
	fmt.Printf("db %s: %d redirects in %.1f s with %d clients: %.0f redirects/s; latency p50 %.2f ms, p99 %.2f ms\n",
		res.DB, res.Redirects, res.Seconds, res.Concurrency, res.RedirectsPerS, res.P50MS, res.P99MS)
	fmt.Printf("clicks stored %d, lost %d, errors %d\n", res.ClicksStored, res.Lost, res.Errors)
	return nil
}

// BenchVotesCmd runs the contest voting benchmark.
type BenchVotesCmd struct {
	DB          string  `name:"db" enum:"sqlite,postgres" default:"sqlite" help:"Database: sqlite or postgres."`
	DatabaseURL string  `name:"database-url" env:"RELAIS_DATABASE_URL" help:"PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres); the bench works in a temporary database it creates and drops."`
	Votes       int     `name:"votes" default:"20000" help:"Distinct voters confirming a vote."`
	Duplicates  float64 `name:"duplicates" default:"0.05" help:"Share of voters confirming a second time (each must be refused)."`
	Concurrency int     `name:"concurrency" default:"64" help:"Concurrent clients (keep-alive connections)."`
	JSON        bool    `name:"json" help:"Print the result as JSON."`
}

// Run runs the benchmark.
func (c *BenchVotesCmd) Run(ctx context.Context) error {
	if err := checkRanges(
		flagRange{"--concurrency", c.Concurrency, 1, 4096},
		flagRange{"--votes", c.Votes, 1, 10_000_000},
	); err != nil {
		return err
	}
	if c.Duplicates < 0 || c.Duplicates > 1 {
		return fmt.Errorf("--duplicates must be between 0 and 1 (a share of the voters); got %g", c.Duplicates)
	}
	res, err := app.BenchVotes(ctx, app.VoteBenchOptions{DB: c.DB, DatabaseURL: c.DatabaseURL, Votes: c.Votes, Duplicates: c.Duplicates, Concurrency: c.Concurrency})
	if err != nil {
		return err
	}
	if c.JSON {
		return json.NewEncoder(os.Stdout).Encode(res)
	}
	fmt.Printf("db %s: %d votes acknowledged in %.1f s with %d clients: %.0f votes/s; latency p50 %.2f ms, p99 %.2f ms\n",
		res.DB, res.Acknowledged, res.Seconds, res.Concurrency, res.VotesPerSecond, res.P50MS, res.P99MS)
	fmt.Printf("stored %d, lost %d, doubled %d, duplicates refused %d of %d, flagged %d, errors %d; %.0f votes per CPU second (load %.1f)\n",
		res.Stored, res.Lost, res.Doubled, res.Refused, res.DuplicatesSent, res.Flagged, res.Errors, res.VotesPerCPUS, res.LoadAverage)
	return nil
}
