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
