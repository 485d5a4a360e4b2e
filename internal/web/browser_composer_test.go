package web

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/store"
)

// TestBrowserComposerLinkCounted drives the composer in Chromium: on
// Mastodon 490 characters fit, and the link typed in the link field is
// counted as Mastodon counts it (23 after a blank line), so the counter
// goes over 500 and the preview shows the text as it will be sent.
func TestBrowserComposerLinkCounted(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	b := setup(t)
	u, err := b.auth.CreateUser(context.Background(), "lena@example.com", "Lena", "correct horse battery", false)
	require.NoError(t, err)
	s := &studio{user: u, ws: b.workspace(t, u, "Link Studio", "links")}
	seedChannels(t, b, s, "links")

	br, run := signedInBrowser(t, b, 1280, 900, "lena@example.com")
	ctx := br.ctx
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(composerCSS(sel)))
		require.NoError(t, err)
		return v
	}
	masto := "#check-" + s.mastodonID
	run(
		chromedp.Navigate(b.srv.URL+"/workspaces/links/posts/new"),
		chromedp.WaitVisible(composerCSS(`#text`)),
		chromedp.Click(composerCSS(`input[name=channel][value="`+s.mastodonID+`"]`)),
		chromedp.SetValue(composerCSS(`#text`), strings.Repeat("a", 489)),
		chromedp.SendKeys(composerCSS(`#text`), "a"),
	)
	waitCounter := func(want string) {
		t.Helper()
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](`(document.querySelector("`+masto+` .counter")||{}).textContent === "`+want+`"`))
		require.NoError(t, err, "the counter shows "+want)
	}
	waitCounter("490/500")
	require.NotEmpty(t, text(masto+` .ok-line`), "490 characters fit")

	link := "https://example.com/launch"
	run(
		chromedp.SendKeys(composerCSS(`#link`), link),
		chromedp.WaitVisible(composerCSS(masto+`.over .problem.sev-error`)),
	)
	waitCounter("515/500") // the link counts 23, after a blank line
	run(br.shot("31-compose-link-counted"))
	require.Contains(t, text(masto+` .problem.sev-error`), "500")
	// The preview shows the text as sent, the link as Mastodon shows it.
	require.True(t, strings.HasSuffix(text(masto+` .preview-text`), "a\n\nexample.com/launch"), text(masto+` .preview-text`))
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("`+masto+` .preview-text a").href`))
	require.NoError(t, err)
	require.Equal(t, link, href)

	// The preview shows the thread's next part and the first comment under the post.
	pre := `v.` + s.mastodonID + `.`
	run(
		chromedp.SetValue(composerCSS(`#text`), "Doors open at 6 tonight #acme"),
		chromedp.Click(composerCSS(`#variant-`+s.mastodonID+` summary`)),
		chromedp.WaitVisible(composerCSS(`textarea[name="`+pre+`thread"]`)),
		chromedp.SendKeys(composerCSS(`textarea[name="`+pre+`thread"]`), "Bring a friend: the first 50 get a free coffee."),
		chromedp.SendKeys(composerCSS(`textarea[name="`+pre+`first_comment"]`), "Tickets: https://example.com/tickets"),
		chromedp.WaitVisible(composerCSS(masto+` .preview-comment`)),
		chromedp.ScrollIntoView(composerCSS(masto)),
		br.shot("32-compose-preview-thread"),
	)
	require.Contains(t, text(masto+` .preview-reply .preview-text`), "free coffee")

	// A file uploaded from the composer is offered in the channel's picker at
	// once; chosen there, it shows in that channel's preview, without a reload.
	pic := filepath.Join(t.TempDir(), "stage.png")
	require.NoError(t, os.WriteFile(pic, pngBytes(t), 0o600))
	vpicker := `[id="picker-v.` + s.mastodonID + `.media"]`
	run(
		chromedp.Click(composerCSS(`.compose-main > .card > .media-picker > summary`)),
		chromedp.SetUploadFiles(composerCSS(`#picker-file`), []string{pic}),
		chromedp.SendKeys(composerCSS(`#picker-alt`), "The stage"),
		chromedp.Click(composerCSS(`#picker-upload`)),
		chromedp.WaitVisible(composerCSS(`#base-picker input[name=media]:checked`)),
		chromedp.Click(composerCSS(`#base-picker input[name=media]:checked`)), // not for every channel
		chromedp.Click(composerCSS(`#variant-`+s.mastodonID+` .media-picker summary`)),
		chromedp.Click(composerCSS(vpicker+` input[type=checkbox]`)),
		chromedp.WaitVisible(composerCSS(masto+` .media-grid img[alt="The stage"]`)),
		br.shot("33-compose-channel-media"),
	)

	br.requireNoProblems(t)
}

// TestBrowserPhoneLayout opens the composer and the main pages on a 390 px
// phone: no page scrolls sideways, and the menu is collapsed behind a
// button that opens it.
func TestBrowserPhoneLayout(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	b := setup(t)
	ctxb := context.Background()
	u, err := b.auth.CreateUser(ctxb, "maximilian.longname@example.com", "Maximilian Longname-Weatherby", "correct horse battery", false)
	require.NoError(t, err)
	s := &studio{user: u, ws: b.workspace(t, u, "Acme Studio International", "phone")}
	seedChannels(t, b, s, "phone")
	_, err = b.media.Upload(ctxb, s.ws.ID, u.ID, "a-rather-long-file-name-for-the-stage-picture.png", strings.NewReader(string(pngBytes(t))), 0)
	require.NoError(t, err)
	in := compose.PostInput{Text: "Launch day https://example.com/a/very/long/path/that/does/not/break/easily/at/all #launch",
		Labels: []store.Label{{Key: "theme", Value: "launch"}}, Variants: []compose.VariantInput{{ChannelID: s.mastodon.ID}, {ChannelID: s.bluesky.ID}}}
	post, err := b.compose.Create(ctxb, principalOf(t, b, u, s.ws), in)
	require.NoError(t, err)
	_, err = b.compose.Schedule(ctxb, principalOf(t, b, u, s.ws), post.ID, time.Now().Add(48*time.Hour), "")
	require.NoError(t, err)

	br, run := signedInBrowser(t, b, 390, 844, "maximilian.longname@example.com")
	ctx := br.ctx
	eval := func(js string) bool {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		require.NoError(t, err)
		return v
	}
	fits := func(page string) {
		t.Helper()
		w, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
		require.NoError(t, err)
		require.LessOrEqual(t, w[0], w[1], "%s scrolls sideways at %d px", page, w[1])
		require.True(t, eval(`getComputedStyle(document.querySelector(".mainnav")).display === "none"`), "%s: the menu is collapsed", page)
		require.True(t, eval(`document.querySelector("[data-menu-toggle]").offsetParent !== null`), "%s: the menu button shows", page)
	}
	fits("the overview")
	run(
		chromedp.Click(composerCSS(`[data-menu-toggle]`)),
		chromedp.WaitVisible(composerCSS(`.mainnav a[href$="/posts/new"]`)),
		br.shot("41-phone-menu-open"),
	)
	require.True(t, eval(`document.querySelector("[data-menu-toggle]").getAttribute("aria-expanded") === "true"`))
	run(chromedp.Click(composerCSS(`.mainnav a[href$="/posts/new"]`)), chromedp.WaitVisible(composerCSS(`#text`)))

	// The composer with every channel, a long text, a link, labels and an open variant.
	long := strings.Repeat("Launching the new studio today with coffee, music and a tour. ", 6)
	run(
		chromedp.Click(composerCSS(`input[name=channel][value="`+s.blueskyID+`"]`)),
		chromedp.Click(composerCSS(`input[name=channel][value="`+s.mastodonID+`"]`)),
		chromedp.Click(composerCSS(`input[name=channel][value="`+s.webID+`"]`)),
		chromedp.SendKeys(composerCSS(`#text`), long+"https://example.com/a/very/long/path/that/does/not/break/easily/at/all"),
		chromedp.SendKeys(composerCSS(`#link`), "https://example.com/another/very/long/link/without/any/spaces/in/it/at/all"),
		chromedp.SendKeys(composerCSS(`#label_theme`), "launch"),
		chromedp.Click(composerCSS(`#variant-`+s.mastodonID+` summary`)),
		chromedp.Click(composerCSS(`#variant-`+s.mastodonID+` .media-picker summary`)),
		chromedp.WaitVisible(composerCSS(`#check-`+s.blueskyID+`.over`)),
		br.shot("42-phone-composer"),
		chromedp.ScrollIntoView(composerCSS(`#text`)),
		br.view("42b-phone-composer-form"),
		chromedp.ScrollIntoView(composerCSS(`#check-`+s.mastodonID)),
		br.view("42c-phone-composer-preview"),
	)
	fits("the composer")

	for _, page := range []string{
		"/workspaces/phone/calendar?view=month", "/workspaces/phone/calendar?view=week", "/workspaces/phone/calendar?view=list",
		"/workspaces/phone/posts/" + id(post.ID), "/workspaces/phone/posts/" + id(post.ID) + "/edit",
		"/workspaces/phone/media", "/workspaces/phone/channels", "/workspaces/phone/members", "/workspaces/phone/tokens",
		"/workspaces/phone/settings", "/workspaces/phone/publishing", "/workspaces/phone/notifications", "/workspaces/phone/snippets",
		"/workspaces/phone/import", "/workspaces", "/account",
	} {
		run(chromedp.Navigate(b.srv.URL+page), chromedp.WaitVisible(composerCSS(`main h1`)))
		fits(page)
	}
	br.requireNoProblems(t)
}

// composerCSS selects by CSS selector.
func composerCSS(s string) chromedp.CSS { return chromedp.CSS(s) }

// signedInBrowser starts Chromium with a w×h window (a phone's, with touch
// and a 2× screen, when w is under 640) and signs email in with the tests'
// password; run performs steps and fails the test on an error.
func signedInBrowser(t *testing.T, b *bundle, w, h int, email string) (*browserRun, func(steps ...chromedp.Action[chromedp.Void])) {
	t.Helper()
	br := startBrowser(t, w, h, 120*time.Second, func(msg string) bool {
		return strings.Contains(msg, "htmx:sendAbort") || strings.Contains(msg, "htmx:afterRequest")
	})
	run := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		require.NoError(t, chromedp.Do(br.ctx, steps...))
	}
	if w < 640 {
		run(chromedp.EmulateViewport(int64(w), int64(h), chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	}
	run(
		chromedp.Navigate(b.srv.URL+"/login"),
		chromedp.WaitVisible(composerCSS(`#email`)),
		chromedp.SendKeys(composerCSS(`#email`), email),
		chromedp.SendKeys(composerCSS(`#password`), "correct horse battery"),
		chromedp.Submit(composerCSS(`#password`)),
		chromedp.WaitVisible(composerCSS(`.stat`)),
	)
	return br, run
}
