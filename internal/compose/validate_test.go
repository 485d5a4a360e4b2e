package compose

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	_ "github.com/relais/relais/internal/network/meta" // registers the Facebook and Instagram post options
)

// finding is the part of a Problem a table test compares.
type finding struct {
	Field, Code  string
	Limit, Value int64
	Severity     Severity
}

func findings(ps []Problem) []finding {
	var out []finding
	for _, p := range ps {
		out = append(out, finding{p.Field, p.Code, p.Limit, p.Value, p.Severity})
	}
	return out
}

func TestValidate(t *testing.T) {
	t.Parallel()
	img := MediaInfo{Kind: MediaImage, MIME: "image/jpeg", Bytes: 100_000, Width: 800, Height: 600, AltText: "a cat"}
	vid := MediaInfo{Kind: MediaVideo, MIME: "video/mp4", Bytes: 10 << 20, DurationSeconds: 30}
	tests := []struct {
		name  string
		kind  network.Kind
		draft Draft
		want  []finding
	}{
		{"bluesky fits", network.Bluesky, Draft{Text: strings.Repeat("a", 300)}, nil},
		{"bluesky graphemes", network.Bluesky, Draft{Text: strings.Repeat("a", 312)},
			[]finding{{"text", CodeTextTooLong, 300, 312, SeverityError}}},
		{"bluesky bytes under grapheme limit", network.Bluesky, Draft{Text: strings.Repeat(family, 150)},
			[]finding{{"text", CodeTextTooManyBytes, 3000, 150 * 25, SeverityError}}},
		{"x weighted cjk", network.X, Draft{Text: strings.Repeat("字", 141)},
			[]finding{{"text", CodeTextTooLong, 280, 282, SeverityError}}},
		{"x urls shortened", network.X, Draft{Text: strings.Repeat("https://example.com/"+strings.Repeat("p", 50)+" ", 11)}, nil},
		{"mastodon content warning counts", network.Mastodon, Draft{Text: strings.Repeat("a", 450), Options: map[string]string{"spoiler_text": strings.Repeat("b", 51)}},
			[]finding{{"text", CodeTextTooLong, 500, 501, SeverityError}}},
		// The link goes in the text on Mastodon (23 per URL, after a blank
		// line): 475 + 2 + 23 = 500 fits, 490 + 2 + 23 = 515 does not.
		{"mastodon link at the limit", network.Mastodon, Draft{Text: strings.Repeat("a", 475), Link: "https://example.com/" + strings.Repeat("p", 60)}, nil},
		{"mastodon link counted", network.Mastodon, Draft{Text: strings.Repeat("a", 490), Link: "https://example.com/launch"},
			[]finding{{"text", CodeTextTooLong, 500, 515, SeverityError}}},
		{"mastodon link already in the text counts once", network.Mastodon, Draft{Text: strings.Repeat("a", 476) + " https://example.com/launch", Link: "https://example.com/launch"}, nil},
		{"x link counted as 23", network.X, Draft{Text: strings.Repeat("a", 256), Link: "https://example.com/launch"},
			[]finding{{"text", CodeTextTooLong, 280, 281, SeverityError}}},
		{"telegram link counted as written", network.Telegram, Draft{Text: strings.Repeat("a", 4070), Link: "https://example.com/launch"},
			[]finding{{"text", CodeTextTooLong, 4096, 4098, SeverityError}}},
		{"bluesky link is a card, not text", network.Bluesky, Draft{Text: strings.Repeat("a", 300), Link: "https://example.com/launch"}, nil},
		// With images Bluesky has no card: the link goes in the text, counted as written.
		{"bluesky link with media goes in the text", network.Bluesky, Draft{Text: strings.Repeat("a", 280), Link: "https://example.com/launch", Media: []MediaInfo{img}},
			[]finding{{"text", CodeTextTooLong, 300, 280 + 2 + 26, SeverityError}}},
		{"a link alone is a post", network.Mastodon, Draft{Link: "https://example.com/launch"}, nil},
		{"threads emoji bytes", network.Threads, Draft{Text: strings.Repeat("a", 497) + "👍"},
			[]finding{{"text", CodeTextTooLong, 500, 501, SeverityError}}},
		{"telegram caption", network.Telegram, Draft{Text: strings.Repeat("a", 1025), Media: []MediaInfo{img}},
			[]finding{{"text", CodeCaptionTooLong, 1024, 1025, SeverityError}}},
		{"telegram text without media", network.Telegram, Draft{Text: strings.Repeat("a", 1025)}, nil},
		{"instagram needs media, tags and mentions", network.Instagram,
			Draft{Text: strings.Repeat("#t ", 31) + strings.Repeat("@u ", 21)},
			[]finding{
				{"text", CodeTooManyHashtags, 30, 31, SeverityError},
				{"text", CodeTooManyMentions, 20, 21, SeverityError},
				{"media", CodeMediaRequired, 1, 0, SeverityError},
			}},
		{"instagram alt text warning", network.Instagram, Draft{Text: "hi", Media: []MediaInfo{{Kind: MediaImage, Bytes: 10}}},
			[]finding{{"media[1]", CodeAltTextMissing, 0, 0, SeverityWarning}}},
		{"youtube needs video", network.YouTube, Draft{Text: "t", Media: []MediaInfo{img}},
			[]finding{{"media", CodeVideoRequired, 1, 0, SeverityError}}},
		{"youtube bytes", network.YouTube, Draft{Text: strings.Repeat("é", 2501), Media: []MediaInfo{vid}},
			[]finding{{"text", CodeTextTooManyBytes, 5000, 5002, SeverityError}}},
		{"tiktok video ok", network.TikTok, Draft{Text: "t", Media: []MediaInfo{vid}, Options: map[string]string{"privacy_level": "SELF_ONLY"}}, nil},
		{"tiktok needs media and a privacy level", network.TikTok, Draft{Text: "t"},
			[]finding{
				{"media", CodeMediaRequired, 1, 0, SeverityError},
				{"options.privacy_level", CodeOptionRequired, 0, 0, SeverityError},
			}},
		{"pinterest image and board", network.Pinterest, Draft{Text: "pin"},
			[]finding{
				{"media", CodeMediaRequired, 1, 0, SeverityError},
				{"options.board", CodeOptionRequired, 0, 0, SeverityError},
			}},
		// Option rules: a story holds exactly one photo or video, a Reel one video;
		// a choice must be one the network offers (the Meta options are registered by its package).
		{"facebook story of two photos", network.Facebook, Draft{Media: []MediaInfo{img, img}, Options: map[string]string{"fb_type": "story"}},
			[]finding{{"options.fb_type", CodeOptionTooManyMedia, 1, 2, SeverityError}}},
		{"facebook story without media", network.Facebook, Draft{Text: "t", Options: map[string]string{"fb_type": "story"}},
			[]finding{{"options.fb_type", CodeOptionMediaRequired, 1, 0, SeverityError}}},
		{"facebook story of one video", network.Facebook, Draft{Media: []MediaInfo{vid}, Options: map[string]string{"fb_type": "story"}}, nil},
		{"facebook reel needs a video", network.Facebook, Draft{Text: "t", Media: []MediaInfo{img}, Options: map[string]string{"fb_type": "reel"}},
			[]finding{{"options.fb_type", CodeOptionVideoRequired, 1, 0, SeverityError}}},
		{"facebook post of three photos", network.Facebook, Draft{Text: "t", Media: []MediaInfo{img, img, img}, Options: map[string]string{"fb_type": "post"}}, nil},
		{"facebook unknown choice", network.Facebook, Draft{Text: "t", Options: map[string]string{"fb_type": "carousel"}},
			[]finding{{"options.fb_type", CodeOptionInvalid, 0, 0, SeverityError}}},
		{"instagram story of a carousel", network.Instagram, Draft{Media: []MediaInfo{img, vid}, Options: map[string]string{"ig_type": "story"}},
			[]finding{{"options.ig_type", CodeOptionTooManyMedia, 1, 2, SeverityError}}},
		{"instagram carousel as a feed post", network.Instagram, Draft{Media: []MediaInfo{img, vid}, Options: map[string]string{"ig_type": "feed"}}, nil},
		{"pinterest ok", network.Pinterest, Draft{Text: "pin", Media: []MediaInfo{img}, Options: map[string]string{"board": "42"}}, nil},
		{"empty post", network.LinkedIn, Draft{}, []finding{{"text", CodePostEmpty, 0, 0, SeverityError}}},
		{"media count and sizes", network.X, Draft{Text: "t", Media: []MediaInfo{img, img, img, {Kind: MediaImage, Bytes: 6 << 20, AltText: "x"}, {Kind: MediaVideo, Bytes: 600 << 20, DurationSeconds: 140.5}}},
			[]finding{
				{"media", CodeTooManyMedia, 4, 5, SeverityError},
				{"media[4]", CodeImageTooLarge, 5 << 20, 6 << 20, SeverityError},
				{"media[5]", CodeVideoTooLarge, 512 << 20, 600 << 20, SeverityError},
				{"media[5]", CodeVideoTooLong, 140, 141, SeverityError},
			}},
		{"thread parts", network.Bluesky, Draft{Text: "one", ThreadParts: []string{"two", "", strings.Repeat("x", 301)}},
			[]finding{
				{"thread[3]", CodeThreadPartEmpty, 0, 0, SeverityError},
				{"thread[4]", CodeTextTooLong, 300, 301, SeverityError},
			}},
		{"threads unsupported", network.LinkedIn, Draft{Text: "one", ThreadParts: []string{"two"}},
			[]finding{{"thread", CodeThreadsNotSupported, 1, 2, SeverityError}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Validate(tc.draft, limits(tc.kind))
			require.Equal(t, tc.want, findings(got))
			for _, p := range got {
				require.Equal(t, tc.kind, p.Network)
				require.Equal(t, MessageIn(p, "en"), p.Message)
			}
		})
	}
}

func TestValidateReadsLimitsAsData(t *testing.T) {
	t.Parallel()
	l := limits(network.Bluesky)
	l.MaxText = 100 // a network changing its limit is a data change
	got := Validate(Draft{Text: strings.Repeat("a", 101)}, l)
	require.Len(t, got, 1)
	require.Equal(t, "Bluesky allows 100 characters; this variant has 101", got[0].Message)

	masto := limits(network.Mastodon)
	masto.MaxText = 5000 // an instance announcing its own limit
	require.Empty(t, Validate(Draft{Text: strings.Repeat("a", 4000)}, masto))
}

func TestMessages(t *testing.T) {
	t.Parallel()
	p := Validate(Draft{Text: strings.Repeat("a", 312)}, limits(network.Bluesky))[0]
	require.Equal(t, "Bluesky allows 300 characters; this variant has 312", p.Message)
	require.Equal(t, "Bluesky autorise 300 caractères ; cette variante en compte 312", MessageIn(p, "fr-FR"))
	require.Equal(t, "Bluesky erlaubt 300 Zeichen; diese Variante hat 312", MessageIn(p, "de"))
	require.Equal(t, p.Message, MessageIn(p, "pt"))

	part := Problem{Network: network.X, Field: "thread[2]", Code: CodeTextTooLong, Limit: 280, Value: 290}
	require.Equal(t, "X allows 280 characters; part 2 of the thread has 290", MessageIn(part, "en"))
	require.Equal(t, "X erlaubt 280 Zeichen; Teil 2 des Threads hat 290", MessageIn(part, "de"))

	big := Problem{Network: network.X, NetworkName: "X", Field: "media[2]", Code: CodeImageTooLarge, Limit: 5 << 20, Value: 6<<20 + 300<<10}
	require.Equal(t, "X allows images up to 5 MB; attachment 2 is 6.3 MB", MessageIn(big, "en"))
	require.Equal(t, "X autorise des images jusqu'à 5 Mo ; la pièce jointe 2 fait 6,3 Mo", MessageIn(big, "fr"))
	near := Problem{Network: network.Bluesky, Field: "media[1]", Code: CodeImageTooLarge, Limit: 2_000_000, Value: 2_000_001}
	require.Equal(t, "Bluesky allows images up to 2,000,000 bytes; attachment 1 is 2,000,001 bytes", MessageIn(near, "en"))

	fc := Problem{Network: network.X, Field: "first_comment", Code: CodeTextTooLong, Limit: 280, Value: 300}
	require.Equal(t, "X allows 280 characters; the first comment has 300", MessageIn(fc, "en"))
	require.Equal(t, "X autorise 280 caractères ; le premier commentaire en compte 300", MessageIn(fc, "fr"))

	story := Problem{Network: network.Facebook, Field: "options.fb_type", Code: CodeOptionTooManyMedia, Choice: "story", Limit: 1, Value: 3}
	require.Equal(t, "On Facebook, a story holds 1 photo or video; this variant has 3", MessageIn(story, "en"))
	require.Equal(t, "Auf Facebook enthält eine Story 1 Foto oder Video; diese Variante hat 3", MessageIn(story, "de"))

	fb := Problem{Network: network.Facebook, Field: "text", Code: CodeTextTooLong, Limit: 63206, Value: 70000}
	require.Equal(t, "Facebook erlaubt 63.206 Zeichen; diese Variante hat 70.000", MessageIn(fb, "de"))

	// Every code has a message in every language, naming the network and the
	// numbers it concerns.
	codes := []string{CodeTextTooLong, CodeCaptionTooLong, CodeTextTooManyBytes, CodeTooManyHashtags, CodeTooManyMentions,
		CodePostEmpty, CodeThreadPartEmpty, CodeThreadsNotSupported, CodeMediaRequired, CodeVideoRequired, CodeImageRequired,
		CodeMediaNotSupported, CodeTooManyMedia, CodeImageTooLarge, CodeVideoTooLarge, CodeVideoTooLong, CodeAltTextMissing,
		CodeOptionRequired, CodeOptionInvalid, CodeOptionMediaRequired, CodeOptionTooManyMedia, CodeOptionVideoRequired, CodeOptionTooLong}
	codes = append(codes, "first_comment_not_supported", CodeAudioRequired, CodeAudioNotSupported, CodeAudioTooLarge)
	require.Len(t, messages, len(codes))
	for _, code := range codes {
		for _, lang := range []string{"en", "fr", "de"} {
			p := Problem{Network: network.Pinterest, Field: "media[3]", Code: code, Limit: 7, Value: 9}
			msg := MessageIn(p, lang)
			require.Contains(t, msg, "Pinterest", code+" "+lang)
			require.NotContains(t, msg, "{", code+" "+lang)
			if strings.Contains(messages[code]["en"], "{limit}") && code != CodeImageTooLarge && code != CodeVideoTooLarge {
				require.Contains(t, msg, "7", code+" "+lang)
			}
			if lang != "en" {
				require.NotEqual(t, MessageIn(p, "en"), msg, code+" "+lang)
			}
		}
	}
}
