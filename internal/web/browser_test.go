package web

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

const chromiumPath = "/usr/bin/chromium"

// TestBrowserFirstRunLoginWorkspaceFrench drives a real Chromium through the
// first-run setup, a sign-in, creating and switching workspaces and choosing
// French, saving a screenshot of each page to $RELAIS_ARTIFACTS_DIR.
func TestBrowserFirstRunLoginWorkspaceFrench(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	b := setup(t)
	br := startBrowser(t, 1280, 860, 60*time.Second, nil)
	ctx, shot := br.ctx, br.shot
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	run := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		require.NoError(t, chromedp.Do(ctx, steps...))
	}
	value := func(a chromedp.Action[string]) string {
		t.Helper()
		v, err := chromedp.Run(ctx, a)
		require.NoError(t, err)
		return v
	}
	url := b.srv.URL

	run(chromedp.Navigate(url+"/"), chromedp.WaitVisible(css(`input[name=email]`)), shot("01-setup"))
	require.True(t, strings.HasSuffix(value(chromedp.Location()), "/setup"))
	run(
		chromedp.SendKeys(css(`#email`), "owner@example.com"),
		chromedp.SendKeys(css(`#name`), "Olivia Owner"),
		chromedp.SendKeys(css(`#password`), "a long enough password"),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`input[data-slug-source]`)),
		chromedp.SendKeys(css(`#name`), "Acme Studio"),
	)
	require.Equal(t, "acme-studio", value(chromedp.Value(css(`#slug`))), "app.js fills the slug from the name")
	run(shot("02-first-workspace"), chromedp.Submit(css(`#name`)), chromedp.WaitVisible(css(`.stat`)), shot("03-dashboard"))

	// Sign out, fail once, then sign in.
	run(
		chromedp.Click(css(`form[action="/logout"] button`)),
		chromedp.WaitVisible(css(`form[action="/login"]`)),
		chromedp.SendKeys(css(`#email`), "owner@example.com"),
		chromedp.SendKeys(css(`#password`), "a wrong password"),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`.field-error`)),
		shot("04-login-error"),
		chromedp.SendKeys(css(`#password`), "a long enough password"),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`.stat`)),
	)
	require.True(t, strings.HasSuffix(value(chromedp.Location()), "/workspaces/acme-studio/"))

	// A second workspace, then back to the first with the header switcher.
	run(
		chromedp.Navigate(url+"/workspaces/new"),
		chromedp.WaitVisible(css(`#name`)),
		chromedp.SendKeys(css(`#name`), "Second Brand"),
		chromedp.Submit(css(`#name`)),
		chromedp.WaitVisible(css(`a.stat[href="/workspaces/second-brand/channels"]`)),
		// SetValue fires "change", on which app.js submits the switcher.
		chromedp.SetValue(css(`#switch-slug`), "acme-studio"),
		chromedp.WaitVisible(css(`a.stat[href="/workspaces/acme-studio/channels"]`)),
	)
	require.True(t, strings.HasSuffix(value(chromedp.Location()), "/workspaces/acme-studio/"))

	// The other pages, for the screenshots.
	run(
		chromedp.Navigate(url+"/workspaces/acme-studio/channels"),
		chromedp.WaitVisible(css(`.connect-grid`)),
		shot("05-channels"),
		chromedp.Navigate(url+"/workspaces/acme-studio/members"),
		chromedp.WaitVisible(css(`#invite-email`)),
		chromedp.Submit(css(`#invite-email`)),
		chromedp.WaitVisible(css(`#invite-link`)),
		shot("06-members-invite"),
		chromedp.Navigate(url+"/workspaces/acme-studio/tokens"),
		chromedp.WaitVisible(css(`#token-name`)),
		chromedp.SendKeys(css(`#token-name`), "deploy"),
		chromedp.Submit(css(`#token-name`)),
		chromedp.WaitVisible(css(`#new-token`)),
		shot("07-tokens"),
		chromedp.Navigate(url+"/workspaces/acme-studio/settings"),
		chromedp.WaitVisible(css(`#approval`)),
		shot("08-settings"),
	)

	// French.
	run(
		chromedp.Navigate(url+"/account"),
		chromedp.WaitVisible(css(`#lang`)),
		chromedp.SetValue(css(`#lang`), "fr"),
		chromedp.Submit(css(`#lang`)),
		chromedp.WaitVisible(css(`.flash`)),
	)
	lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	require.NoError(t, err)
	require.Equal(t, "fr", lang)
	require.Equal(t, "Compte", value(chromedp.Text(css(`h1`))))
	require.Equal(t, "Langue enregistrée.", value(chromedp.Text(css(`.flash`))))
	run(shot("09-account-fr"), chromedp.Navigate(url+"/workspaces/acme-studio/channels"), chromedp.WaitVisible(css(`.connect-grid`)), shot("10-channels-fr"))
	require.Contains(t, value(chromedp.Text(css(`.mainnav`))), "Espaces de travail")

	br.requireNoProblems(t)
}
