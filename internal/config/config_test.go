package config

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValidateMetaApp(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		meta MetaApp
		err  string
	}{
		{"none", MetaApp{}, ""},
		{"all", MetaApp{AppID: "1", AppSecret: "s", InstagramID: "2", InstagramSecret: "t", ThreadsID: "3", ThreadsSecret: "u", APIURL: "http://127.0.0.1:9"}, ""},
		{"id without secret", MetaApp{AppID: "1"}, "needs its secret"},
		{"threads secret without id", MetaApp{ThreadsSecret: "u"}, "needs its secret"},
		{"bad api url", MetaApp{APIURL: "graph.facebook.com"}, "--meta-api-url"},
	}
	for _, tc := range cases {
		err := Config{DataDir: "d", Meta: tc.meta}.Validate()
		if tc.err == "" {
			require.NoError(t, err, tc.name)
		} else {
			require.ErrorContains(t, err, tc.err, tc.name)
		}
	}
}

func TestValidateVideoApps(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		cfg  Config
		err  string
	}{
		{"none", Config{}, ""},
		{"youtube", Config{YouTube: YouTubeApp{ClientID: "c", ClientSecret: "s", APIURL: "http://127.0.0.1:9", Quota: "daily=5"}}, ""},
		{"youtube id without secret", Config{YouTube: YouTubeApp{ClientID: "c"}}, "--youtube-client-id needs --youtube-client-secret"},
		{"youtube bad url", Config{YouTube: YouTubeApp{APIURL: "www.googleapis.com"}}, "--youtube-api-url"},
		{"vimeo", Config{Vimeo: VimeoApp{ClientID: "c", ClientSecret: "s"}}, ""},
		{"vimeo secret without id", Config{Vimeo: VimeoApp{ClientSecret: "s"}}, "--vimeo-client-id needs --vimeo-client-secret"},
		{"vimeo bad url", Config{Vimeo: VimeoApp{APIURL: "ftp://api.vimeo.com"}}, "--vimeo-api-url"},
	} {
		tc.cfg.DataDir = "d"
		err := tc.cfg.Validate()
		if tc.err == "" {
			require.NoError(t, err, tc.name)
		} else {
			require.ErrorContains(t, err, tc.err, tc.name)
		}
	}
}
