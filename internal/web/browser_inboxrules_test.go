package web

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/moderation"
)

// TestBrowserInboxRule adds a saved reply and a rule through the settings
// pages in Chromium, reorders it, and reads the dry run over two messages.
func TestBrowserInboxRule(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	now := time.Now()
	src := moderation.SourceFunc(func(_ context.Context, ws int64, _ time.Time) ([]moderation.Message, error) {
		return []moderation.Message{
			{ID: 1, WorkspaceID: ws, Author: "@nora", Text: "Still no refund, the parcel has not arrived. A scam.", Sentiment: "negative", ReceivedAt: now.Add(-time.Hour)},
			{ID: 2, WorkspaceID: ws, Author: "@olaf", Text: "Refund arrived, late but fine", Sentiment: "neutral", ReceivedAt: now.Add(-time.Hour)},
		}, nil
	})
	b := setupDeps(t, func(d *Deps) { d.Moderation = &moderation.Service{Store: d.Store, Source: src} })
	u, err := b.auth.CreateUser(context.Background(), "mona@example.com", "Mona", "correct horse battery", false)
	require.NoError(t, err)
	b.workspace(t, u, "Moderation Studio", "mod")

	br := startBrowser(t, 1280, 1000, 90*time.Second, nil)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	br.signIn(t, b.srv.URL, "mona@example.com")
	br.do(t,
		chromedp.Click(css(`a[href="/workspaces/mod/settings"]`)),
		chromedp.Click(css(`a[href="/workspaces/mod/inbox/saved-replies"]`)),
		chromedp.WaitVisible(css(`#reply-body`)),
		chromedp.SetValue(css(`#reply-name`), "Refund delay"),
		chromedp.SetValue(css(`#reply-lang`), "en"),
		chromedp.SetValue(css(`#reply-body`), "Hi {first_name}, we are checking your order now."),
		chromedp.Click(css(`form[action$="/saved-replies"] button[type=submit]`)),
		chromedp.WaitVisible(css(`td[lang=en]`)),
		chromedp.Click(css(`a[href="/workspaces/mod/inbox/rules"]`)),
		chromedp.Click(css(`a[href="/workspaces/mod/inbox/rules/new"]`)),
		chromedp.WaitVisible(css(`#rule-keywords`)),
		chromedp.SetValue(css(`#rule-name`), "Late refunds"),
		chromedp.SetValue(css(`#rule-keywords`), `refund AND (late OR "not arrived")`),
		chromedp.Click(css(`#rule-action-0`)),
		chromedp.SetValue(css(`#rule-action-0`), "hide"),
		chromedp.SetValue(css(`#rule-action-1`), "priority:high"),
		chromedp.SetValue(css(`#rule-labels`), "refund"),
		br.shot("71-inbox-rule-form"),
		chromedp.Click(css(`form[action="/workspaces/mod/inbox/rules"] button[type=submit]`)),
		chromedp.WaitVisible(css(`table.inbox-rules`)),
		br.shot("72-inbox-rules"),
		chromedp.Click(css(`a[href="/workspaces/mod/inbox/rules/dry-run"]`)),
		chromedp.WaitVisible(css(`.dry-rule`)),
		br.shot("73-inbox-dry-run"),
	)
	dry := br.text(t, `.dry-rule`)
	require.Contains(t, dry, "Matched 2 messages.")
	require.Contains(t, dry, "Flag for review × 1", "the scam complaint is not hidden: answer, don't delete")
	require.Contains(t, dry, "Hide × 1")
	require.Contains(t, dry, "Priority × 2")
	require.Contains(t, dry, "@nora")
	br.requireNoProblems(t)
}
