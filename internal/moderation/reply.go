package moderation

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// Limits of a saved reply.
const (
	MaxReplyName = 100
	MaxReplyBody = 5000
)

// ReplyLangs are the languages a saved reply can be written in.
var ReplyLangs = []string{"en", "fr", "de"}

// Placeholders a saved reply may use. The inbox fills author, first_name,
// channel and network from the message; order_link and agent come from the
// person or rule using the reply.
var Placeholders = []string{"agent", "author", "channel", "first_name", "network", "order_link"}

// CheckReply validates and normalises a saved reply (a reusable answer in
// en, fr or de): its name, language and that every placeholder of its body
// is known and well formed.
func CheckReply(r *store.SavedReply) error {
	name, err := valid.Text("name", "Name", r.Name, MaxReplyName)
	if err != nil {
		return err
	}
	r.Name = name
	r.Lang = strings.ToLower(strings.TrimSpace(r.Lang))
	if !slices.Contains(ReplyLangs, r.Lang) {
		return valid.Errorf("lang", "unknown", "Language must be one of en, fr, de; got %q", r.Lang)
	}
	body, err := valid.Text("body", "Text", r.Body, MaxReplyBody)
	if err != nil {
		return err
	}
	r.Body = body
	_, err = placeholders(r.Body)
	return err
}

// Uses lists the placeholders a reply's body uses, each once, in order.
func Uses(body string) []string {
	names, _ := placeholders(body)
	return names
}

// placeholders parses {name} in body; {{ and }} are literal braces.
func placeholders(body string) ([]string, error) {
	var names []string
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '{':
			if i+1 < len(body) && body[i+1] == '{' {
				i++
				continue
			}
			end := strings.IndexByte(body[i:], '}')
			if end < 0 {
				return nil, valid.Errorf("body", "placeholder", "A placeholder is not closed at character %d: write {name}, or {{ for a brace", utf8.RuneCountInString(body[:i])+1)
			}
			name := body[i+1 : i+end]
			if !slices.Contains(Placeholders, name) {
				return nil, valid.Errorf("body", "placeholder", "Unknown placeholder {%s}; known placeholders: {%s}", name, strings.Join(Placeholders, "}, {"))
			}
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
			i += end
		case '}':
			if i+1 < len(body) && body[i+1] == '}' {
				i++
				continue
			}
			return nil, valid.Errorf("body", "placeholder", "A closing brace has no opening one at character %d: write }} for a brace", utf8.RuneCountInString(body[:i])+1)
		}
	}
	return names, nil
}

// Render fills the body's placeholders from values. A placeholder without a
// value (missing or blank) is an error naming it, so a reply never goes out
// with "{order_link}" or a hole in it.
func Render(body string, values map[string]string) (string, error) {
	names, err := placeholders(body)
	if err != nil {
		return "", err
	}
	var missing []string
	for _, n := range names {
		if strings.TrimSpace(values[n]) == "" {
			missing = append(missing, "{"+n+"}")
		}
	}
	if len(missing) > 0 {
		return "", valid.Errorf("values", "missing", "The reply needs a value for %s", strings.Join(missing, ", "))
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '{' && i+1 < len(body) && body[i+1] == '{', c == '}' && i+1 < len(body) && body[i+1] == '}':
			b.WriteByte(c)
			i++
		case c == '{':
			end := strings.IndexByte(body[i:], '}')
			b.WriteString(values[body[i+1:i+end]])
			i += end
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// MessageValues are the placeholder values a message provides: its author's
// handle and first name (the display name's first word, else the handle),
// the channel's name and the network.
func MessageValues(m Message, displayName, channel string) map[string]string {
	first := strings.TrimPrefix(m.Author, "@")
	if f := strings.Fields(displayName); len(f) > 0 {
		first = f[0]
	}
	return map[string]string{"author": "@" + strings.TrimPrefix(m.Author, "@"), "first_name": first, "channel": channel, "network": m.Network}
}
