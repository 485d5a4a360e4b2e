package web

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// TestBrowserInsertSavedReply: on a message's page in Chromium, choosing a
// saved reply puts its text, the author's first name filled in, in the
// reply box, ready to edit and send.
func TestBrowserInsertSavedReply(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	b := setup(t)
	ctx := context.Background()
	u, err := b.auth.CreateUser(ctx, "sara@example.com", "Sara", "correct horse battery", false)
	require.NoError(t, err)
	ws := b.workspace(t, u, "Saved Studio", "saved")
	ch := storetest.NewChannel(t, b.st, ws.ID, "mastodon", "saved")
	sr := store.SavedReply{WorkspaceID: ws.ID, Name: "Parcel", Lang: "en", Body: "Hi {first_name}, we are tracking your parcel."}
	require.NoError(t, b.st.CreateSavedReply(ctx, &sr))
	m := &store.Message{WorkspaceID: ws.ID, ChannelID: ch.ID, Network: "mastodon", RemoteID: "p1", Kind: store.KindReply,
		AuthorHandle: "@jo@example.org", AuthorName: "Jo Park", Text: "Where is my parcel?", Language: "en", Sentiment: "negative"}
	_, err = b.st.InsertMessages(ctx, []*store.Message{m})
	require.NoError(t, err)

	br := startBrowser(t, 1280, 1000, 60*time.Second, nil)
	br.signIn(t, b.srv.URL, "sara@example.com")
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	br.do(t,
		chromedp.Navigate(fmt.Sprintf("%s/workspaces/saved/inbox/%d", b.srv.URL, m.ID)),
		chromedp.WaitVisible(css(`#saved-reply`)),
	)
	// A person's choice: the option selected, then the change event.
	_, err = chromedp.Run(br.ctx, chromedp.Evaluate[bool](`(() => { const s = document.getElementById("saved-reply");
		s.selectedIndex = 1; return s.dispatchEvent(new Event("change", {bubbles: true})); })()`))
	require.NoError(t, err)
	text, err := chromedp.Run(br.ctx, chromedp.Evaluate[string](`document.getElementById("reply-text").value`))
	require.NoError(t, err)
	require.Equal(t, "Hi Jo, we are tracking your parcel.", text)
	br.requireNoProblems(t)
}
