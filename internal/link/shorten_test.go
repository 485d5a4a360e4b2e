package link

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFindURLs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Our shop: https://shop.example/spring. See you!", []string{"https://shop.example/spring"}},
		{"(see https://en.wikipedia.org/wiki/Otto_(company)) and http://a.example/x?y=1,", []string{"https://en.wikipedia.org/wiki/Otto_(company)", "http://a.example/x?y=1"}},
		{"no link here, only https:// and mailto:x@example.com", nil},
		{"«https://a.example/é»", []string{"https://a.example/é»"}},
	} {
		require.Equal(t, tc.want, FindURLs(tc.text), tc.text)
	}
}

func TestReplaceURL(t *testing.T) {
	t.Parallel()
	text := "A https://a.example/x and https://a.example/xy and https://a.example/x."
	require.Equal(t, "A S and https://a.example/xy and S.", replaceURL(text, "https://a.example/x", "S"))
}

func FuzzFindURLs(f *testing.F) {
	f.Add("see https://shop.example/a?b=c, then (http://x.example/y)")
	f.Add("https://")
	f.Fuzz(func(t *testing.T, text string) {
		for _, u := range FindURLs(text) {
			require.True(t, strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://"), u)
			require.Contains(t, text, u)
			require.NotContains(t, u, " ")
			require.Equal(t, text, replaceURL(text, u, u))
		}
	})
}
