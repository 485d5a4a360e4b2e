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

// TestBrowserContestQuiz runs a branded quiz in Chromium: the organiser
// writes the questions in the create form, a participant answers on the
// public page (pow.js solves the proof of work), confirms through the mailed
// link, and the public page carries the brand's accent colour.
func TestBrowserContestQuiz(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	cb := setupContests(t, 16)
	u, err := cb.auth.CreateUser(context.Background(), "quinn@example.com", "Quinn", "correct horse battery", false)
	require.NoError(t, err)
	ws := cb.workspace(t, u, "Quiz Studio", "quiz")

	br := startBrowser(t, 1280, 900, 120*time.Second, nil)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	br.signIn(t, cb.srv.URL, "quinn@example.com")
	br.do(t,
		chromedp.Navigate(cb.srv.URL+"/workspaces/quiz/contests"),
		chromedp.WaitVisible(css(`#contest-form`)),
		chromedp.SendKeys(css(`#ct-title`), "River quiz"),
		chromedp.SendKeys(css(`#ct-slug`), "river"),
		chromedp.SetValue(css(`#ct-kind`), "quiz"),
		chromedp.SetValue(css(`#ct-questions`), "Which river runs through Hamburg?\n- Rhine\n* Elbe\n\nHow many legs has a spider?\n- 6\n* 8"),
		chromedp.SendKeys(css(`#ct-accent`), "#5a1f7a"),
		chromedp.Click(css(`#contest-create`)),
		chromedp.WaitVisible(css(`#quiz-questions`)),
		br.shot("contest-quiz-01-admin"),
	)
	c, err := cb.st.ContestBySlug(context.Background(), "river")
	require.NoError(t, err)
	require.Equal(t, ws.ID, c.WorkspaceID)
	require.Len(t, c.Questions, 2)

	br.do(t,
		chromedp.Navigate(cb.srv.URL+"/c/river"),
		chromedp.WaitVisible(css(`#quiz-form`)),
		chromedp.Click(css(`#q0-1`)),
		chromedp.Click(css(`#q1-0`)),
		chromedp.SendKeys(css(`#qz-name`), "Hanna Elbe"),
		chromedp.SendKeys(css(`#qz-email`), "hanna@example.net"),
		chromedp.Click(css(`#qz-consent`)),
		br.shot("contest-quiz-02-public"),
	)
	accent, err := chromedp.Run(br.ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('#quiz-button')).backgroundColor`))
	require.NoError(t, err)
	br.do(t,
		chromedp.Click(css(`#quiz-button`)),
		chromedp.WaitVisible(css(`#quiz-check-mail`)),
	)
	require.Equal(t, "rgb(90, 31, 122)", accent, "the brand's accent colours the button")
	require.Eventually(t, func() bool { return len(cb.smtp.Messages()) == 1 }, 5*time.Second, 20*time.Millisecond)
	link := linkRE.FindString(cb.smtp.Messages()[0].Body())
	require.True(t, strings.HasPrefix(link, cb.srv.URL), link)
	br.do(t,
		chromedp.Navigate(link),
		chromedp.WaitVisible(css(`#confirm-button`)),
		chromedp.Click(css(`#confirm-button`)),
		chromedp.WaitVisible(css(`#quiz-counted`)),
		br.shot("contest-quiz-03-counted"),
	)
	es, err := cb.st.Entries(context.Background(), ws.ID, c.ID, store.EntryApproved)
	require.NoError(t, err)
	require.Len(t, es, 1)
	require.Equal(t, 1, es[0].Score, "one right answer of two")
	require.Equal(t, []int{1, 0}, es[0].Answers)
}
