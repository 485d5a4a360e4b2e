// Package jobs runs relais's periodic background jobs behind a small
// interface. On PostgreSQL they run on River (riverqueue, riverpgxv5), which
// elects a leader among the instances sharing a database, so each job runs
// once however many `relais serve` processes there are. On SQLite, where one
// process owns the data directory, they run on in-process timers (NewLocal).
//
// Publishing does not go through River: the publications table is its own
// durable queue (see internal/publish and docs/decisions.md).
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// Periodic is a job run every interval, once across all instances.
type Periodic struct {
	// Name identifies the job (unique).
	Name string
	// Every is the interval.
	Every time.Duration
	// Run does the work; an error is logged and retried by River.
	Run func(ctx context.Context) error
}

// Runner starts and stops the background jobs.
type Runner interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	// Ran reports how many times the named periodic job completed in this process.
	Ran(name string) int
}

type periodicArgs struct {
	Name string `json:"name"`
}

func (periodicArgs) Kind() string { return "relais_periodic" }

type periodicWorker struct {
	river.WorkerDefaults[periodicArgs]
	byName map[string]Periodic
	mu     *sync.Mutex
	ran    map[string]int
}

func (w *periodicWorker) Work(ctx context.Context, job *river.Job[periodicArgs]) error {
	p, ok := w.byName[job.Args.Name]
	if !ok {
		return river.JobCancel(fmt.Errorf("jobs: unknown periodic job %q", job.Args.Name))
	}
	if err := p.Run(ctx); err != nil {
		return err
	}
	w.mu.Lock()
	w.ran[p.Name]++
	w.mu.Unlock()
	return nil
}

// Timeout bounds one periodic run.
func (w *periodicWorker) Timeout(*river.Job[periodicArgs]) time.Duration { return 5 * time.Minute }

type runner[TTx any] struct {
	client *river.Client[TTx]
	worker *periodicWorker
}

func (r *runner[TTx]) Start(ctx context.Context) error { return r.client.Start(ctx) }
func (r *runner[TTx]) Stop(ctx context.Context) error  { return r.client.Stop(ctx) }
func (r *runner[TTx]) Ran(name string) int {
	r.worker.mu.Lock()
	defer r.worker.mu.Unlock()
	return r.worker.ran[name]
}

func newRunner[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], periodic []Periodic, log *slog.Logger, poll time.Duration, pollOnly bool) (Runner, error) {
	if err := checkPeriodic(periodic); err != nil {
		return nil, err
	}
	migrator, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: quiet(log)})
	if err != nil {
		return nil, fmt.Errorf("jobs: migrator: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return nil, fmt.Errorf("jobs: migrate river tables: %w", err)
	}
	w := &periodicWorker{byName: map[string]Periodic{}, mu: &sync.Mutex{}, ran: map[string]int{}}
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	var pjs []*river.PeriodicJob
	for _, p := range periodic {
		w.byName[p.Name] = p
		args := periodicArgs{Name: p.Name}
		pjs = append(pjs, river.NewPeriodicJob(river.PeriodicInterval(p.Every),
			func() (river.JobArgs, *river.InsertOpts) {
				return args, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: p.Every}}
			},
			&river.PeriodicJobOpts{RunOnStart: true, ID: p.Name}))
	}
	client, err := river.NewClient(driver, &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}},
		Workers:           workers,
		PeriodicJobs:      pjs,
		Logger:            quiet(log),
		FetchPollInterval: poll,
		PollOnly:          pollOnly,
		JobTimeout:        5 * time.Minute,
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: river client: %w", err)
	}
	return &runner[TTx]{client: client, worker: w}, nil
}

// NewPostgres runs jobs on PostgreSQL.
func NewPostgres(ctx context.Context, pool *pgxpool.Pool, periodic []Periodic, log *slog.Logger) (Runner, error) {
	// PostgreSQL has a real LISTEN/NOTIFY: River waits on it between polls.
	return newRunner(ctx, riverpgxv5.New(pool), periodic, log, 5*time.Second, false)
}

// quiet keeps River's own logs at warning level and above: its info lines
// (leader elected, producer started) are noise in relais's log.
func quiet(log *slog.Logger) *slog.Logger {
	if log == nil {
		log = slog.Default()
	}
	return slog.New(levelFilter{log.Handler(), slog.LevelWarn}).With("component", "river")
}

type levelFilter struct {
	slog.Handler
	min slog.Level
}

func (l levelFilter) Enabled(ctx context.Context, lv slog.Level) bool {
	return lv >= l.min && l.Handler.Enabled(ctx, lv)
}
func (l levelFilter) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFilter{l.Handler.WithAttrs(a), l.min}
}
func (l levelFilter) WithGroup(n string) slog.Handler {
	return levelFilter{l.Handler.WithGroup(n), l.min}
}
