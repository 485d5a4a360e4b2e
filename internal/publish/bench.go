package publish

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/postgres"
	"github.com/relais/relais/internal/store/sqlite"
)

// BenchNetwork is the network kind of the benchmark's channels.
const BenchNetwork network.Kind = "bench"

// DefaultBenchDatabaseURL is the PostgreSQL server the bench uses when neither
// --database-url nor RELAIS_DATABASE_URL is set.
const DefaultBenchDatabaseURL = "postgres://postgres@127.0.0.1:5432/postgres"

// BenchOptions configures Bench; zero values take the defaults shown.
type BenchOptions struct {
	// DB is "sqlite" or "postgres".
	DB string
	// DatabaseURL is the PostgreSQL server (default: RELAIS_DATABASE_URL, then
	// DefaultBenchDatabaseURL); the bench works in a temporary database it creates and drops.
	DatabaseURL string
	// Posts is how many posts fall due at the same moment (10,000).
	Posts int
	// Channels spreads the posts over this many channels (20).
	Channels int
	// Concurrency bounds concurrent publish calls (256).
	Concurrency int
	// BatchSize bounds rows per transaction (500).
	BatchSize int
	// LeadTime is how early posts are staged (30 s).
	LeadTime time.Duration
	// DueIn is how far ahead of the schedule call the posts fall due (3 s + 0.3 ms per post).
	DueIn time.Duration
	// FakeNetworkCommand returns the command that runs the fake network in its
	// own process, writing its address to readyFile (default: this executable
	// with `bench fake-network --addr A --ready-file F`).
	FakeNetworkCommand func(addr, readyFile string) *exec.Cmd
	// Logger receives the engine's warnings (default: discarded).
	Logger *slog.Logger
	// Profile, when set, receives a CPU profile of this process taken over
	// the burst only: from the due moment until every post reached the
	// network (the first round's, when there are several).
	Profile io.Writer
	// Rounds repeats the whole run (a fresh database and fake network, the
	// engine's burst, then the ceiling's) this many times and reports the
	// round with the median ratio (1). On a shared machine one pair of
	// bursts moves by a third from one run to the next.
	Rounds int
}

// Lateness summarises how late posts reached the network, in milliseconds.
type Lateness struct {
	Min float64 `json:"min"`
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// BenchResult is what `relais bench publish --json` prints.
type BenchResult struct {
	DB        string `json:"db"`
	Posts     int    `json:"posts"`
	Published int    `json:"published"`
	// Duplicates counts posts the network made more than once for one publication.
	Duplicates int `json:"duplicates"`
	// Lost counts publications the network never received.
	Lost int `json:"lost"`
	// ThroughputPerS is posts received divided by the time from the due moment to the last arrival.
	ThroughputPerS float64  `json:"throughput_per_s"`
	LatenessMS     Lateness `json:"lateness_ms"`
	// SpanMS is the time from the due moment to the last arrival.
	SpanMS      float64 `json:"span_ms"`
	Channels    int     `json:"channels"`
	Concurrency int     `json:"concurrency"`
	BatchSize   int     `json:"batch_size"`
	// SetupMS is the time spent creating the posts (not measured above).
	SetupMS int64 `json:"setup_ms"`
	// EngineCPUMS is the CPU time of the publishing process from the schedule
	// call to the end, and NetworkCPUMS that of the fake network process: on a
	// shared machine they vary less than wall-clock figures.
	EngineCPUMS  int64 `json:"engine_cpu_ms"`
	NetworkCPUMS int64 `json:"network_cpu_ms"`
	// BurstCPUMS is the CPU time of the publishing process over the burst
	// alone, from the due moment until every post reached the network (the
	// part between the due moment and the requests on the wire), and
	// CPUPer10kS the same per 10,000 posts, in seconds.
	BurstCPUMS int64   `json:"burst_cpu_ms"`
	CPUPer10kS float64 `json:"cpu_s_per_10k"`
	// BurstReads and BurstWrites count the read and write system calls of
	// the publishing process over the same burst (Linux, /proc/self/io;
	// sockets and files alike).
	BurstReads  int64 `json:"burst_read_syscalls"`
	BurstWrites int64 `json:"burst_write_syscalls"`
	// Load1 is the machine's one-minute load average when the run started (Linux).
	Load1 string `json:"load1,omitempty"`
	// CeilingPerS and CeilingP99MS are what a plain keep-alive HTTP client with
	// the same concurrency reaches against the same fake network process in the
	// same run, sending as many requests all "due" at one moment: throughput and
	// p99 lateness measured the same way as the engine's. Ratio is
	// ThroughputPerS ÷ CeilingPerS.
	CeilingPerS  float64 `json:"ceiling_per_s"`
	CeilingP99MS float64 `json:"ceiling_p99_ms"`
	Ratio        float64 `json:"ratio"`
	// CeilingCPUMS is the CPU time the plain client's process used over the
	// ceiling's burst, measured like BurstCPUMS: what the requests alone cost
	// on the sending side.
	CeilingCPUMS int64 `json:"ceiling_cpu_ms"`
	// Rounds, when the run was repeated, holds every round's figures in the
	// order they ran; the fields above are the median round's (by ratio),
	// except Duplicates and Lost, which count every round's.
	Rounds []BenchRound `json:"rounds,omitempty"`
}

// BenchRound is one round's figures in a repeated run.
type BenchRound struct {
	ThroughputPerS float64 `json:"throughput_per_s"`
	P99MS          float64 `json:"p99_ms"`
	CeilingPerS    float64 `json:"ceiling_per_s"`
	CeilingP99MS   float64 `json:"ceiling_p99_ms"`
	Ratio          float64 `json:"ratio"`
	BurstCPUMS     int64   `json:"burst_cpu_ms"`
	CeilingCPUMS   int64   `json:"ceiling_cpu_ms"`
	Duplicates     int     `json:"duplicates"`
	Lost           int     `json:"lost"`
}

func (o *BenchOptions) defaults() error {
	switch o.DB {
	case "sqlite", "postgres":
	default:
		return fmt.Errorf("publish: bench --db must be sqlite or postgres, not %q", o.DB)
	}
	if o.DatabaseURL == "" {
		o.DatabaseURL = os.Getenv("RELAIS_DATABASE_URL")
	}
	if o.DatabaseURL == "" {
		o.DatabaseURL = DefaultBenchDatabaseURL
	}
	if o.Posts <= 0 {
		o.Posts = 10_000
	}
	if o.Channels <= 0 {
		o.Channels = 20
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 256
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 500
	}
	if o.LeadTime <= 0 {
		o.LeadTime = 30 * time.Second
	}
	if o.DueIn <= 0 {
		o.DueIn = 3*time.Second + time.Duration(o.Posts)*300*time.Microsecond
	}
	if o.FakeNetworkCommand == nil {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("publish: bench: %w", err)
		}
		o.FakeNetworkCommand = func(addr, ready string) *exec.Cmd {
			return exec.Command(exe, "bench", "fake-network", "--addr", addr, "--ready-file", ready)
		}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Rounds <= 0 {
		o.Rounds = 1
	}
	return nil
}

// Bench publishes Posts posts that all fall due at one moment to a fake
// network running in its own process over loopback HTTP, and reports
// throughput, lateness (arrival at the network minus due time), duplicates
// and losses. It works in a temporary database that it removes afterwards.
// With several rounds it reports the median one (see BenchOptions.Rounds).
func Bench(ctx context.Context, o BenchOptions) (BenchResult, error) {
	if err := o.defaults(); err != nil {
		return BenchResult{}, err
	}
	if o.Rounds == 1 {
		return benchRound(ctx, o)
	}
	var all []BenchResult
	for i := range o.Rounds {
		if i > 0 {
			o.Profile = nil
		}
		r, err := benchRound(ctx, o)
		if err != nil {
			return r, fmt.Errorf("%w (round %d of %d)", err, i+1, o.Rounds)
		}
		all = append(all, r)
	}
	res := medianRound(all)
	res.Duplicates, res.Lost = 0, 0
	for _, r := range all {
		res.Rounds = append(res.Rounds, BenchRound{ThroughputPerS: r.ThroughputPerS, P99MS: r.LatenessMS.P99, CeilingPerS: r.CeilingPerS,
			CeilingP99MS: r.CeilingP99MS, Ratio: r.Ratio, BurstCPUMS: r.BurstCPUMS, CeilingCPUMS: r.CeilingCPUMS, Duplicates: r.Duplicates, Lost: r.Lost})
		res.Duplicates += r.Duplicates
		res.Lost += r.Lost
	}
	return res, nil
}

// medianRound returns the round with the median ratio (the lower middle one
// of an even count).
func medianRound(rounds []BenchResult) BenchResult {
	sorted := append([]BenchResult(nil), rounds...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Ratio < sorted[j].Ratio })
	return sorted[(len(sorted)-1)/2]
}

// benchRound is one run of Bench: the engine's burst, then the ceiling's.
func benchRound(ctx context.Context, o BenchOptions) (BenchResult, error) {
	res := BenchResult{DB: o.DB, Posts: o.Posts, Channels: o.Channels, Concurrency: o.Concurrency, BatchSize: o.BatchSize}
	dir, err := os.MkdirTemp("", "relais-bench-")
	if err != nil {
		return res, fmt.Errorf("publish: bench: %w", err)
	}
	defer os.RemoveAll(dir)

	res.Load1 = LoadAverage()
	base, stop, err := startFakeNetwork(ctx, o.FakeNetworkCommand, filepath.Join(dir, "fake-network.addr"))
	if err != nil {
		return res, err
	}
	stopped := false
	defer func() {
		if !stopped {
			stop()
		}
	}()

	st, drop, err := benchStore(ctx, o, dir)
	if err != nil {
		return res, err
	}
	defer drop()

	setup := time.Now()
	ws, ids, err := benchData(ctx, st, o)
	if err != nil {
		return res, err
	}
	res.SetupMS = time.Since(setup).Milliseconds()

	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: o.Concurrency * 2, MaxIdleConnsPerHost: o.Concurrency * 2, IdleConnTimeout: time.Minute}}
	e, err := New(Config{Store: st, Resolver: benchResolver{base: base, http: client}, Workers: o.Concurrency, BatchSize: o.BatchSize,
		LeadTime: o.LeadTime, StageInterval: 200 * time.Millisecond, Logger: o.Logger, Idempotent: map[network.Kind]bool{}})
	if err != nil {
		return res, err
	}
	ectx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- e.Run(ectx) }()
	var stopEngine sync.Once
	defer stopEngine.Do(func() { cancel(); <-done })

	// Connections to the network are open before the due moment, as they are
	// on a server that publishes all day: open Concurrency of them now.
	var warm sync.WaitGroup
	for range o.Concurrency {
		warm.Add(1)
		go func() { defer warm.Done(); _, _ = fakeCount(ctx, client, base) }()
	}
	warm.Wait()

	runtime.GC() // as before the ceiling's burst
	cpu0 := processCPU()
	due := time.Now().Add(o.DueIn).Truncate(time.Millisecond)
	if _, err := e.Schedule(ctx, ws, ids, due, "UTC"); err != nil {
		return res, err
	}
	// CPU over the burst: from the due moment until every post is in.
	burst := make(chan time.Duration, 1)
	var reads0, writes0 int64
	go func() {
		select {
		case <-time.After(time.Until(due)):
		case <-ctx.Done():
		}
		if o.Profile != nil {
			_ = pprof.StartCPUProfile(o.Profile)
		}
		reads0, writes0 = ioSyscalls()
		burst <- processCPU()
	}()
	// Wait for every post to reach the network (or give up a minute after the due time).
	deadline := due.Add(time.Minute)
	for time.Now().Before(deadline) {
		n, err := fakeCount(ctx, client, base)
		if err != nil {
			return res, err
		}
		if n >= o.Posts {
			break
		}
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	if o.Profile != nil {
		pprof.StopCPUProfile()
	}
	res.BurstCPUMS = (processCPU() - <-burst).Milliseconds()
	if r, w := ioSyscalls(); r > 0 {
		res.BurstReads, res.BurstWrites = r-reads0, w-writes0
	}
	res.CPUPer10kS = float64(res.BurstCPUMS) / 1000 * 10_000 / float64(o.Posts)
	// Then for the results to be written (polling what is still in flight, a shrinking list).
	for time.Now().Before(deadline) {
		left, err := st.Posts(ctx, ws, store.PostFilter{States: []store.PostState{store.PostScheduled, store.PostPublishing}, Limit: o.Posts + 1})
		if err != nil {
			return res, fmt.Errorf("publish: bench: %w", err)
		}
		if len(left) == 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	res.EngineCPUMS = (processCPU() - cpu0).Milliseconds()
	out, err := st.Posts(ctx, ws, store.PostFilter{States: []store.PostState{store.PostPublished}, Limit: o.Posts + 1})
	if err != nil {
		return res, fmt.Errorf("publish: bench: %w", err)
	}
	res.Published = len(out)
	got, err := fakePosts(ctx, client, base)
	if err != nil {
		return res, err
	}
	summarise(&res, got, due)
	netCPU, err := fakeCPU(ctx, client, base)
	if err != nil {
		return res, err
	}
	// The ceiling: the same network process, with the engine stopped, driven
	// directly by a plain keep-alive client with the same concurrency.
	stopEngine.Do(func() { cancel(); <-done })
	if err := ceiling(ctx, &res, base, o); err != nil {
		return res, err
	}
	stopped = true
	if cpu := stop(); netCPU == 0 {
		netCPU = cpu
	}
	res.NetworkCPUMS = netCPU.Milliseconds()
	return res, nil
}

// ProcessCPU is the CPU time (user and system) this process has used so far
// (0 where the system does not tell).
func ProcessCPU() time.Duration { return processCPU() }

// LoadAverage is the machine's one-minute load average ("" where
// /proc/loadavg is missing).
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return ""
}

// ioSyscalls returns how many read and write system calls this process made
// so far (0, 0 where /proc/self/io is missing).
func ioSyscalls() (reads, writes int64) {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		switch k {
		case "syscr":
			reads = n
		case "syscw":
			writes = n
		}
	}
	return reads, writes
}

// ceilingKey prefixes the keys of the ceiling's requests.
const ceilingKey = "ceiling-"

// ceiling sends o.Posts publish requests, all due at one moment, to the fake
// network at base with o.Concurrency keep-alive connections, and records the
// throughput and p99 lateness the network saw, measured as for the engine.
func ceiling(ctx context.Context, res *BenchResult, base string, o BenchOptions) error {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: o.Concurrency * 2, MaxIdleConnsPerHost: o.Concurrency * 2, IdleConnTimeout: time.Minute}}
	defer client.CloseIdleConnections()
	var warm sync.WaitGroup
	for range o.Concurrency {
		warm.Add(1)
		go func() { defer warm.Done(); _, _ = fakeCount(ctx, client, base) }()
	}
	warm.Wait()
	bodies := make([][]byte, o.Posts)
	for i := range bodies {
		bodies[i], _ = json.Marshal(fakeRequest{Key: fmt.Sprintf("%s%d", ceilingKey, i), Channel: fmt.Sprint(i % o.Channels), Text: fmt.Sprintf("Bench post %d", i)})
	}
	jobs := make(chan []byte, len(bodies))
	for _, b := range bodies {
		jobs <- b
	}
	close(jobs)
	errs := make(chan error, o.Concurrency)
	// Each burst starts from a collected heap: the engine's part leaves
	// garbage that the ceiling's client should not pay for.
	runtime.GC()
	due := time.Now().Add(200 * time.Millisecond).Truncate(time.Millisecond)
	time.Sleep(time.Until(due))
	cpu0 := processCPU()
	var wg sync.WaitGroup
	for range o.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range jobs {
				if err := ceilingPost(ctx, client, base, b); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	res.CeilingCPUMS = (processCPU() - cpu0).Milliseconds()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	all, err := fakePosts(ctx, client, base)
	if err != nil {
		return err
	}
	var got []FakePost
	for _, p := range all {
		if strings.HasPrefix(p.Key, ceilingKey) {
			got = append(got, p)
		}
	}
	c := BenchResult{Posts: o.Posts}
	summarise(&c, got, due)
	if c.Lost > 0 || c.Duplicates > 0 {
		return fmt.Errorf("publish: bench: ceiling: the fake network lost %d and duplicated %d requests", c.Lost, c.Duplicates)
	}
	res.CeilingPerS, res.CeilingP99MS = c.ThroughputPerS, c.LatenessMS.P99
	if c.ThroughputPerS > 0 {
		res.Ratio = res.ThroughputPerS / c.ThroughputPerS
	}
	return nil
}

func ceilingPost(ctx context.Context, c *http.Client, base string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/publish", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("publish: bench: ceiling: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("publish: bench: ceiling: %w", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("publish: bench: ceiling: the fake network answered %s", resp.Status)
	}
	return nil
}

// summarise computes duplicates, losses, lateness and throughput from what the network received.
func summarise(res *BenchResult, got []FakePost, due time.Time) {
	first := map[string]int64{}
	for _, p := range got {
		if t, ok := first[p.Key]; ok {
			res.Duplicates++
			if p.Received < t {
				first[p.Key] = p.Received
			}
			continue
		}
		first[p.Key] = p.Received
	}
	res.Lost = max(0, res.Posts-len(first))
	late := make([]float64, 0, len(first))
	var last int64
	for _, t := range first {
		late = append(late, float64(t-due.UnixNano())/1e6)
		last = max(last, t)
	}
	sort.Float64s(late)
	pick := func(q float64) float64 {
		if len(late) == 0 {
			return 0
		}
		return late[int(q*float64(len(late)-1)+0.5)]
	}
	res.LatenessMS = Lateness{Min: pick(0), P50: pick(0.50), P95: pick(0.95), P99: pick(0.99), Max: pick(1)}
	if span := float64(last-due.UnixNano()) / 1e9; span > 0 {
		res.SpanMS = span * 1000
		res.ThroughputPerS = float64(len(first)) / span
	}
}

// startFakeNetwork starts the fake network process; stop ends it and returns the CPU time it used.
func startFakeNetwork(ctx context.Context, command func(addr, ready string) *exec.Cmd, ready string) (string, func() time.Duration, error) {
	cmd := command("127.0.0.1:0", ready)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("publish: bench: start fake network: %w", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	stop := func() time.Duration {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(3 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		return childCPU(cmd.ProcessState)
	}
	for start := time.Now(); time.Since(start) < 15*time.Second; time.Sleep(20 * time.Millisecond) {
		select {
		case <-exited:
			return "", nil, errors.New("publish: bench: the fake network exited before it was ready")
		case <-ctx.Done():
			stop()
			return "", nil, ctx.Err()
		default:
		}
		if b, err := os.ReadFile(ready); err == nil && len(b) > 0 {
			return "http://" + strings.TrimSpace(string(b)), stop, nil
		}
	}
	stop()
	return "", nil, errors.New("publish: bench: the fake network did not start within 15 s")
}

// OpenBenchStore opens a fresh, migrated store for a benchmark: SQLite in
// dir, or a temporary PostgreSQL database on databaseURL that the returned
// function drops (it also closes the store).
func OpenBenchStore(ctx context.Context, dialect, databaseURL, dir string) (store.Store, func(), error) {
	return benchStore(ctx, BenchOptions{DB: dialect, DatabaseURL: databaseURL}, dir)
}

func benchStore(ctx context.Context, o BenchOptions, dir string) (store.Store, func(), error) {
	if o.DB == "sqlite" {
		s, err := sqlite.Open(ctx, filepath.Join(dir, "bench.db"), true)
		if err != nil {
			return nil, nil, fmt.Errorf("publish: bench: %w", err)
		}
		return s, func() { s.Close() }, nil
	}
	u, dropDB, err := TempPostgres(ctx, o.DatabaseURL)
	if err != nil {
		return nil, nil, err
	}
	s, err := postgres.Open(ctx, u, true)
	if err != nil {
		dropDB()
		return nil, nil, fmt.Errorf("publish: bench: %w", err)
	}
	return s, func() { s.Close(); dropDB() }, nil
}

// TempPostgres creates an empty database with a random name on the server of
// serverURL for a benchmark; it returns the database's URL and a function
// that drops it.
func TempPostgres(ctx context.Context, serverURL string) (string, func(), error) {
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		return "", nil, fmt.Errorf("bench: %w", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "relais_bench_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("bench: create database on %s: %w", redact(serverURL), err)
	}
	dropDB := func() {
		_, _ = admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close()
	}
	u, err := url.Parse(serverURL)
	if err != nil {
		dropDB()
		return "", nil, fmt.Errorf("bench: database URL: %w", err)
	}
	u.Path = "/" + name
	return u.String(), dropDB, nil
}

func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "the database URL"
	}
	return p.Redacted()
}

// benchData creates a workspace, its channels and the posts, one variant each.
func benchData(ctx context.Context, st store.Store, o BenchOptions) (int64, []int64, error) {
	u := store.User{Email: "bench@example.com", Name: "Bench", PasswordHash: "-"}
	if err := st.CreateUser(ctx, &u); err != nil {
		return 0, nil, fmt.Errorf("publish: bench: %w", err)
	}
	ws := store.Workspace{Name: "Bench", Slug: "bench"}
	if err := st.CreateWorkspace(ctx, &ws, u.ID); err != nil {
		return 0, nil, fmt.Errorf("publish: bench: %w", err)
	}
	chs := make([]int64, o.Channels)
	for i := range chs {
		c := store.Channel{WorkspaceID: ws.ID, Network: string(BenchNetwork), RemoteID: fmt.Sprintf("acct%d", i), Handle: fmt.Sprintf("@acct%d", i)}
		if err := st.CreateChannel(ctx, &c); err != nil {
			return 0, nil, fmt.Errorf("publish: bench: %w", err)
		}
		chs[i] = c.ID
	}
	ids := make([]int64, 0, o.Posts)
	for start := 0; start < o.Posts; start += 1000 {
		n := min(1000, o.Posts-start)
		nps := make([]store.NewPost, n)
		for i := range nps {
			k := start + i
			nps[i] = store.NewPost{
				Post:     &store.Post{WorkspaceID: ws.ID, AuthorID: u.ID, State: store.PostApproved, Text: fmt.Sprintf("Bench post %d", k)},
				Variants: []store.Variant{{ChannelID: chs[k%len(chs)]}},
			}
		}
		if err := st.CreatePosts(ctx, nps); err != nil {
			return 0, nil, fmt.Errorf("publish: bench: %w", err)
		}
		for _, np := range nps {
			ids = append(ids, np.Post.ID)
		}
	}
	return ws.ID, ids, nil
}

// benchResolver opens a non-idempotent fake connector per channel, so that
// a repeated call shows up as a duplicate post.
type benchResolver struct {
	base string
	http *http.Client
}

func (r benchResolver) Connector(ctx context.Context, ws, ch int64) (network.Connector, network.Limits, error) {
	return &FakeConnector{KindName: BenchNetwork, BaseURL: r.base, Channel: fmt.Sprint(ch), HTTP: r.http},
		network.Limits{Network: BenchNetwork, Name: "Bench"}, nil
}

func fakeCount(ctx context.Context, c *http.Client, base string) (int, error) {
	var out struct {
		Posts int `json:"posts"`
	}
	if err := getJSON(ctx, c, base+"/count", &out); err != nil {
		return 0, err
	}
	return out.Posts, nil
}

// fakeCPU is the CPU time the fake network process has used so far (0 where it cannot tell).
func fakeCPU(ctx context.Context, c *http.Client, base string) (time.Duration, error) {
	var out struct {
		CPUNS int64 `json:"cpu_ns"`
	}
	if err := getJSON(ctx, c, base+"/count", &out); err != nil {
		return 0, err
	}
	return time.Duration(out.CPUNS), nil
}

func fakePosts(ctx context.Context, c *http.Client, base string) ([]FakePost, error) {
	var out []FakePost
	err := getJSON(ctx, c, base+"/posts", &out)
	return out, err
}

func getJSON(ctx context.Context, c *http.Client, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("publish: bench: %w", err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("publish: bench: fake network: %w", err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("publish: bench: fake network answer: %w", err)
	}
	return nil
}
