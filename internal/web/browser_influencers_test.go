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

// TestBrowserInfluencerDirectoryToPipeline drives Chromium through the
// influencer path: add an influencer in the directory, shortlist her into a
// campaign from the directory's row, see her on the campaign's pipeline
// board, move her to "contacted", and set the deal's terms and log a message.
func TestBrowserInfluencerDirectoryToPipeline(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	b := setup(t)
	s := newStudio(t, b, "infl")
	ctx := context.Background()
	camp := store.Campaign{WorkspaceID: s.ws.ID, Name: "Printemps", Currency: "EUR"}
	require.NoError(t, b.st.CreateCampaign(ctx, &camp))

	br := startBrowser(t, 1280, 900, 180*time.Second, nil)
	br.signIn(t, b.srv.URL, "infl@example.com")
	css := func(q string) chromedp.CSS { return chromedp.CSS(q) }
	base := b.srv.URL + "/workspaces/infl"
	br.do(t,
		chromedp.Navigate(base+"/influencers"),
		chromedp.WaitVisible(css(`#influencer-add`)),
		chromedp.SendKeys(css(`#influencer-add input[name=name]`), "Léa Martin"),
		chromedp.SetValue(css(`#influencer-add select[name=network]`), "mastodon"),
		chromedp.SendKeys(css(`#influencer-add input[name=handle]`), "@lea@mastodon.social"),
		chromedp.SendKeys(css(`#influencer-add input[name=tags]`), "mode, lyon"),
		chromedp.Submit(css(`#influencer-add input[name=name]`)),
		chromedp.WaitVisible(css(`#account-list`)),
		br.shot("influencer-added"),
	)
	require.Contains(t, br.text(t, `#account-list`), "lea@mastodon.social")
	list, err := b.st.Influencers(ctx, s.ws.ID, store.InfluencerFilter{})
	require.NoError(t, err)
	require.Len(t, list, 1)
	inID := id(list[0].ID)

	br.do(t,
		chromedp.Navigate(base+"/influencers?tag=lyon"),
		chromedp.WaitVisible(css(`#influencer-list`)),
		chromedp.Click(css(`#shortlist-button-`+inID)),
		chromedp.WaitVisible(css(`#pipeline`)),
		br.shot("influencer-pipeline"),
	)
	require.Contains(t, br.text(t, `#stage-shortlisted`), "Léa Martin")
	deals, err := b.st.InfluencerDeals(ctx, s.ws.ID, camp.ID, 0)
	require.NoError(t, err)
	require.Len(t, deals, 1)
	dealID := id(deals[0].ID)

	br.do(t,
		chromedp.SetValue(css(`#move-`+dealID), "contacted"),
		chromedp.Click(css(`#move-button-`+dealID)),
		chromedp.WaitVisible(css(`#stage-contacted #deal-`+dealID)),
	)
	require.NotContains(t, br.text(t, `#stage-shortlisted`), "Léa Martin")
	d, err := b.st.InfluencerDeal(ctx, s.ws.ID, deals[0].ID)
	require.NoError(t, err)
	require.Equal(t, "contacted", d.Stage)
	evs, err := b.st.InfluencerEvents(ctx, s.ws.ID, d.ID)
	require.NoError(t, err)
	require.Len(t, evs, 2, "shortlisted and contacted are logged")
	require.True(t, strings.Contains(br.text(t, `#pipeline`), "Contacted"))

	// The deal's page (the card's link followed by address: a click that lands
	// while the board is still settling can wait out the test's deadline on a
	// loaded machine): terms and a logged message.
	attr, err := chromedp.Run(br.ctx, chromedp.AttributeValue(css(`#deal-`+dealID+` a`), "href"))
	require.NoError(t, err)
	require.True(t, attr.Exists, "the deal card links to the deal")
	br.do(t,
		chromedp.Navigate(b.srv.URL+attr.Value),
		chromedp.WaitVisible(css(`#deal-terms`)),
		chromedp.SetValue(css(`#deal-terms input[name=rate]`), "450"),
		chromedp.SetValue(css(`#deal-terms input[name=discount_code]`), "LEA10"),
		submitAndWait(`#deal-terms input[name=rate]`),
		chromedp.WaitVisible(css(`#deal-message`)),
		chromedp.SendKeys(css(`#deal-message textarea`), "Brief sent by e-mail"),
		submitAndWait(`#deal-message textarea`),
		chromedp.WaitVisible(css(`#deal-log`)),
		br.shot("influencer-deal"),
	)
	require.Contains(t, br.text(t, `#deal-log`), "Brief sent by e-mail")
	d, err = b.st.InfluencerDeal(ctx, s.ws.ID, deals[0].ID)
	require.NoError(t, err)
	require.EqualValues(t, 45_000, d.RateCents)
	require.Equal(t, "LEA10", d.DiscountCode)
	br.requireNoProblems(t)
}
