package web

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// TestBrowserPermalinkFromNotification: an approver signed out follows the
// link of the notification that a post waits for review, signs in and lands
// on the post's page.
func TestBrowserPermalinkFromNotification(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	b := setup(t)
	ctx := context.Background()
	s := newStudio(t, b, "acme")
	_, err := b.auth.UpdateWorkspace(ctx, principalOf(t, b, s.user, s.ws), auth.WorkspaceSettings{Name: s.ws.Name, Slug: s.ws.Slug, Timezone: s.ws.Timezone, ApprovalRequired: true})
	require.NoError(t, err)
	ap, err := b.auth.CreateUser(ctx, "anna@example.com", "Anna", "correct horse battery", false)
	require.NoError(t, err)
	require.NoError(t, b.st.AddMember(ctx, s.ws.ID, ap.ID, store.RoleApprover))
	pid := postIDOf(t, s.owner.post("/workspaces/acme/posts", form("text", "Spring sale starts Monday", "channel", s.webID, "action", "submit")))
	list, err := b.st.Notifications(ctx, s.ws.ID, ap.ID, 10)
	require.NoError(t, err)
	require.NotEmpty(t, list)

	br := startBrowser(t, 1280, 860, 60*time.Second, nil)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	require.NoError(t, chromedp.Do(br.ctx,
		chromedp.Navigate(b.srv.URL+list[0].Link),
		chromedp.WaitVisible(css(`#email`)),
		br.shot("permalink-01-login"),
		chromedp.SendKeys(css(`#email`), "anna@example.com"),
		chromedp.SendKeys(css(`#password`), "correct horse battery"),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`.post-text`)),
		br.shot("permalink-02-post"),
	))
	loc, err := chromedp.Run(br.ctx, chromedp.Location())
	require.NoError(t, err)
	require.True(t, strings.HasSuffix(loc, "/workspaces/acme/posts/"+id(pid)), loc)
	text, err := chromedp.Run(br.ctx, chromedp.Text(css(`.post-main .post-text`)))
	require.NoError(t, err)
	require.Equal(t, "Spring sale starts Monday", text)
	br.requireNoProblems(t)
}
