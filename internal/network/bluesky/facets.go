package bluesky

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"golang.org/x/net/publicsuffix"
)

// Facet is one rich-text annotation of a post (app.bsky.richtext.facet):
// a UTF-8 byte range of the text and what it means.
type Facet struct {
	Index    ByteSlice      `json:"index"`
	Features []FacetFeature `json:"features"`
}

// ByteSlice is a facet's range in UTF-8 bytes, end exclusive.
type ByteSlice struct {
	ByteStart int `json:"byteStart"`
	ByteEnd   int `json:"byteEnd"`
}

// FacetFeature is a link, mention or tag feature; Type selects which field is set.
type FacetFeature struct {
	Type string `json:"$type"`
	URI  string `json:"uri,omitempty"`
	DID  string `json:"did,omitempty"`
	Tag  string `json:"tag,omitempty"`
}

// The facet feature types.
const (
	featureLink    = "app.bsky.richtext.facet#link"
	featureMention = "app.bsky.richtext.facet#mention"
	featureTag     = "app.bsky.richtext.facet#tag"
)

// maxTagGraphemes is the lexicon's limit on a tag's length (without the #).
const maxTagGraphemes = 64

type spanKind int

const (
	spanLink spanKind = iota
	spanMention
	spanTag
)

// span is a detected facet before mentions are resolved: value is the link's
// URI, the mention's handle or the tag without its #.
type span struct {
	kind       spanKind
	start, end int
	value      string
}

var (
	// A link with a scheme, or a bare domain (checked against the public suffix list below).
	linkRE = regexp.MustCompile(`(?i)(?:^|[\s(\[{"'<])((?:https?://[^\s<>"]+)|(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}(?:/[^\s<>"]*)?)`)
	// A mention is @handle where the handle has at least one dot.
	mentionRE = regexp.MustCompile(`(?:^|[\s(\[{"'])@((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)`)
	// A tag starts with # or the full-width ＃ after a space or the start of the text.
	tagRE = regexp.MustCompile(`(?:^|\s)([#＃])([^\s\x{00AD}\x{2060}\x{200A}\x{200B}\x{200C}\x{200D}\x{20E2}]+)`)
)

// detectFacets finds links, mentions and tags in text, in UTF-8 byte offsets,
// sorted and non-overlapping (a link wins over anything inside it).
func detectFacets(text string) []span {
	var links, others []span
	for _, m := range linkRE.FindAllStringSubmatchIndex(text, -1) {
		start, end := m[2], m[3]
		raw := trimLinkEnd(text[start:end])
		end = start + len(raw)
		uri := raw
		if !strings.HasPrefix(strings.ToLower(raw), "http://") && !strings.HasPrefix(strings.ToLower(raw), "https://") {
			if !bareDomainIsLink(raw) {
				continue
			}
			uri = "https://" + raw
		} else if len(raw) <= len("https://") || strings.HasSuffix(strings.ToLower(raw), "://") {
			continue
		}
		links = append(links, span{kind: spanLink, start: start, end: end, value: uri})
	}
	for _, m := range mentionRE.FindAllStringSubmatchIndex(text, -1) {
		// The span includes the @.
		start, end := m[2]-1, m[3]
		others = append(others, span{kind: spanMention, start: start, end: end, value: strings.ToLower(text[m[2]:m[3]])})
	}
	for _, m := range tagRE.FindAllStringSubmatchIndex(text, -1) {
		tag := trimTagEnd(text[m[4]:m[5]])
		if tag == "" || !strings.ContainsFunc(tag, func(r rune) bool { return !unicode.IsDigit(r) }) {
			continue
		}
		if uniseg.GraphemeClusterCount(tag) > maxTagGraphemes {
			continue
		}
		others = append(others, span{kind: spanTag, start: m[2], end: m[4] + len(tag), value: tag})
	}
	out := links
	for _, s := range others {
		if !overlapsAny(s, links) {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// bareDomainIsLink accepts a domain without a scheme only when its top-level
// label is an ICANN one, so "file.txt" or "e.g" are not linked.
func bareDomainIsLink(raw string) bool {
	host := raw
	if i := strings.IndexByte(host, '/'); i >= 0 {
		host = host[:i]
	}
	dot := strings.LastIndexByte(host, '.')
	if dot < 0 {
		return false
	}
	_, icann := publicsuffix.PublicSuffix(strings.ToLower(host[dot+1:]))
	return icann
}

// trimLinkEnd drops sentence punctuation after a link and a closing bracket
// that has no opening one inside the link ("(see example.com)").
func trimLinkEnd(s string) string {
	for s != "" {
		r, size := utf8.DecodeLastRuneInString(s)
		switch {
		case strings.ContainsRune(".,;:!?'\"", r):
			s = s[:len(s)-size]
		case r == ')' && strings.Count(s, "(") < strings.Count(s, ")"):
			s = s[:len(s)-size]
		case r == ']' && strings.Count(s, "[") < strings.Count(s, "]"):
			s = s[:len(s)-size]
		default:
			return s
		}
	}
	return s
}

// trimTagEnd drops trailing punctuation: "#go," tags "go".
func trimTagEnd(s string) string {
	for s != "" {
		r, size := utf8.DecodeLastRuneInString(s)
		if !unicode.IsPunct(r) {
			return s
		}
		s = s[:len(s)-size]
	}
	return s
}

func overlapsAny(s span, others []span) bool {
	for _, o := range others {
		if s.start < o.end && o.start < s.end {
			return true
		}
	}
	return false
}

// handleResolver turns a handle into a DID; an error means "no facet".
type handleResolver func(ctx context.Context, handle string) (string, error)

// buildFacets detects facets and resolves mentions; a mention whose handle does
// not resolve gets no facet, as Bluesky's own clients do.
func buildFacets(ctx context.Context, text string, resolve handleResolver) []Facet {
	var out []Facet
	cache := map[string]string{}
	for _, s := range detectFacets(text) {
		f := Facet{Index: ByteSlice{ByteStart: s.start, ByteEnd: s.end}}
		switch s.kind {
		case spanLink:
			f.Features = []FacetFeature{{Type: featureLink, URI: s.value}}
		case spanTag:
			f.Features = []FacetFeature{{Type: featureTag, Tag: s.value}}
		case spanMention:
			did, seen := cache[s.value]
			if !seen {
				if d, err := resolve(ctx, s.value); err == nil {
					did = d
				}
				cache[s.value] = did
			}
			if did == "" {
				continue
			}
			f.Features = []FacetFeature{{Type: featureMention, DID: did}}
		}
		out = append(out, f)
	}
	return out
}

// firstLink returns the first link detected in text, for a link card.
func firstLink(text string) string {
	for _, s := range detectFacets(text) {
		if s.kind == spanLink {
			return s.value
		}
	}
	return ""
}
