package app_test

import (
	"context"
	"log/slog"
	"net"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/relais/relais/internal/app"
	"github.com/relais/relais/internal/config"
	"github.com/stretchr/testify/require"
)

// serveApp runs relais on SQLite in a temporary data directory, serving on
// loopback until the test ends; it returns the app and its base URL.
func serveApp(t *testing.T) (*app.App, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	cfg := config.Config{Addr: addr, DataDir: t.TempDir(), BaseURL: "http://" + addr, AllowPrivateHosts: true}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, stop := context.WithCancel(context.Background())
	a, err := app.Open(ctx, cfg, log, app.Options{Migrate: true})
	require.NoError(t, err)
	ready := make(chan struct{})
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, app.ServeOptions{Ready: func(string) { close(ready) }}) }()
	t.Cleanup(func() {
		stop()
		<-served
		a.Close()
	})
	select {
	case <-ready:
	case err := <-served:
		t.Fatalf("serve: %v", err)
	}
	return a, "http://" + addr
}

// chromium starts a headless Chromium for the test and returns its context,
// bounded by timeout.
func chromium(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:0:0],
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("lang", "en-US"), chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	bctx, cancelTimeout := context.WithTimeout(bctx, timeout)
	t.Cleanup(cancelTimeout)
	return bctx
}
