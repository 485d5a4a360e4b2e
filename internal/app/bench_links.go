package app

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/relais/relais/internal/config"
	"github.com/relais/relais/internal/link"
	"github.com/relais/relais/internal/publish"
	"github.com/relais/relais/internal/store"
)

// LinkBenchOptions tune BenchLinks.
type LinkBenchOptions struct {
	// DB is "sqlite" or "postgres".
	DB string
	// DatabaseURL is the PostgreSQL server; the bench works in a temporary database.
	DatabaseURL string
	// Duration is how long the clients follow links (10 s).
	Duration time.Duration
	// Concurrency is the number of clients, each on its own keep-alive connection (64).
	Concurrency int
	// Links is how many short links the clients pick from (1,000).
	Links int
}

// LinkBenchResult is what BenchLinks measured.
type LinkBenchResult struct {
	DB            string  `json:"db"`
	Redirects     int64   `json:"redirects"`
	RedirectsPerS float64 `json:"redirects_per_s"`
	P50MS         float64 `json:"p50_ms"`
	P99MS         float64 `json:"p99_ms"`
	Concurrency   int     `json:"concurrency"`
	Seconds       float64 `json:"seconds"`
	// ClicksStored is how many clicks the database holds after the recorder
	// closed; Lost is Redirects minus ClicksStored (0 unless clicks were lost).
	ClicksStored int64 `json:"clicks_stored"`
	Lost         int64 `json:"lost"`
	Errors       int64 `json:"errors"`
	// CPUSeconds is the CPU time the process (server and clients) used
	// while following links; RedirectsPerCPUS is redirects per CPU second,
	// which the other processes of a shared machine do not change.
	CPUSeconds       float64 `json:"cpu_s"`
	RedirectsPerCPUS float64 `json:"redirects_per_cpu_s"`
	// LoadAverage is the machine's 1-minute load average at the end (Linux; 0 elsewhere).
	LoadAverage float64 `json:"load_average"`
}

// openBenchApp opens the app on a temporary data directory (and a temporary
// PostgreSQL database for db "postgres"), migrated, with a loopback listener
// for its HTTP stack; done closes and removes everything.
func openBenchApp(ctx context.Context, prefix, db, databaseURL string) (*App, net.Listener, func(), error) {
	var undo []func()
	done := func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, nil, done, err
	}
	undo = append(undo, func() { os.RemoveAll(dir) })
	cfg := config.Config{DataDir: dir, Addr: "127.0.0.1:0"}
	if db == "postgres" {
		if databaseURL == "" {
			databaseURL = publish.DefaultBenchDatabaseURL
		}
		u, drop, err := publish.TempPostgres(ctx, databaseURL)
		if err != nil {
			done()
			return nil, nil, done, err
		}
		undo = append(undo, drop)
		cfg.DatabaseURL = u
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		done()
		return nil, nil, done, err
	}
	undo = append(undo, func() { ln.Close() })
	cfg.BaseURL = "http://" + ln.Addr().String()
	a, err := Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Migrate: true})
	if err != nil {
		done()
		return nil, nil, done, err
	}
	undo = append(undo, func() { a.Close() })
	return a, ln, done, nil
}

// BenchLinks serves the full HTTP stack of relais on loopback and follows
// short links from concurrent clients for a while, with durable, batched click
// logging; then it closes the recorder and counts the clicks in the database.
func BenchLinks(ctx context.Context, o LinkBenchOptions) (LinkBenchResult, error) {
	res := LinkBenchResult{DB: o.DB, Concurrency: o.Concurrency}
	if o.Duration <= 0 {
		o.Duration = 10 * time.Second
	}
	if o.Concurrency <= 0 {
		res.Concurrency, o.Concurrency = 64, 64
	}
	if o.Links <= 0 {
		o.Links = 1000
	}
	a, ln, done, err := openBenchApp(ctx, "relais-bench-links-", o.DB, o.DatabaseURL)
	if err != nil {
		return res, err
	}
	defer done()
	codes, err := benchLinks(ctx, a, o.Links)
	if err != nil {
		return res, err
	}
	a.Links.Recorder = link.NewRecorder(a.Store, link.RecorderOptions{Log: a.Log})
	handler, err := a.Handler()
	if err != nil {
		return res, err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	var count, failed atomic.Int64
	lat := make([][]time.Duration, o.Concurrency)
	deadline := time.Now().Add(o.Duration)
	var wg sync.WaitGroup
	cpu0 := processCPU()
	start := time.Now()
	for w := range o.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat[w] = make([]time.Duration, 0, 1<<16)
			c, err := newRawClient(ln.Addr().String())
			if err != nil {
				failed.Add(1)
				return
			}
			defer c.Close()
			for i := w; time.Now().Before(deadline) && ctx.Err() == nil; i += o.Concurrency {
				t0 := time.Now()
				status, err := c.get("/l/" + codes[i%len(codes)])
				if err != nil {
					failed.Add(1)
					return
				}
				if status != http.StatusFound {
					failed.Add(1)
					continue
				}
				lat[w] = append(lat[w], time.Since(t0))
				count.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	res.CPUSeconds = (processCPU() - cpu0).Seconds()
	closeCtx, cancelClose := context.WithTimeout(context.Background(), time.Minute)
	defer cancelClose()
	if err := a.Links.Recorder.Close(closeCtx); err != nil {
		return res, fmt.Errorf("bench links: flush clicks: %w", err)
	}
	ws, err := a.Store.WorkspaceBySlug(ctx, "bench-links")
	if err != nil {
		return res, err
	}
	stored, err := a.Store.CountClicks(ctx, ws.ID, store.ClickFilter{}, time.Time{}, time.Now().Add(time.Hour))
	if err != nil {
		return res, err
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	pct := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[min(len(all)-1, int(p*float64(len(all))))].Microseconds()) / 1000
	}
	res.Redirects, res.Errors = count.Load(), failed.Load()
	res.Seconds = elapsed.Seconds()
	res.RedirectsPerS = float64(res.Redirects) / elapsed.Seconds()
	res.P50MS, res.P99MS = pct(0.50), pct(0.99)
	if res.CPUSeconds > 0 {
		res.RedirectsPerCPUS = float64(res.Redirects) / res.CPUSeconds
	}
	res.LoadAverage = loadAverage()
	res.ClicksStored = stored.Clicks
	res.Lost = res.Redirects - stored.Clicks
	if res.Redirects == 0 {
		return res, errors.New("bench links: no redirect succeeded")
	}
	return res, nil
}

// benchLinks makes a workspace with n short links and returns their codes.
func benchLinks(ctx context.Context, a *App, n int) ([]string, error) {
	u := store.User{Email: "bench@links.example", Name: "Bench", PasswordHash: "x"}
	if err := a.Store.CreateUser(ctx, &u); err != nil {
		return nil, err
	}
	w := store.Workspace{Name: "Bench links", Slug: "bench-links", Timezone: "UTC"}
	if err := a.Store.CreateWorkspace(ctx, &w, u.ID); err != nil {
		return nil, err
	}
	codes := make([]string, n)
	for i := range codes {
		l, err := a.Links.Create(ctx, w.ID, u.ID, link.Input{TargetURL: fmt.Sprintf("https://shop.example/item/%d", i), Network: "mastodon"})
		if err != nil {
			return nil, err
		}
		codes[i] = l.Code
	}
	return codes, nil
}

// rawClient is a minimal HTTP/1.1 keep-alive client, like a load generator's:
// one request at a time on one connection, the answer's status read and its
// body skipped. It costs the machine far less than net/http's client, so the
// bench measures the server.
type rawClient struct {
	conn net.Conn
	r    *bufio.Reader
	host string
}

func newRawClient(addr string) (*rawClient, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &rawClient{conn: c, r: bufio.NewReaderSize(c, 4096), host: addr}, nil
}

// Close closes the connection.
func (c *rawClient) Close() error { return c.conn.Close() }

// get sends one GET with a browser's User-Agent and a referrer and returns the status.
func (c *rawClient) get(path string) (int, error) {
	return c.roundTrip("GET " + path + " HTTP/1.1\r\nHost: " + c.host +
		"\r\nUser-Agent: Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148\r\nReferer: https://mastodon.example/@relais/1\r\n\r\n")
}

// roundTrip sends one raw request and returns the answer's status, its body
// skipped (the server must send a Content-Length).
func (c *rawClient) roundTrip(req string) (int, error) {
	if _, err := io.WriteString(c.conn, req); err != nil {
		return 0, err
	}
	line, err := c.r.ReadSlice('\n')
	if err != nil {
		return 0, err
	}
	if len(line) < 12 {
		return 0, fmt.Errorf("bench links: bad status line %q", line)
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, fmt.Errorf("bench links: bad status line %q", line)
	}
	length := 0
	for {
		h, err := c.r.ReadSlice('\n')
		if err != nil {
			return 0, err
		}
		if len(h) <= 2 {
			break
		}
		if k, v, ok := bytes.Cut(h, []byte(":")); ok && strings.EqualFold(string(k), "Content-Length") {
			length, _ = strconv.Atoi(strings.TrimSpace(string(v)))
		}
	}
	if _, err := c.r.Discard(length); err != nil {
		return 0, err
	}
	return status, nil
}

// processCPU is the CPU time (user and system) the process used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAverage is the 1-minute load average (Linux), 0 when unknown.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(b) + " 0")[0], 64)
	return f
}
