package web

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

// TestBrowserListenPage writes a listening query in Chromium: a bad one is
// refused at its field, a preview finds a stored mention, the query is added
// and its mentions are listed with their sentiment.
func TestBrowserListenPage(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	b := setup(t)
	ctx := context.Background()
	u, err := b.auth.CreateUser(ctx, "lia@example.com", "Lia", "correct horse battery", false)
	require.NoError(t, err)
	w := b.workspace(t, u, "Listen Studio", "lst")
	m := store.Mention{WorkspaceID: w.ID, Network: "mastodon", RemoteID: "https://social.example/s/1", URL: "https://social.example/@bo/1",
		Author: "bo@social.example", AuthorFollowers: 321, Text: "The Acme customer service never answers, terrible",
		Sentiment: "negative", Lang: "en", PostedAt: time.Now().UTC()}
	_, err = b.st.SaveMention(ctx, &m)
	require.NoError(t, err)

	br := startBrowser(t, 1280, 900, 90*time.Second, nil)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	text := func(sel string) string { t.Helper(); return br.text(t, sel) }
	br.signIn(t, b.srv.URL, "lia@example.com")
	br.do(t,
		chromedp.Click(css(`a[href="/workspaces/lst/listen"]`)),
		chromedp.WaitVisible(css(`#listen-form`)),
		chromedp.SetValue(css(`#listen-name`), "Acme service"),
		chromedp.SetValue(css(`#listen-keywords`), `acme AND ("customer service"`),
		chromedp.Click(css(`#listen-add`)),
		chromedp.WaitVisible(css(`#listen-form .field-error, #listen-form .error`)),
	)
	require.Contains(t, text(`#listen-form`), "not closed", "the syntax error is shown at the keywords")
	br.do(t,
		chromedp.SetValue(css(`#listen-keywords`), `acme AND ("customer service" OR refund*)`),
		chromedp.Click(css(`#listen-preview`)),
		chromedp.WaitVisible(css(`#listen-preview-result`)),
		br.shot("71-listen-preview"),
	)
	require.Contains(t, text(`#listen-preview-result`), "never answers")
	br.do(t,
		chromedp.Click(css(`#listen-add`)),
		chromedp.WaitVisible(css(`#listen-queries`)),
		br.shot("72-listen-added"),
	)
	require.Contains(t, text(`#listen-queries`), "Acme service")
	// The charts are drawn by uPlot, one line per query, with the query's name in the legend.
	br.do(t, chromedp.WaitVisible(css(`#listen-charts .uplot canvas`)), br.shot("73-listen-charts"))
	charts, err := chromedp.Run(br.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#listen-charts .uplot").length`))
	require.NoError(t, err)
	require.Equal(t, 3, charts, "volume, sentiment and share of voice")
	require.Contains(t, text(`#listen-charts`), "Acme service")
	require.Contains(t, text(`#listen-mention-list`), "bo@social.example")
	require.Contains(t, text(`#listen-mention-list`), "negative")
	br.requireNoProblems(t)
}
