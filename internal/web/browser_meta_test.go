package web

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/meta"
	"github.com/relais/relais/internal/network/meta/metatest"
)

// TestBrowserConnectInstagramAndThreads connects an Instagram account with
// Instagram Login and a Threads account from the channels page in Chromium,
// through the fake's consent pages and back to relais's callbacks.
func TestBrowserConnectInstagramAndThreads(t *testing.T) {
	// Parallel, so it runs once the sequential tests are done: the Meta app is
	// process-wide configuration, and the only other test that sets it
	// (TestChannelsConnectMetaNetworks) is sequential, so none runs beside this one. It
	// used to time out in full runs: after the Threads connect it waited for a
	// flash message the page of the Instagram connect already showed, and so
	// acted on a page being replaced. Each connect now waits for the new page.
	t.Parallel()
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	b := setup(t)
	allow := true
	// A generous timeout: on a loaded CI machine the callback's three calls to
	// the fake (code, long-lived token, profile) must not fail the connect,
	// which would leave no channel list to wait for.
	b.chans.Env.HTTP = network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow, Timeout: 30 * time.Second})
	fake := metatest.New(t, metatest.Options{})
	meta.Configure(meta.App{ID: metatest.AppID, Secret: metatest.AppSecret, InstagramID: metatest.InstagramAppID, InstagramSecret: metatest.InstagramAppSecret,
		ThreadsID: metatest.ThreadsAppID, ThreadsSecret: metatest.ThreadsAppSecret, Endpoints: meta.SameHost(fake.URL)})
	t.Cleanup(func() { meta.Configure(meta.App{}) })
	u, err := b.auth.CreateUser(context.Background(), "nina@example.com", "Nina", "correct horse battery", false)
	require.NoError(t, err)
	w := b.workspace(t, u, "Maison Nina", "nina")

	br := startBrowser(t, 1280, 900, 90*time.Second, nil)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	br.signIn(t, b.srv.URL, "nina@example.com")
	br.do(t,
		chromedp.Navigate(b.srv.URL+"/workspaces/nina/channels"),
		chromedp.Click(css(`#connect-instagram summary`)),
		chromedp.WaitVisible(css(`#connect-instagram select[name=login]`)),
		chromedp.SetValue(css(`#connect-instagram select[name=login]`), "instagram"),
		br.shot("71-connect-instagram"),
		// The connect goes through the OAuth redirects and back to the
		// channels page: wait for that new page, not for an element the old
		// one already has.
		submitAndWait(`#connect-instagram form[action="/channels/connect/instagram/start"] button[type=submit]`),
		chromedp.WaitVisible(css(`.channel-list`)),
		chromedp.Click(css(`#connect-threads summary`)),
		submitAndWait(`#connect-threads form[action="/channels/connect/threads/start"] button[type=submit]`),
		chromedp.WaitVisible(css(`.flash`)),
		br.shot("72-connected-instagram-threads"),
	)
	require.Contains(t, br.text(t, `.channel-list`), "@relais.boutique")
	list, err := b.st.Channels(context.Background(), w.ID)
	require.NoError(t, err)
	require.Len(t, list, 2)
	nets := map[string]bool{}
	for _, c := range list {
		nets[c.Network] = true
	}
	require.True(t, nets["instagram"] && nets["threads"], "%v", nets)
	st, err := b.chans.Stored(list[0])
	require.NoError(t, err)
	require.NotEmpty(t, st.Secrets["access_token"])
	br.requireNoProblems(t)
}
