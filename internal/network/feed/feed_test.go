package feed

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
)

func testEnv() network.Env { return network.Env{BaseURL: "https://relais.example/"} }

func TestProviderIsRegistered(t *testing.T) {
	t.Parallel()
	p, err := network.ProviderFor(network.Website)
	require.NoError(t, err)
	require.Equal(t, network.Website, p.Kind())
	var names []string
	for _, f := range p.Fields() {
		names = append(names, f.Name)
		require.Equal(t, f.Name == SettingTitle, f.Required, f.Name)
	}
	require.Equal(t, []string{"title", "site_url", "description", "language"}, names)
}

func TestConnect(t *testing.T) {
	t.Parallel()
	input := map[string]string{"title": " Brand news ", "site_url": "https://brand.example", "description": "All our news", "language": "de-CH"}
	acct, stored, err := Provider{}.Connect(context.Background(), testEnv(), input)
	require.NoError(t, err)
	key := stored.Settings[SettingKey]
	require.True(t, ValidKey(key))
	raw, err := base64.RawURLEncoding.DecodeString(key)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(raw)*8, 128, "feed key entropy")
	require.Equal(t, map[string]string{"title": "Brand news", "site_url": "https://brand.example", "description": "All our news", "language": "de-CH", "key": key}, stored.Settings)
	require.Empty(t, stored.Secrets)
	require.Equal(t, network.Account{RemoteID: key, Handle: "Brand news", DisplayName: "Brand news", URL: "https://brand.example"}, acct)

	_, again, err := Provider{}.Connect(context.Background(), testEnv(), input)
	require.NoError(t, err)
	require.NotEqual(t, key, again.Settings[SettingKey], "every connect draws a new key")
}

func TestConnectRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		env   network.Env
		input map[string]string
		want  string
	}{
		{"no title", testEnv(), map[string]string{"title": "  "}, "Feed title is required"},
		{"long title", testEnv(), map[string]string{"title": strings.Repeat("é", 201)}, "Feed title allows 200 characters; this one has 201"},
		{"long description", testEnv(), map[string]string{"title": "t", "description": strings.Repeat("d", 1001)}, "Description allows 1000 characters; this one has 1001"},
		{"site scheme", testEnv(), map[string]string{"title": "t", "site_url": "ftp://brand.example"}, `Website URL "ftp://brand.example" must start with https:// or http://`},
		{"site relative", testEnv(), map[string]string{"title": "t", "site_url": "brand.example"}, "must start with https://"},
		{"site without host", testEnv(), map[string]string{"title": "t", "site_url": "https://"}, "has no host"},
		{"language", testEnv(), map[string]string{"title": "t", "language": "english!"}, `Language "english!" is not a language tag`},
		{"no base URL", network.Env{}, map[string]string{"title": "t"}, "RELAIS_BASE_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := Provider{}.Connect(context.Background(), tt.env, tt.input)
			require.ErrorContains(t, err, tt.want)
		})
	}
}

func openTest(t *testing.T, site string) (*Connector, string) {
	t.Helper()
	key, err := NewKey()
	require.NoError(t, err)
	c, err := Provider{}.Open(testEnv(), network.Stored{Settings: map[string]string{"title": "T", "key": key, "site_url": site}})
	require.NoError(t, err)
	return c.(*Connector), key
}

func TestOpenRejectsBadKey(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"", "short", "has/slash/aaaaaaaaaaaaaaaaaaaa", "../../../../etc/passwd/aaaaaa"} {
		_, err := Provider{}.Open(testEnv(), network.Stored{Settings: map[string]string{"title": "T", "key": key}})
		require.ErrorContains(t, err, "feed: stored key is missing or malformed", key)
	}
}

func TestIdentifyWithoutSiteUsesFeedURL(t *testing.T) {
	t.Parallel()
	c, key := openTest(t, "")
	acct, err := c.Identify(context.Background())
	require.NoError(t, err)
	require.Equal(t, "https://relais.example/feeds/"+key+"/rss.xml", acct.URL)
	require.Equal(t, key, acct.RemoteID)
}

func TestURLs(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"https://relais.example", "https://relais.example/"} {
		rss, atom, js := URLs(base, "abc")
		require.Equal(t, "https://relais.example/feeds/abc/rss.xml", rss)
		require.Equal(t, "https://relais.example/feeds/abc/atom.xml", atom)
		require.Equal(t, "https://relais.example/feeds/abc/feed.json", js)
	}
	c, key := openTest(t, "")
	_, atom, _ := URLs(testEnv().BaseURL, key)
	require.Equal(t, atom, c.Feed(Atom).FeedURL)
	require.Equal(t, key, c.Feed(RSS).ID)
}

func TestPublishIsIdempotent(t *testing.T) {
	t.Parallel()
	c, key := openTest(t, "https://brand.example")
	req := network.PublishRequest{IdempotencyKey: "pub-42", Parts: []network.Part{{Text: "hello"}}}
	first, err := c.Publish(context.Background(), req)
	require.NoError(t, err)
	second, err := c.Publish(context.Background(), req)
	require.NoError(t, err)
	require.Equal(t, first, second)
	require.Len(t, first.Parts, 1)
	id := first.Parts[0].ID
	require.Equal(t, ItemID("pub-42"), id)
	require.Regexp(t, `^[0-9a-f]{32}$`, id)
	require.Equal(t, "https://relais.example/feeds/"+key+"/items/"+id, first.Parts[0].URL)

	other, err := c.Publish(context.Background(), network.PublishRequest{IdempotencyKey: "pub-43", Parts: req.Parts})
	require.NoError(t, err)
	require.NotEqual(t, id, other.Parts[0].ID)

	done, err := c.Publish(context.Background(), network.PublishRequest{IdempotencyKey: "pub-44", Parts: req.Parts, Done: first.Parts})
	require.NoError(t, err)
	require.Equal(t, first.Parts, done.Parts, "a finished publication is not renamed")

	require.NoError(t, c.Delete(context.Background(), id))
}

func TestPublishRejects(t *testing.T) {
	t.Parallel()
	c, _ := openTest(t, "")
	_, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "x"}}})
	require.Equal(t, network.Permanent, network.ClassOf(err))
	_, err = c.Publish(context.Background(), network.PublishRequest{IdempotencyKey: "k", Parts: []network.Part{{Text: "a"}, {Text: "b"}}})
	require.Equal(t, network.InvalidContent, network.ClassOf(err))
	require.ErrorContains(t, err, "this one has 2 parts")
}

func TestCapabilities(t *testing.T) {
	t.Parallel()
	c, _ := openTest(t, "")
	caps := network.CapabilitiesOf(c, network.DefaultLimits[network.Website])
	require.Equal(t, network.Capabilities{}, caps)
}
