// Package listen owns social listening: per-workspace queries (a boolean
// keyword expression plus hashtags, mentions, authors, languages and
// networks), a matcher that tests every incoming post against all of them
// at once, the sources that feed it (Bluesky's Jetstream firehose, Mastodon
// timelines, website feeds) and the mentions it stores. See docs/listening.md.
package listen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/valid"
)

// Limits of a query, named in the messages that refuse one.
const (
	MaxNameLength = 100
	// MaxListItems bounds each list (hashtags, mentions, authors, languages, networks).
	MaxListItems = 50
	// MaxItemLength bounds one list item, in characters.
	MaxItemLength = 200
)

// Networks is what a query can be limited to: the listening sources.
var Networks = []string{"bluesky", "mastodon", "website", "x", "youtube", "threads", "instagram"}

// Spec is a listening query as the user writes it. A post matches when its
// topic matches — the Keywords expression, or one of the Hashtags, or one of
// the Mentions — and it passes the filters: its author is in Authors (when
// given) and not in ExcludeAuthors, its language is in Languages (when
// given), its network in Networks (when given).
type Spec struct {
	Name           string   `json:"name"`
	Keywords       string   `json:"keywords,omitempty"`
	Hashtags       []string `json:"hashtags,omitempty"`
	Mentions       []string `json:"mentions,omitempty"`
	Authors        []string `json:"authors,omitempty"`
	ExcludeAuthors []string `json:"exclude_authors,omitempty"`
	Languages      []string `json:"languages,omitempty"`
	Networks       []string `json:"networks,omitempty"`

	// AlertMentions announces each new mention whose author has at least
	// AlertMinReach followers: in-app, as the mention.received webhook
	// event and, with AlertEmail, by e-mail to owners and admins.
	AlertMentions bool  `json:"alert_mentions,omitempty"`
	AlertMinReach int64 `json:"alert_min_reach,omitempty"`
	// AlertBursts announces terms bursting in the query's mentions
	// (mention.burst), once per term and UTC day.
	AlertBursts bool `json:"alert_bursts,omitempty"`
	AlertEmail  bool `json:"alert_email,omitempty"`
}

// Compiled is a validated Spec ready for matching; immutable.
type Compiled struct {
	Spec     Spec
	keywords *moderation.Query
	hashtags map[string]bool // folded, without '#'
	mentions map[string]bool // folded handles, without '@'
	authors  map[string]bool
	excluded map[string]bool
	langs    map[string]bool
	networks map[string]bool
}

// Compile validates s (normalising its lists) and compiles it. Errors name
// the field and the limit.
func Compile(s Spec) (*Compiled, error) {
	name, err := valid.Text("name", "Name", s.Name, MaxNameLength)
	if err != nil {
		return nil, err
	}
	s.Name = name
	c := &Compiled{}
	if c.keywords, err = moderation.ParseQuery(s.Keywords); err != nil {
		if e, ok := valid.As(err); ok {
			e.Field = "keywords"
		}
		return nil, err
	}
	if c.keywords != nil {
		s.Keywords = c.keywords.String()
		if _, ok := c.keywords.Anchors(); !ok {
			return nil, valid.Errorf("keywords", "no_positive", "Keywords need at least one word or phrase to look for outside a NOT (a firehose cannot be searched for what it lacks)")
		}
	}
	lists := []struct {
		field string
		in    *[]string
		set   *map[string]bool
		norm  func(string) string
	}{
		{"hashtags", &s.Hashtags, &c.hashtags, func(v string) string { return foldWord(strings.TrimLeft(v, "#")) }},
		{"mentions", &s.Mentions, &c.mentions, normHandle},
		{"authors", &s.Authors, &c.authors, normHandle},
		{"exclude_authors", &s.ExcludeAuthors, &c.excluded, normHandle},
		{"languages", &s.Languages, &c.langs, func(v string) string { return strings.ToLower(strings.TrimSpace(v)) }},
		{"networks", &s.Networks, &c.networks, func(v string) string { return strings.ToLower(strings.TrimSpace(v)) }},
	}
	for _, l := range lists {
		var out []string
		set := map[string]bool{}
		for _, raw := range *l.in {
			raw = strings.TrimSpace(raw)
			if raw == "" {
				continue
			}
			if len([]rune(raw)) > MaxItemLength {
				return nil, valid.Errorf(l.field, "too_long", "Each of %s allows at most %d characters; %q is longer", l.field, MaxItemLength, raw)
			}
			v := l.norm(raw)
			if v == "" {
				return nil, valid.Errorf(l.field, "invalid", "%s: %q has no letters or digits", l.field, raw)
			}
			if l.field == "networks" && !slices.Contains(Networks, v) {
				return nil, valid.Errorf(l.field, "invalid", "networks: %q is not one of %s", raw, strings.Join(Networks, ", "))
			}
			if !set[v] {
				set[v] = true
				out = append(out, v)
			}
		}
		if len(out) > MaxListItems {
			return nil, valid.Errorf(l.field, "too_many", "%s allow at most %d items; there are %d", l.field, MaxListItems, len(out))
		}
		*l.in = out
		if len(out) > 0 {
			*l.set = set
		}
	}
	if s.AlertMinReach < 0 {
		return nil, valid.Errorf("alert_min_reach", "invalid", "alert_min_reach must be 0 or more followers; got %d", s.AlertMinReach)
	}
	if c.keywords == nil && c.hashtags == nil && c.mentions == nil {
		return nil, valid.Errorf("keywords", "required", "A query needs keywords, hashtags or mentions to listen for")
	}
	c.Spec = s
	return c, nil
}

// foldWord folds a hashtag or word the way moderation.Words folds text
// ("Café" → "cafe"); several words are joined without separator, as a
// hashtag writes them.
func foldWord(v string) string { return strings.Join(moderation.Words(v), "") }

// normHandle lower-cases a handle or account address, without its leading
// '@' ("@Shop@social.example" → "shop@social.example").
func normHandle(v string) string {
	return strings.ToLower(strings.TrimLeft(strings.TrimSpace(v), "@"))
}

// Post is one public post offered to the matcher.
type Post struct {
	Network  string
	Author   string   // handle ("alice.bsky.social", "alice@social.example") or DID
	Text     string   //
	Lang     string   // language tag from the network, "" when unknown
	Hashtags []string // as written, with or without '#'
	Mentions []string // handles or DIDs, with or without '@'
}

// prepared is a Post as the matcher reads it.
type prepared struct {
	post     *Post
	words    []string
	hashtags []string
	mentions []string
	author   string
	lang     string
}

func prepare(p *Post) *prepared {
	pr := &prepared{post: p, words: moderation.Words(p.Text), author: normHandle(p.Author), lang: baseLang(p.Lang)}
	for _, h := range p.Hashtags {
		pr.hashtags = append(pr.hashtags, foldWord(strings.TrimLeft(h, "#")))
	}
	for _, m := range p.Mentions {
		pr.mentions = append(pr.mentions, normHandle(m))
	}
	return pr
}

// baseLang is the primary subtag of a language tag, lower case ("de-AT" → "de").
func baseLang(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i > 0 {
		tag = tag[:i]
	}
	return tag
}

// matches tests the whole query on a prepared post.
func (c *Compiled) matches(p *prepared) bool {
	if c.networks != nil && !c.networks[p.post.Network] {
		return false
	}
	if c.langs != nil && !c.langs[p.lang] {
		return false
	}
	if c.authors != nil && !c.authors[p.author] {
		return false
	}
	if c.excluded != nil && c.excluded[p.author] {
		return false
	}
	for _, h := range p.hashtags {
		if c.hashtags[h] {
			return true
		}
	}
	for _, m := range p.mentions {
		if c.mentions[m] || c.mentions[shortHandle(m)] {
			return true
		}
	}
	return c.keywords != nil && c.keywords.Match(p.words)
}

// shortHandle is a Mastodon address without its domain ("shop@social.example" → "shop").
func shortHandle(h string) string {
	if i := strings.IndexByte(h, '@'); i > 0 {
		return h[:i]
	}
	return h
}

// Match reports whether the query matches one post (the preview and tests;
// the Matcher tests many queries at once).
func (c *Compiled) Match(p *Post) bool { return c.matches(prepare(p)) }

func (c *Compiled) String() string { return fmt.Sprintf("%s: %s", c.Spec.Name, c.Spec.Keywords) }
