package compose

import (
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
)

// sentence returns "Sentence k " padded with words to exactly n ASCII characters, ending in a period.
func sentence(k, n int) string {
	s := "Sentence " + strconv.Itoa(k)
	for len(s) < n-1 {
		s += " word"
	}
	return s[:n-1] + "."
}

func TestSplitThread(t *testing.T) {
	t.Parallel()
	x := limits(network.X)
	s1, s2, s3 := sentence(1, 150), sentence(2, 150), sentence(3, 100)

	t.Run("fits in one part", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, []string{"Hello world."}, SplitThread("  Hello world.\n", x, true))
		require.Nil(t, SplitThread(" \n ", x, true))
	})
	t.Run("sentence boundaries, numbered", func(t *testing.T) {
		t.Parallel()
		got := SplitThread(s1+" "+s2+" "+s3, x, true)
		require.Equal(t, []string{s1 + " 1/2", s2 + " " + s3 + " 2/2"}, got)
	})
	t.Run("sentence boundaries, unnumbered", func(t *testing.T) {
		t.Parallel()
		got := SplitThread(s1+" "+s2+" "+s3, x, false)
		require.Equal(t, []string{s1, s2 + " " + s3}, got)
	})
	t.Run("the first part keeps room for the link sent with it", func(t *testing.T) {
		t.Parallel()
		m := limits(network.Mastodon)
		a, b := sentence(1, 300), sentence(2, 190)
		link := "https://example.com/" + strings.Repeat("p", 40)
		// 300 + 1 + 190 = 491 fits 500 without the link; with it (2 + 23) it does not.
		require.Equal(t, []string{a + " " + b}, SplitThread(a+" "+b, m, true))
		got := SplitThreadWithLink(a+" "+b, link, 0, m, true)
		require.Equal(t, []string{a + " 1/2", b + " 2/2"}, got)
		first := network.TextAsSent(network.Mastodon, network.Part{Text: got[0], Link: link})
		require.LessOrEqual(t, Count(first, m, false).Value, 500)
		// Bluesky makes a card of the link: it takes no room in the text.
		bs := limits(network.Bluesky)
		c, d := sentence(1, 150), sentence(2, 140)
		require.Equal(t, []string{c + " " + d}, SplitThreadWithLink(c+" "+d, link, 0, bs, true))
		// With an image it goes in the text: the first part keeps room for it.
		withImage := SplitThreadWithLink(c+" "+d, link, 1, bs, true)
		require.Equal(t, []string{c + " 1/2", d + " 2/2"}, withImage)
	})
	t.Run("suffix is counted", func(t *testing.T) {
		t.Parallel()
		// a and b fill 278 of 280: together without numbering, apart with " 1/2".
		a, b, c := sentence(1, 137), sentence(2, 140), sentence(3, 130)
		require.Equal(t, []string{a + " " + b, c}, SplitThread(a+" "+b+" "+c, x, false))
		require.Equal(t, []string{a + " 1/2", b + " " + c + " 2/2"}, SplitThread(a+" "+b+" "+c, x, true))
	})
	t.Run("paragraphs keep their line breaks", func(t *testing.T) {
		t.Parallel()
		a, b := sentence(1, 100), sentence(2, 100)
		c := sentence(3, 200)
		got := SplitThread(a+"\n\n"+b+"\n\n"+c, x, false)
		require.Equal(t, []string{a + "\n\n" + b, c}, got)
	})
	t.Run("long sentence falls back to words", func(t *testing.T) {
		t.Parallel()
		text := strings.TrimSpace(strings.Repeat("lorem ipsum dolor ", 40))
		got := SplitThread(text, x, true)
		require.Len(t, got, 3)
		for i, p := range got {
			require.LessOrEqual(t, Count(p, x, false).Value, 280)
			require.True(t, strings.HasSuffix(p, " "+strconv.Itoa(i+1)+"/3"))
		}
		require.Equal(t, strings.Fields(text), strings.Fields(stripSuffixes(got, true)))
	})
	t.Run("long word falls back to graphemes", func(t *testing.T) {
		t.Parallel()
		word := strings.Repeat("ab"+family, 120) // 360 weighted per 120 units
		got := SplitThread(word, x, false)
		require.Greater(t, len(got), 1)
		require.Equal(t, word, strings.Join(got, ""))
		for _, p := range got {
			require.LessOrEqual(t, Count(p, x, false).Value, 280)
			require.True(t, utf8.ValidString(p))
			require.NotEqual(t, '\u200d', []rune(p)[0], "a ZWJ sequence was cut")
		}
	})
	t.Run("bluesky byte limit", func(t *testing.T) {
		t.Parallel()
		bs := limits(network.Bluesky)
		got := SplitThread(strings.Repeat(family+" ", 200), bs, true)
		for _, p := range got {
			m := Count(p, bs, false)
			require.LessOrEqual(t, m.Bytes, 3000)
			require.LessOrEqual(t, m.Value, 300)
		}
		require.Equal(t, 200, strings.Count(stripSuffixes(got, true), family))
	})
	t.Run("suffix grows to two digits", func(t *testing.T) {
		t.Parallel()
		var b strings.Builder
		for i := range 12 {
			b.WriteString(sentence(i, 274) + " ")
		}
		got := SplitThread(b.String(), x, true)
		require.Len(t, got, 12)
		for i, p := range got {
			require.LessOrEqual(t, Count(p, x, false).Value, 280, p)
			require.Equal(t, sentence(i, 274)+" "+strconv.Itoa(i+1)+"/12", p)
		}
	})
	t.Run("urls stay whole", func(t *testing.T) {
		t.Parallel()
		url := "https://example.com/" + strings.Repeat("x", 300)
		got := SplitThread(sentence(1, 250)+" "+url+" "+sentence(2, 250), x, false)
		require.Len(t, got, 2)
		require.Contains(t, got[0]+got[1], url)
	})
}

// stripSuffixes removes the " i/n" numbering and joins parts with a space.
func stripSuffixes(parts []string, numbered bool) string {
	out := make([]string, len(parts))
	for i, p := range parts {
		if numbered {
			p = strings.TrimSuffix(p, " "+strconv.Itoa(i+1)+"/"+strconv.Itoa(len(parts)))
		}
		out[i] = p
	}
	return strings.Join(out, " ")
}

func withoutSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// FuzzSplitThread checks that every part fits its network and that the
// parts keep all the text: all non-space characters in order, and every word
// intact when no word is longer than a part.
func FuzzSplitThread(f *testing.F) {
	f.Add(strings.Repeat("Hello there. ", 60), true)
	f.Add(strings.Repeat(family, 200), false)
	f.Add(strings.Repeat("https://example.com/abc ", 30), true)
	f.Add(strings.Repeat("字", 700)+"。"+strings.Repeat("a", 10), true)
	f.Add(strings.Repeat("e\u0301", 400), false)
	f.Add(strings.Repeat("@a@b.c #x ", 80), true)
	f.Fuzz(func(t *testing.T, text string, numbered bool) {
		if !utf8.ValidString(text) {
			return
		}
		for _, k := range []network.Kind{network.X, network.Bluesky, network.Mastodon, network.Threads} {
			l := limits(k)
			parts := SplitThread(text, l, numbered)
			for _, p := range parts {
				require.NotEmpty(t, strings.TrimSpace(p))
				require.True(t, partFits(p, l), "%s part does not fit: %q", k, p)
			}
			joined := stripSuffixes(parts, numbered && len(parts) > 1)
			require.Equal(t, withoutSpace(text), withoutSpace(joined), k)
			short := true
			for _, w := range strings.Fields(text) {
				short = short && utf8.RuneCountInString(w) < 100
			}
			if short {
				require.Equal(t, strings.Fields(text), strings.Fields(joined), k)
			}
		}
	})
}
