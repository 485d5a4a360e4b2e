package web

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	_ "github.com/relais/relais/internal/network/mastodon" // registers the provider
	"github.com/relais/relais/internal/network/mastodon/gotosocialtest"
	"github.com/relais/relais/internal/store"
)

// TestBrowserInboxAnswersOnGoToSocial: another account answers the brand's
// status with a complaint on the real GoToSocial server; in Chromium the
// community manager finds it in the inbox (negative), opens it with the
// keyboard (j, r), writes the reply and sends it; the reply is on the server,
// once, as an answer to the comment, and the page shows its URL.
func TestBrowserInboxAnswersOnGoToSocial(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	gts := gotosocialtest.URL(t)
	t.Parallel()
	ctx := context.Background()
	b := setup(t)
	allow := true
	b.chans.Env.HTTP = network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow})
	u, err := b.auth.CreateUser(ctx, "ines@example.com", "Ines", "correct horse battery", false)
	require.NoError(t, err)
	ws := b.workspace(t, u, "Inbox Studio", "ibx")
	p, err := b.auth.Principal(ctx, u, ws.ID)
	require.NoError(t, err)
	_, err = b.chans.Connect(ctx, p, network.Mastodon, map[string]string{"instance": gts, "access_token": gotosocialtest.Zork.Token})
	require.NoError(t, err)

	word := gotosocialtest.Unique("browserinbox")
	post := gotosocialtest.Post(t, gts, gotosocialtest.Zork, "Our winter sale starts today "+word, "")
	comment := gotosocialtest.Post(t, gts, gotosocialtest.Mogul, "@the_mighty_zork Awful, my parcel never arrived and support ignores me "+word, post.ID)
	require.Eventually(t, func() bool {
		_, err := b.inbox.SyncWorkspace(ctx, ws.ID)
		require.NoError(t, err)
		list, err := b.st.Messages(ctx, ws.ID, store.MessageFilter{Search: word})
		require.NoError(t, err)
		return len(list) == 1
	}, 30*time.Second, 500*time.Millisecond, "the comment did not reach the inbox")

	br := startBrowser(t, 1280, 900, 90*time.Second, nil)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	reply := "So sorry, we are tracking your parcel now " + word
	br.signIn(t, b.srv.URL, "ines@example.com")
	br.do(t,
		chromedp.Click(css(`#nav-inbox`)),
		chromedp.WaitVisible(css(`#inbox-filters`)),
		chromedp.SetValue(css(`#f-q`), word),
		chromedp.SetValue(css(`#f-sentiment`), "negative"),
		// The unfiltered list already shows this message's row: wait for the
		// filtered page itself, or the keys below could land on the old one.
		submitAndWait(`#f-q`),
		chromedp.WaitVisible(css(`[data-inbox-row]`)),
		br.shot("70-inbox-list"),
	)
	require.Contains(t, br.text(t, `[data-inbox-row]`), "parcel never arrived")
	require.Contains(t, br.text(t, `[data-inbox-row]`), "Negative")
	// j selects the message, r opens it, r again goes to the reply box.
	br.do(t,
		chromedp.KeyEvent("j"),
		chromedp.KeyEvent("r"),
		chromedp.WaitVisible(css(`#reply-text`)),
		chromedp.KeyEvent("r"),
	)
	focused, err := chromedp.Run(br.ctx, chromedp.Evaluate[string](`document.activeElement.id`))
	require.NoError(t, err)
	require.Equal(t, "reply-text", focused, "r puts the cursor in the reply box")
	// chromedp sends the key's character apart from its keydown, so its r lands
	// in the box (a person's does not); empty it before typing.
	_, err = chromedp.Run(br.ctx, chromedp.Evaluate[bool](`(document.getElementById("reply-text").value = "", true)`))
	require.NoError(t, err)
	br.do(t,
		chromedp.SendKeys(css(`#reply-text`), reply),
		chromedp.Click(css(`#reply-send`)),
		chromedp.WaitVisible(css(`.reply-url`)),
		br.shot("71-inbox-answered"),
	)
	replyURL := strings.TrimSpace(br.text(t, `.reply-url`))
	require.True(t, strings.HasPrefix(replyURL, "http"), replyURL)

	mine := gotosocialtest.RepliesBy(t, gts, gotosocialtest.Zork, comment.ID, "tracking your parcel")
	require.Len(t, mine, 1, "the reply is on GoToSocial once, as an answer to the comment")
	require.Equal(t, replyURL, mine[0].URL)

	// e closes the conversation from its page.
	br.do(t, chromedp.KeyEvent("e"), chromedp.WaitReady(css(`form[action$="/change"] input[name=state][value=open]`)))
	m, err := b.st.Messages(ctx, ws.ID, store.MessageFilter{Search: word})
	require.NoError(t, err)
	require.Equal(t, store.MessageClosed, m[0].State)
	require.True(t, m[0].Answered)
	br.requireNoProblems(t)
}
