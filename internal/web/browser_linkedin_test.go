package web

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/linkedin"
	"github.com/relais/relais/internal/network/linkedin/linkedintest"
)

// TestBrowserConnectLinkedInPage connects a LinkedIn organization page from
// the channels page in Chromium: "Post as" organization, the page's name,
// "Sign in with LinkedIn", the fake's consent page, and back to relais's
// callback with the page connected.
func TestBrowserConnectLinkedInPage(t *testing.T) {
	// Parallel, so it runs after the sequential tests: the LinkedIn app is
	// process-wide configuration, set by the sequential TestChannelsConnectLinkedIn too.
	t.Parallel()
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	b := setup(t)
	allow := true
	b.chans.Env.HTTP = network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow, Timeout: 30 * time.Second})
	fake := linkedintest.New(t, linkedintest.Options{Organizations: []linkedintest.Organization{{ID: 21, Name: "Atelier Nord", Vanity: "atelier-nord"}, {ID: 22, Name: "Atelier Sud", Vanity: "atelier-sud"}}})
	id, secret := fake.App()
	linkedin.Configure(linkedin.App{ClientID: id, ClientSecret: secret, APIURL: fake.URL})
	t.Cleanup(func() { linkedin.Configure(linkedin.App{}) })
	u, err := b.auth.CreateUser(context.Background(), "lea@example.com", "Léa", "correct horse battery", false)
	require.NoError(t, err)
	w := b.workspace(t, u, "Ateliers", "ateliers")

	br := startBrowser(t, 1280, 900, 90*time.Second, nil)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	form := `#connect-linkedin form[action="/channels/connect/linkedin/start"]`
	br.signIn(t, b.srv.URL, "lea@example.com")
	br.do(t,
		chromedp.Navigate(b.srv.URL+"/workspaces/ateliers/channels"),
		chromedp.Click(css(`#connect-linkedin summary`)),
		chromedp.WaitVisible(css(form+` select[name=as]`)),
		chromedp.SetValue(css(form+` select[name=as]`), "organization"),
		chromedp.SendKeys(css(form+` input[name=organization]`), "Atelier Sud"),
		br.shot("81-connect-linkedin"),
		chromedp.Click(css(form+` button[type=submit]`)),
		chromedp.WaitVisible(css(`.channel-list`)),
		br.shot("82-connected-linkedin"),
	)
	require.Contains(t, br.text(t, `.channel-list`), "atelier-sud")
	list, err := b.st.Channels(context.Background(), w.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, "urn:li:organization:22", list[0].RemoteID)
	br.requireNoProblems(t)
}
