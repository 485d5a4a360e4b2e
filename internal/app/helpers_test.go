package app_test

import (
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/relais/relais/internal/app"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/config"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/mastodon/gotosocialtest"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
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

// browserSteps starts Chromium (chromium) and returns its context, a runner
// failing the test on a step's error, and a screenshot action writing
// prefix-name.png to $RELAIS_ARTIFACTS_DIR (a temporary directory by default).
func browserSteps(t *testing.T, timeout time.Duration, prefix string) (context.Context, func(steps ...chromedp.Action[chromedp.Void]), func(name string) chromedp.Action[chromedp.Void]) {
	t.Helper()
	shots := os.Getenv("RELAIS_ARTIFACTS_DIR")
	if shots == "" {
		shots = t.TempDir()
	}
	require.NoError(t, os.MkdirAll(shots, 0o755))
	bctx := chromium(t, timeout)
	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			buf, err := chromedp.FullScreenshot(100)(ctx, tg)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(shots, prefix+"-"+name+".png"), buf, 0o644)
		})
	}
	run := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		require.NoError(t, chromedp.Do(bctx, steps...))
	}
	return bctx, run, shot
}

// publishNow schedules a post with the text on the channel for now, wakes the
// running server's engine and waits until it is published.
func publishNow(t *testing.T, a *app.App, workspaceID, channelID int64, text string) (*store.Post, store.Publication) {
	t.Helper()
	ctx := context.Background()
	post := &store.Post{WorkspaceID: workspaceID, State: store.PostApproved, Text: text}
	require.NoError(t, a.Store.CreatePosts(ctx, []store.NewPost{{Post: post, Variants: []store.Variant{{ChannelID: channelID}}}}))
	now := time.Now().UTC()
	_, err := a.Store.SchedulePosts(ctx, workspaceID, []int64{post.ID}, now, "UTC", now)
	require.NoError(t, err)
	a.Compose.Wake()
	var pub store.Publication
	require.Eventually(t, func() bool {
		pubs, err := a.Store.Publications(ctx, workspaceID, post.ID)
		if err != nil || len(pubs) != 1 {
			return false
		}
		pub = pubs[0]
		return pub.State == store.PubPublished
	}, 60*time.Second, 100*time.Millisecond, "published")
	return post, pub
}

// zorkWorkspace makes an owner and a workspace named slug with the Zork
// account of the GoToSocial test server connected as a Mastodon channel.
func zorkWorkspace(t *testing.T, a *app.App, gts, slug string) (store.User, store.Workspace, auth.Principal, store.Channel) {
	t.Helper()
	ctx := context.Background()
	u, err := a.Auth.CreateUser(ctx, "gts-"+slug+"@example.com", "Zork", "correct horse battery", false)
	require.NoError(t, err)
	ws, err := a.Auth.CreateWorkspace(ctx, u, "Zork "+slug, "zork-"+slug, "UTC")
	require.NoError(t, err)
	p, err := a.Auth.Principal(ctx, u, ws.ID)
	require.NoError(t, err)
	ch, err := a.Channels.Connect(ctx, p, network.Mastodon, map[string]string{"instance": gts, "access_token": gotosocialtest.Zork.Token})
	require.NoError(t, err)
	return u, ws, p, ch
}

// inboxApp opens relais (not serving) with a workspace named slug and a
// Mastodon channel whose inbox the test fills through the store.
func inboxApp(t *testing.T, slug string) (*app.App, store.User, store.Workspace, store.Channel) {
	t.Helper()
	var logs syncBuffer
	a, _ := openApp(t, config.Config{DataDir: t.TempDir(), BaseURL: "http://127.0.0.1:8080", AllowPrivateHosts: true}, &logs)
	u := createUser(t, a)
	ws, err := a.Auth.CreateWorkspace(context.Background(), u, slug, slug, "UTC")
	require.NoError(t, err)
	return a, u, ws, storetest.NewChannel(t, a.Store, ws.ID, "mastodon", slug)
}
