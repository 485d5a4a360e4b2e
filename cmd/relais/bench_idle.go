package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// BenchIdleCmd measures the footprint of an idle relais serve with no workspaces.
type BenchIdleCmd struct {
	Window time.Duration `name:"window" default:"10s" help:"How long idle CPU is measured."`
	Settle time.Duration `name:"settle" default:"2s" help:"Wait after the server is healthy before measuring."`
	JSON   bool          `name:"json" help:"Print the result as JSON."`
}

// IdleResult is what bench idle prints.
type IdleResult struct {
	// FreshStartToHealthyMS: start of relais serve on an empty data directory
	// (migrations included) until /healthz answers 200.
	FreshStartToHealthyMS float64 `json:"fresh_start_to_healthy_ms"`
	// StartToHealthyMS: the same on the existing data directory, second start.
	StartToHealthyMS float64 `json:"start_to_healthy_ms"`
	// IdleCPUPercent: CPU time (user+system) of the server over the window, as
	// a percentage of one core.
	IdleCPUPercent float64 `json:"idle_cpu_percent"`
	// RSSMB: resident memory at the end of the window (VmRSS), in MiB.
	RSSMB float64 `json:"rss_mb"`
	// WindowS is the measured window in seconds.
	WindowS float64 `json:"window_s"`
}

// Run runs the benchmark.
func (c *BenchIdleCmd) Run(ctx context.Context) error {
	if err := checkDuration("--window", c.Window, time.Second, time.Hour); err != nil {
		return err
	}
	if err := checkDuration("--settle", c.Settle, 0, 10*time.Minute); err != nil {
		return err
	}
	res, err := benchIdle(ctx, c.Window, c.Settle)
	if err != nil {
		return err
	}
	if c.JSON {
		return json.NewEncoder(os.Stdout).Encode(res)
	}
	fmt.Printf("start to healthy: %.0f ms on an existing data directory (%.0f ms on a fresh one)\n", res.StartToHealthyMS, res.FreshStartToHealthyMS)
	fmt.Printf("idle over %.0f s: %.2f%% of a core, %.1f MB resident\n", res.WindowS, res.IdleCPUPercent, res.RSSMB)
	return nil
}

func benchIdle(ctx context.Context, window, settle time.Duration) (IdleResult, error) {
	var res IdleResult
	exe, err := os.Executable()
	if err != nil {
		return res, err
	}
	dir, err := os.MkdirTemp("", "relais-bench-idle-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	// First start: fresh data directory (migrations, key file).
	srv, ms, err := startServe(ctx, exe, filepath.Join(dir, "data"))
	if err != nil {
		return res, err
	}
	res.FreshStartToHealthyMS = ms
	if err := srv.stop(); err != nil {
		return res, err
	}
	// Second start on the existing data directory: the figure that counts.
	srv, ms, err = startServe(ctx, exe, filepath.Join(dir, "data"))
	if err != nil {
		return res, err
	}
	defer srv.stop()
	res.StartToHealthyMS = ms
	select {
	case <-ctx.Done():
		return res, ctx.Err()
	case <-time.After(settle):
	}
	cpu0, err := procCPU(srv.cmd.Process.Pid)
	if err != nil {
		return res, err
	}
	t0 := time.Now()
	select {
	case <-ctx.Done():
		return res, ctx.Err()
	case <-time.After(window):
	}
	cpu1, err := procCPU(srv.cmd.Process.Pid)
	if err != nil {
		return res, err
	}
	wall := time.Since(t0)
	res.WindowS = wall.Seconds()
	res.IdleCPUPercent = 100 * float64(cpu1-cpu0) / float64(wall)
	rss, err := procRSS(srv.cmd.Process.Pid)
	if err != nil {
		return res, err
	}
	res.RSSMB = float64(rss) / (1 << 20)
	return res, srv.stop()
}

type serveProc struct {
	cmd  *exec.Cmd
	done chan error
}

// stop interrupts the server and waits for it.
func (s *serveProc) stop() error {
	if s.done == nil {
		return nil
	}
	_ = s.cmd.Process.Signal(syscall.SIGINT)
	var err error
	select {
	case err = <-s.done:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		err = <-s.done
	}
	s.done = nil
	return err
}

// startServe starts relais serve on dir and returns once /healthz answers,
// with the time that took in milliseconds.
func startServe(ctx context.Context, exe, dir string) (*serveProc, float64, error) {
	cmd := exec.Command(exe, "serve", "--addr", "127.0.0.1:0", "--log-level", "warn")
	cmd.Env = append(os.Environ(), "RELAIS_DATA_DIR="+dir, "RELAIS_DATABASE_URL=")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, 0, err
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	s := &serveProc{cmd: cmd, done: make(chan error, 1)}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if i := strings.Index(sc.Text(), "http://"); i >= 0 {
				select {
				case urls <- strings.Fields(sc.Text()[i:])[0]:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	go func() { s.done <- cmd.Wait() }()
	fail := func(err error) (*serveProc, float64, error) {
		_ = s.stop()
		return nil, 0, fmt.Errorf("bench idle: %w; server said: %s", err, strings.TrimSpace(stderr.String()))
	}
	deadline := time.After(time.Minute)
	var url string
	select {
	case url = <-urls:
	case err := <-s.done:
		s.done = nil
		return nil, 0, fmt.Errorf("bench idle: relais serve exited: %v; it said: %s", err, strings.TrimSpace(stderr.String()))
	case <-deadline:
		return fail(errors.New("relais serve did not start within a minute"))
	case <-ctx.Done():
		return fail(ctx.Err())
	}
	client := &http.Client{Timeout: time.Second}
	for {
		resp, err := client.Get(url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, float64(time.Since(start).Microseconds()) / 1000, nil
			}
		}
		select {
		case <-deadline:
			return fail(errors.New("/healthz did not answer 200 within a minute"))
		case <-ctx.Done():
			return fail(ctx.Err())
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// clockTick is the kernel's USER_HZ, the unit of /proc/<pid>/stat times (100 on Linux).
const clockTick = 100

// procCPU is the user+system CPU time of a process from /proc/<pid>/stat.
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("bench idle needs /proc (Linux): %w", err)
	}
	// Fields after the command name (which may hold spaces) close with ')'.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("bench idle: unexpected /proc/%d/stat", pid)
	}
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(ut+st) * time.Second / clockTick, nil
}

// procRSS is a process's resident memory in bytes (VmRSS).
func procRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("bench idle needs /proc (Linux): %w", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			f := strings.Fields(v)
			kb, err := strconv.ParseInt(f[0], 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("bench idle: no VmRSS in /proc/%d/status", pid)
}
