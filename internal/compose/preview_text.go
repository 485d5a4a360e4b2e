package compose

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/relais/relais/internal/network"
)

// Segment is a run of a preview's text: plain text, or an entity the
// network shows as a link.
type Segment struct {
	// Text is what the feed shows (a long URL is shortened as the network does).
	Text string `json:"text"`
	// Kind is "text", "link", "hashtag" or "mention".
	Kind string `json:"kind"`
	// Href is where a link goes (https:// added to a bare domain); empty otherwise.
	Href string `json:"href,omitempty"`
}

// The segment kinds.
const (
	SegmentText    = "text"
	SegmentLink    = "link"
	SegmentHashtag = "hashtag"
	SegmentMention = "mention"
)

// PreviewPart is a post under the first one in a preview: a thread part or
// the first comment.
type PreviewPart struct {
	// Position is the part's place in the thread (2 for the first reply);
	// 0 for the first comment.
	Position  int       `json:"position,omitempty"`
	Text      string    `json:"text"`
	Segments  []Segment `json:"segments"`
	Measure   Measure   `json:"measure"`
	OverLimit bool      `json:"over_limit"`
}

// urlDisplayMax is how many characters of a URL (without its scheme and
// "www.") a network's feed shows before "…" (Mastodon's text formatter);
// networks not listed are shown with the URL as written.
var urlDisplayMax = map[network.Kind]int{
	network.Mastodon: 30,
}

// Segments splits text into plain runs and the entities the network links:
// URLs (bare domains only where the network links them), hashtags and
// mentions, in order.
func Segments(text string, k network.Kind) []Segment {
	urls := extractURLs(text, countingRules[k].BareDomainURLs)
	type span struct {
		start, end int
		kind, href string
	}
	var spans []span
	for _, u := range urls {
		href := u.URL
		if !u.Protocol {
			href = "https://" + href
		}
		spans = append(spans, span{u.Start, u.End, SegmentLink, href})
	}
	for _, t := range findTags(text, urls, '#') {
		spans = append(spans, span{t.start, t.end, SegmentHashtag, ""})
	}
	for _, t := range findTags(text, urls, '@') {
		spans = append(spans, span{t.start, t.end, SegmentMention, ""})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var out []Segment
	pos := 0
	for _, s := range spans {
		if s.start < pos {
			continue
		}
		if s.start > pos {
			out = append(out, Segment{Text: text[pos:s.start], Kind: SegmentText})
		}
		shown := text[s.start:s.end]
		if s.kind == SegmentLink {
			shown = displayURL(shown, urlDisplayMax[k])
		}
		out = append(out, Segment{Text: shown, Kind: s.kind, Href: s.href})
		pos = s.end
	}
	if pos < len(text) {
		out = append(out, Segment{Text: text[pos:], Kind: SegmentText})
	}
	return out
}

// displayURL shortens a URL as a feed shows it: without its scheme and
// "www.", cut after max characters with "…" (max 0: as written).
func displayURL(u string, max int) string {
	if max == 0 {
		return u
	}
	for _, p := range []string{"https://", "http://"} {
		if len(u) > len(p) && strings.EqualFold(u[:len(p)], p) {
			u = u[len(p):]
			break
		}
	}
	u = strings.TrimPrefix(u, "www.")
	if utf8.RuneCountInString(u) <= max {
		return u
	}
	return string([]rune(u)[:max]) + "…"
}

// previewPart measures and segments one reply of a preview.
func previewPart(text string, l network.Limits) PreviewPart {
	m := Count(text, l, false)
	return PreviewPart{Text: text, Segments: Segments(text, l.Network), Measure: m, OverLimit: m.Limit > 0 && m.Value > m.Limit}
}

// AddReplies adds what follows the post in the network's feed: the thread
// parts after the first, in order, and the first comment (under the first
// part), each measured for l.
func (p *PreviewModel) AddReplies(l network.Limits, thread []string, firstComment string) {
	for i, t := range thread {
		part := previewPart(t, l)
		part.Position = i + 2
		p.Thread = append(p.Thread, part)
	}
	if strings.TrimSpace(firstComment) != "" {
		c := previewPart(firstComment, l)
		p.FirstComment = &c
	}
}
