package link

import "strings"

// botSignatures maps a lowercase User-Agent fragment to the name a click of
// that crawler or link-preview fetcher is counted under. Order matters: the
// first match wins, so specific names come before generic words.
var botSignatures = []struct{ fragment, name string }{
	{"facebookexternalhit", "Facebook"},
	{"facebookcatalog", "Facebook"},
	{"meta-externalagent", "Facebook"},
	{"slackbot", "Slackbot"},
	{"slack-imgproxy", "Slackbot"},
	{"discordbot", "Discordbot"},
	{"telegrambot", "TelegramBot"},
	{"twitterbot", "Twitterbot"},
	{"whatsapp", "WhatsApp"},
	{"linkedinbot", "LinkedInBot"},
	{"pinterest", "Pinterest"},
	{"redditbot", "Redditbot"},
	{"skypeuripreview", "Skype"},
	{"bluesky cardyb", "Bluesky Cardyb"},
	{"cardyb", "Bluesky Cardyb"},
	{"mastodon/", "Mastodon"},
	{"gotosocial", "GoToSocial"},
	{"pleroma", "Pleroma"},
	{"akkoma", "Akkoma"},
	{"misskey", "Misskey"},
	{"iframely", "Iframely"},
	{"embedly", "Embedly"},
	{"googlebot", "Googlebot"},
	{"google-inspectiontool", "Googlebot"},
	{"adsbot-google", "Googlebot"},
	{"bingbot", "Bingbot"},
	{"applebot", "Applebot"},
	{"duckduckbot", "DuckDuckBot"},
	{"yandex", "Yandex"},
	{"baiduspider", "Baiduspider"},
	{"petalbot", "PetalBot"},
	{"ahrefsbot", "AhrefsBot"},
	{"semrushbot", "SemrushBot"},
	{"gptbot", "GPTBot"},
	{"curl/", "curl"},
	{"wget/", "Wget"},
	{"python-requests", "python-requests"},
	{"go-http-client", "Go-http-client"},
	{"bot", "other bot"},
	{"crawler", "other bot"},
	{"spider", "other bot"},
	{"preview", "other bot"},
}

// BotNames lists the names bots are counted under, in the order of the
// signatures (documented in docs/links.md).
func BotNames() []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range botSignatures {
		if !seen[s.name] {
			seen[s.name] = true
			out = append(out, s.name)
		}
	}
	return append(out, NoUserAgent)
}

// NoUserAgent is the bot name of a request without a User-Agent header:
// browsers always send one.
const NoUserAgent = "no user agent"

// Device classes.
const (
	Mobile  = "mobile"
	Tablet  = "tablet"
	Desktop = "desktop"
)

// Classify reads a User-Agent: the device class, and the bot's name when the
// request comes from a crawler or link-preview fetcher ("" for a person).
func Classify(userAgent string) (device, bot string) {
	ua := strings.ToLower(userAgent)
	switch {
	case strings.Contains(ua, "ipad"), strings.Contains(ua, "tablet"), strings.Contains(ua, "kindle"), strings.Contains(ua, "silk/"),
		strings.Contains(ua, "android") && !strings.Contains(ua, "mobile"):
		device = Tablet
	case strings.Contains(ua, "mobi"), strings.Contains(ua, "iphone"), strings.Contains(ua, "ipod"), strings.Contains(ua, "android"),
		strings.Contains(ua, "windows phone"), strings.Contains(ua, "blackberry"), strings.Contains(ua, "opera mini"):
		device = Mobile
	default:
		device = Desktop
	}
	if strings.TrimSpace(ua) == "" {
		return device, NoUserAgent
	}
	for _, s := range botSignatures {
		if strings.Contains(ua, s.fragment) {
			return device, s.name
		}
	}
	return device, ""
}
