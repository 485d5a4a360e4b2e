package main_test

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/network/mastodon/gotosocialtest"
	"github.com/stretchr/testify/require"
)

// TestInfluencerCommands walks the influencer path from the terminal: import
// a CSV list (one bad row named by line and column), add an influencer whose
// Mastodon account lives on the real GoToSocial server, collect it through
// the workspace's Mastodon channel, score it, shortlist it into a campaign,
// move it along the pipeline, add and detect a deliverable, enter results
// and write the reports.
func TestInfluencerCommands(t *testing.T) {
	t.Parallel()
	gts := gotosocialtest.URL(t)
	u, err := url.Parse(gts)
	require.NoError(t, err)
	env := append(dataEnv(t, "sqlite"), "RELAIS_ALLOW_PRIVATE_HOSTS=true", "RELAIS_BASE_URL=https://relais.example.com")
	for _, args := range [][]string{
		{"user", "create", "--email", "o@example.com", "--password-stdin"},
		{"workspace", "create", "--name", "Maison Lune", "--slug", "lune", "--owner", "o@example.com"},
	} {
		_, stderr, err := run(t, env, "a long enough password\n", args...)
		require.NoError(t, err, stderr)
	}
	_, stderr, err := run(t, env, gotosocialtest.Zork.Token+"\n", "channel", "add", "mastodon", "--workspace", "lune", "--instance", gts, "--token-stdin")
	require.NoError(t, err, stderr)

	csvPath := filepath.Join(t.TempDir(), "list.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte("\xef\xbb\xbfNom;Instagram;E-mail;Consentement;Tags\n\"Ana; Lyon\";ana.lyon;ana@example.com;oui;mode|lyon\nBen;ben;ben@example.com;non;\n"), 0o600))
	out, stderr, err := run(t, env, "", "influencer", "import", csvPath, "--workspace", "lune", "--json")
	require.NoError(t, err, stderr)
	var imp struct {
		Created []int64 `json:"created"`
		Errors  []struct {
			Line   int    `json:"line"`
			Column string `json:"column"`
			Reason string `json:"reason"`
		} `json:"errors"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &imp), out)
	require.Len(t, imp.Created, 1)
	require.Len(t, imp.Errors, 1)
	require.Equal(t, 3, imp.Errors[0].Line)
	require.Equal(t, "E-mail", imp.Errors[0].Column)

	out, stderr, err = run(t, env, "", "influencer", "add", "Admin", "--workspace", "lune", "--account", "mastodon:admin@"+u.Host, "--tag", "mode", "--json")
	require.NoError(t, err, stderr)
	var added struct {
		ID       int64 `json:"id"`
		Accounts []struct {
			Handle string `json:"handle"`
		} `json:"accounts"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &added), out)
	id := strconv.FormatInt(added.ID, 10)

	out, stderr, err = run(t, env, "", "influencer", "collect", id, "--workspace", "lune", "--json")
	require.NoError(t, err, stderr)
	require.Contains(t, out, `"followers"`)

	out, stderr, err = run(t, env, "", "influencer", "score", id, "--workspace", "lune", "--json")
	require.NoError(t, err, stderr)
	var scores []struct {
		Known      bool `json:"known"`
		Partial    bool `json:"partial"`
		Components []struct {
			Key, Status, Reason string
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &scores), out)
	require.Len(t, scores, 1)
	require.True(t, scores[0].Partial, "one snapshot: growth is unknown")
	for _, c := range scores[0].Components {
		require.NotEmpty(t, c.Reason, c.Key)
		if c.Key == "growth_anomaly" {
			require.Equal(t, "unknown", c.Status)
		}
	}

	out, stderr, err = run(t, env, "", "influencer", "list", "--workspace", "lune", "--tag", "mode", "--json")
	require.NoError(t, err, stderr)
	var list []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &list), out)
	require.Len(t, list, 2)

	out, stderr, err = run(t, env, "", "campaign", "create", "Lune Drop", "--workspace", "lune", "--currency", "EUR")
	require.NoError(t, err, stderr)
	camp := strings.TrimSpace(out)
	out, stderr, err = run(t, env, "", "influencer", "campaign", "shortlist", "--campaign", camp, "--influencer", id, "--workspace", "lune", "--json")
	require.NoError(t, err, stderr)
	var deal struct {
		ID     int64  `json:"id"`
		Stage  string `json:"stage"`
		LinkID int64  `json:"link_id"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &deal), out)
	require.Equal(t, "shortlisted", deal.Stage)
	dealID := strconv.FormatInt(deal.ID, 10)
	for _, stage := range []string{"contacted", "negotiating", "contracted", "live"} {
		_, stderr, err = run(t, env, "", "influencer", "campaign", "move", dealID, stage, "--workspace", "lune")
		require.NoError(t, err, stderr)
	}
	_, stderr, err = run(t, env, "", "influencer", "campaign", "move", dealID, "contacted", "--workspace", "lune")
	require.Error(t, err)
	require.Contains(t, stderr, "one stage back")
	out, stderr, err = run(t, env, "", "influencer", "campaign", "link", dealID, "https://shop.example/coats", "--network", "mastodon", "--workspace", "lune", "--json")
	require.NoError(t, err, stderr)
	require.NoError(t, json.Unmarshal([]byte(out), &deal), out)
	require.NotZero(t, deal.LinkID)
	_, stderr, err = run(t, env, "", "influencer", "campaign", "update", dealID, "--rate", "400", "--code", "ADM10", "--workspace", "lune")
	require.NoError(t, err, stderr)
	_, stderr, err = run(t, env, "", "influencer", "campaign", "deliverable", "--deal", dealID, "--kind", "post", "--network", "mastodon", "--due", "2026-12-31", "--workspace", "lune")
	require.NoError(t, err, stderr)

	// The influencer publishes with the code; the next collection reads it and its reply.
	word := gotosocialtest.Unique("lunedrop")
	st := gotosocialtest.Post(t, gts, gotosocialtest.Admin, "Trying the new coats, code ADM10 "+word, "")
	gotosocialtest.Post(t, gts, gotosocialtest.Mogul, "@admin love the colour "+word, st.ID)
	// GoToSocial counts replies in a background worker: wait as a client would.
	for i := 0; gotosocialtest.GetStatus(t, gts, gotosocialtest.Mogul, st.ID).Replies == 0; i++ {
		require.Less(t, i, 300, "the reply is never counted")
		time.Sleep(100 * time.Millisecond)
	}
	_, stderr, err = run(t, env, "", "influencer", "collect", id, "--workspace", "lune")
	require.NoError(t, err, stderr)
	out, stderr, err = run(t, env, "", "influencer", "campaign", "detect", dealID, "--workspace", "lune", "--json")
	require.NoError(t, err, stderr)
	var found []struct {
		URL    string `json:"url"`
		Counts struct {
			Comments int64 `json:"comments"`
		} `json:"counts"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &found), out)
	require.Len(t, found, 1, "the status with the discount code is detected")
	require.EqualValues(t, 1, found[0].Counts.Comments)

	convPath := filepath.Join(t.TempDir(), "orders.csv")
	require.NoError(t, os.WriteFile(convPath, []byte("code;orders;revenue\nadm10;12;1000\nnope;1;5\n"), 0o600))
	out, stderr, err = run(t, env, "", "influencer", "campaign", "conversions", camp, convPath, "--workspace", "lune", "--json")
	require.NoError(t, err, stderr)
	require.Contains(t, out, `"updated": 1`)
	require.Contains(t, out, `no influencer of this campaign has the code`)
	out, stderr, err = run(t, env, "", "influencer", "campaign", "results", camp, "--workspace", "lune", "--json")
	require.NoError(t, err, stderr)
	var res struct {
		Total struct {
			Cost float64  `json:"cost"`
			ROI  *float64 `json:"roi"`
		} `json:"total"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &res), out)
	require.InDelta(t, 400, res.Total.Cost, 1e-9)
	require.InDelta(t, 1.5, *res.Total.ROI, 1e-9)

	for _, f := range []string{"csv", "html", "pdf"} {
		path := filepath.Join(t.TempDir(), "report."+f)
		_, stderr, err = run(t, env, "", "influencer", "campaign", "report", camp, "--format", f, "--lang", "de", "--out", path, "--workspace", "lune")
		require.NoError(t, err, stderr)
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		require.NotEmpty(t, b)
		if f == "csv" {
			require.True(t, strings.HasPrefix(string(b), "Influencer,Netzwerk,Reichweite"), string(b))
		}
	}
}
