package web

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// approvalStudio is the studio "acme" with approval on, for a browser test
// (skipped where Chromium is missing, outside CI).
func approvalStudio(t *testing.T) (*bundle, *studio) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	b := setup(t)
	s := newStudio(t, b, "acme")
	requireApproval(t, b, s)
	return b, s
}

// TestBrowserPermalinkFromNotification: an approver signed out follows the
// link of the notification that a post waits for review, signs in and lands
// on the post's page.
func TestBrowserPermalinkFromNotification(t *testing.T) {
	b, s := approvalStudio(t)
	ctx := context.Background()
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
	require.NoError(t, chromedp.Do(br.ctx,
		chromedp.Navigate(b.srv.URL+"/workspaces/acme/members"),
		chromedp.WaitVisible(css(`.roles-table`)),
		br.shot("members-roles"),
	))
	br.requireNoProblems(t)
}

// TestBrowserSubmitThenApproveAndSchedule: an editor composes a post with a
// date and a time and submits it (the main button when approval is on); the
// post page shows the time as planned; an approver signs in, approves and
// schedules it at that time in one step, and the post is scheduled for it.
func TestBrowserSubmitThenApproveAndSchedule(t *testing.T) {
	b, s := approvalStudio(t)
	ctx := context.Background()
	for _, m := range []struct {
		email string
		role  store.Role
	}{{"eddie@example.com", store.RoleEditor}, {"anna@example.com", store.RoleApprover}} {
		u, err := b.auth.CreateUser(ctx, m.email, strings.Split(m.email, "@")[0], "correct horse battery", false)
		require.NoError(t, err)
		require.NoError(t, b.st.AddMember(ctx, s.ws.ID, u.ID, m.role))
	}

	br := startBrowser(t, 1280, 900, 90*time.Second, func(msg string) bool {
		return strings.Contains(msg, "htmx:sendAbort") || strings.Contains(msg, "htmx:afterRequest")
	})
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	run := func(steps ...chromedp.Action[chromedp.Void]) { t.Helper(); br.do(t, steps...) }
	text := func(sel string) string { t.Helper(); return strings.TrimSpace(br.text(t, sel)) }
	login := func(email string) { t.Helper(); br.signIn(t, b.srv.URL, email) }
	at := time.Now().AddDate(0, 0, 3)
	local := at.Format("2006-01-02") + "T10:30"

	login("eddie@example.com")
	run(
		chromedp.Navigate(b.srv.URL+"/workspaces/acme/posts/new"),
		chromedp.WaitVisible(css(`#text`)),
		chromedp.Click(css(`input[name=channel][value="`+s.webID+`"]`)),
		chromedp.SendKeys(css(`#text`), "Our autumn menu arrives on Thursday"),
		chromedp.SetValue(css(`#at`), local),
		br.shot("approve-01-composer"),
	)
	require.Equal(t, "Submit for review", text(`.compose-actions .btn-primary`), "the main button with approval on")
	require.Contains(t, text(`#approval-hint`), "an approver approves it and schedules it")
	run(
		chromedp.Click(css(`#submit-btn`)),
		chromedp.WaitVisible(css(`#post-when`)),
		br.shot("approve-02-submitted"),
	)
	require.Contains(t, text(`#post-when`), "Planned for")
	require.Contains(t, text(`.state`), "In review")

	run(
		chromedp.Click(css(`form[action="/logout"] button`)),
		chromedp.WaitVisible(css(`#email`)),
	)
	login("anna@example.com")
	run(
		chromedp.Navigate(b.srv.URL+"/workspaces/acme/approvals"),
		chromedp.WaitVisible(css(`.approval-queue a`)),
		br.shot("approve-03-queue"),
		chromedp.Click(css(`.approval-queue a`)),
		chromedp.WaitVisible(css(`#approve-schedule`)),
		br.shot("approve-04-review"),
		chromedp.Click(css(`#approve-schedule`)),
		chromedp.WaitVisible(css(`.flash`)),
		br.shot("approve-05-scheduled"),
	)
	require.Equal(t, "Post approved and scheduled at its planned time.", text(`.flash`))
	require.Contains(t, text(`#post-when`), "Scheduled for")
	posts, err := b.st.Posts(ctx, s.ws.ID, store.PostFilter{})
	require.NoError(t, err)
	require.Len(t, posts, 1)
	require.Equal(t, store.PostScheduled, posts[0].State)
	loc, _ := time.LoadLocation("Europe/Paris")
	require.Equal(t, local, posts[0].ScheduledAt.In(loc).Format("2006-01-02T15:04"), "scheduled at the time the editor planned")
	br.requireNoProblems(t)
}
