package main_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLinkAndCampaignCommands creates a campaign and a short link from the
// terminal, lists them as JSON with the API's field names, and reads the
// link's statistics and the campaign's goals.
func TestLinkAndCampaignCommands(t *testing.T) {
	t.Parallel()
	env := append(dataEnv(t, "sqlite"), "RELAIS_BASE_URL=https://relais.example.com")
	_, stderr, err := run(t, env, "a long enough password\n", "user", "create", "--email", "o@example.com", "--password-stdin")
	require.NoError(t, err, stderr)
	_, stderr, err = run(t, env, "", "workspace", "create", "--name", "Brand", "--owner", "o@example.com")
	require.NoError(t, err, stderr)

	out, stderr, err := run(t, env, "", "campaign", "create", "Spring Sale", "--workspace", "brand", "--goal", "clicks=500", "--budget", "1200.50", "--currency", "EUR", "--starts", "2026-03-01", "--ends", "2026-03-31")
	require.NoError(t, err, stderr)
	campID := strings.TrimSpace(out)
	require.Regexp(t, `^\d+$`, campID)
	_, stderr, err = run(t, env, "", "campaign", "create", "Bad", "--workspace", "brand", "--currency", "euro")
	require.Error(t, err)
	require.Contains(t, stderr, "currency must be a three-letter ISO 4217 code")

	out, stderr, err = run(t, env, "", "link", "create", "https://shop.example/spring", "--workspace", "brand", "--network", "mastodon", "--campaign", campID)
	require.NoError(t, err, stderr)
	require.Regexp(t, `^https://relais\.example\.com/l/[A-Za-z0-9]{7}\n$`, out)
	_, stderr, err = run(t, env, "", "link", "create", "javascript:alert(1)", "--workspace", "brand")
	require.Error(t, err)
	require.Contains(t, stderr, "target_url must be an http:// or https:// address")

	out, stderr, err = run(t, env, "", "link", "list", "--workspace", "brand", "--json")
	require.NoError(t, err, stderr)
	var links []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &links), out)
	require.Len(t, links, 1)
	for _, k := range []string{"id", "code", "short_url", "target_url", "destination", "utm", "clicks", "unique_clicks", "bot_clicks", "campaign_id"} {
		require.Contains(t, links[0], k)
	}
	require.Equal(t, "https://shop.example/spring?utm_campaign=spring-sale&utm_medium=social&utm_source=mastodon", links[0]["destination"])
	linkID := strconv.Itoa(int(links[0]["id"].(float64)))

	out, stderr, err = run(t, env, "", "link", "stats", linkID, "--workspace", "brand", "--json")
	require.NoError(t, err, stderr)
	var stats map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &stats), out)
	require.EqualValues(t, 0, stats["clicks"])
	require.Equal(t, "unknown", stats["country"])
	_, stderr, err = run(t, env, "", "link", "stats", "99999", "--workspace", "brand")
	require.Error(t, err, stderr)

	out, stderr, err = run(t, env, "", "campaign", "list", "--workspace", "brand", "--json")
	require.NoError(t, err, stderr)
	var camps []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &camps), out)
	require.Len(t, camps, 1)
	require.Equal(t, "Spring Sale", camps[0]["name"])
	require.EqualValues(t, 120050, camps[0]["budget_cents"])

	out, stderr, err = run(t, env, "", "campaign", "show", campID, "--workspace", "brand", "--json")
	require.NoError(t, err, stderr)
	var show struct {
		Name    string
		Links   []map[string]any
		Results []struct {
			Metric   string
			Target   float64
			Actual   *float64
			Progress *float64
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &show), out)
	require.Len(t, show.Links, 1)
	require.Equal(t, "clicks", show.Results[0].Metric)
	require.EqualValues(t, 0, *show.Results[0].Actual)
	out, stderr, err = run(t, env, "", "campaign", "show", campID, "--workspace", "brand")
	require.NoError(t, err, stderr)
	require.Contains(t, out, "goal clicks 500: 0 (0%)")
}
