package network

import (
	"strings"
	"unicode"
)

// linkInText lists the networks whose connectors put a part's link in the
// text itself (the network makes its card from the first URL of the text).
// The others carry it beside the text: Bluesky as a link card embed, the
// website feed as the item's link, webhooks as a field of their payload.
var linkInText = map[Kind]bool{
	Mastodon: true,
	Telegram: true,
	X:        true,
	Threads:  true,
}

// linkInTextWithMedia lists the networks whose link card cannot go with
// media: with attachments the link goes in the text instead (a Bluesky post
// embeds either images or a link card; a Facebook Page post carries either
// a link or photos and a video), so it is not lost.
var linkInTextWithMedia = map[Kind]bool{
	Bluesky:  true,
	Facebook: true,
}

// LinkInText reports whether a network's post carries its link in the text
// (with or without media), so that the link counts toward the text limit.
func LinkInText(k Kind, withMedia bool) bool {
	return linkInText[k] || (withMedia && linkInTextWithMedia[k])
}

// TextAsSent is the text a connector sends for a part on network k: for the
// networks that carry the link in the text (LinkInText, which may depend on
// whether the part has media), the link follows the text after a blank line
// (unless the text already holds it). The composer's
// validation, its preview and the connectors all build the text here, so
// what is counted is what is sent.
func TextAsSent(k Kind, p Part) string {
	if p.Link == "" || !LinkInText(k, len(p.Media) > 0) || strings.Contains(p.Text, p.Link) {
		return p.Text
	}
	text := strings.TrimRightFunc(p.Text, unicode.IsSpace)
	if strings.TrimSpace(text) == "" {
		return p.Link
	}
	return text + "\n\n" + p.Link
}

// languageTagged lists the networks a post's language is sent to
// (PublishRequest.Language): Mastodon's "language", Bluesky's "langs" and the
// webhook payload's "language". The others have no such field.
var languageTagged = map[Kind]bool{
	Mastodon: true,
	Bluesky:  true,
	Webhook:  true,
}

// SendsLanguage reports whether network k receives the post's language.
func SendsLanguage(k Kind) bool { return languageTagged[k] }
