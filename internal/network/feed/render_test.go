package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/stretchr/testify/require"
)

// hardTexts are post texts that break naive feed writers.
var hardTexts = map[string]string{
	"ampersands":   "Fish & chips & more &amp; entities &#x26; &nbsp;",
	"script":       `<script>alert("x")</script><img src=x onerror=alert(1)>`,
	"emoji":        "Family 👩‍👩‍👧‍👦 and flags 🇫🇷🇩🇪, skin tones 👋🏽",
	"rtl":          "שלום עולם \u200f مرحبا بالعالم \u202eevil\u202c",
	"controls":     "bell\x07 null\x00 escape\x1b vt\x0b ff\x0c nonchar\uFFFE\uFFFF end",
	"cdata":        "end a CDATA ]]> and start one <![CDATA[ x ]]> <!-- comment -->",
	"invalid utf8": "broken \xff\xfe bytes",
	"quotes":       `He said "hi" and 'bye' > < =`,
}

func testFeed(f Format) Feed {
	rss, atom, js := URLs("https://relais.example/", "K3yK3yK3yK3yK3yK3yK3yK3y")
	return Feed{
		ID: "K3yK3yK3yK3yK3yK3yK3yK3y", Title: "Brand & <Co> 🎉", Description: "News from \"Brand\"",
		SiteURL: "https://brand.example/?a=1&b=2", FeedURL: map[Format]string{RSS: rss, Atom: atom, JSON: js}[f],
		Language: "fr-CH",
	}
}

func parseBack(t *testing.T, doc []byte) *gofeed.Feed {
	t.Helper()
	parsed, err := gofeed.NewParser().Parse(bytes.NewReader(doc))
	require.NoError(t, err, "gofeed cannot parse:\n%s", doc)
	return parsed
}

func requireWellFormed(t testing.TB, doc []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		require.NoError(t, err, "not well-formed XML:\n%s", doc)
	}
}

func TestRenderRoundTripsHardTexts(t *testing.T) {
	t.Parallel()
	published := time.Date(2026, 3, 29, 1, 30, 0, 0, time.FixedZone("CET", 3600))
	updated := published.Add(90 * time.Minute)
	for _, format := range []Format{RSS, Atom, JSON} {
		for name, text := range hardTexts {
			t.Run(string(format)+"/"+name, func(t *testing.T) {
				t.Parallel()
				id := ItemID("pub-" + name)
				item := Item{
					ID: id, URL: ItemURL("https://relais.example", "K3yK3yK3yK3yK3yK3yK3yK3y", id),
					Title: "Title: " + text, Text: text, Published: published, Updated: updated, Author: "Zoë & Ann",
					Media: []Enclosure{{URL: "https://cdn.example/m/1.jpg?sig=a&exp=2", MIME: "image/jpeg", Length: 2048, Alt: text}},
					Tags:  []string{"news & views", "été"},
				}
				doc, ctype, err := Render(format, testFeed(format), []Item{item})
				require.NoError(t, err)
				if format != JSON {
					requireWellFormed(t, doc)
				} else {
					require.True(t, json.Valid(doc))
					require.Equal(t, JSONContentType, ctype)
				}
				f := parseBack(t, doc)
				require.Equal(t, map[Format]string{RSS: "rss", Atom: "atom", JSON: "json"}[format], f.FeedType)
				require.Equal(t, "Brand & <Co> 🎉", f.Title)
				require.Equal(t, "https://brand.example/?a=1&b=2", f.Link)
				require.Len(t, f.Items, 1)
				got := f.Items[0]
				wantTitle := strings.Join(strings.Fields(Clean("Title: "+text)), " ")
				require.Equal(t, wantTitle, got.Title)
				require.NotContains(t, got.Title, "\x00")
				require.Equal(t, item.URL, got.Link)
				require.NotNil(t, got.PublishedParsed)
				require.True(t, published.Equal(*got.PublishedParsed), "published %v", got.PublishedParsed)
				if format != RSS { // RSS 2.0 has no modification date per item
					require.NotNil(t, got.UpdatedParsed)
					require.True(t, updated.Equal(*got.UpdatedParsed))
				}
				require.Len(t, got.Enclosures, 1)
				require.Equal(t, "https://cdn.example/m/1.jpg?sig=a&exp=2", got.Enclosures[0].URL)
				require.Equal(t, "image/jpeg", got.Enclosures[0].Type)
				require.Equal(t, "2048", got.Enclosures[0].Length)
				require.Equal(t, []string{"news & views", "été"}, got.Categories)
				require.Len(t, got.Authors, 1)
				require.Equal(t, "Zoë & Ann", got.Authors[0].Name)
				// The text survives as escaped content: no live <script> element.
				content := got.Content
				if format == RSS {
					content = got.Description
				}
				require.NotContains(t, content, "<script")
				require.NotContains(t, content, "<!--")
			})
		}
	}
}

func TestRenderDerivesTitleAndHTML(t *testing.T) {
	t.Parallel()
	text := "Launch day! Our new site is live: https://brand.example/new.\nSee you there.\n\nSecond paragraph & more"
	for _, format := range []Format{RSS, Atom, JSON} {
		t.Run(string(format), func(t *testing.T) {
			t.Parallel()
			doc, _, err := Render(format, testFeed(format), []Item{{ID: "i1", URL: "https://relais.example/feeds/k/items/i1", Text: text, Published: time.Unix(1_800_000_000, 0)}})
			require.NoError(t, err)
			got := parseBack(t, doc).Items[0]
			require.Equal(t, "Launch day!", got.Title)
			content := got.Content
			if format == RSS {
				content = got.Description
			}
			require.Contains(t, content, `<a href="https://brand.example/new" rel="nofollow noopener">https://brand.example/new</a>.<br/>See you there.</p><p>Second paragraph &amp; more</p>`)
		})
	}
}

// The structures below read the documents independently of gofeed, to check
// the elements each specification requires.
type rssCheck struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		Title string `xml:"title"`
		// Both RSS's link and atom:link match "link"; the name tells them apart.
		Links []struct {
			XMLName xml.Name
			Href    string `xml:"href,attr"`
			Rel     string `xml:"rel,attr"`
			Value   string `xml:",chardata"`
		} `xml:"link"`
		Description   string `xml:"description"`
		LastBuildDate string `xml:"lastBuildDate"`
		Items         []struct {
			Title   string `xml:"title"`
			PubDate string `xml:"pubDate"`
			GUID    struct {
				IsPermaLink string `xml:"isPermaLink,attr"`
				Value       string `xml:",chardata"`
			} `xml:"guid"`
			Enclosure *struct {
				URL    string `xml:"url,attr"`
				Length string `xml:"length,attr"`
				Type   string `xml:"type,attr"`
			} `xml:"enclosure"`
		} `xml:"item"`
	} `xml:"channel"`
}

type atomCheck struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  []struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Content struct {
			Type string `xml:"type,attr"`
		} `xml:"content"`
		Links []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

func TestRenderHasRequiredElements(t *testing.T) {
	t.Parallel()
	items := []Item{
		{ID: "a1", URL: "https://relais.example/feeds/k/items/a1", Text: "first", Published: time.Unix(1_800_000_000, 0),
			Media: []Enclosure{{URL: "https://cdn.example/v.mp4", MIME: "video/mp4", Length: 99}}},
		{ID: "b2", Text: "second, no URL and no date"},
	}
	t.Run("rss", func(t *testing.T) {
		t.Parallel()
		doc, ctype, err := Render(RSS, testFeed(RSS), items)
		require.NoError(t, err)
		require.Equal(t, RSSContentType, ctype)
		var r rssCheck
		require.NoError(t, xml.Unmarshal(doc, &r))
		require.Equal(t, "2.0", r.Version)
		require.NotEmpty(t, r.Channel.Title)
		var link, self string
		for _, l := range r.Channel.Links {
			switch {
			case l.XMLName.Space == "":
				link = l.Value
			case l.XMLName.Space == atomNS && l.Rel == "self":
				self = l.Href
			}
		}
		require.Equal(t, testFeed(RSS).SiteURL, link)
		require.Equal(t, testFeed(RSS).FeedURL, self)
		require.NotEmpty(t, r.Channel.Description)
		_, err = time.Parse(time.RFC1123Z, r.Channel.LastBuildDate)
		require.NoError(t, err)
		require.Len(t, r.Channel.Items, 2)
		first, second := r.Channel.Items[0], r.Channel.Items[1]
		require.Equal(t, "true", first.GUID.IsPermaLink)
		require.Equal(t, items[0].URL, first.GUID.Value)
		pub, err := time.Parse(time.RFC1123Z, first.PubDate)
		require.NoError(t, err)
		require.True(t, pub.Equal(items[0].Published))
		require.NotNil(t, first.Enclosure)
		require.Equal(t, "99", first.Enclosure.Length)
		require.Equal(t, "video/mp4", first.Enclosure.Type)
		// Without a URL the guid is the item id and not a permalink.
		require.Equal(t, "false", second.GUID.IsPermaLink)
		require.Equal(t, "b2", second.GUID.Value)
		require.Empty(t, second.PubDate)
		require.Nil(t, second.Enclosure)
	})
	t.Run("atom", func(t *testing.T) {
		t.Parallel()
		doc, ctype, err := Render(Atom, testFeed(Atom), items)
		require.NoError(t, err)
		require.Equal(t, AtomContentType, ctype)
		var a atomCheck
		require.NoError(t, xml.Unmarshal(doc, &a))
		require.Regexp(t, `^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, a.ID)
		require.NotEmpty(t, a.Title)
		updated, err := time.Parse(time.RFC3339, a.Updated)
		require.NoError(t, err)
		require.True(t, updated.Equal(items[0].Published), "feed updated is the newest item")
		require.NotEmpty(t, a.Author)
		rels := map[string]string{}
		for _, l := range a.Links {
			rels[l.Rel] = l.Href
		}
		require.Equal(t, testFeed(Atom).FeedURL, rels["self"])
		require.Equal(t, testFeed(Atom).SiteURL, rels["alternate"])
		require.Len(t, a.Entries, 2)
		ids := map[string]bool{}
		for _, e := range a.Entries {
			require.Regexp(t, `^urn:uuid:`, e.ID)
			ids[e.ID] = true
			require.NotEmpty(t, e.Title)
			_, err := time.Parse(time.RFC3339, e.Updated)
			require.NoError(t, err)
			require.Equal(t, "html", e.Content.Type)
		}
		require.Len(t, ids, 2, "entry ids are distinct")
		require.Equal(t, []string{"alternate", "enclosure"}, []string{a.Entries[0].Links[0].Rel, a.Entries[0].Links[1].Rel})
	})
	t.Run("json", func(t *testing.T) {
		t.Parallel()
		doc, _, err := Render(JSON, testFeed(JSON), items)
		require.NoError(t, err)
		var j struct {
			Items []map[string]any `json:"items"`
		}
		require.NoError(t, json.Unmarshal(doc, &j))
		var top map[string]any
		require.NoError(t, json.Unmarshal(doc, &top))
		require.Equal(t, "https://jsonfeed.org/version/1.1", top["version"])
		require.Equal(t, testFeed(JSON).Title, top["title"])
		require.Equal(t, testFeed(JSON).FeedURL, top["feed_url"])
		require.Len(t, j.Items, 2)
		first := j.Items[0]
		require.Equal(t, "a1", first["id"])
		require.Equal(t, items[0].URL, first["url"])
		require.Equal(t, "first", first["content_text"])
		require.Contains(t, first["content_html"], "<p>first</p>")
		pub, err := time.Parse(time.RFC3339, first["date_published"].(string))
		require.NoError(t, err)
		require.True(t, pub.Equal(items[0].Published))
		att := first["attachments"].([]any)[0].(map[string]any)
		require.Equal(t, "https://cdn.example/v.mp4", att["url"])
		require.Equal(t, "video/mp4", att["mime_type"])
		require.EqualValues(t, 99, att["size_in_bytes"])
		require.Equal(t, "b2", j.Items[1]["id"])
		require.NotContains(t, j.Items[1], "date_published")
	})
}

func TestRenderEmptyFeed(t *testing.T) {
	t.Parallel()
	for _, format := range []Format{RSS, Atom, JSON} {
		t.Run(string(format), func(t *testing.T) {
			t.Parallel()
			doc, _, err := Render(format, Feed{Title: "Empty", FeedURL: "https://relais.example/feeds/k/x"}, nil)
			require.NoError(t, err)
			f := parseBack(t, doc)
			require.Equal(t, "Empty", f.Title)
			require.Empty(t, f.Items)
		})
	}
}

func TestRenderUnknownFormat(t *testing.T) {
	t.Parallel()
	_, _, err := Render("opml", Feed{Title: "x"}, nil)
	require.ErrorContains(t, err, `feed: unknown format "opml"`)
}

func TestFormatForFile(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]Format{"rss.xml": RSS, "atom.xml": Atom, "feed.json": JSON} {
		got, ok := FormatForFile(name)
		require.True(t, ok)
		require.Equal(t, want, got)
	}
	_, ok := FormatForFile("feed.xml")
	require.False(t, ok)
}

func FuzzRender(f *testing.F) {
	for _, s := range hardTexts {
		f.Add(s, s, "tag", "https://cdn.example/a.png?x=1&y=2", "image/png")
	}
	f.Add("", "", "", "", "")
	f.Add("\x00]]>\uFFFE", "<title>", "\x01", "javascript:alert(1)", "text/html")
	f.Fuzz(func(t *testing.T, text, title, tag, mediaURL, mime string) {
		items := []Item{{ID: text, URL: "https://relais.example/i/" + title, Title: title, Text: text,
			Published: time.Unix(1_800_000_000, 0), Author: title, Tags: []string{tag},
			Media: []Enclosure{{URL: mediaURL, MIME: mime, Alt: text}}}}
		feed := Feed{Title: title, Description: text, SiteURL: mediaURL, FeedURL: mediaURL, Language: tag}
		for _, format := range []Format{RSS, Atom, JSON} {
			doc, _, err := Render(format, feed, items)
			require.NoError(t, err)
			if format != JSON {
				requireWellFormed(t, doc)
			} else {
				require.True(t, json.Valid(doc))
			}
			parsed, err := gofeed.NewParser().Parse(bytes.NewReader(doc))
			require.NoError(t, err, "%s", doc)
			require.Len(t, parsed.Items, 1)
			require.NotEmpty(t, parsed.Items[0].Title)
		}
	})
}

func BenchmarkRender(b *testing.B) {
	items := make([]Item, 50)
	for i := range items {
		items[i] = Item{ID: ItemID(string(rune('a' + i))), URL: "https://relais.example/feeds/k/items/x",
			Text:      strings.Repeat("A post with a link https://brand.example/a?b=c & some text. ", 5),
			Published: time.Unix(1_800_000_000+int64(i)*3600, 0), Tags: []string{"news"},
			Media: []Enclosure{{URL: "https://cdn.example/a.jpg", MIME: "image/jpeg", Length: 1000}}}
	}
	for _, format := range []Format{RSS, Atom, JSON} {
		b.Run(string(format), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := Render(format, testFeed(format), items); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
