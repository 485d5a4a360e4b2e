package feed

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// MaxItemTitle is the length, in characters, of a title derived from a post's text.
const MaxItemTitle = 100

// Clean returns s as valid UTF-8 without the characters XML 1.0 forbids
// (most C0 controls, lone surrogates, U+FFFE and U+FFFF), which would make a
// whole feed unreadable to strict parsers.
func Clean(s string) string {
	if isCleanXML(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if xmlChar(r) {
			return r
		}
		return -1
	}, s)
}

func isCleanXML(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || !xmlChar(r) {
			return false
		}
	}
	return true
}

// xmlChar is the Char production of XML 1.0.
func xmlChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

var sentenceEnd = regexp.MustCompile(`[.!?…](\s|$)|[。！？]`)

// DeriveTitle makes an item title from a post's text: its first line, cut at the
// end of the first sentence, at most MaxItemTitle characters (cut at a word
// boundary with an ellipsis when longer).
func DeriveTitle(text string) string {
	text = Clean(text)
	var line string
	for l := range strings.Lines(text) {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			line = l
			break
		}
	}
	if loc := sentenceEnd.FindStringIndex(line); loc != nil && loc[0] > 0 {
		line = strings.TrimSpace(line[:loc[1]])
	}
	return truncate(line, MaxItemTitle)
}

// truncate cuts s to at most limit characters on a grapheme boundary,
// preferring the last space in the final stretch, and adds an ellipsis.
func truncate(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	var b strings.Builder
	runes, lastSpace := 0, -1
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		c := g.Str()
		n := utf8.RuneCountInString(c)
		if runes+n > limit-1 {
			break
		}
		if c == " " {
			lastSpace = b.Len()
		}
		b.WriteString(c)
		runes += n
	}
	out := b.String()
	if lastSpace > len(out)*6/10 {
		out = out[:lastSpace]
	}
	return strings.TrimRight(out, " ,;:-") + "…"
}

var linkPattern = regexp.MustCompile(`(?i)\bhttps?://[^\s<>"'\x60]+`)

// TextHTML turns a post's plain text into HTML: everything escaped, links made
// clickable, blank lines separating paragraphs and single newlines as <br>.
// It builds nodes and renders them with x/net/html, so no markup is assembled by hand.
func TextHTML(text string) string {
	text = strings.ReplaceAll(Clean(text), "\r\n", "\n")
	var buf bytes.Buffer
	for _, para := range splitParagraphs(text) {
		p := element(atom.P)
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				p.AppendChild(element(atom.Br))
			}
			appendLinkified(p, line)
		}
		_ = html.Render(&buf, p) // writing to a bytes.Buffer cannot fail
	}
	return buf.String()
}

// imagesHTML renders image attachments as <img> elements so readers that
// ignore enclosures still show them.
func imagesHTML(media []Enclosure) string {
	var buf bytes.Buffer
	for _, m := range media {
		if !strings.HasPrefix(m.MIME, "image/") || m.URL == "" {
			continue
		}
		p := element(atom.P)
		img := element(atom.Img, html.Attribute{Key: "src", Val: Clean(m.URL)}, html.Attribute{Key: "alt", Val: Clean(m.Alt)})
		p.AppendChild(img)
		_ = html.Render(&buf, p)
	}
	return buf.String()
}

var blankLine = regexp.MustCompile(`\n[ \t]*\n`)

func splitParagraphs(text string) []string {
	var out []string
	for _, p := range blankLine.Split(text, -1) {
		if p = strings.Trim(p, "\n"); strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

func element(a atom.Atom, attrs ...html.Attribute) *html.Node {
	return &html.Node{Type: html.ElementNode, DataAtom: a, Data: a.String(), Attr: attrs}
}

func appendLinkified(parent *html.Node, line string) {
	for line != "" {
		loc := linkPattern.FindStringIndex(line)
		if loc == nil {
			parent.AppendChild(&html.Node{Type: html.TextNode, Data: line})
			return
		}
		link := trimLinkEnd(line[loc[0]:loc[1]])
		end := loc[0] + len(link)
		if loc[0] > 0 {
			parent.AppendChild(&html.Node{Type: html.TextNode, Data: line[:loc[0]]})
		}
		if u, err := url.Parse(link); err == nil && u.Host != "" {
			a := element(atom.A, html.Attribute{Key: "href", Val: link}, html.Attribute{Key: "rel", Val: "nofollow noopener"})
			a.AppendChild(&html.Node{Type: html.TextNode, Data: link})
			parent.AppendChild(a)
		} else {
			parent.AppendChild(&html.Node{Type: html.TextNode, Data: link})
		}
		line = line[end:]
	}
}

// trimLinkEnd drops sentence punctuation after a link and closing brackets
// that have no opening partner inside it ("(see https://x.org/a)").
func trimLinkEnd(link string) string {
	for link != "" {
		last := link[len(link)-1]
		switch {
		case strings.IndexByte(".,:;!?*'", last) >= 0:
			link = link[:len(link)-1]
		case last == ')' && strings.Count(link, "(") < strings.Count(link, ")"),
			last == ']' && strings.Count(link, "[") < strings.Count(link, "]"):
			link = link[:len(link)-1]
		default:
			return link
		}
	}
	return link
}

// ItemHTML is an item's body as the feeds show it: its text as paragraphs,
// then its images with their alt text.
func ItemHTML(it Item) string { return prepareItem(it).HTML }
