package feed

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

func TestDeriveTitle(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("word ", 40)
	tests := []struct{ name, text, want string }{
		{"first sentence", "Big news today. More below.", "Big news today."},
		{"first line", "\n\n  Line one  \nline two", "Line one"},
		{"question", "Ready? Go", "Ready?"},
		{"no sentence end", "Hello world", "Hello world"},
		{"url dot kept", "See https://ex.org/a.html for more", "See https://ex.org/a.html for more"},
		{"cjk", "今日は晴れ。明日は雨", "今日は晴れ。"},
		{"whitespace collapsed", "a \t b", "a b"},
		{"controls removed", "bell\x07 ring", "bell ring"},
		{"long cut at word", long, strings.TrimSpace(strings.Repeat("word ", 19)) + "…"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := DeriveTitle(tt.text)
			require.Equal(t, tt.want, got)
			require.LessOrEqual(t, utf8.RuneCountInString(got), MaxItemTitle)
		})
	}
}

func TestDeriveTitleKeepsGraphemesWhole(t *testing.T) {
	t.Parallel()
	family := "👩‍👩‍👧‍👦" // 7 code points, one grapheme
	got := DeriveTitle(strings.Repeat(family, 30))
	require.LessOrEqual(t, utf8.RuneCountInString(got), MaxItemTitle)
	require.True(t, strings.HasSuffix(got, "…"))
	body := strings.TrimSuffix(got, "…")
	require.Equal(t, strings.Repeat(family, strings.Count(body, family)), body, "no family emoji split")
}

func TestTextHTML(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, text, want string }{
		{"escaped", `<b>"x" & 'y'</b>`, `<p>&lt;b&gt;&#34;x&#34; &amp; &#39;y&#39;&lt;/b&gt;</p>`},
		{"paragraphs and breaks", "a\nb\n\n\nc", `<p>a<br/>b</p><p>c</p>`},
		{"crlf", "a\r\nb", `<p>a<br/>b</p>`},
		{"link with punctuation", "Go to https://ex.org/x?a=1&b=2.", `<p>Go to <a href="https://ex.org/x?a=1&amp;b=2" rel="nofollow noopener">https://ex.org/x?a=1&amp;b=2</a>.</p>`},
		{"link in parentheses", "(see https://ex.org/wiki/A_(b))", `<p>(see <a href="https://ex.org/wiki/A_(b)" rel="nofollow noopener">https://ex.org/wiki/A_(b)</a>)</p>`},
		{"no javascript links", "javascript:alert(1)", `<p>javascript:alert(1)</p>`},
		{"quote ends link", `x "https://ex.org/"onmouseover=1`, `<p>x &#34;<a href="https://ex.org/" rel="nofollow noopener">https://ex.org/</a>&#34;onmouseover=1</p>`},
		{"empty", " \n ", ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, TextHTML(tt.text))
		})
	}
}

func TestClean(t *testing.T) {
	t.Parallel()
	require.Equal(t, "ab\tc\nd\re", Clean("a\x00b\tc\nd\re\x1f"))
	require.Equal(t, "x\uFFFDy", Clean("x\xffy"))
	require.Equal(t, "ok", Clean("o\uFFFEk\uFFFF"))
	require.Equal(t, "emoji 😀 שלום", Clean("emoji 😀 שלום"))
}
