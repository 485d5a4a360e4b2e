package web

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// TestLinkAndCampaignPages creates a campaign and a short link with the
// forms, shows refusals at their field in the reader's language, and reads
// the link's clicks (bots apart) and the campaign's goals.
func TestLinkAndCampaignPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "etoile")

	res := s.owner.post("/workspaces/etoile/campaigns", form("name", "Printemps", "goal_metric", "clicks", "goal_target", "2", "budget", "99.5", "currency", "eur"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	camps, err := b.st.Campaigns(context.Background(), s.ws.ID)
	require.NoError(t, err)
	require.Len(t, camps, 1)
	require.Equal(t, int64(9950), camps[0].BudgetCents)
	require.Equal(t, "EUR", camps[0].Currency)

	s.owner.lang = "fr"
	res = s.owner.post("/workspaces/etoile/links", form("target_url", "javascript:alert(1)"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Saisissez une adresse http:// ou https://")
	res = s.owner.post("/workspaces/etoile/campaigns", form("name", "x", "currency", "euro"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Saisissez un code de devise à trois lettres")
	s.owner.lang = ""

	res = s.owner.post("/workspaces/etoile/links", form("target_url", "https://etoile.example/printemps", "network", "poster", "campaign_id", id(camps[0].ID)))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	links, err := b.st.Links(context.Background(), s.ws.ID, store.ClickFilter{}, 10)
	require.NoError(t, err)
	require.Len(t, links, 1)
	l := links[0]
	require.Equal(t, "poster", l.UTM.Source)
	require.NoError(t, b.st.RecordClicks(context.Background(), []store.Click{
		{LinkID: l.ID, WorkspaceID: s.ws.ID, At: time.Now(), Visitor: "a", Device: "mobile", ReferrerHost: "bsky.app"},
		{LinkID: l.ID, WorkspaceID: s.ws.ID, At: time.Now(), Visitor: "bot", Device: "desktop", Bot: "Discordbot"},
	}))

	page := s.owner.get("/workspaces/etoile/links/" + id(l.ID))
	require.Equal(t, http.StatusOK, page.StatusCode)
	require.Contains(t, page.Body, "/l/"+l.Code)
	require.Contains(t, page.Body, "Clicks by people: 1 · unique visitors: 1 · bots and link previews: 1")
	require.Contains(t, page.Body, "Discordbot")
	require.Contains(t, page.Body, "bsky.app")
	assertNoInlineCode(t, page.Body)
	qr := s.owner.get("/workspaces/etoile/links/" + id(l.ID) + "/qr/svg")
	require.Equal(t, http.StatusOK, qr.StatusCode)
	require.True(t, strings.HasPrefix(qr.Body, "<svg"))
	require.Equal(t, http.StatusNotFound, s.owner.get("/workspaces/etoile/links/"+id(l.ID)+"/qr/gif").StatusCode)

	page = s.owner.get("/workspaces/etoile/campaigns/" + id(camps[0].ID))
	require.Equal(t, http.StatusOK, page.StatusCode)
	require.Contains(t, page.Body, "Budget: 99.50 EUR")
	require.Contains(t, page.Body, `<progress max="100" value="50">`)

	// Editing keeps a goal set through the API that the form does not show.
	c := camps[0]
	c.Goals = append(c.Goals, store.CampaignGoal{Metric: "reach", Target: 1000})
	require.NoError(t, b.st.UpdateCampaign(context.Background(), c))
	require.Contains(t, page.Body, `value="Printemps"`, "the edit form is filled in")
	res = s.owner.post("/workspaces/etoile/campaigns/"+id(c.ID), form("name", "Printemps 2", "goal_metric", "clicks", "goal_target", "4", "starts_at", "2026-03-01", "ends_at", "2026-02-01"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "ends_at must not be before starts_at")
	res = s.owner.post("/workspaces/etoile/campaigns/"+id(c.ID), form("name", "Printemps 2", "goal_metric", "clicks", "goal_target", "4", "currency", "EUR"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	c, err = b.st.Campaign(context.Background(), s.ws.ID, c.ID)
	require.NoError(t, err)
	require.Equal(t, "Printemps 2", c.Name)
	require.Equal(t, []store.CampaignGoal{{Metric: "clicks", Target: 4}, {Metric: "reach", Target: 1000}}, c.Goals)

	// Another workspace's member sees none of it.
	other := newStudio(t, b, "autre")
	require.Equal(t, http.StatusNotFound, other.owner.get("/workspaces/etoile/links/"+id(l.ID)).StatusCode)
	require.Equal(t, http.StatusNotFound, other.owner.get("/workspaces/autre/links/"+id(l.ID)).StatusCode)
	require.Equal(t, http.StatusNotFound, other.owner.get("/workspaces/autre/campaigns/"+id(camps[0].ID)).StatusCode)
	require.Equal(t, http.StatusNotFound, other.owner.post("/workspaces/autre/links/"+id(l.ID)+"/delete", nil).StatusCode)
	require.Equal(t, http.StatusNotFound, other.owner.post("/workspaces/autre/campaigns/"+id(c.ID), form("name", "x")).StatusCode)

	require.Equal(t, http.StatusSeeOther, s.owner.post("/workspaces/etoile/links/settings", form("auto_shorten", "on", "utm_source", "relais-{network}")).StatusCode)
	settings, err := b.st.LinkSettings(context.Background(), s.ws.ID)
	require.NoError(t, err)
	require.True(t, settings.AutoShorten)
	require.Equal(t, map[string]string{"utm_source": "relais-{network}"}, settings.UTMTemplates)
	res = s.owner.post("/workspaces/etoile/links/settings", form("utm_medium", "{nope}"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "unknown placeholder")
}

// TestBioPublicPage saves a bio page and opens it without signing in: real
// links through short links, the page's own language, its colours as a style
// sheet, no script; refused colours say why; a disabled page is not found.
func TestBioPublicPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "soleil")
	require.Equal(t, http.StatusNotFound, b.browser(t).get("/bio/soleil").StatusCode, "not enabled yet")

	base := []string{"enabled", "on", "title", "Soleil", "background", "#ffffff", "foreground", "#1a1a1a", "lang", "fr", "recent_posts", "3", "show_channels", "on",
		"items[0].label", "Boutique", "items[0].url", "https://soleil.example/shop", "items[0].kind", "shop"}
	res := s.owner.post("/workspaces/soleil/bio", form(append(base, "accent", "#ffff66")...))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "accent on the background has a contrast of")
	res = s.owner.post("/workspaces/soleil/bio", form(append(base, "accent", "#0b57d0")...))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)

	for _, tc := range []struct{ lang, follow, shop string }{
		{"fr", "Chaque lien est compté", "Boutique"},
		{"de", "Jeder Link wird gezählt", "Shop"},
		{"en", "Every link is counted", "Shop"},
	} {
		bp, err := b.st.BioPage(context.Background(), s.ws.ID)
		require.NoError(t, err)
		bp.Lang = tc.lang
		require.NoError(t, b.st.SaveBioPage(context.Background(), bp))
		anon := b.browser(t)
		pub := anon.get("/bio/soleil")
		require.Equal(t, http.StatusOK, pub.StatusCode)
		require.Contains(t, pub.Body, `<html lang="`+tc.lang+`">`)
		require.Contains(t, pub.Body, tc.follow)
		require.Contains(t, pub.Body, "("+tc.shop+")")
		require.Contains(t, pub.Body, `href="/bio/soleil/style.css"`)
		require.NotContains(t, pub.Body, "<script")
		require.Regexp(t, `<a class="button" href="[^"]+/l/[A-Za-z0-9]{7}">Boutique`, pub.Body)
		assertNoInlineCode(t, pub.Body)
	}
	// An image of the media library as the avatar, through a signed URL.
	var img bytes.Buffer
	require.NoError(t, png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 32, 32))))
	m, err := b.media.Upload(context.Background(), s.ws.ID, s.user.ID, "logo.png", &img, 0)
	require.NoError(t, err)
	require.Contains(t, s.owner.get("/workspaces/soleil/bio").Body, `<option value="`+id(m.ID)+`">logo.png</option>`)
	res = s.owner.post("/workspaces/soleil/bio", form(append(base, "accent", "#0b57d0", "avatar_media_id", id(m.ID+100))...))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Equal(t, http.StatusSeeOther, s.owner.post("/workspaces/soleil/bio", form(append(base, "accent", "#0b57d0", "avatar_media_id", id(m.ID))...)).StatusCode)
	require.Regexp(t, `<img class="avatar" src="[^"]*/media/`+id(m.ID)+`/fit-1000000\?exp=\d+&amp;sig=[0-9a-f]+"`, b.browser(t).get("/bio/soleil").Body)

	css := b.browser(t).get("/bio/soleil/style.css")
	require.Equal(t, http.StatusOK, css.StatusCode)
	require.Contains(t, css.Body, "background:#ffffff;color:#1a1a1a")
	require.Contains(t, css.Body, "a{color:#0b57d0}")
	links, err := b.st.Links(context.Background(), s.ws.ID, store.ClickFilter{}, 10)
	require.NoError(t, err)
	require.Len(t, links, 1, "the same short link on every view")
	require.Equal(t, "bio", links[0].UTM.Source)
}
