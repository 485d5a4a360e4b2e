package main_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestListenCommands adds queries from the terminal (a bad one refused with
// its field named), lists them and the mentions as JSON with the API's
// field names, and runs a small listening benchmark.
func TestListenCommands(t *testing.T) {
	t.Parallel()
	env := dataEnv(t, "sqlite")
	_, stderr, err := run(t, env, "a long enough password\n", "user", "create", "--email", "o@example.com", "--password-stdin")
	require.NoError(t, err, stderr)
	_, stderr, err = run(t, env, "", "workspace", "create", "--name", "Brand", "--owner", "o@example.com")
	require.NoError(t, err, stderr)

	out, stderr, err := run(t, env, "", "listen", "query", "add", "Acme", "--workspace", "brand", "--keywords", `acme AND ("customer service" OR refund*)`,
		"--hashtag", "#AcmeDay", "--lang", "en", "--lang", "de", "--json")
	require.NoError(t, err, stderr)
	var q map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &q), out)
	require.Equal(t, "Acme", q["name"])
	require.Equal(t, []any{"acmeday"}, q["hashtags"])
	require.Equal(t, []any{"en", "de"}, q["languages"])

	_, stderr, err = run(t, env, "", "listen", "query", "add", "Bad", "--workspace", "brand", "--keywords", "acme AND (")
	require.Error(t, err)
	require.Contains(t, stderr, "Keywords:")

	out, stderr, err = run(t, env, "", "listen", "query", "list", "--workspace", "brand", "--json")
	require.NoError(t, err, stderr)
	var list struct {
		Queries []map[string]any `json:"queries"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &list), out)
	require.Len(t, list.Queries, 1)
	for _, k := range []string{"id", "name", "keywords", "hashtags", "languages", "paused", "created_at"} {
		require.Contains(t, list.Queries[0], k)
	}

	out, stderr, err = run(t, env, "", "listen", "mentions", "--workspace", "brand", "--json")
	require.NoError(t, err, stderr)
	require.JSONEq(t, `{"mentions":[]}`, out)

	out, stderr, err = run(t, env, "", "bench", "listen", "--events", "5000", "--queries", "100", "--ws-events", "500", "--rate", "5000", "--json")
	require.NoError(t, err, stderr)
	var b struct {
		Events    int     `json:"events"`
		Posts     int     `json:"posts"`
		Matched   int     `json:"matched"`
		EventsPS  float64 `json:"events_per_s"`
		WebSocket struct {
			Events     int     `json:"events"`
			DelayP99MS float64 `json:"delay_p99_ms"`
		} `json:"websocket"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &b), out)
	require.Equal(t, 5000, b.Events)
	require.Greater(t, b.Posts, 3000)
	require.Greater(t, b.Matched, 0)
	require.Positive(t, b.EventsPS)
	require.Equal(t, 500, b.WebSocket.Events)
	require.Positive(t, b.WebSocket.DelayP99MS)
}

func TestCompetitorsCommands(t *testing.T) {
	t.Parallel()
	env := dataEnv(t, "sqlite")
	_, stderr, err := run(t, env, "a long enough password\n", "user", "create", "--email", "o@example.com", "--password-stdin")
	require.NoError(t, err, stderr)
	_, stderr, err = run(t, env, "", "workspace", "create", "--name", "Brand", "--owner", "o@example.com")
	require.NoError(t, err, stderr)
	_, stderr, err = run(t, env, "", "competitors", "panel", "add", "Fashion", "--workspace", "brand", "--account", "Acme-bluesky")
	require.Error(t, err)
	require.Contains(t, stderr, "brand:network:handle")
	out, stderr, err := run(t, env, "", "competitors", "panel", "add", "Fashion", "--workspace", "brand",
		"--account", "Acme:bluesky:acme.bsky.social", "--account", "Globex:mastodon:globex@social.example", "--json")
	require.NoError(t, err, stderr)
	var p struct {
		ID       int64            `json:"id"`
		Accounts []map[string]any `json:"accounts"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &p), out)
	require.Len(t, p.Accounts, 2)
	out, stderr, err = run(t, env, "", "competitors", "panel", "list", "--workspace", "brand", "--json")
	require.NoError(t, err, stderr)
	require.Contains(t, out, `"panels"`)
	out, stderr, err = run(t, env, "", "competitors", "panel", "report", strconv.FormatInt(p.ID, 10), "--workspace", "brand", "--format", "csv")
	require.NoError(t, err, stderr)
	require.Contains(t, out, "rank,brand,network,handle,followers")
	require.Contains(t, out, "Acme,bluesky,acme.bsky.social")
	pdf := t.TempDir() + "/report.pdf"
	_, stderr, err = run(t, env, "", "competitors", "panel", "report", strconv.FormatInt(p.ID, 10), "--workspace", "brand", "--format", "pdf", "--lang", "fr", "--output", pdf)
	require.NoError(t, err, stderr)
	b, err := os.ReadFile(pdf)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(string(b), "%PDF-"))
}

// TestListenFeedCommands adds a website feed served over real HTTP, reads it
// from the terminal twice (the second time the feed answers 304) and lists
// the mention found, as JSON.
func TestListenFeedCommands(t *testing.T) {
	t.Parallel()
	var hits, notModified atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("If-None-Match") == `"v1"` {
			notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Shop blog</title><link>https://shop.example/</link><description>d</description>
<item><title>Acme opens in Berlin</title><link>https://shop.example/acme-berlin</link><guid>acme-berlin</guid><description>&lt;p&gt;Acme is wonderful&lt;/p&gt;</description><pubDate>Fri, 01 May 2026 08:00:00 GMT</pubDate></item>
<item><title>Other news</title><link>https://shop.example/other</link><guid>other</guid><description>nothing</description></item>
</channel></rss>`)
	}))
	defer srv.Close()
	env := append(dataEnv(t, "sqlite"), "RELAIS_ALLOW_PRIVATE_HOSTS=1")
	_, stderr, err := run(t, env, "a long enough password\n", "user", "create", "--email", "o@example.com", "--password-stdin")
	require.NoError(t, err, stderr)
	_, stderr, err = run(t, env, "", "workspace", "create", "--name", "Brand", "--owner", "o@example.com")
	require.NoError(t, err, stderr)
	_, stderr, err = run(t, env, "", "listen", "query", "add", "Acme", "--workspace", "brand", "--keywords", "acme")
	require.NoError(t, err, stderr)
	_, stderr, err = run(t, env, "", "listen", "feed", "add", "file:///etc/passwd", "--workspace", "brand")
	require.Error(t, err)
	require.Contains(t, stderr, "http:// or https://")
	out, stderr, err := run(t, env, "", "listen", "feed", "add", srv.URL+"/rss.xml", "--workspace", "brand", "--json")
	require.NoError(t, err, stderr)
	var f struct {
		ID int64 `json:"id"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &f), out)
	for i, want := range []string{`"new":1`, `"unchanged":1`} {
		out, stderr, err = run(t, env, "", "listen", "feed", "poll", "--workspace", "brand", "--json")
		require.NoError(t, err, stderr)
		require.Contains(t, strings.ReplaceAll(out, " ", ""), want, "poll %d: %s", i+1, out)
	}
	require.EqualValues(t, 1, notModified.Load())
	out, stderr, err = run(t, env, "", "listen", "feed", "list", "--workspace", "brand", "--json")
	require.NoError(t, err, stderr)
	var list struct {
		Feeds []struct {
			Title string `json:"title"`
			Items int64  `json:"items"`
		} `json:"feeds"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &list), out)
	require.Len(t, list.Feeds, 1)
	require.Equal(t, "Shop blog", list.Feeds[0].Title)
	require.EqualValues(t, 1, list.Feeds[0].Items)
	out, stderr, err = run(t, env, "", "listen", "mentions", "--workspace", "brand", "--json")
	require.NoError(t, err, stderr)
	require.Contains(t, out, "https://shop.example/acme-berlin")
	require.NotContains(t, out, "https://shop.example/other")
	_, stderr, err = run(t, env, "", "listen", "feed", "delete", strconv.FormatInt(f.ID, 10), "--workspace", "brand")
	require.NoError(t, err, stderr)
	out, stderr, err = run(t, env, "", "listen", "search", "--workspace", "brand", "--json")
	require.NoError(t, err, stderr)
	require.Contains(t, strings.ReplaceAll(out, " ", ""), `"channels":0`, "no channel that can search")
}
