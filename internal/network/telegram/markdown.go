package telegram

import (
	"strings"
	"unicode/utf16"
)

// Entity is a Bot API message entity; offsets and lengths count UTF-16 code units.
type Entity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
	URL    string `json:"url,omitempty"`
}

// UTF16Len is the length of s in UTF-16 code units, the unit of Telegram's limits.
func UTF16Len(s string) int { return len(utf16.Encode([]rune(s))) }

var markers = []struct{ open, close, typ string }{
	{"**", "**", "bold"},
	{"__", "__", "italic"},
	{"~~", "~~", "strikethrough"},
	{"||", "||", "spoiler"},
	{"`", "`", "code"},
}

// ParseMarkdown turns a small Markdown subset (**bold**, __italic__,
// ~~strike~~, ||spoiler||, `code`, [text](https://url)) into plain text and
// entities with UTF-16 offsets. Sending entities instead of a parse_mode
// means no character of the text ever needs escaping. Unclosed markers stay
// literal; markers do not nest.
func ParseMarkdown(s string) (string, []Entity) {
	var out strings.Builder
	var ents []Entity
	n16 := 0
	emit := func(t string) {
		out.WriteString(t)
		n16 += UTF16Len(t)
	}
	for i := 0; i < len(s); {
		if s[i] == '[' {
			if text, url, end, ok := link(s[i:]); ok {
				ents = append(ents, Entity{Type: "text_link", Offset: n16, Length: UTF16Len(text), URL: url})
				emit(text)
				i += end
				continue
			}
		}
		matched := false
		for _, m := range markers {
			if !strings.HasPrefix(s[i:], m.open) {
				continue
			}
			rest := s[i+len(m.open):]
			j := strings.Index(rest, m.close)
			if j <= 0 || strings.TrimSpace(rest[:j]) == "" {
				continue
			}
			ents = append(ents, Entity{Type: m.typ, Offset: n16, Length: UTF16Len(rest[:j])})
			emit(rest[:j])
			i += len(m.open) + j + len(m.close)
			matched = true
			break
		}
		if matched {
			continue
		}
		// Copy one whole UTF-8 sequence so multi-byte runes stay intact.
		j := i + 1
		for j < len(s) && s[j]&0xC0 == 0x80 {
			j++
		}
		emit(s[i:j])
		i = j
	}
	return out.String(), ents
}

// link parses "[text](http…)" at the start of s.
func link(s string) (text, url string, end int, ok bool) {
	closeText := strings.Index(s, "](")
	if closeText <= 1 || strings.ContainsAny(s[1:closeText], "[]\n") {
		return "", "", 0, false
	}
	closeURL := strings.IndexByte(s[closeText+2:], ')')
	if closeURL <= 0 {
		return "", "", 0, false
	}
	url = s[closeText+2 : closeText+2+closeURL]
	if !(strings.HasPrefix(url, "https://") || strings.HasPrefix(url, "http://") || strings.HasPrefix(url, "tg://")) || strings.ContainsAny(url, " \n") {
		return "", "", 0, false
	}
	return s[1:closeText], url, closeText + 2 + closeURL + 1, true
}
