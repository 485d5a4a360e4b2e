package web

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// browserRun is one headless Chromium for a browser test: its context, where
// screenshots go ($RELAIS_ARTIFACTS_DIR, else a temporary directory), and the
// console errors and CSP reports it collected.
type browserRun struct {
	ctx      context.Context
	shots    string
	stop     context.CancelFunc
	done     chan struct{}
	mu       sync.Mutex
	problems []string
}

// startBrowser starts Chromium with a window of w×h and a deadline. Console
// errors, exceptions and CSP reports are collected; console errors that are
// network entries (expected 4xx answers) or for which ignore returns true are not.
func startBrowser(t *testing.T, w, h int, timeout time.Duration, ignore func(msg string) bool) *browserRun {
	t.Helper()
	b := &browserRun{shots: os.Getenv("RELAIS_ARTIFACTS_DIR"), done: make(chan struct{})}
	if b.shots == "" {
		b.shots = t.TempDir()
	}
	require.NoError(t, os.MkdirAll(b.shots, 0o755))
	opts := append(chromedp.DefaultExecAllocatorOptions[:0:0],
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("lang", "en-US"), chromedp.WindowSize(w, h))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	b.ctx = ctx

	// Start the browser, then collect console messages.
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("about:blank")))
	consoleCtx, stop := context.WithCancel(ctx)
	b.stop = stop
	messages := chromedp.Console(consoleCtx)
	go func() {
		defer close(b.done)
		for m, err := range messages {
			if err != nil {
				return
			}
			ignored := ignore != nil && ignore(m.String())
			if (m.Type == chromedp.ConsoleError && m.Source != "network" && !ignored) || m.IsException() || strings.Contains(m.Text, "Content Security Policy") {
				b.mu.Lock()
				b.problems = append(b.problems, m.String())
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// shot saves a screenshot of the whole page.
func (b *browserRun) shot(name string) chromedp.Action[chromedp.Void] {
	return b.capture(name, chromedp.FullScreenshot(100))
}

// view saves what the screen shows (a phone's first screen).
func (b *browserRun) view(name string) chromedp.Action[chromedp.Void] {
	return b.capture(name, chromedp.CaptureScreenshot())
}

func (b *browserRun) capture(name string, take chromedp.Action[[]byte]) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		buf, err := take(ctx, tg)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(b.shots, name+".png"), buf, 0o644)
	})
}

// requireNoProblems stops collecting and fails on any console error or CSP report.
func (b *browserRun) requireNoProblems(t *testing.T) {
	t.Helper()
	b.stop()
	<-b.done
	b.mu.Lock()
	defer b.mu.Unlock()
	require.Empty(t, b.problems, "browser console errors or CSP violations")
}

// do runs browser actions and fails the test on an error.
func (b *browserRun) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	require.NoError(t, chromedp.Do(b.ctx, steps...))
}

// text returns the text of the first element matching the CSS selector.
func (b *browserRun) text(t *testing.T, sel string) string {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	require.NoError(t, err)
	return v
}

// signIn signs in through the login form of the server at base with the
// password the web tests give every user, and waits for the overview.
func (b *browserRun) signIn(t *testing.T, base, email string) {
	t.Helper()
	b.do(t,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), email),
		chromedp.SendKeys(chromedp.CSS(`#password`), "correct horse battery"),
		chromedp.Submit(chromedp.CSS(`#password`)),
		chromedp.WaitVisible(chromedp.CSS(`.stat`)),
	)
}

// submitAndWait submits the form holding sel and waits for the page that
// answers it. The old document is marked first, so an element the old page
// also has (the same form, the log) cannot end the wait before the new page
// is there: acting on the old page while it unloads leaves a stale node that
// waits out the test's deadline.
func submitAndWait(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := chromedp.Evaluate[bool](`document.documentElement.dataset.stale = "1", true`)(ctx, t); err != nil {
			return err
		}
		if _, err := chromedp.Submit(chromedp.CSS(sel))(ctx, t); err != nil {
			return err
		}
		for {
			_, err := chromedp.WaitReady(chromedp.CSS(`html:not([data-stale]) body`))(ctx, t)
			// A query that runs while the frame is being replaced (a
			// redirect chain through another server) fails with "Not
			// attached to an active page": ask the new page again.
			if err == nil || !strings.Contains(err.Error(), "Not attached to an active page") || ctx.Err() != nil {
				return err
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}
