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

// TestBrowserFeedbackPage pastes comments (two spreadsheet columns, date
// and comment) into the Feedback page in Chromium and reads the summary.
func TestBrowserFeedbackPage(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	b := setup(t)
	u, err := b.auth.CreateUser(context.Background(), "fiona@example.com", "Fiona", "correct horse battery", false)
	require.NoError(t, err)
	b.workspace(t, u, "Feedback Studio", "fbk")

	br := startBrowser(t, 1280, 900, 90*time.Second, nil)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	text := func(sel string) string { t.Helper(); return br.text(t, sel) }
	comments := strings.Join([]string{
		"2026-11-23\tMy parcel has been stuck in the depot for 9 days",
		"2026-11-30\tWhere is my refund??? Customer service never answers",
		"2026-12-01\tColis toujours pas arrivé, ça fait deux semaines",
		"2026-12-02\tDie Naht ist nach einer Wäsche aufgegangen",
		"Obsessed with this colour 😍",
	}, "\n")
	br.signIn(t, b.srv.URL, "fiona@example.com")
	br.do(t,
		chromedp.Click(css(`a[href="/workspaces/fbk/feedback"]`)),
		chromedp.WaitVisible(css(`#feedback-comments`)),
		chromedp.SetValue(css(`#feedback-comments`), comments),
		chromedp.Click(css(`button[value=html]`)),
		chromedp.WaitVisible(css(`#feedback-summary`)),
		br.shot("61-feedback-summary"),
	)
	require.Contains(t, text(`#feedback-summary h2`), "5 comments")
	require.Contains(t, text(`#feedback-themes tbody tr:first-child`), "Delivery", "the most mentioned theme first")
	require.Contains(t, text(`#feedback-themes`), "Refunds and returns")
	require.Contains(t, text(`#feedback-themes`), "Quality")
	require.Contains(t, text(`#feedback-themes`), "Week 2026-W49")
	require.Contains(t, text(`#feedback-comments-table`), "Obsessed with this colour")
	br.requireNoProblems(t)
}
