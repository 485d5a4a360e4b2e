package youtube

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/network"
)

// Metadata limits (developers.google.com/youtube/v3/docs/videos#properties).
const (
	// MaxTitle is the title's length in characters.
	MaxTitle = 100
	// MaxDescription is the description's length in UTF-8 bytes.
	MaxDescription = 5000
	// MaxTags is the tags' total length in characters: the commas between
	// tags count, and a tag with a space counts as if quoted (+2).
	MaxTags = 500
	// ShortMaxSeconds is the longest a Short may be (3 minutes since October 2024).
	ShortMaxSeconds = 180
)

// Categories are the video categories offered in the composer (videoCategories.list,
// regionCode=US), the first being the default (People & Blogs).
var Categories = []string{"22", "1", "2", "10", "15", "17", "19", "20", "23", "24", "25", "26", "27", "28"}

// PostOptions are the YouTube choices of a video beyond its description
// (the post's text) and file, read by Publish from PublishRequest.Options:
// a FieldChoice's first option is its default. The composer shows them
// (registered in init) and checks the MaxLength ones.
func PostOptions() []network.Field {
	return []network.Field{
		{Name: "title", Label: "Title", MaxLength: MaxTitle, Help: "At most 100 characters, without < or >; empty: the first line of the text"},
		{Name: "privacy_status", Label: "Visibility", Type: network.FieldChoice, Options: []string{"public", "unlisted", "private"}},
		{Name: "publish_at", Label: "Publish on YouTube at", Help: "Optional date and time (2026-12-24T18:00:00Z) at which YouTube makes a private video public; needs the Private visibility"},
		{Name: "tags", Label: "Tags", MaxLength: MaxTags, Help: "Separated by commas; 500 characters in all"},
		{Name: "category_id", Label: "Category", Type: network.FieldChoice, Options: Categories},
		{Name: "made_for_kids", Label: "Made for kids", Type: network.FieldChoice, Options: []string{"false", "true"}},
		{Name: "playlist_id", Label: "Add to playlist", Help: "Optional playlist id (PL…) of the channel"},
	}
}

// snippet and status are the video resource's parts relais sets.
type snippet struct {
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	CategoryID  string   `json:"categoryId,omitempty"`
}

type status struct {
	PrivacyStatus           string `json:"privacyStatus"`
	PublishAt               string `json:"publishAt,omitempty"`
	SelfDeclaredMadeForKids bool   `json:"selfDeclaredMadeForKids"`
}

type videoMeta struct {
	Snippet snippet `json:"snippet"`
	Status  status  `json:"status"`
}

// Metadata builds and checks a video's snippet and status from the post's
// text (the description) and options, naming the field and the limit on
// failure, as YouTube would refuse them.
func Metadata(text string, o map[string]string, now time.Time) (videoMeta, error) {
	invalid := func(format string, a ...any) (videoMeta, error) {
		return videoMeta{}, &network.Error{Class: network.InvalidContent, Network: network.YouTube, Message: fmt.Sprintf(format, a...)}
	}
	title := strings.TrimSpace(o["title"])
	if title == "" {
		title = DefaultTitle(text)
	}
	if title == "" {
		return invalid("a YouTube video needs a title: set the title option or write a first line")
	}
	if n := utf8.RuneCountInString(title); n > MaxTitle {
		return invalid("YouTube allows %d characters in the title; this one has %d", MaxTitle, n)
	}
	if strings.ContainsAny(title, "<>") {
		return invalid("YouTube refuses < and > in the title")
	}
	if n := len(text); n > MaxDescription {
		return invalid("YouTube allows %d bytes in the description; this one has %d", MaxDescription, n)
	}
	if strings.ContainsAny(text, "<>") {
		return invalid("YouTube refuses < and > in the description")
	}
	tags := SplitTags(o["tags"])
	if n := TagsLength(tags); n > MaxTags {
		return invalid("YouTube allows %d characters of tags in all; these have %d", MaxTags, n)
	}
	m := videoMeta{Snippet: snippet{Title: title, Description: text, Tags: tags, CategoryID: "22"}}
	if c := strings.TrimSpace(o["category_id"]); c != "" {
		if strings.Trim(c, "0123456789") != "" {
			return invalid("category_id must be a YouTube category number; got %q", c)
		}
		m.Snippet.CategoryID = c
	}
	m.Status.PrivacyStatus = "public"
	switch p := strings.TrimSpace(o["privacy_status"]); p {
	case "", "public":
	case "unlisted", "private":
		m.Status.PrivacyStatus = p
	default:
		return invalid("privacy_status must be public, unlisted or private; got %q", p)
	}
	if pa := strings.TrimSpace(o["publish_at"]); pa != "" {
		t, err := time.Parse(time.RFC3339, pa)
		if err != nil {
			return invalid("publish_at must be a date and time like 2026-12-24T18:00:00Z; got %q", pa)
		}
		if m.Status.PrivacyStatus != "private" {
			return invalid("publish_at needs the private visibility (privacy_status private): YouTube makes the video public at that time")
		}
		if !t.After(now) {
			return invalid("publish_at %s is not in the future", pa)
		}
		m.Status.PublishAt = t.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	switch k := strings.TrimSpace(o["made_for_kids"]); k {
	case "", "false":
	case "true":
		m.Status.SelfDeclaredMadeForKids = true
	default:
		return invalid("made_for_kids must be true or false; got %q", k)
	}
	return m, nil
}

// DefaultTitle is the title of a video without the title option: the first
// non-empty line of the text, cut to 100 characters, < and > removed.
func DefaultTitle(text string) string {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.NewReplacer("<", "", ">", "").Replace(line))
		if line == "" {
			continue
		}
		if utf8.RuneCountInString(line) > MaxTitle {
			r := []rune(line)
			line = strings.TrimSpace(string(r[:MaxTitle-1])) + "…"
		}
		return line
	}
	return ""
}

// SplitTags reads comma-separated tags, trimmed, empty ones dropped.
func SplitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// TagsLength is the tags' length as YouTube counts it: characters, plus a
// comma between two tags, plus 2 for the quotes around a tag with a space.
func TagsLength(tags []string) int {
	n := 0
	for i, t := range tags {
		n += utf8.RuneCountInString(t)
		if strings.ContainsRune(t, ' ') {
			n += 2
		}
		if i > 0 {
			n++
		}
	}
	return n
}

// IsShort reports whether YouTube will show a video as a Short: it decides
// by itself, with no API flag, for a square or vertical video of at most
// three minutes. durationSeconds 0 (unknown) counts as short enough.
func IsShort(width, height int, durationSeconds float64) bool {
	return width > 0 && height >= width && durationSeconds <= ShortMaxSeconds
}

// TokenExpiry is when the access token expires if nothing can renew it
// (a pasted token without a refresh token or client id); zero otherwise.
func (c *Connector) TokenExpiry() time.Time {
	_, exp, rt := c.api.current()
	if rt != "" && c.api.app.ClientID != "" {
		return time.Time{}
	}
	return exp
}
