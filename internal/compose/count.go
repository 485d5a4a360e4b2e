// Package compose owns what a post is made of before it is published: the
// per-network text counters, validation against network.Limits, thread
// splitting, feed previews and the CSV bulk import. Everything here is pure:
// no database, no HTTP.
package compose

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"golang.org/x/text/unicode/norm"

	"github.com/relais/relais/internal/network"
)

// Measure is a text measured the way one network counts it.
type Measure struct {
	// Unit is the network's counting unit; Value is in this unit.
	Unit network.TextUnit `json:"unit"`
	// Value is the length as the network counts it (URLs shortened, mention
	// domains dropped, emoji weighted as the network does).
	Value int `json:"value"`
	// Limit is the limit that applies to Value (the caption limit when media
	// is attached and the network has one); 0 means no limit.
	Limit int `json:"limit"`
	// Bytes is the UTF-8 length of the text as written.
	Bytes int `json:"bytes"`
	// Graphemes is the number of user-perceived characters.
	Graphemes int `json:"graphemes"`
	// Hashtags, Mentions and URLs count the entities found in the text.
	Hashtags int `json:"hashtags"`
	Mentions int `json:"mentions"`
	URLs     int `json:"urls"`
}

// Remaining is how many units are left before the limit (negative when over,
// and a large number when the network has no limit).
func (m Measure) Remaining() int {
	if m.Limit == 0 {
		return int(^uint(0) >> 1)
	}
	return m.Limit - m.Value
}

// countingRule holds counting facts that network.Limits does not model; it
// is data keyed by network so a change stays a one-line edit.
type countingRule struct {
	// BareDomainURLs: "example.com" without a protocol counts as a URL
	// (twitter-text does; Mastodon only shortens URLs with a protocol).
	BareDomainURLs bool
	// CountedOptions name options whose text counts toward the text limit
	// (Mastodon counts the content warning together with the text).
	CountedOptions []string
}

// countingRules are the per-network counting facts beyond network.Limits.
var countingRules = map[network.Kind]countingRule{
	network.X:        {BareDomainURLs: true},
	network.Mastodon: {CountedOptions: []string{"spoiler_text"}},
}

// Count measures text for a network: Value is in l.TextUnit with URLs
// counted as l.URLLength and "@user@domain" as "@user" when the limits say
// so; twitter-text weighting normalises to NFC first, as X does.
func Count(text string, l network.Limits, hasMedia bool) Measure {
	m := Measure{Unit: l.TextUnit, Limit: l.MaxText, Bytes: len(text)}
	if hasMedia && l.MaxCaption > 0 {
		m.Limit = l.MaxCaption
	}
	if l.TextUnit == network.TwitterWeighted {
		text = norm.NFC.String(text)
	}
	m.Graphemes = graphemeCount(text)
	urls := extractURLs(text, countingRules[l.Network].BareDomainURLs)
	mentions := findTags(text, urls, '@')
	m.URLs = len(urls)
	m.Mentions = len(mentions)
	m.Hashtags = len(findTags(text, urls, '#'))

	// Walk the text, skipping spans that count as a fixed length (URLs) or
	// not at all (the "@domain" of a mention), and count the rest.
	pos, u, t := 0, 0, 0
	for {
		next, skipTo, fixed := len(text), len(text), 0
		if l.URLLength > 0 && u < len(urls) {
			next, skipTo, fixed = urls[u].Start, urls[u].End, l.URLLength
		}
		if l.MentionDomainFree {
			for t < len(mentions) && mentions[t].domainStart == 0 {
				t++
			}
			if t < len(mentions) && mentions[t].domainStart < next {
				next, skipTo, fixed = mentions[t].domainStart, mentions[t].end, 0
			}
		}
		m.Value += countUnits(text[pos:next], l.TextUnit)
		if next == len(text) {
			return m
		}
		m.Value += fixed
		pos = skipTo
		if fixed > 0 {
			u++
		} else {
			t++
		}
	}
}

// countUnits counts s in one unit, without entity rules.
func countUnits(s string, unit network.TextUnit) int {
	switch unit {
	case network.Graphemes:
		return graphemeCount(s)
	case network.Bytes:
		return len(s)
	case network.UTF16:
		n := 0
		for _, r := range s {
			if utf16.RuneLen(r) == 2 {
				n += 2
			} else {
				n++
			}
		}
		return n
	case network.TwitterWeighted, network.CharsEmojiBytes:
		// ASCII weighs 1 per byte in both units (CR LF included: two code points).
		n := 0
		walkClusters(s, func(run string) { n += len(run) }, func(c string) { n += clusterUnits(c, unit) })
		return n
	default:
		return utf8.RuneCountInString(s)
	}
}

// graphemeCount is uniseg.GraphemeClusterCount with an ASCII fast path.
func graphemeCount(s string) int {
	n := 0
	walkClusters(s, func(run string) { n += len(run) - strings.Count(run, "\r\n") }, func(string) { n++ })
	return n
}

// walkClusters splits s into runs of ASCII, where every byte is a grapheme
// cluster of its own except CR LF, and other grapheme clusters, which it
// hands to cluster one by one. The last ASCII byte before non-ASCII text
// goes through uniseg, since a combining mark may extend it.
func walkClusters(s string, ascii func(run string), cluster func(c string)) {
	state := -1
	var c string
	for len(s) > 0 {
		n := 0
		for n < len(s) && s[n] < utf8.RuneSelf {
			n++
		}
		if n == len(s) {
			ascii(s)
			return
		}
		cut := n - 1
		if cut > 0 && s[cut-1] == '\r' {
			cut--
		}
		if cut > 0 {
			ascii(s[:cut])
			s, state = s[cut:], -1
		}
		c, s, _, state = uniseg.FirstGraphemeClusterInString(s, state)
		cluster(c)
	}
}

// clusterUnits counts one grapheme cluster for the units that treat emoji
// specially: X counts an emoji sequence as 2 and other code points by
// weight; Threads counts an emoji as its UTF-8 bytes and others as 1 each.
func clusterUnits(cluster string, unit network.TextUnit) int {
	emoji := isEmojiCluster(cluster)
	if unit == network.CharsEmojiBytes {
		if emoji {
			return len(cluster)
		}
		return utf8.RuneCountInString(cluster)
	}
	if emoji {
		return 2
	}
	n := 0
	for _, r := range cluster {
		n += twitterWeight(r)
	}
	return n
}

// twitterWeight is twitter-text v3's per-code-point weight (scaled to 1 or 2).
func twitterWeight(r rune) int {
	switch {
	case r >= 0 && r <= 4351, r >= 8192 && r <= 8205, r >= 8208 && r <= 8223, r >= 8242 && r <= 8247:
		return 1
	default:
		return 2
	}
}

// isEmojiCluster says whether a grapheme cluster is an emoji (a single
// pictograph, a flag, a keycap, a skin-tone, tag or ZWJ sequence). Text-style
// symbols such as "©" or "1" count as emoji only with U+FE0F or U+20E3.
func isEmojiCluster(c string) bool {
	first, size := utf8.DecodeRuneInString(c)
	if isPictograph(first) {
		return true
	}
	if size == len(c) {
		return false
	}
	for _, r := range c[size:] {
		switch {
		case r == 0xFE0F, r == 0x20E3:
			return true
		case r >= 0x1F3FB && r <= 0x1F3FF: // skin tones
			return true
		case r >= 0xE0020 && r <= 0xE007F: // tag sequences (subdivision flags)
			return true
		}
	}
	return false
}

// isPictograph covers the blocks where emoji with emoji presentation live,
// regional indicators included.
func isPictograph(r rune) bool {
	return (r >= 0x1F000 && r <= 0x1FAFF) || (r >= 0x2600 && r <= 0x27BF) ||
		(r >= 0x2B00 && r <= 0x2BFF) || (r >= 0x2300 && r <= 0x23FF) ||
		r == 0x3030 || r == 0x303D || r == 0x3297 || r == 0x3299
}
