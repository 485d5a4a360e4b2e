package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"

	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/publish"
	"github.com/relais/relais/internal/store/postgres"
	"github.com/relais/relais/internal/store/sqlite"
)

// BenchAnalyticsCmd runs the dashboard benchmark.
type BenchAnalyticsCmd struct {
	DB          string `name:"db" enum:"sqlite,postgres" default:"sqlite" help:"Database: sqlite or postgres."`
	DatabaseURL string `name:"database-url" env:"RELAIS_DATABASE_URL" default:"postgres://postgres@127.0.0.1:5432/postgres" help:"PostgreSQL server; the bench works in a temporary database it creates and drops."`
	Snapshots   int    `name:"snapshots" default:"10000000" help:"Metric snapshots to load (four per publication)."`
	Workspaces  int    `name:"workspaces" default:"100" help:"Workspaces the publications are spread over."`
	Channels    int    `name:"channels" default:"5" help:"Channels per workspace."`
	Days        int    `name:"days" default:"730" help:"Days of publishing history."`
	Iterations  int    `name:"iterations" default:"200" help:"Dashboards computed (random workspace and 28-day period each)."`
	JSON        bool   `name:"json" help:"Print the result as JSON."`
}

// Run loads the data and times the dashboards.
func (c *BenchAnalyticsCmd) Run(ctx context.Context) error {
	if err := checkRanges(
		flagRange{"--snapshots", c.Snapshots, 4, 100_000_000},
		flagRange{"--workspaces", c.Workspaces, 1, 100_000},
		flagRange{"--channels", c.Channels, 1, 1_000},
		flagRange{"--days", c.Days, 1, 3_650},
		flagRange{"--iterations", c.Iterations, 1, 100_000},
	); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "relais-bench-analytics-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	st, drop, err := publish.OpenBenchStore(ctx, c.DB, c.DatabaseURL, dir)
	if err != nil {
		return err
	}
	defer drop()
	var db *sql.DB
	switch s := st.(type) {
	case *sqlite.Store:
		db = s.W
	case *postgres.Store:
		db = s.W
	}
	res, err := analytics.Bench(ctx, analytics.BenchOptions{Store: st, DB: db, Dialect: c.DB, Snapshots: c.Snapshots,
		Workspaces: c.Workspaces, Channels: c.Channels, Days: c.Days, Iterations: c.Iterations})
	if err != nil {
		return err
	}
	if c.JSON {
		return json.NewEncoder(os.Stdout).Encode(res)
	}
	fmt.Printf("db %s: %d snapshots of %d publications in %d workspaces, loaded in %.0f s\n", res.DB, res.Snapshots, res.Publications, res.Workspaces, res.LoadS)
	fmt.Printf("dashboard (%.0f posts per 28 days): p50 %.1f ms, p95 %.1f ms, CPU p95 %.1f ms; the day's first p95 %.1f ms (report %.1f, time series %.1f, best-time fit %.1f)\n",
		res.PostsPerDashboard, res.DashboardP50MS, res.DashboardP95MS, res.DashboardCPUP95MS, res.DashboardFirstP95MS, res.ReportP95MS, res.TimeseriesP95MS, res.BestTimesP95MS)
	return nil
}
