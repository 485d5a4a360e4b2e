package api_test

import (
	"testing"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// TestInfluencerRoutes walks the influencer path through the API: import a
// list, add an influencer (consent enforced), shortlist her into a campaign,
// move her, set the deal's terms, add a measured deliverable, import
// conversions and read the results (the reports are tested from the CLI).
func TestInfluencerRoutes(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	const json, csvType = "application/json", "text/csv"
	var prob struct {
		Error struct{ Code, Field, Message string } `json:"error"`
	}
	require.Equal(t, 422, send(t, e, e.tokA, "POST", "/influencers", json, `{"name":"Ana","email":"ana@example.com"}`, &prob))
	require.Equal(t, "consent", prob.Error.Field)

	var imp struct {
		Created []int64 `json:"created"`
		Errors  []struct {
			Line   int    `json:"line"`
			Column string `json:"column"`
		} `json:"errors"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/influencers/import", csvType, "name;instagram;pays\nAna;ana.m;FR\nBen;ben;France\n", &imp))
	require.Len(t, imp.Created, 1)
	require.Len(t, imp.Errors, 1)
	require.Equal(t, 3, imp.Errors[0].Line)
	require.Equal(t, "pays", imp.Errors[0].Column)

	var in struct {
		ID       int64 `json:"id"`
		Accounts []struct {
			Handle string `json:"handle"`
		} `json:"accounts"`
	}
	require.Equal(t, 201, send(t, e, e.tokA, "POST", "/influencers", json,
		`{"name":"Léa","email":"lea@example.com","consent":true,"tags":["Mode"],"accounts":[{"network":"bluesky","handle":"@lea.bsky.social"}]}`, &in))
	require.Equal(t, "lea.bsky.social", in.Accounts[0].Handle)
	var scores struct {
		Scores []struct {
			Known   bool `json:"known"`
			Partial bool `json:"partial"`
		} `json:"scores"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/influencers/"+idStr(in.ID)+"/score", "", "", &scores))
	require.Len(t, scores.Scores, 1)
	require.False(t, scores.Scores[0].Known, "nothing collected: no score, never an invented one")

	camp := store.Campaign{WorkspaceID: e.wsA.ID, Name: "Printemps", Currency: "EUR"}
	require.NoError(t, e.st.CreateCampaign(ctx, &camp))
	var deal struct {
		ID     int64  `json:"id"`
		Stage  string `json:"stage"`
		Events []any  `json:"events"`
	}
	require.Equal(t, 201, send(t, e, e.tokA, "POST", "/campaigns/"+idStr(camp.ID)+"/influencers", json, `{"influencer_id":`+idStr(in.ID)+`}`, &deal))
	require.Equal(t, "shortlisted", deal.Stage)
	d := "/influencer-deals/" + idStr(deal.ID)
	require.Equal(t, 200, send(t, e, e.tokA, "POST", d+"/move", json, `{"stage":"contracted","note":"signed"}`, &deal))
	require.Equal(t, "contracted", deal.Stage)
	require.Len(t, deal.Events, 2)
	require.Equal(t, 422, send(t, e, e.tokA, "POST", d+"/move", json, `{"stage":"shortlisted"}`, &prob))
	require.Equal(t, "stage", prob.Error.Field)
	require.Equal(t, 200, send(t, e, e.tokA, "PATCH", d, json, `{"rate_cents":40000,"discount_code":"LEA10"}`, &deal))
	require.Equal(t, 200, send(t, e, e.tokA, "POST", d+"/deliverables", json, `{"kind":"post","network":"bluesky","counts":{"impressions":-1,"views":5000,"reach":-1,"likes":400,"comments":50,"shares":50,"saves":-1,"clicks":-1,"conversions":-1}}`, &deal))

	var conv struct {
		Updated int `json:"updated"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/campaigns/"+idStr(camp.ID)+"/influencer-conversions", csvType, "code,conversions,revenue\nlea10,8,600\n", &conv))
	require.Equal(t, 1, conv.Updated)

	var res struct {
		Total struct {
			Interactions int64    `json:"interactions"`
			Cost         float64  `json:"cost"`
			Revenue      float64  `json:"revenue"`
			EMV          float64  `json:"emv"`
			CPE          *float64 `json:"cost_per_engagement"`
			CPC          *float64 `json:"cost_per_click"`
			ROI          *float64 `json:"roi"`
		} `json:"total"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/campaigns/"+idStr(camp.ID)+"/influencer-results", "", "", &res))
	require.EqualValues(t, 500, res.Total.Interactions)
	require.InDelta(t, 0.8, *res.Total.CPE, 1e-9)
	require.Nil(t, res.Total.CPC, "no short link: cost per click is unknown, not 0")
	require.InDelta(t, 0.5, *res.Total.ROI, 1e-9)
	// Default EMV: 5000 views at CPM 5 (25) + 400 likes × 0.05 (20) + 50 comments × 0.5 (25) + 50 shares × 1 (50).
	require.InDelta(t, 120, res.Total.EMV, 1e-9)
}

// TestInfluencerRoutesEveryOperation walks the influencer operations the path
// test above leaves out, through their successful answers (the test server
// validates each against the OpenAPI document; TestMain checks every
// operation was).
func TestInfluencerRoutesEveryOperation(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	const js = "application/json"
	ok := func(method, path, body string, want int) map[string]any {
		t.Helper()
		var out map[string]any
		ct := ""
		if body != "" {
			ct = js
		}
		status := send(t, e, e.tokA, method, path, ct, body, &out)
		require.Equal(t, want, status, "%s %s: %v", method, path, out)
		return out
	}
	num := func(m map[string]any) string { return idStr(int64(m["id"].(float64))) }
	in := num(ok("POST", "/influencers", `{"name":"Léa","tags":["mode"]}`, 201))
	ok("GET", "/influencers/"+in, "", 200)
	ok("PUT", "/influencers/"+in, `{"name":"Léa Martin","tags":["mode","lyon"],"notes":"Lyon"}`, 200)
	acc := num(ok("POST", "/influencers/"+in+"/accounts", `{"network":"mastodon","handle":"@lea@mastodon.social"}`, 201))
	ok("POST", "/influencers/"+in+"/collect", "", 200)
	ok("PUT", "/influencers/settings", `{"emv":[{"network":"instagram","action":"likes","value":0.1}],"target_languages":["fr"],"brand_safety_terms":["casino"]}`, 200)

	camp := store.Campaign{WorkspaceID: e.wsA.ID, Name: "Été", Currency: "EUR"}
	require.NoError(t, e.st.CreateCampaign(ctx, &camp))
	c := idStr(camp.ID)
	deal := num(ok("POST", "/campaigns/"+c+"/influencers", `{"influencer_id":`+in+`}`, 201))
	ok("GET", "/campaigns/"+c+"/influencers", "", 200)
	ok("GET", "/influencer-deals/"+deal, "", 200)
	ok("POST", "/influencer-deals/"+deal+"/messages", `{"body":"Brief sent"}`, 200)
	m := store.Media{WorkspaceID: e.wsA.ID, SHA256: "c0ffee", MIME: "application/pdf", Kind: store.MediaImage, Bytes: 10, Filename: "contract.pdf"}
	require.NoError(t, e.st.CreateMedia(ctx, &m))
	ok("POST", "/influencer-deals/"+deal+"/contracts", `{"media_id":`+idStr(m.ID)+`,"note":"signed"}`, 200)
	ok("POST", "/influencer-deals/"+deal+"/link", `{"target_url":"https://shop.example/ete","network":"mastodon"}`, 200)
	got := ok("POST", "/influencer-deals/"+deal+"/deliverables", `{"kind":"post","network":"mastodon","brief":"One post"}`, 200)
	dls := got["deliverables"].([]any)
	require.NotEmpty(t, dls)
	dl := num(dls[0].(map[string]any))
	ok("PATCH", "/influencer-deliverables/"+dl, `{"status":"published","url":"https://mastodon.social/@lea/1"}`, 200)
	ok("POST", "/influencer-deals/"+deal+"/detect", "", 200)
	var report string
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/campaigns/"+c+"/influencer-report?format=csv", "", "", &report))
	ok("DELETE", "/influencer-deliverables/"+dl, "", 204)
	ok("DELETE", "/influencer-deals/"+deal, "", 204)
	ok("DELETE", "/influencers/"+in+"/accounts/"+acc, "", 204)
	ok("DELETE", "/influencers/"+in, "", 204)
}
