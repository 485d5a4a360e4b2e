package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"sort"
	"syscall"
	"time"

	"github.com/relais/relais/internal/store"
)

// BenchOptions shape the dashboard benchmark.
type BenchOptions struct {
	// Store is a fresh, migrated store; DB its write pool and Dialect its name.
	Store   store.Store
	DB      *sql.DB
	Dialect string
	// Snapshots is how many metric snapshots to load (four per publication).
	Snapshots int
	// Workspaces and Channels (per workspace) spread the publications.
	Workspaces, Channels int
	// Days is the publishing history the publications are spread over.
	Days int
	// Iterations is how many dashboards are computed.
	Iterations int
	// Now is the end of the history (time.Now when zero).
	Now time.Time
}

// BenchResult is what the benchmark prints.
type BenchResult struct {
	DB           string `json:"db"`
	Snapshots    int    `json:"snapshots"`
	Publications int    `json:"publications"`
	Workspaces   int    `json:"workspaces"`
	Channels     int    `json:"channels"`
	ChannelDays  int    `json:"channel_days"`
	// LoadS is the bulk load's wall time in seconds.
	LoadS float64 `json:"load_s"`
	// PostsPerDashboard is the mean number of publications a dashboard's 28-day period holds.
	PostsPerDashboard float64 `json:"posts_per_dashboard"`
	Iterations        int     `json:"iterations"`
	// Dashboard is the whole dashboard as the web page computes it (one read
	// of the store): the report (28 days and the 28 before), the time series
	// and the best times (16 weeks). Report, time series and best times are
	// also timed alone, as the API serves them.
	// The dashboard is timed as every view of a day after its first (the
	// day's best-time model cached); the first view, which also fits the
	// model, is timed apart.
	DashboardP50MS      float64 `json:"dashboard_p50_ms"`
	DashboardP95MS      float64 `json:"dashboard_p95_ms"`
	DashboardFirstP95MS float64 `json:"dashboard_first_p95_ms"`
	// DashboardCPUP95MS is the process's CPU time (user + system) per
	// cached dashboard, p95: on SQLite, which runs in the process, the whole
	// work, and a measure that a loaded machine does not inflate.
	DashboardCPUP95MS float64 `json:"dashboard_cpu_p95_ms"`
	ReportP95MS       float64 `json:"report_p95_ms"`
	TimeseriesP95MS   float64 `json:"timeseries_p95_ms"`
	// BestTimesP95MS is the model's fit from the narrow read (a day's first call).
	BestTimesP95MS float64 `json:"best_times_p95_ms"`
}

// Bench bulk-loads publications with four snapshots each and daily channel
// counts, then times the dashboard's queries over random workspaces and
// 28-day periods.
func Bench(ctx context.Context, o BenchOptions) (BenchResult, error) {
	if o.Workspaces <= 0 {
		o.Workspaces = 100
	}
	if o.Channels <= 0 {
		o.Channels = 5
	}
	if o.Days <= 0 {
		o.Days = 730
	}
	if o.Iterations <= 0 {
		o.Iterations = 200
	}
	if o.Now.IsZero() {
		o.Now = time.Now().UTC()
	}
	pubs := o.Snapshots / len(Horizons)
	res := BenchResult{DB: o.Dialect, Snapshots: pubs * len(Horizons), Publications: pubs, Workspaces: o.Workspaces,
		Channels: o.Workspaces * o.Channels, Iterations: o.Iterations}
	start := time.Now()
	firstChannel, err := benchAccounts(ctx, o)
	if err != nil {
		return res, err
	}
	if res.ChannelDays, err = benchLoad(ctx, o, pubs, firstChannel); err != nil {
		return res, err
	}
	res.LoadS = time.Since(start).Seconds()

	r := rand.New(rand.NewPCG(7, 11))
	var dashes, firsts, cpus, rep, ts, bt []float64
	var posts int
	for range o.Iterations {
		ws := int64(1 + r.IntN(o.Workspaces))
		end := o.Now.Add(-time.Duration(r.IntN(max(1, o.Days-2*28))) * 24 * time.Hour).Truncate(24 * time.Hour)
		from := end.Add(-28 * 24 * time.Hour)
		// A new service: its day's first dashboard fits the best-time model.
		svc := &Service{Store: o.Store}
		t0 := time.Now()
		if _, err := svc.Dashboard(ctx, ws, from, end, "Europe/Paris", end); err != nil {
			return res, err
		}
		c0, t1 := cpuTime(), time.Now()
		dash, err := svc.Dashboard(ctx, ws, from, end, "Europe/Paris", end)
		if err != nil {
			return res, err
		}
		c1, t2 := cpuTime(), time.Now()
		if _, err := svc.Report(ctx, ws, from, end, Filter{}); err != nil {
			return res, err
		}
		t3 := time.Now()
		if _, err := svc.Timeseries(ctx, ws, from, end, Filter{}); err != nil {
			return res, err
		}
		t4 := time.Now()
		if _, err := (&Service{Store: o.Store}).BestTimes(ctx, ws, "Europe/Paris", end); err != nil {
			return res, err
		}
		t5 := time.Now()
		posts += len(dash.Report.Posts)
		firsts, dashes, cpus = append(firsts, ms(t1.Sub(t0))), append(dashes, ms(t2.Sub(t1))), append(cpus, ms(c1-c0))
		rep, ts, bt = append(rep, ms(t3.Sub(t2))), append(ts, ms(t4.Sub(t3))), append(bt, ms(t5.Sub(t4)))
	}
	res.PostsPerDashboard = float64(posts) / float64(o.Iterations)
	res.DashboardP50MS, res.DashboardP95MS = quantile(dashes, 0.5), quantile(dashes, 0.95)
	res.DashboardFirstP95MS, res.DashboardCPUP95MS = quantile(firsts, 0.95), quantile(cpus, 0.95)
	res.ReportP95MS, res.TimeseriesP95MS, res.BestTimesP95MS = quantile(rep, 0.95), quantile(ts, 0.95), quantile(bt, 0.95)
	return res, nil
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

// benchAccounts makes the workspaces (ids 1…W on a fresh database) and their
// channels through the store; it returns the first channel's id (channels
// are made workspace after workspace, so ids are consecutive).
func benchAccounts(ctx context.Context, o BenchOptions) (int64, error) {
	u := store.User{Email: "bench@relais.invalid", Name: "Bench", PasswordHash: "x"}
	if err := o.Store.CreateUser(ctx, &u); err != nil {
		return 0, err
	}
	var first int64
	for w := 1; w <= o.Workspaces; w++ {
		ws := store.Workspace{Name: fmt.Sprintf("Bench %d", w), Slug: fmt.Sprintf("bench-%d", w), Timezone: "Europe/Paris"}
		if err := o.Store.CreateWorkspace(ctx, &ws, u.ID); err != nil {
			return 0, err
		}
		if ws.ID != int64(w) {
			return 0, fmt.Errorf("analytics: bench needs a fresh database (workspace %d got id %d)", w, ws.ID)
		}
		for c := range o.Channels {
			ch := store.Channel{WorkspaceID: ws.ID, Network: "mastodon", RemoteID: fmt.Sprintf("b%d-%d", w, c), Handle: fmt.Sprintf("@b%d-%d", w, c)}
			if err := o.Store.CreateChannel(ctx, &ch); err != nil {
				return 0, err
			}
			if first == 0 {
				first = ch.ID
			}
			if want := first + int64((w-1)*o.Channels+c); ch.ID != want {
				return 0, fmt.Errorf("analytics: bench channel ids are not consecutive (%d, wanted %d)", ch.ID, want)
			}
		}
	}
	return first, nil
}

// benchLoad inserts posts, variants, publications, four snapshots each and
// a daily count per channel with set-based SQL: publication i belongs to
// workspace 1 + i mod W, channel (i div W) mod C of it, and is published at
// an even pace over the history, at varying hours.
func benchLoad(ctx context.Context, o BenchOptions, pubs int, firstChannel int64) (int, error) {
	W, C := int64(o.Workspaces), int64(o.Channels)
	span := int64(o.Days) * 86_400_000
	t0 := o.Now.UnixMilli() - span
	seq, cast := "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) ", ""
	from := "n"
	if o.Dialect == "postgres" {
		seq, cast, from = "", "::text", "generate_series(CAST(1 AS BIGINT), %d) AS n(i)"
	}
	gen := func(n int) (string, string) {
		if o.Dialect == "postgres" {
			return "", fmt.Sprintf(from, n)
		}
		return fmt.Sprintf(seq, n), from
	}
	at := fmt.Sprintf("(%d + (i * %d / %d) + (i * 7919 %% 3600000))", t0, span, max(pubs, 1))
	ws := fmt.Sprintf("(1 + i %% %d)", W)
	ch := fmt.Sprintf("(%d + (i %% %d) * %d + (i / %d) %% %d)", firstChannel, W, C, W, C)
	stmts := []string{}
	with, src := gen(pubs)
	stmts = append(stmts,
		with+fmt.Sprintf("INSERT INTO posts (id, workspace_id, state, text, created_at, updated_at) SELECT i, %s, 'published', 'Bench post ' || i%s, %s, %s FROM %s", ws, cast, at, at, src),
		with+fmt.Sprintf("INSERT INTO variants (id, post_id, workspace_id, channel_id, created_at, updated_at) SELECT i, i, %s, %s, %s, %s FROM %s", ws, ch, at, at, src),
		with+fmt.Sprintf(`INSERT INTO publications (id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, next_attempt_at, idem_key, remote_id, url, created_at, updated_at, published_at)
SELECT i, %s, i, i, %s, 'mastodon', 'published', %s, %s, 'k' || i%s, 'r' || i%s, 'https://bench.example/' || i%s, %s, %s, %s FROM %s`, ws, ch, at, at, cast, cast, cast, at, at, at, src),
		fmt.Sprintf(`INSERT INTO metric_snapshots (publication_id, horizon_h, workspace_id, post_id, channel_id, network, published_at, taken_at, likes, reposts, replies, quotes)
SELECT p.id, h.h, p.workspace_id, p.post_id, p.channel_id, p.network, p.published_at, p.published_at + h.h * CAST(3600000 AS BIGINT),
       (p.id * 37 + h.h) %% 250, (p.id * 13 + h.h) %% 40, (p.id * 7) %% 25, NULL
  FROM publications p CROSS JOIN (SELECT 1 AS h UNION ALL SELECT 24 UNION ALL SELECT 168 UNION ALL SELECT 672) h ORDER BY p.id, h.h`),
		`INSERT INTO publication_metrics (workspace_id, published_at, publication_id, post_id, channel_id, network, remote_id, excerpt, url,
    horizon_h, taken_at, likes, reposts, replies, quotes)
SELECT p.workspace_id, p.published_at, p.id, p.post_id, p.channel_id, p.network, p.remote_id, 'Bench post ' || CAST(p.id AS TEXT), p.url,
       s.horizon_h, s.taken_at, s.likes, s.reposts, s.replies, s.quotes
  FROM publications p JOIN metric_snapshots s ON s.publication_id = p.id AND s.horizon_h = 672
 ORDER BY p.workspace_id, p.published_at, p.id`,
	)
	days := int(W*C) * o.Days
	with, src = gen(days)
	stmts = append(stmts, with+fmt.Sprintf(`INSERT INTO channel_days (channel_id, day, workspace_id, network, followers, following, posts, taken_at)
SELECT %d + (i - 1) / %d, %d + ((i - 1) %% %d) * 86400000, 1 + ((i - 1) / %d) / %d, 'mastodon', 10000 + (i %% %d) * 3, NULL, NULL, %d FROM %s`,
		firstChannel, o.Days, t0-t0%86_400_000, o.Days, o.Days, C, o.Days, o.Now.UnixMilli(), src))
	stmts = append(stmts, "ANALYZE")
	for _, q := range stmts {
		if _, err := o.DB.ExecContext(ctx, q); err != nil {
			return 0, fmt.Errorf("analytics: bench load: %w\n%s", err, q)
		}
	}
	return days, nil
}
