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

// LinkInText reports whether a network's post carries its link in the text,
// so that the link counts toward the text limit.
func LinkInText(k Kind) bool { return linkInText[k] }

// TextAsSent is the text a connector sends for a part on network k: for the
// networks that carry the link in the text, the link follows the text after
// a blank line (unless the text already holds it). The composer's
// validation, its preview and the connectors all build the text here, so
// what is counted is what is sent.
func TextAsSent(k Kind, p Part) string {
	if p.Link == "" || !linkInText[k] || strings.Contains(p.Text, p.Link) {
		return p.Text
	}
	text := strings.TrimRightFunc(p.Text, unicode.IsSpace)
	if strings.TrimSpace(text) == "" {
		return p.Link
	}
	return text + "\n\n" + p.Link
}
