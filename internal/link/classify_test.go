package link

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		ua, device, bot string
	}{
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148", Mobile, ""},
		{"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36", Mobile, ""},
		{"Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 Chrome/120.0 Safari/537.36", Tablet, ""},
		{"Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15", Tablet, ""},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36", Desktop, ""},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0", Desktop, ""},
		{"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", Desktop, "Facebook"},
		{"Twitterbot/1.0", Desktop, "Twitterbot"},
		{"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", Desktop, "Slackbot"},
		{"Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", Desktop, "Discordbot"},
		{"TelegramBot (like TwitterBot)", Desktop, "TelegramBot"},
		{"WhatsApp/2.23.20.0 A", Desktop, "WhatsApp"},
		{"http.rb/5.1.1 (Mastodon/4.2.1; +https://mastodon.social/)", Desktop, "Mastodon"},
		{"gotosocial (+https://gts.example) gotosocial/0.15.0", Desktop, "GoToSocial"},
		{"Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)", Desktop, "Bluesky Cardyb"},
		{"Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", Mobile, "Googlebot"},
		{"LinkedInBot/1.0 (compatible; Mozilla/5.0)", Desktop, "LinkedInBot"},
		{"curl/8.5.0", Desktop, "curl"},
		{"SomeNewCrawler/0.1", Desktop, "other bot"},
		{"", Desktop, NoUserAgent},
	} {
		device, bot := Classify(tc.ua)
		require.Equal(t, tc.device, device, tc.ua)
		require.Equal(t, tc.bot, bot, tc.ua)
	}
}

func TestBotNamesListsEveryName(t *testing.T) {
	t.Parallel()
	names := BotNames()
	require.Contains(t, names, "Bluesky Cardyb")
	require.Contains(t, names, NoUserAgent)
	seen := map[string]bool{}
	for _, n := range names {
		require.False(t, seen[n], "listed twice: %s", n)
		seen[n] = true
	}
}

func FuzzClassify(f *testing.F) {
	f.Add("Mozilla/5.0 (iPhone)")
	f.Add("")
	f.Fuzz(func(t *testing.T, ua string) {
		device, _ := Classify(ua)
		require.Contains(t, []string{Mobile, Tablet, Desktop}, device)
	})
}
