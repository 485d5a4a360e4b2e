package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// TestBrowserCampaignLinkClickCounted drives Chromium through the links
// feature on the running server: create a campaign with a click goal, create
// a short link in it, follow the link (302 to the shop with the campaign's
// UTM values), and see the click counted on the link's and the campaign's pages.
func TestBrowserCampaignLinkClickCounted(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("needs " + chromiumPath)
	}
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>Shop</title><h1 id="shop">Autumn shop</h1>`))
	}))
	t.Cleanup(shop.Close)
	a, base := serveApp(t)
	ctx := context.Background()
	u, err := a.Auth.CreateUser(ctx, "lea@example.com", "Léa", "correct horse battery", false)
	require.NoError(t, err)
	ws, err := a.Auth.CreateWorkspace(ctx, u, "Maison Ciel", "ciel", "Europe/Paris")
	require.NoError(t, err)

	bctx, run, shot := browserSteps(t, 90*time.Second, "links")
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(bctx, chromedp.Text(css(sel)))
		require.NoError(t, err)
		return v
	}

	run(
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css(`#email`)),
		chromedp.SendKeys(css(`#email`), "lea@example.com"),
		chromedp.SendKeys(css(`#password`), "correct horse battery"),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`.stat`)),
		// A campaign with a goal of one click.
		chromedp.Navigate(base+"/workspaces/ciel/campaigns"),
		chromedp.WaitVisible(css(`#campaign-name`)),
		chromedp.SendKeys(css(`#campaign-name`), "Rentrée 2026"),
		chromedp.SendKeys(css(`#campaign-goal-target`), "1"),
		shot("1-campaign"),
		chromedp.Submit(css(`#campaign-name`)),
		chromedp.WaitVisible(css(`#campaign-goals`)),
	)
	camps, err := a.Store.Campaigns(ctx, ws.ID)
	require.NoError(t, err)
	require.Len(t, camps, 1)

	// A short link in that campaign.
	run(
		chromedp.Navigate(base+"/workspaces/ciel/links"),
		chromedp.WaitVisible(css(`#link-target`)),
		chromedp.SendKeys(css(`#link-target`), shop.URL+"/autumn"),
		chromedp.SendKeys(css(`#link-network`), "newsletter"),
		chromedp.SetValue(css(`#link-campaign`), itoa(camps[0].ID)),
		chromedp.Submit(css(`#link-target`)),
		chromedp.WaitVisible(css(`#short-url`)),
		shot("2-link"),
	)
	short := text(`#short-url`)
	require.True(t, strings.HasPrefix(short, base+"/l/"), short)
	require.Contains(t, text(`#link-counts`), "Clicks by people: 0")

	// Follow it: the browser lands on the shop with the campaign's UTM values.
	run(chromedp.Navigate(short), chromedp.WaitVisible(css(`#shop`)))
	landed, err := chromedp.Run(bctx, chromedp.Location())
	require.NoError(t, err)
	require.Equal(t, shop.URL+"/autumn?utm_campaign=rentree-2026&utm_medium=social&utm_source=newsletter", landed)

	// The click is written within the recorder's interval; the pages count it.
	links, err := a.Store.Links(ctx, ws.ID, store.ClickFilter{}, 10)
	require.NoError(t, err)
	require.Len(t, links, 1)
	linkPage := base + "/workspaces/ciel/links/" + itoa(links[0].ID)
	require.Eventually(t, func() bool {
		_ = chromedp.Do(bctx, chromedp.Navigate(linkPage), chromedp.WaitVisible(css(`#link-counts`)))
		v, err := chromedp.Run(bctx, chromedp.Text(css(`#link-counts`)))
		return err == nil && strings.Contains(v, "Clicks by people: 1 · unique visitors: 1 · bots and link previews: 0")
	}, 20*time.Second, 200*time.Millisecond, "the link page counts the click")
	run(shot("3-counted"), chromedp.Navigate(base+"/workspaces/ciel/campaigns/"+itoa(camps[0].ID)), chromedp.WaitVisible(css(`#campaign-clicks`)), shot("4-campaign"))
	require.Contains(t, text(`#campaign-clicks`), "Clicks by people: 1")
	require.Contains(t, text(`#campaign-goals`), "100 %")
}
