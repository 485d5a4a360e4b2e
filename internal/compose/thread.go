package compose

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/relais/relais/internal/network"
)

// SplitThread cuts a long text into thread parts that each fit l, breaking
// at sentence boundaries (Unicode UAX #29), falling back to spaces for a
// sentence too long for one part, then to graphemes and finally code points
// for a word too long. With numbered, each part ends in " i/n" and the
// suffix is counted. A text that fits is returned as one part without a
// suffix; an empty text gives no parts.
func SplitThread(text string, l network.Limits, numbered bool) []string {
	return SplitThreadWithLink(text, "", 0, l, numbered)
}

// SplitThreadWithLink is SplitThread for a post with a link and media
// attachments on its first part: where the network carries the link in the
// text (network.LinkInText) the first part keeps room for it, since it is
// sent with the link appended.
func SplitThreadWithLink(text, link string, media int, l network.Limits, numbered bool) []string {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	sent := func(first string) string { return sentText(l.Network, first, link, media) }
	if partFits(sent(text), l) {
		return []string{text}
	}
	// The link is appended to the first part as "\n\n" + link (or not at all).
	firstSuffix := strings.TrimPrefix(sent("x"), "x")
	// The suffix width depends on the number of parts, which depends on the
	// suffix width: reserve room for n digits, and retry with more digits
	// when the split needs more parts than that.
	digits := 1
	for {
		reserve := ""
		if numbered {
			nines := strings.Repeat("9", digits)
			reserve = " " + nines + "/" + nines
		}
		spans := packSpans(text, l, reserve, firstSuffix)
		if !numbered || len(strconv.Itoa(len(spans))) <= digits {
			parts := make([]string, len(spans))
			for i, s := range spans {
				parts[i] = text[s.start:s.end]
				if numbered {
					parts[i] += " " + strconv.Itoa(i+1) + "/" + strconv.Itoa(len(spans))
				}
			}
			return parts
		}
		digits = len(strconv.Itoa(len(spans)))
	}
}

// span is a [start, end) byte range of the text being split.
type span struct{ start, end int }

// partFits says whether s is a valid text post for l on its own.
func partFits(s string, l network.Limits) bool {
	m := Count(s, l, false)
	return (m.Limit == 0 || m.Value <= m.Limit) &&
		(l.MaxBytes == 0 || m.Bytes <= l.MaxBytes) &&
		(l.MaxHashtags == 0 || m.Hashtags <= l.MaxHashtags) &&
		(l.MaxMentions == 0 || m.Mentions <= l.MaxMentions)
}

// packSpans groups atoms greedily into parts that fit with the reserved
// suffix (and, for the first part, firstSuffix after it); each part is the
// original text between its first and last atom, so line breaks and spacing
// inside a part are kept.
func packSpans(text string, l network.Limits, reserve, firstSuffix string) []span {
	fits := func(s span) bool { return partFits(text[s.start:s.end]+reserve, l) }
	atoms := atomize(text, fits)
	var parts []span
	for i := 0; i < len(atoms); {
		fits := fits
		if i == 0 && firstSuffix != "" {
			fits = func(s span) bool { return partFits(text[s.start:s.end]+reserve+firstSuffix, l) }
		}
		// Gallop then bisect for the most atoms that fit: O(log n) counts per part.
		good, bad, step := i, len(atoms)+1, 1
		for good+step <= len(atoms) {
			k := good + step
			if !fits(span{atoms[i].start, atoms[k-1].end}) {
				bad = k
				break
			}
			good = k
			step *= 2
		}
		for bad-good > 1 {
			mid := (good + bad) / 2
			if fits(span{atoms[i].start, atoms[mid-1].end}) {
				good = mid
			} else {
				bad = mid
			}
		}
		if good == i {
			// Even a single code point does not fit (a tiny limit): emit it
			// anyway so the split always ends.
			good = i + 1
		}
		parts = append(parts, span{atoms[i].start, atoms[good-1].end})
		i = good
	}
	return parts
}

// atomize cuts text into sentences, and any sentence that does not fit on
// its own into words, graphemes, then code points.
func atomize(text string, fits func(span) bool) []span {
	var atoms []span
	var add func(s span, level int)
	add = func(s span, level int) {
		if fits(s) || level == 3 {
			atoms = append(atoms, s)
			return
		}
		for _, sub := range splitLevel(text, s, level) {
			add(sub, level+1)
		}
	}
	for _, s := range sentenceSpans(text) {
		add(s, 0)
	}
	return atoms
}

// splitLevel splits a span into words (level 0), graphemes (1) or code points (2).
func splitLevel(text string, s span, level int) []span {
	var out []span
	switch level {
	case 0:
		start := -1
		for i, r := range text[s.start:s.end] {
			if unicode.IsSpace(r) {
				if start >= 0 {
					out = append(out, span{s.start + start, s.start + i})
					start = -1
				}
			} else if start < 0 {
				start = i
			}
		}
		if start >= 0 {
			out = append(out, span{s.start + start, s.end})
		}
	case 1:
		rest, state, pos := text[s.start:s.end], -1, s.start
		var c string
		for len(rest) > 0 {
			c, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
			out = append(out, span{pos, pos + len(c)})
			pos += len(c)
		}
	default:
		for i := s.start; i < s.end; {
			_, size := utf8.DecodeRuneInString(text[i:s.end])
			out = append(out, span{i, i + size})
			i += size
		}
	}
	return out
}

// sentenceSpans returns the sentences of text, trimmed of surrounding space.
func sentenceSpans(text string) []span {
	var out []span
	rest, state, pos := text, -1, 0
	var sentence string
	for len(rest) > 0 {
		sentence, rest, state = uniseg.FirstSentenceInString(rest, state)
		trimmedLeft := strings.TrimLeftFunc(sentence, unicode.IsSpace)
		start := pos + len(sentence) - len(trimmedLeft)
		end := pos + len(strings.TrimRightFunc(sentence, unicode.IsSpace))
		if end > start {
			out = append(out, span{start, end})
		}
		pos += len(sentence)
	}
	return out
}
