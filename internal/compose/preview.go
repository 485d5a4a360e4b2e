package compose

import (
	"net/url"
	"strings"
	"unicode"

	"github.com/rivo/uniseg"

	"github.com/relais/relais/internal/network"
)

// PreviewModel is how a post will look in a network's feed, for the
// composer's per-network preview.
type PreviewModel struct {
	Network network.Kind `json:"network"`
	Name    string       `json:"name"`
	// Text is the full text; Visible is what the feed shows before its
	// "more" link (the whole text when Truncated is false).
	Text      string `json:"text"`
	Visible   string `json:"visible"`
	Truncated bool   `json:"truncated"`
	// Segments are Visible split into text and the entities the network
	// links (URLs shortened as its feed shows them, hashtags, mentions).
	Segments []Segment `json:"segments"`
	// MoreLabel is the network's "more" link text, when it truncates.
	MoreLabel string `json:"more_label,omitempty"`
	// Measure is the text measured for the network; OverLimit flags a text
	// the network would refuse.
	Measure   Measure `json:"measure"`
	OverLimit bool    `json:"over_limit"`
	// Link is the link card the network would show, nil when none.
	Link *LinkCard `json:"link,omitempty"`
	// Media is the layout of the attachments.
	Media MediaGrid `json:"media"`
	// Thread are the parts after the first; FirstComment is the comment
	// posted under the first part (see AddReplies).
	Thread       []PreviewPart `json:"thread,omitempty"`
	FirstComment *PreviewPart  `json:"first_comment,omitempty"`
	// Short: YouTube will show the video as a Short (square or vertical, at
	// most 3 minutes; YouTube decides by itself, there is no API flag).
	Short bool `json:"short,omitempty"`
}

// LinkCard is the card a network renders for a link (title and image are
// fetched later by the link-card service).
type LinkCard struct {
	URL    string `json:"url"`
	Domain string `json:"domain"`
}

// MediaGrid is a layout of attachments on a grid of Rows × Cols cells.
type MediaGrid struct {
	// Layout is "none", "grid" or "carousel" (one item shown, swipe for more).
	Layout string     `json:"layout"`
	Rows   int        `json:"rows"`
	Cols   int        `json:"cols"`
	Cells  []GridCell `json:"cells,omitempty"`
	// Hidden is the number of attachments not shown ("+N" on the last cell,
	// or the other pages of a carousel).
	Hidden int `json:"hidden"`
}

// GridCell places attachment Media (0-based) on the grid.
type GridCell struct {
	Media   int `json:"media"`
	Row     int `json:"row"`
	Col     int `json:"col"`
	RowSpan int `json:"row_span"`
	ColSpan int `json:"col_span"`
}

// previewRule is how one network's feed shows a post; the truncation points
// are what the apps showed in 2025-26 and are approximate by nature.
type previewRule struct {
	// FoldGraphemes is how many characters the feed shows before "more" (0: all).
	FoldGraphemes int
	// FoldLines is how many lines the feed shows before "more" (0: no line rule).
	FoldLines int
	MoreLabel string
	// LinkCards: the network renders a card for the first link when there is no media.
	LinkCards bool
	// CardFromLastURL: the card is the text's last URL's, not its first's (X).
	CardFromLastURL bool
	// Carousel: several attachments are shown one at a time.
	Carousel bool
	// MaxVisible is how many attachments a grid shows before "+N".
	MaxVisible int
}

// previewRules hold the per-network feed behaviour; unknown networks get a
// plain four-item grid without truncation.
var previewRules = map[network.Kind]previewRule{
	network.Instagram: {FoldGraphemes: 125, FoldLines: 2, MoreLabel: "… more", Carousel: true, MaxVisible: 1},
	network.LinkedIn:  {FoldGraphemes: 210, FoldLines: 3, MoreLabel: "…see more", LinkCards: true, MaxVisible: 5},
	network.Facebook:  {FoldGraphemes: 480, MoreLabel: "… See more", LinkCards: true, MaxVisible: 5},
	network.Threads:   {LinkCards: true, Carousel: true, MaxVisible: 1},
	network.X:         {LinkCards: true, CardFromLastURL: true, MaxVisible: 4},
	network.Bluesky:   {LinkCards: true, MaxVisible: 4},
	network.Mastodon:  {LinkCards: true, MaxVisible: 4},
	network.Telegram:  {LinkCards: true, MaxVisible: 10},
	network.TikTok:    {FoldGraphemes: 100, MoreLabel: "more", Carousel: true, MaxVisible: 1},
	network.YouTube:   {MaxVisible: 1},
	network.Vimeo:     {MaxVisible: 1},
	network.Pinterest: {FoldGraphemes: 100, MoreLabel: "… more", Carousel: true, MaxVisible: 1},
	network.Tumblr:    {LinkCards: true, MaxVisible: 10},
}

// Preview lays a post out as the network's feed shows it: the text as sent
// (with the link where the network carries it in the text) cut where the
// feed puts its "more" link, a link card for link (or, when link is empty,
// the first URL of the text) unless media is attached, and the media grid.
func Preview(text string, l network.Limits, media []MediaInfo, link string) PreviewModel {
	rule, ok := previewRules[l.Network]
	if !ok {
		rule = previewRule{MaxVisible: 4}
	}
	text = sentText(l.Network, text, link, len(media))
	m := Count(text, l, len(media) > 0)
	p := PreviewModel{
		Network:   l.Network,
		Name:      l.Name,
		Text:      text,
		Visible:   text,
		Measure:   m,
		OverLimit: m.Limit > 0 && m.Value > m.Limit,
		Media:     layoutMedia(len(media), rule),
	}
	if rule.FoldLines > 0 {
		// Feeds also fold a caption made of many short lines.
		lines := strings.SplitAfterN(p.Visible, "\n", rule.FoldLines+1)
		if len(lines) > rule.FoldLines && strings.TrimSpace(lines[rule.FoldLines]) != "" {
			p.Visible = strings.TrimRightFunc(strings.Join(lines[:rule.FoldLines], ""), unicode.IsSpace)
			p.Truncated = true
		}
	}
	if rule.FoldGraphemes > 0 && uniseg.GraphemeClusterCount(p.Visible) > rule.FoldGraphemes {
		p.Visible = foldText(p.Visible, rule.FoldGraphemes)
		p.Truncated = true
	}
	if p.Truncated {
		p.MoreLabel = rule.MoreLabel
	}
	p.Segments = Segments(p.Visible, l.Network)
	p.Short = l.Network == network.YouTube && isShort(media)
	if rule.LinkCards && len(media) == 0 {
		// Where the link is sent in the text, the network makes its card from
		// the text's first URL (X from its last), which may be another one.
		if link == "" || network.LinkInText(l.Network, false) {
			if urls := extractURLs(text, countingRules[l.Network].BareDomainURLs); len(urls) > 0 {
				link = urls[0].URL
				if rule.CardFromLastURL {
					link = urls[len(urls)-1].URL
				}
			}
		}
		if link != "" {
			p.Link = &LinkCard{URL: link, Domain: linkDomain(link)}
		}
	}
	return p
}

// foldText keeps at most n graphemes, cutting at the last space in the last
// fifth of that room so words are not cut, as feeds do.
func foldText(text string, n int) string {
	end, count, lastSpace := 0, 0, -1
	rest, state := text, -1
	var c string
	for len(rest) > 0 && count < n {
		c, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		if strings.TrimSpace(c) == "" {
			lastSpace = end
		}
		end += len(c)
		count++
	}
	if lastSpace > 0 && lastSpace >= end*4/5 {
		end = lastSpace
	}
	return strings.TrimRightFunc(text[:end], unicode.IsSpace)
}

// linkDomain is the host a card shows ("example.com" for https://www.example.com/a).
func linkDomain(link string) string {
	raw := link
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// layoutMedia maps an attachment count to the grid feeds use: 1 full, 2 side
// by side, 3 as one tall and two stacked, 4 as 2×2, 5 and more as two on
// top and rows of three below (on a 6-column grid), up to MaxVisible.
func layoutMedia(n int, rule previewRule) MediaGrid {
	if n == 0 {
		return MediaGrid{Layout: "none"}
	}
	if rule.Carousel {
		return MediaGrid{Layout: "carousel", Rows: 1, Cols: 1, Cells: []GridCell{{0, 0, 0, 1, 1}}, Hidden: n - 1}
	}
	visible := min(n, max(rule.MaxVisible, 1))
	g := MediaGrid{Layout: "grid", Hidden: n - visible}
	switch visible {
	case 1:
		g.Rows, g.Cols = 1, 1
		g.Cells = []GridCell{{0, 0, 0, 1, 1}}
	case 2:
		g.Rows, g.Cols = 1, 2
		g.Cells = []GridCell{{0, 0, 0, 1, 1}, {1, 0, 1, 1, 1}}
	case 3:
		g.Rows, g.Cols = 2, 2
		g.Cells = []GridCell{{0, 0, 0, 2, 1}, {1, 0, 1, 1, 1}, {2, 1, 1, 1, 1}}
	case 4:
		g.Rows, g.Cols = 2, 2
		g.Cells = []GridCell{{0, 0, 0, 1, 1}, {1, 0, 1, 1, 1}, {2, 1, 0, 1, 1}, {3, 1, 1, 1, 1}}
	default:
		g.Cols = 6
		g.Cells = []GridCell{{0, 0, 0, 1, 3}, {1, 0, 3, 1, 3}}
		row, i := 1, 2
		for i < visible {
			inRow := min(3, visible-i)
			span := 6 / inRow
			for k := range inRow {
				g.Cells = append(g.Cells, GridCell{Media: i + k, Row: row, Col: k * span, RowSpan: 1, ColSpan: span})
			}
			i += inRow
			row++
		}
		g.Rows = row
	}
	return g
}

// isShort reports whether YouTube shows a post's video as a Short: one
// square or vertical video of at most 3 minutes (YouTube Help, "Upload
// YouTube Shorts"; 3 minutes since October 2024).
func isShort(media []MediaInfo) bool {
	for _, m := range media {
		if m.Kind == MediaVideo {
			return m.Width > 0 && m.Height >= m.Width && m.DurationSeconds <= 180
		}
	}
	return false
}
