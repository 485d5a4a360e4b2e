package web

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
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

	br := startBrowser(t, 1280, 900, 90*time.Second, func(msg string) bool {
		return strings.Contains(msg, "htmx:sendAbort") || strings.Contains(msg, "htmx:afterRequest")
	})
	ctx := br.ctx
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	run := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		require.NoError(t, chromedp.Do(ctx, steps...))
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
		require.NoError(t, err)
		return v
	}
	masto := "#check-" + s.mastodonID
	run(
		chromedp.Navigate(b.srv.URL+"/login"),
		chromedp.WaitVisible(css(`#email`)),
		chromedp.SendKeys(css(`#email`), "lena@example.com"),
		chromedp.SendKeys(css(`#password`), "correct horse battery"),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`.stat`)),
		chromedp.Navigate(b.srv.URL+"/workspaces/links/posts/new"),
		chromedp.WaitVisible(css(`#text`)),
		chromedp.Click(css(`input[name=channel][value="`+s.mastodonID+`"]`)),
		chromedp.SetValue(css(`#text`), strings.Repeat("a", 489)),
		chromedp.SendKeys(css(`#text`), "a"),
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
		chromedp.SendKeys(css(`#link`), link),
		chromedp.WaitVisible(css(masto+`.over .problem.sev-error`)),
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
		chromedp.SetValue(css(`#text`), "Doors open at 6 tonight #acme"),
		chromedp.Click(css(`#variant-`+s.mastodonID+` summary`)),
		chromedp.WaitVisible(css(`textarea[name="`+pre+`thread"]`)),
		chromedp.SendKeys(css(`textarea[name="`+pre+`thread"]`), "Bring a friend: the first 50 get a free coffee."),
		chromedp.SendKeys(css(`textarea[name="`+pre+`first_comment"]`), "Tickets: https://example.com/tickets"),
		chromedp.WaitVisible(css(masto+` .preview-comment`)),
		chromedp.ScrollIntoView(css(masto)),
		br.shot("32-compose-preview-thread"),
	)
	require.Contains(t, text(masto+` .preview-reply .preview-text`), "free coffee")

	br.requireNoProblems(t)
}
