package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
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
	Rounds      int           `name:"rounds" default:"3" help:"Repeat the run (engine's burst, then the ceiling's) this many times and report the round with the median ratio; every round's figures are listed."`
	CPUProfile  string        `name:"cpu-profile" type:"path" help:"Write a CPU profile (pprof) of the first round's burst, from the due moment until every post reached the network, to this file."`
	JSON        bool          `name:"json" help:"Print the result as JSON."`
}

// Run runs the benchmark.
func (c *BenchPublishCmd) Run(ctx context.Context) error {
	if err := checkRanges(
		flagRange{"--rounds", c.Rounds, 1, 20},
		flagRange{"--posts", c.Posts, 1, 1_000_000},
		flagRange{"--channels", c.Channels, 1, 10_000},
		flagRange{"--concurrency", c.Concurrency, 1, 4096},
		flagRange{"--batch-size", c.BatchSize, 1, 10_000},
	); err != nil {
		return err
	}
	if err := checkDuration("--lead-time", c.LeadTime, time.Second, time.Hour); err != nil {
		return err
	}
	o := publish.BenchOptions{DB: c.DB, DatabaseURL: c.DatabaseURL, Posts: c.Posts, Channels: c.Channels,
		Concurrency: c.Concurrency, BatchSize: c.BatchSize, LeadTime: c.LeadTime, Rounds: c.Rounds}
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
	if len(res.Rounds) > 1 {
		for i, r := range res.Rounds {
			fmt.Printf("round %d: %.0f posts/s, p99 %.0f ms; ceiling %.0f posts/s, p99 %.0f ms; ratio %.2f\n",
				i+1, r.ThroughputPerS, r.P99MS, r.CeilingPerS, r.CeilingP99MS, r.Ratio)
		}
		fmt.Printf("the median round (by ratio), with duplicates and losses of all %d rounds:\n", len(res.Rounds))
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
	if err := checkRanges(
		flagRange{"--messages", c.Messages, 1, 10_000_000},
		flagRange{"--batch", c.Batch, 1, 100_000},
		flagRange{"--queries", c.Queries, 1, 100_000},
	); err != nil {
		return err
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

// flagRange is an integer flag and the range it must lie in.
type flagRange struct {
	name      string
	v, lo, hi int
}

// checkRanges refuses the first flag out of its range, naming it and its limits.
func checkRanges(fs ...flagRange) error {
	for _, f := range fs {
		if f.v < f.lo || f.v > f.hi {
			return fmt.Errorf("%s must be between %s and %s; got %d", f.name, thousands(f.lo), thousands(f.hi), f.v)
		}
	}
	return nil
}

// checkDuration refuses a duration flag out of [lo, hi].
func checkDuration(name string, v, lo, hi time.Duration) error {
	if v < lo || v > hi {
		return fmt.Errorf("%s must be between %s and %s; got %s", name, shortDuration(lo), shortDuration(hi), v)
	}
	return nil
}

// shortDuration prints 1s, 1m or 1h rather than 1m0s or 1h0m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
