package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/inboxrules"
	"github.com/relais/relais/internal/publish"
)

// BenchCmd groups the benchmarks.
type BenchCmd struct {
	Publish     BenchPublishCmd     `cmd:"" help:"Publish N posts due at one moment to a fake network in its own process; report throughput, lateness, duplicates and losses."`
	Analytics   BenchAnalyticsCmd   `cmd:"" help:"Load N metric snapshots and time the analytics dashboard's queries (p95)."`
	Inbox       BenchInboxCmd       `cmd:"" help:"Ingest N generated messages into one workspace's inbox (language, sentiment, themes), then time the first page of filtered lists and keyword searches."`
	Idle        BenchIdleCmd        `cmd:"" help:"Start relais serve with no workspaces (on a fresh, then an existing data directory); report start to healthy, idle CPU and resident memory."`
	Listen      BenchListenCmd      `cmd:"" help:"Match a generated Jetstream recording against 1,000 listening queries on one core and score the matches; then replay it over a WebSocket at a set rate; report events/s and the p99 delay."`
	Links       BenchLinksCmd       `cmd:"" help:"Follow short links from concurrent clients through the full HTTP stack with batched click logging; report redirects/s, latency and clicks stored."`
	Votes       BenchVotesCmd       `cmd:"" help:"Confirm contest votes from concurrent clients through the full HTTP stack with scoring and group-committed storage; report votes/s, latency, lost and doubled."`
	FakeNetwork BenchFakeNetworkCmd `cmd:"" name:"fake-network" hidden:"" help:"Run the bench's fake network (started by bench publish)."`
}

// BenchPublishCmd runs the publishing benchmark.
type BenchPublishCmd struct {
	DB          string        `name:"db" enum:"sqlite,postgres" default:"sqlite" help:"Database: sqlite or postgres."`
	DatabaseURL string        `name:"database-url" env:"RELAIS_DATABASE_URL" help:"PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres); the bench works in a temporary database it creates and drops."`
	Posts       int           `name:"posts" default:"10000" help:"Posts due at the same moment."`
	Channels    int           `name:"channels" default:"20" help:"Channels the posts are spread over."`
	Concurrency int           `name:"concurrency" default:"256" help:"Concurrent publish calls."`
	BatchSize   int           `name:"batch-size" default:"500" help:"Rows per database transaction."`
	LeadTime    time.Duration `name:"lead-time" default:"30s" help:"How early posts are staged before they are due."`
	CPUProfile  string        `name:"cpu-profile" type:"path" help:"Write a CPU profile (pprof) of the burst, from the due moment until every post reached the network, to this file."`
	JSON        bool          `name:"json" help:"Print the result as JSON."`
}

// Run runs the benchmark.
func (c *BenchPublishCmd) Run(ctx context.Context) error {
	for _, f := range []struct {
		name  string
		v, hi int
		limit string
	}{
		{"--posts", c.Posts, 1_000_000, "1,000,000"},
		{"--channels", c.Channels, 10_000, "10,000"},
		{"--concurrency", c.Concurrency, 4096, "4,096"},
		{"--batch-size", c.BatchSize, 10_000, "10,000"},
	} {
		if f.v < 1 || f.v > f.hi {
			return fmt.Errorf("%s must be between 1 and %s; got %d", f.name, f.limit, f.v)
		}
	}
	if c.LeadTime < time.Second || c.LeadTime > time.Hour {
		return fmt.Errorf("--lead-time must be between 1s and 1h; got %s", c.LeadTime)
	}
	o := publish.BenchOptions{DB: c.DB, DatabaseURL: c.DatabaseURL, Posts: c.Posts, Channels: c.Channels,
		Concurrency: c.Concurrency, BatchSize: c.BatchSize, LeadTime: c.LeadTime}
	closeProfile, err := openProfile(c.CPUProfile, &o.Profile)
	if err != nil {
		return err
	}
	defer closeProfile()
	res, err := publish.Bench(ctx, o)
	if err != nil {
		return err
	}
	if c.JSON {
		return json.NewEncoder(os.Stdout).Encode(res)
	}
	fmt.Printf("db %s: %d posts, %d published, %d duplicates, %d lost\n", res.DB, res.Posts, res.Published, res.Duplicates, res.Lost)
	fmt.Printf("throughput %.0f posts/s; lateness p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms\n",
		res.ThroughputPerS, res.LatenessMS.P50, res.LatenessMS.P95, res.LatenessMS.P99, res.LatenessMS.Max)
	fmt.Printf("ceiling (plain HTTP client, same network, same concurrency) %.0f posts/s, p99 %.0f ms; ratio %.2f\n",
		res.CeilingPerS, res.CeilingP99MS, res.Ratio)
	fmt.Printf("CPU of relais over the burst %d ms (%.2f s per 10,000 posts), from the schedule call to the end %d ms\n",
		res.BurstCPUMS, res.CPUPer10kS, res.EngineCPUMS)
	return nil
}

// BenchInboxCmd runs the inbox benchmark.
type BenchInboxCmd struct {
	DB          string `name:"db" enum:"sqlite,postgres" default:"sqlite" help:"Database: sqlite or postgres."`
	DatabaseURL string `name:"database-url" env:"RELAIS_DATABASE_URL" help:"PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres); the bench works in a temporary database it creates and drops."`
	Messages    int    `name:"messages" default:"100000" help:"Messages in the workspace."`
	Batch       int    `name:"batch" default:"1000" help:"Messages per ingest call (one transaction)."`
	Queries     int    `name:"queries" default:"200" help:"Timed list queries, and as many searches."`
	NoRules     bool   `name:"no-rules" help:"Ingest without the 20 moderation rules (to measure what they cost)."`
	CPUProfile  string `name:"cpu-profile" type:"path" help:"Write a CPU profile (pprof) of the ingest to this file."`
	JSON        bool   `name:"json" help:"Print the result as JSON."`
}

// Run runs the benchmark.
func (c *BenchInboxCmd) Run(ctx context.Context) error {
	if c.Messages <= 0 || c.Messages > 10_000_000 {
		return fmt.Errorf("--messages must be between 1 and 10,000,000; got %d", c.Messages)
	}
	o := inbox.BenchOptions{DB: c.DB, DatabaseURL: c.DatabaseURL, Messages: c.Messages, Batch: c.Batch, Queries: c.Queries}
	if !c.NoRules {
		o.Setup = inboxrules.BenchSetup
	}
	closeProfile, err := openProfile(c.CPUProfile, &o.Profile)
	if err != nil {
		return err
	}
	defer closeProfile()
	res, err := inbox.Bench(ctx, o)
	if err != nil {
		return err
	}
	if c.JSON {
		return json.NewEncoder(os.Stdout).Encode(res)
	}
	fmt.Printf("db %s: %d messages, ingest with %d rules %.0f messages/s (CPU %.2f s per 10,000 messages)\n", res.DB, res.Messages, res.Rules, res.IngestPerS, res.CPUPer10kS)
	fmt.Printf("list first page p50 %.1f ms, p95 %.1f ms (slowest %s)\n", res.ListP50MS, res.ListP95MS, res.SlowestList)
	fmt.Printf("search first page p50 %.1f ms, p95 %.1f ms (slowest %s)\n", res.SearchP50MS, res.SearchP95MS, res.SlowestSearch)
	return nil
}

// openProfile creates the --cpu-profile file and points dst at it; nothing
// when path is empty. The returned function closes it.
func openProfile(path string, dst *io.Writer) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpu-profile: %w", err)
	}
	*dst = f
	return func() { f.Close() }, nil
}

// BenchFakeNetworkCmd serves the fake network.
type BenchFakeNetworkCmd struct {
	Addr      string `name:"addr" default:"127.0.0.1:0" help:"Listen address (loopback)."`
	ReadyFile string `name:"ready-file" required:"" help:"File to write the bound address to once listening."`
}

// Run serves until interrupted.
func (c *BenchFakeNetworkCmd) Run(ctx context.Context) error {
	return publish.RunFakeNetwork(ctx, c.Addr, c.ReadyFile)
}
