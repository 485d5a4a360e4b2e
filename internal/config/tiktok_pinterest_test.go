package config

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValidateTikTokPinterest(t *testing.T) {
	for name, tc := range map[string]struct {
		c   Config
		err string
	}{
		"none":                 {Config{}, ""},
		"both apps":            {Config{TikTok: TikTokApp{ClientKey: "k", ClientSecret: "s"}, Pinterest: PinterestApp{AppID: "i", AppSecret: "s", Sandbox: true}}, ""},
		"tiktok key alone":     {Config{TikTok: TikTokApp{ClientKey: "k"}}, "--tiktok-client-key and --tiktok-client-secret"},
		"pinterest secret":     {Config{Pinterest: PinterestApp{AppSecret: "s"}}, "--pinterest-app-id and --pinterest-app-secret"},
		"tiktok api url":       {Config{TikTok: TikTokApp{APIURL: "open.tiktokapis.com"}}, "--tiktok-api-url"},
		"pinterest api url":    {Config{Pinterest: PinterestApp{APIURL: "ftp://x"}}, "--pinterest-api-url"},
		"fake api urls are ok": {Config{TikTok: TikTokApp{APIURL: "http://127.0.0.1:9"}, Pinterest: PinterestApp{APIURL: "https://p.example"}}, ""},
	} {
		tc.c.DataDir = "d"
		err := tc.c.Validate()
		if tc.err == "" {
			require.NoError(t, err, name)
		} else {
			require.ErrorContains(t, err, tc.err, name)
		}
	}
}

// TestTikTokPinterestAppSettings: an administrator can enter both apps on the settings page.
func TestTikTokPinterestAppSettings(t *testing.T) {
	var c Config
	for env, got := range map[string]func() string{
		"RELAIS_TIKTOK_CLIENT_KEY":    func() string { return c.TikTok.ClientKey },
		"RELAIS_TIKTOK_CLIENT_SECRET": func() string { return c.TikTok.ClientSecret },
		"RELAIS_PINTEREST_APP_ID":     func() string { return c.Pinterest.AppID },
		"RELAIS_PINTEREST_APP_SECRET": func() string { return c.Pinterest.AppSecret },
	} {
		s, g, ok := AppSettingFor(env)
		require.True(t, ok, env)
		require.Contains(t, []string{"tiktok", "pinterest"}, g.ID)
		s.Set(&c, "v-"+env)
		require.Equal(t, "v-"+env, got(), env)
		require.Equal(t, "v-"+env, s.Get(c))
	}
}
