package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/relais/relais/client"
	"github.com/stretchr/testify/require"
)

// TestErrorsNameTheFieldWithoutPrefixes: API errors name the field and carry
// no Go package prefixes ("feed: ", "webhook: ") nor the validator's generic
// "validation failed: : " with an empty field.
func TestErrorsNameTheFieldWithoutPrefixes(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	for _, tc := range []struct {
		name, body, field, code, message string
	}{
		{"missing property", `{"input":{}}`, "network", "invalid", "network is required"},
		{"wrong type", `{"network":"website","input":{"title":5}}`, "input.title", "invalid", "input.title: expected string"},
		{"feed title too long", `{"network":"website","input":{"title":"` + strings.Repeat("x", 201) + `"}}`, "title", "too_long", "Feed title allows 200 characters; this one has 201"},
		{"feed language", `{"network":"website","input":{"title":"News","language":"english!"}}`, "language", "format", `Language "english!" is not a language tag`},
		{"feed site URL", `{"network":"website","input":{"title":"News","site_url":"ftp://x"}}`, "site_url", "invalid", `Website URL "ftp://x" must start with https:// or http://`},
		{"webhook URL", `{"network":"webhook","input":{"url":"mailto:x@example.com"}}`, "url", "invalid", "URL must start with https:// or http://"},
		{"webhook label", `{"network":"webhook","input":{"url":"https://203.0.113.7/x","label":"` + strings.Repeat("l", 200) + `"}}`, "label", "too_long", "Label allows"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/api/v1/channels", strings.NewReader(tc.body))
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+e.tokA)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.Contains(t, []int{400, 422}, resp.StatusCode, string(b))
			var got struct {
				Error struct{ Code, Message, Field string }
			}
			require.NoError(t, json.Unmarshal(b, &got), string(b))
			require.Equal(t, tc.field, got.Error.Field, string(b))
			require.Equal(t, tc.code, got.Error.Code, string(b))
			require.Contains(t, got.Error.Message, tc.message)
			require.NotRegexp(t, `^(validation failed|feed|webhook|channel|compose): `, got.Error.Message)
			require.NotContains(t, got.Error.Message, ": : ")
		})
	}
}

// TestWebsiteChannelFeeds: a website channel carries its feed addresses; other channels none.
func TestWebsiteChannelFeeds(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	site, err := e.a.ConnectChannel(ctx, "website", map[string]string{"title": "Brand news"})
	require.NoError(t, err)
	require.NotNil(t, site.Feeds)
	base := "http://relais.test/feeds/" + site.Settings["key"]
	require.Equal(t, client.ChannelFeeds{RSS: base + "/rss.xml", Atom: base + "/atom.xml", JSON: base + "/feed.json"}, *site.Feeds)
	other, err := e.a.ConnectChannel(ctx, string(apiTestKind), map[string]string{"name": "brand"})
	require.NoError(t, err)
	require.Nil(t, other.Feeds)
	list, err := e.a.Channels(ctx)
	require.NoError(t, err)
	require.Len(t, list, 2)
}
