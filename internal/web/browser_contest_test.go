package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// TestBrowserContest runs a photo contest in Chromium: the organiser creates
// it, a visitor enters with a photo, the organiser approves the entry, a
// voter votes (pow.js solves the proof of work) and confirms through the
// link mailed to mailtest, and the organiser closes entries and draws.
func TestBrowserContest(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	cb := setupContests(t, 16)
	u, err := cb.auth.CreateUser(context.Background(), "olga@example.com", "Olga", "correct horse battery", false)
	require.NoError(t, err)
	ws := cb.workspace(t, u, "Otto Studio", "otto")
	pic := filepath.Join(t.TempDir(), "brigitte.png")
	require.NoError(t, os.WriteFile(pic, pngBytes(t), 0o644))

	br := startBrowser(t, 1280, 900, 120*time.Second, nil)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	br.signIn(t, cb.srv.URL, "olga@example.com")
	br.do(t,
		chromedp.Click(css(`a[href="/workspaces/otto/contests"]`)),
		chromedp.WaitVisible(css(`#contest-form`)),
		chromedp.SendKeys(css(`#ct-title`), "Face of our channel"),
		chromedp.SendKeys(css(`#ct-slug`), "face"),
		chromedp.SendKeys(css(`#ct-countries`), "DE, FR"),
		chromedp.SendKeys(css(`#ct-age`), "16"),
		chromedp.SendKeys(css(`#ct-rules`), "Organiser: Otto Studio, Hamburg."),
		br.shot("contest-01-create"),
		chromedp.Click(css(`#contest-create`)),
		chromedp.WaitVisible(css(`#contest-public`)),
	)
	c, err := cb.st.ContestBySlug(context.Background(), "face")
	require.NoError(t, err)
	require.Equal(t, ws.ID, c.WorkspaceID)

	// A visitor enters on the public page.
	br.do(t,
		chromedp.Navigate(cb.srv.URL+"/c/face"),
		chromedp.WaitVisible(css(`a.button[href="/c/face/enter"]`)),
		chromedp.Click(css(`a.button[href="/c/face/enter"]`)),
		chromedp.WaitVisible(css(`#enter-form`)),
		chromedp.SendKeys(css(`#en-title`), "Brigitte"),
		chromedp.SendKeys(css(`#en-name`), "Brigitte Muster"),
		chromedp.SendKeys(css(`#en-email`), "brigitte@example.org"),
		chromedp.SetValue(css(`#en-country`), "DE"),
		chromedp.SetUploadFiles(css(`#en-file`), []string{pic}),
		chromedp.Click(css(`#en-age`)),
		chromedp.Click(css(`#en-consent`)),
		br.shot("contest-02-enter"),
		chromedp.Click(css(`#enter-button`)),
		chromedp.WaitVisible(css(`#entered`)),
	)
	entries, err := cb.st.Entries(context.Background(), ws.ID, c.ID, store.EntryPending)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	e := entries[0]

	// The organiser approves it; the entrant is told.
	admin := fmt.Sprintf("%s/workspaces/otto/contests/%d", cb.srv.URL, c.ID)
	br.do(t,
		chromedp.Navigate(admin),
		chromedp.WaitVisible(css(fmt.Sprintf(`#approve-%d`, e.ID))),
		br.shot("contest-03-queue"),
		chromedp.Click(css(fmt.Sprintf(`#approve-%d`, e.ID))),
		chromedp.WaitVisible(css(`#standings`)),
	)
	require.Eventually(t, func() bool { return len(cb.smtp.Messages()) == 1 }, 5*time.Second, 20*time.Millisecond)

	// A voter votes: pow.js solves the challenge before the form goes.
	br.do(t,
		chromedp.Navigate(fmt.Sprintf("%s/c/face/e/%d", cb.srv.URL, e.ID)),
		chromedp.WaitVisible(css(`#vote-form`)),
		chromedp.SendKeys(css(`#vote-email`), "fan@example.net"),
		br.shot("contest-04-entry"),
		chromedp.Click(css(`#vote-button`)),
		chromedp.WaitVisible(css(`#check-mail`)),
	)
	require.Eventually(t, func() bool { return len(cb.smtp.Messages()) == 2 }, 5*time.Second, 20*time.Millisecond)
	link := linkRE.FindString(cb.smtp.Messages()[1].Body())
	require.True(t, strings.HasPrefix(link, cb.srv.URL), link)
	br.do(t,
		chromedp.Navigate(link),
		chromedp.WaitVisible(css(`#confirm-button`)),
		chromedp.Click(css(`#confirm-button`)),
		chromedp.WaitVisible(css(`#vote-counted`)),
		br.shot("contest-05-counted"),
	)
	counts, err := cb.st.VoteCounts(context.Background(), ws.ID, c.ID)
	require.NoError(t, err)
	require.Equal(t, []store.VoteCount{{EntryID: e.ID, Votes: 1}}, counts)

	// The organiser sees the count, closes entries, draws.
	br.do(t,
		chromedp.Navigate(admin),
		chromedp.WaitVisible(css(`#contest-commit`)),
		chromedp.Click(css(`#contest-commit`)),
		chromedp.WaitVisible(css(`#contest-draw`)),
		chromedp.Click(css(`#contest-draw`)),
		chromedp.WaitVisible(css(`#admin-winners`)),
		br.shot("contest-06-drawn"),
	)
	require.Contains(t, br.text(t, `#contest-totals`), "1 valid votes")
	require.Contains(t, br.text(t, `#admin-winners`), "Brigitte")
	br.do(t,
		chromedp.Navigate(cb.srv.URL+"/c/face/results"),
		chromedp.WaitVisible(css(`#seed`)),
		br.shot("contest-07-results"),
	)
	require.Contains(t, br.text(t, `#winners`), "Brigitte")
	br.requireNoProblems(t)
}
