package web

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/mastodon/gotosocialtest"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// TestBrowserContestMastodonVote votes in Chromium with a Mastodon account
// on the GoToSocial test server: pow.js solves the challenge, the link leads
// to the server's sign-in and consent pages, and the server sends the voter
// back to relais, where the vote is counted (under the pages' strict CSP).
func TestBrowserContestMastodonVote(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	gts := gotosocialtest.URL(t)
	cb := setupContests(t, 12)
	allow := true
	cb.svc.HTTP = network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow})
	u := storeUser(t, cb.st, "social-browser@lune.example")
	ws := mustWorkspace(t, cb.st, "lune-sb", u.ID)
	c := newOpenContest(t, cb.st, ws.ID, "social-browser", store.ContestCandidates, "en")
	e, err := cb.svc.AddCandidate(context.Background(), c, "Brigitte", "test")
	require.NoError(t, err)

	// Only the GoToSocial pages' own console messages are ignored: relais's must stay clean.
	gtsHost := strings.TrimPrefix(gts, "http://")
	br := startBrowser(t, 1280, 900, 120*time.Second, func(msg string) bool {
		return strings.Contains(msg, gtsHost) || strings.Contains(msg, "localhost:8080")
	})
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	br.do(t,
		chromedp.Navigate(fmt.Sprintf("%s/c/social-browser/e/%d", cb.srv.URL, e.ID)),
		chromedp.WaitVisible(css(`#social-form`)),
		chromedp.SendKeys(css(`#social-instance`), gts),
		chromedp.Click(css(`#social-button`)),
		chromedp.WaitVisible(css(`#social-continue`)),
		br.shot("contest-social-01-continue"),
		chromedp.Click(css(`#social-continue`)),
		chromedp.WaitVisible(css(`input[name="username"]`)),
		chromedp.SendKeys(css(`input[name="username"]`), "admin@example.org"),
		chromedp.SendKeys(css(`input[name="password"]`), "password"),
		chromedp.Click(css(`button[type="submit"]`)),
		chromedp.WaitVisible(css(`form[action="/oauth/authorize"] button[type="submit"]`)),
		chromedp.Click(css(`form[action="/oauth/authorize"] button[type="submit"]`)),
		chromedp.WaitVisible(css(`#vote-counted`)),
		br.shot("contest-social-02-counted"),
	)
	counts, err := cb.st.VoteCounts(context.Background(), ws.ID, c.ID)
	require.NoError(t, err)
	require.Equal(t, []store.VoteCount{{EntryID: e.ID, Votes: 1}}, counts)
}
