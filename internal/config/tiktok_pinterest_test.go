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
