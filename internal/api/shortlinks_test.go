package api_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// TestShortLinksCampaignsAndBio drives links, campaigns and the bio page
// through the API on both databases: fields, validation naming the field,
// clicks counted with bots apart, goals against results, workspace scoping.
func TestShortLinksCampaignsAndBio(t *testing.T) {
	t.Parallel()
	for _, db := range storetest.Dialects() {
		t.Run(db, func(t *testing.T) {
			t.Parallel()
			e := setup(t, db)
			const js = "application/json"
			var prob struct {
				Error struct{ Code, Field, Message string } `json:"error"`
			}
			type linkJSON struct {
				ID          int64  `json:"id"`
				Code        string `json:"code"`
				ShortURL    string `json:"short_url"`
				Destination string `json:"destination"`
				CampaignID  int64  `json:"campaign_id"`
				Clicks      int64  `json:"clicks"`
				Unique      int64  `json:"unique_clicks"`
				Bots        int64  `json:"bot_clicks"`
				UTM         struct{ Source, Medium, Campaign string }
			}
			var camp struct {
				ID int64 `json:"id"`
			}
			require.Equal(t, 201, send(t, e, e.tokA, "POST", "/campaigns", js,
				`{"name":"Spring Sale","goals":[{"metric":"clicks","target":4},{"metric":"reach","target":1000}],"budget_cents":50000,"currency":"EUR"}`, &camp))
			require.Equal(t, 422, send(t, e, e.tokA, "POST", "/campaigns", js, `{"name":"x","currency":"euro"}`, &prob))
			require.Equal(t, "currency", prob.Error.Field)

			var l linkJSON
			require.Equal(t, 201, send(t, e, e.tokA, "POST", "/links", js,
				`{"target_url":"https://shop.example/spring","network":"mastodon","campaign_id":`+idStr(camp.ID)+`}`, &l))
			require.Equal(t, "http://relais.test/l/"+l.Code, l.ShortURL)
			require.Equal(t, "https://shop.example/spring?utm_campaign=spring-sale&utm_medium=social&utm_source=mastodon", l.Destination)
			require.Equal(t, 422, send(t, e, e.tokA, "POST", "/links", js, `{"target_url":"javascript:alert(1)"}`, &prob))
			require.Equal(t, "target_url", prob.Error.Field)
			require.Equal(t, 201, send(t, e, e.tokA, "POST", "/links", js, `{"target_url":"https://a.example/","code":"spring-26","utm":{"source":"poster","medium":"print"}}`, nil))
			require.Equal(t, 422, send(t, e, e.tokA, "POST", "/links", js, `{"target_url":"https://a.example/","code":"spring-26"}`, &prob))
			require.Equal(t, "code", prob.Error.Field)
			require.Equal(t, "taken", prob.Error.Code)

			now := time.Now().UTC()
			require.NoError(t, e.st.RecordClicks(ctx, []store.Click{
				{LinkID: l.ID, WorkspaceID: e.wsA.ID, At: now, Visitor: "a", Device: "mobile", ReferrerHost: "mastodon.social"},
				{LinkID: l.ID, WorkspaceID: e.wsA.ID, At: now, Visitor: "a", Device: "mobile"},
				{LinkID: l.ID, WorkspaceID: e.wsA.ID, At: now, Visitor: "b", Device: "desktop"},
				{LinkID: l.ID, WorkspaceID: e.wsA.ID, At: now, Visitor: "bot", Device: "desktop", Bot: "Slackbot"},
			}))
			var got linkJSON
			require.Equal(t, 200, send(t, e, e.tokA, "GET", "/links/"+idStr(l.ID), "", "", &got))
			require.Equal(t, [3]int64{3, 2, 1}, [3]int64{got.Clicks, got.Unique, got.Bots})
			var stats struct {
				Clicks   int64 `json:"clicks"`
				Country  string
				ByDevice []struct {
					Key    string
					Clicks int64
				} `json:"by_device"`
				ByBot []struct{ Key string } `json:"by_bot"`
			}
			require.Equal(t, 200, send(t, e, e.tokA, "GET", "/links/"+idStr(l.ID)+"/stats", "", "", &stats))
			require.Equal(t, int64(3), stats.Clicks)
			require.Equal(t, "unknown", stats.Country)
			require.Len(t, stats.ByDevice, 2)
			require.Len(t, stats.ByBot, 2)
			var list struct{ Links []linkJSON }
			require.Equal(t, 200, send(t, e, e.tokA, "GET", "/links?campaign_id="+idStr(camp.ID), "", "", &list))
			require.Len(t, list.Links, 1)

			var png, svg string
			require.Equal(t, 200, send(t, e, e.tokA, "GET", "/links/"+idStr(l.ID)+"/qr?size=128", "", "", &png))
			require.Equal(t, "\x89PNG", png[:4])
			require.Equal(t, 200, send(t, e, e.tokA, "GET", "/links/"+idStr(l.ID)+"/qr?format=svg", "", "", &svg))
			require.Contains(t, svg, "<svg")

			var result struct {
				Clicks  int64   `json:"clicks"`
				PostIDs []int64 `json:"post_ids"`
				Links   []linkJSON
				Results []struct {
					Metric   string
					Actual   *float64
					Progress *float64
				}
			}
			post := storetest.NewPosts(t, e.st, e.wsA.ID, 1, storetest.NewChannel(t, e.st, e.wsA.ID, "mastodon", "api-links").ID)[0]
			require.Equal(t, 204, send(t, e, e.tokA, "POST", "/campaigns/"+idStr(camp.ID)+"/posts", js, `{"post_id":`+idStr(post.ID)+`}`, nil))
			require.Equal(t, 200, send(t, e, e.tokA, "GET", "/campaigns/"+idStr(camp.ID), "", "", &result))
			require.Equal(t, int64(3), result.Clicks)
			require.Equal(t, []int64{post.ID}, result.PostIDs)
			require.Len(t, result.Links, 1)
			require.Equal(t, 0.75, *result.Results[0].Progress)
			require.Nil(t, result.Results[1].Actual, "reach: unknown, not zero")

			// Another workspace sees none of it.
			require.Equal(t, 404, send(t, e, e.tokB, "GET", "/links/"+idStr(l.ID), "", "", nil))
			require.Equal(t, 404, send(t, e, e.tokB, "GET", "/links/"+idStr(l.ID)+"/stats", "", "", nil))
			require.Equal(t, 404, send(t, e, e.tokB, "GET", "/campaigns/"+idStr(camp.ID), "", "", nil))
			require.Equal(t, 404, send(t, e, e.tokB, "DELETE", "/links/"+idStr(l.ID), "", "", nil))
			require.Equal(t, 404, send(t, e, e.tokB, "POST", "/campaigns/"+idStr(camp.ID)+"/posts", js, `{"post_id":`+idStr(post.ID)+`}`, nil))

			// Settings and bio.
			var settings struct {
				AutoShorten  bool              `json:"auto_shorten"`
				UTMTemplates map[string]string `json:"utm_templates"`
			}
			require.Equal(t, 200, send(t, e, e.tokA, "GET", "/links/settings", "", "", &settings))
			require.Equal(t, "{network}", settings.UTMTemplates["utm_source"])
			require.Equal(t, 422, send(t, e, e.tokA, "PUT", "/links/settings", js, `{"auto_shorten":true,"utm_templates":{"utm_source":"{nope}"}}`, &prob))
			require.Equal(t, "utm_templates.utm_source", prob.Error.Field)
			require.Equal(t, 200, send(t, e, e.tokA, "PUT", "/links/settings", js, `{"auto_shorten":true,"utm_templates":{"utm_source":"relais-{network}"}}`, &settings))
			require.True(t, settings.AutoShorten)
			var bio struct {
				URL   string `json:"url"`
				Title string `json:"title"`
			}
			const page = `{"enabled":true,"title":"Acme","description":"","avatar_url":"","background":"#ffffff","foreground":"#1a1a1a","accent":"%s","lang":"fr","items":[{"label":"Boutique","url":"https://shop.example/","kind":"shop"}],"show_channels":true,"recent_posts":3}`
			require.Equal(t, 422, send(t, e, e.tokA, "PUT", "/bio", js, sprintf(page, "#ffff00"), &prob))
			require.Equal(t, "accent", prob.Error.Field)
			require.Equal(t, "contrast", prob.Error.Code)
			require.Equal(t, 200, send(t, e, e.tokA, "PUT", "/bio", js, sprintf(page, "#0b57d0"), &bio))
			require.Equal(t, "http://relais.test/bio/"+e.wsA.Slug, bio.URL)
			require.Equal(t, 200, send(t, e, e.tokA, "GET", "/bio", "", "", &bio))
			require.Equal(t, "Acme", bio.Title)

			require.Equal(t, 204, send(t, e, e.tokA, "DELETE", "/campaigns/"+idStr(camp.ID)+"/posts/"+idStr(post.ID), "", "", nil))
			require.Equal(t, 200, send(t, e, e.tokA, "PUT", "/campaigns/"+idStr(camp.ID), js, `{"name":"Spring Sale 2"}`, nil))
			require.Equal(t, 204, send(t, e, e.tokA, "DELETE", "/links/"+idStr(l.ID), "", "", nil))
			require.Equal(t, 204, send(t, e, e.tokA, "DELETE", "/campaigns/"+idStr(camp.ID), "", "", nil))
			var camps struct{ Campaigns []any }
			require.Equal(t, 200, send(t, e, e.tokA, "GET", "/campaigns", "", "", &camps))
			require.Empty(t, camps.Campaigns)
		})
	}
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
