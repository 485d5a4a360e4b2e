package app_test

import (
	"context"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/relais/relais/internal/app"
	"github.com/relais/relais/internal/link"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// TestShortLinkRedirects follows a short link on the running server: 302 to
// the target with its UTM values, no caching, the click in the database
// (batched, within the recorder's interval), bots apart, 404 for an unknown code.
func TestShortLinkRedirects(t *testing.T) {
	t.Parallel()
	a, base := serveApp(t)
	ctx := context.Background()
	u := storetest.NewUser(t, a.Store, "redirect@links.example")
	w := storetest.NewWorkspace(t, a.Store, "redirect-links", u.ID)
	l, err := a.Links.Create(ctx, w.ID, u.ID, link.Input{TargetURL: "https://shop.example/spring?id=7", Network: "mastodon"})
	require.NoError(t, err)

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path, ua string) *http.Response {
		req, err := http.NewRequest("GET", base+path, nil)
		require.NoError(t, err)
		req.Header.Set("User-Agent", ua)
		req.Header.Set("Referer", "https://bsky.app/profile/x/post/1")
		res, err := client.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		return res
	}
	res := get("/l/"+l.Code, "Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0")
	require.Equal(t, http.StatusFound, res.StatusCode)
	require.Equal(t, "https://shop.example/spring?id=7&utm_medium=social&utm_source=mastodon", res.Header.Get("Location"))
	require.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	require.Equal(t, http.StatusFound, get("/l/"+l.Code, "facebookexternalhit/1.1").StatusCode)
	require.Equal(t, http.StatusNotFound, get("/l/doesnotexist", "Mozilla/5.0").StatusCode)

	require.Eventually(t, func() bool {
		n, err := a.Store.CountClicks(ctx, w.ID, store.ClickFilter{LinkID: l.ID}, time.Time{}, time.Now().Add(time.Hour))
		return err == nil && n == store.ClickCount{Clicks: 1, Unique: 1, Bots: 1}
	}, 10*time.Second, 20*time.Millisecond)
	byRef, err := a.Store.ClickBreakdown(ctx, w.ID, store.ClickFilter{}, store.ClicksByReferrer, time.Time{}, time.Now().Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, "bsky.app", byRef[0].Key)
}

// TestBenchLinks runs the redirector bench briefly on each database: every
// redirect's click is in the database after the recorder closed.
func TestBenchLinks(t *testing.T) {
	t.Parallel()
	for _, db := range storetest.Dialects() {
		t.Run(db, func(t *testing.T) {
			res, err := app.BenchLinks(context.Background(), app.LinkBenchOptions{DB: db, DatabaseURL: os.Getenv(storetest.PostgresURLEnv),
				Duration: 500 * time.Millisecond, Concurrency: 4, Links: 20})
			require.NoError(t, err)
			require.Equal(t, db, res.DB)
			require.Positive(t, res.Redirects)
			require.Zero(t, res.Errors)
			require.Equal(t, res.Redirects, res.ClicksStored)
			require.Zero(t, res.Lost)
			require.Positive(t, res.P99MS)
			require.Positive(t, res.RedirectsPerS)
		})
	}
}
