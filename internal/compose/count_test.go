package compose

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"

	"github.com/relais/relais/internal/network"
)

const (
	family     = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466" // 👨‍👩‍👧‍👦, 4 emoji + 3 ZWJ
	flagFR     = "\U0001F1EB\U0001F1F7"                                       // 🇫🇷
	flagEngl   = "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F"
	keycap1    = "1\uFE0F\u20E3"
	thumbsTone = "\U0001F44D\U0001F3FD" // 👍🏽
	zalgo      = "Z\u0324\u0354\u0367\u0311\u0313"
)

func limits(k network.Kind) network.Limits {
	l, ok := network.LimitsFor(k)
	if !ok {
		panic("unknown network " + string(k))
	}
	return l
}

func TestCountX(t *testing.T) {
	t.Parallel()
	x := limits(network.X)
	tests := []struct {
		name string
		text string
		want int
	}{
		{"ascii", "This is a test.", 15},
		{"http url", "http://test.com", 23},
		{"https url", "https://test.com", 23},
		{"bare domain", "test.com", 23},
		{"several urls", "Test https://test.com test https://test.com test.com test", 86},
		{"ten urls", strings.Repeat("https://www.twitter.com/aloha ", 10), 240},
		{"astral non-emoji weigh 2", "\U00010000\U0010FFFF", 4},
		{"hangul weighs 2", "저찀쯿쿿", 8},
		{"cjk", "故人西辞黄鹤楼", 14},
		{"family zwj sequence", family, 2},
		{"140 families", strings.Repeat(family, 140), 280},
		{"flag", flagFR, 2},
		{"tag sequence flag", flagEngl, 2},
		{"keycap", keycap1, 2},
		{"skin tone", thumbsTone, 2},
		{"unicode 10 emoji", "Unicode 10.0 emoji: 🤪; 🧕; 🧕🏾; " + flagEngl, 34},
		{"unicode 9 emoji", "Unicode 9.0 emoji: 🤠; 💃; 💃🏾", 29},
		{"nfc composes", "A\u0301B", 2},
		{"hebrew marks stay 3 code points", "A\u05E9\u05BC\u05C1", 4},
		{"combining marks weigh 1 each", zalgo, 6},
		{"arabic rtl", "مرحبا بالعالم", 13},
		{"hebrew rtl", "שלום", 4},
		{"directional marks around url", "\u2066\u202Ahttp://foobar.پاکستان/\u202C\u2069", 31},
		{"noncharacters", "ABC\u202A\uFFFFABC\uFFFE", 12},
		{"64-char label is no domain", strings.Repeat("randomurl", 7) + "s.com", 68},
		{"url with balanced parens", "Go (https://en.wikipedia.org/wiki/Go_(programming_language)) rocks", 4 + 23 + 7},
		{"short cc domain without path", "bit.ly", 23},
		{"short cc domain with path", "bit.ly/abc", 23},
		{"t.co is special", "t.co", 23},
		{"email is no url", "foo@example.com", 15},
		{"unknown tld", "file.unknowntld", 15},
		{"general punctuation weighs 1", "\u2013\u2014\u201C\u201D\u2032", 5},
		{"trailing dot stays text", "see example.com.", 4 + 23 + 1},
		{"empty", "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := Count(tc.text, x, false)
			require.Equal(t, tc.want, m.Value)
			require.Equal(t, 280, m.Limit)
			require.Equal(t, network.TwitterWeighted, m.Unit)
		})
	}
}

func TestCountOtherUnits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		kind network.Kind
		text string
		want int
	}{
		{"bluesky family is one grapheme", network.Bluesky, family, 1},
		{"bluesky flag", network.Bluesky, flagFR + flagEngl, 2},
		{"bluesky combining", network.Bluesky, "e\u0301" + zalgo, 2},
		{"bluesky urls count as written", network.Bluesky, "https://example.com", 19},
		{"bluesky cjk", network.Bluesky, "故人西辞", 4},
		{"mastodon url 23 and mention domain", network.Mastodon, "Hi @alice@example.social https://example.com/a/very/long/path/indeed", 3 + 6 + 1 + 23},
		{"mastodon bare domain counts as written", network.Mastodon, "example.com", 11},
		{"mastodon local mention", network.Mastodon, "@bob hi", 7},
		{"mastodon family", network.Mastodon, family + family, 2},
		{"threads emoji as bytes", network.Threads, "👍", 4},
		{"threads family bytes", network.Threads, "Hi " + family, 3 + 25},
		{"threads accented", network.Threads, "é", 1},
		{"threads flag bytes", network.Threads, flagFR, 8},
		{"telegram utf16 astral", network.Telegram, "😀a", 3},
		{"telegram family", network.Telegram, family, 11},
		{"linkedin code points", network.LinkedIn, "e\u0301👍", 3},
		{"youtube bytes", network.YouTube, "é€", 5},
		{"tiktok utf16", network.TikTok, "𝄞", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, Count(tc.text, limits(tc.kind), false).Value)
		})
	}
}

func TestCountLongUnspacedText(t *testing.T) {
	t.Parallel()
	// Japanese is written without spaces: a URL followed by a long run of
	// text must not make the TLD search quadratic.
	// (BenchmarkCountLongUnspacedText shows it stays linear.)
	text := "http://example.com" + strings.Repeat("日本語", 20000)
	m := Count(text, limits(network.X), false)
	require.Equal(t, 23+2*60000, m.Value)
}

func BenchmarkCountLongUnspacedText(b *testing.B) {
	text := "http://example.com" + strings.Repeat("日本語", 20000)
	l := limits(network.X)
	for b.Loop() {
		Count(text, l, false)
	}
}

func TestCountEntitiesAndLimits(t *testing.T) {
	t.Parallel()
	ig := limits(network.Instagram)
	m := Count("#one #two #3 #a3 x#no #über &#123; https://x.com/#frag", ig, true)
	require.Equal(t, 4, m.Hashtags)
	require.Equal(t, 1, m.URLs)

	m = Count("@alice @bob.bsky.social @carol@example.org mail@x.com @ @@x", ig, true)
	require.Equal(t, 3, m.Mentions)

	m = Count("#_ #1_2 #http://x.com #il·lusió a ✌️#tag #メ～テレ", ig, true)
	require.Equal(t, 3, m.Hashtags)
	m = Count("の@username @_@ @aliceìnheiro @http://x.com", ig, true)
	require.Equal(t, 1, m.Mentions)

	many := strings.Repeat("#tag ", 31)
	require.Equal(t, 31, Count(many, ig, true).Hashtags)

	tg := limits(network.Telegram)
	require.Equal(t, 4096, Count("x", tg, false).Limit)
	require.Equal(t, 1024, Count("x", tg, true).Limit)

	bs := Count(strings.Repeat("é", 1600), limits(network.Bluesky), false)
	require.Equal(t, 3200, bs.Bytes)
	require.Equal(t, 1600, bs.Graphemes)
	require.Equal(t, -1300, bs.Remaining())
}

func TestExtractURLs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want []string
	}{
		{"visit https://example.com/path/to/resource?search=foo&lang=en now", []string{"https://example.com/path/to/resource?search=foo&lang=en"}},
		{"http://twitter.com/#!/twitter", []string{"http://twitter.com/#!/twitter"}},
		{"HTTPS://www.ExaMPLE.COM/index.html", []string{"HTTPS://www.ExaMPLE.COM/index.html"}},
		{"http://user:PASSW0RD@example.com:8080/login.php", []string{"http://user:PASSW0RD@example.com:8080/login.php"}},
		{"http://192.168.0.1/index.html?src=asdf", []string{"http://192.168.0.1/index.html?src=asdf"}},
		{"http://test_underscore.twitter.com", []string{"http://test_underscore.twitter.com"}},
		{"http://☃.net/", []string{"http://☃.net/"}},
		{"http://example.com/Русские_слова", []string{"http://example.com/Русские_слова"}},
		{"https://www.youtube.com/playlist?list=PL0ZPu8XSRTB7wZzn0mLHMvyzVFeRxbWn-", []string{"https://www.youtube.com/playlist?list=PL0ZPu8XSRTB7wZzn0mLHMvyzVFeRxbWn-"}},
		{"(see https://example.com/a)", []string{"https://example.com/a"}},
		{"https://en.wikipedia.org/wiki/Go_(language).", []string{"https://en.wikipedia.org/wiki/Go_(language)"}},
		{"Is it example.com? Yes, www.example.com!", []string{"example.com", "www.example.com"}},
		{"foo.co.jp and t.co and bit.ly", []string{"foo.co.jp", "t.co", "bit.ly"}},
		{"foo.baz foo.comm foo.somecom wwwww.xxxxxxx", nil},
		{"test http://example.comだよね.comtest/hogehoge", []string{"http://example.com"}},
		{"example.comてすとですtwitter.みんなです", []string{"example.com", "twitter.みんな"}},
		{"test ELPAÍS.com", []string{"ELPAÍS.com"}},
		{"john.doe.gov@mail.com", nil},
		{"I like http://t.co/pbY2NfTZ's site, http://t.co/FNkPfmii- too", []string{"http://t.co/pbY2NfTZ", "http://t.co/FNkPfmii"}},
		{"http://t.co/" + strings.Repeat("a", 41), nil},
		{"twitter.jp日本語it.so中国語foo.jp", []string{"twitter.jp", "it.so", "foo.jp"}},
		{"ftp://www.example.com/", nil},
		{"http://www.-domain4352.com/", nil},
		{"http://www.domain4352-.com/", nil},
		{"http://domain-dash_2314352345_dfasd.foo-cow_4352.com", nil},
		{"mail me at foo@example.com", nil},
		{"#hash.com $cash.com", nil},
		{"end with query? https://x.com/a?b", []string{"https://x.com/a?b"}},
		{"query without ending https://x.com/a?.", []string{"https://x.com/a"}},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, u := range ExtractURLs(tc.text) {
				require.Equal(t, u.URL, tc.text[u.Start:u.End])
				got = append(got, u.URL)
			}
			require.Equal(t, tc.want, got)
		})
	}
}

// FuzzCount checks that no input panics the counters and that the units keep
// their ordering: X weights every non-URL grapheme at least 1, and UTF-16,
// code point and byte counts bound each other.
func FuzzCount(f *testing.F) {
	for _, s := range []string{"", "hello world", family, flagEngl, keycap1, zalgo, "故人西辞 https://x.com/(a) #t @a@b.c",
		"\xff\xfe", "a\r\n\u0301\r\r\n", "\u0600a b\u0301c\r\u0301", "http://", "a.b.c.d.e.f.com/((()))?#", "@@@###", "\u200d\u200d", "e\u0301\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		require.Equal(t, uniseg.GraphemeClusterCount(s), graphemeCount(s))
		x := Count(s, limits(network.X), false)
		nfc := norm.NFC.String(s)
		outside, outsideRunes, last := 0, 0, 0
		for _, u := range extractURLs(nfc, true) {
			outside += uniseg.GraphemeClusterCount(nfc[last:u.Start])
			outsideRunes += utf8.RuneCountInString(nfc[last:u.Start])
			last = u.End
		}
		outside += uniseg.GraphemeClusterCount(nfc[last:])
		outsideRunes += utf8.RuneCountInString(nfc[last:])
		require.GreaterOrEqual(t, x.Value-23*x.URLs, outside)
		require.LessOrEqual(t, x.Value-23*x.URLs, 2*outsideRunes)

		runes := Count(s, limits(network.LinkedIn), false).Value
		u16 := Count(s, limits(network.Telegram), false).Value
		bytes := Count(s, limits(network.YouTube), false).Value
		g := Count(s, limits(network.Bluesky), false)
		require.Equal(t, len(s), bytes)
		require.LessOrEqual(t, g.Value, runes)
		require.LessOrEqual(t, runes, u16)
		require.LessOrEqual(t, u16, bytes)
		th := Count(s, limits(network.Threads), false).Value
		require.LessOrEqual(t, th, bytes)
		require.GreaterOrEqual(t, th, g.Value)
		require.LessOrEqual(t, Count(s, limits(network.Mastodon), false).Value, g.Value+23*len(extractURLs(s, false)))
	})
}

// BenchmarkCountX measures a typical 280-character post with a URL, a
// hashtag, a mention and an emoji.
func BenchmarkCountX(b *testing.B) {
	text := "Our spring release is out: faster uploads, a calmer calendar and previews for every network. " +
		"Read the notes at https://example.com/blog/spring-release?utm_source=x and tell us what you think, " +
		"@relais_app 🎉 #opensource — thanks to everyone who tested the betas and sent feedback this month!!"
	x := limits(network.X)
	b.ReportAllocs()
	for b.Loop() {
		Count(text, x, false)
	}
}
