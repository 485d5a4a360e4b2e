package feed

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Format is a feed document format.
type Format string

// The formats relais serves.
const (
	RSS  Format = "rss"
	Atom Format = "atom"
	JSON Format = "json"
)

// Content types of the three formats.
const (
	RSSContentType  = "application/rss+xml; charset=utf-8"
	AtomContentType = "application/atom+xml; charset=utf-8"
	JSONContentType = "application/feed+json; charset=utf-8"
)

// FormatForFile maps the last segment of a feed URL ("rss.xml", "atom.xml",
// "feed.json") onto its format.
func FormatForFile(name string) (Format, bool) {
	switch name {
	case "rss.xml":
		return RSS, true
	case "atom.xml":
		return Atom, true
	case "feed.json":
		return JSON, true
	}
	return "", false
}

// Feed is the metadata of one feed document.
type Feed struct {
	// ID is the feed's stable identity (its key); it derives the Atom feed id.
	// When empty, FeedURL is used.
	ID          string
	Title       string
	Description string
	// SiteURL is the brand's own site, when it has one.
	SiteURL string
	// FeedURL is the address of the document being rendered (its rel=self link).
	FeedURL  string
	Language string
	// Updated is when the feed last changed; when zero, the newest item's time.
	Updated time.Time
}

// Item is one published post in a feed.
type Item struct {
	// ID is the item's stable id (ItemID of the publication's idempotency key).
	ID  string
	URL string
	// Title defaults to DeriveTitle(Text).
	Title string
	Text  string
	// HTML, when set, is trusted markup the host built (it is only stripped of
	// characters XML forbids); it defaults to TextHTML(Text) followed by the
	// images of Media.
	HTML      string
	Published time.Time
	// Updated defaults to Published.
	Updated time.Time
	Author  string
	Media   []Enclosure
	Tags    []string
}

// Enclosure is one media attachment of an item.
type Enclosure struct {
	URL  string
	MIME string
	// Length is the size in bytes, 0 when unknown.
	Length int64
	// Alt describes an image for people who cannot see it.
	Alt string
}

// Render writes the feed with its items (newest first, as given) in format and
// returns the document and its content type.
func Render(format Format, f Feed, items []Item) ([]byte, string, error) {
	f = cleanFeed(f)
	prepared := make([]Item, len(items))
	for i, it := range items {
		prepared[i] = prepareItem(it)
	}
	if f.Updated.IsZero() {
		for _, it := range prepared {
			if it.Updated.After(f.Updated) {
				f.Updated = it.Updated
			}
		}
		if f.Updated.IsZero() {
			// Atom requires an updated date; an empty feed has never changed.
			f.Updated = time.Unix(0, 0)
		}
	}
	switch format {
	case RSS:
		b, err := renderXML(rssDocument(f, prepared))
		return b, RSSContentType, err
	case Atom:
		b, err := renderXML(atomDocument(f, prepared))
		return b, AtomContentType, err
	case JSON:
		b, err := renderJSON(jsonDocument(f, prepared))
		return b, JSONContentType, err
	}
	return nil, "", fmt.Errorf("feed: unknown format %q", format)
}

func cleanFeed(f Feed) Feed {
	f.ID, f.Title, f.Description = Clean(f.ID), Clean(f.Title), Clean(f.Description)
	f.SiteURL, f.FeedURL, f.Language = Clean(f.SiteURL), Clean(f.FeedURL), Clean(f.Language)
	f.Updated = f.Updated.UTC()
	return f
}

// prepareItem cleans every string and fills the defaults.
func prepareItem(it Item) Item {
	it.ID, it.URL, it.Text, it.Author = Clean(it.ID), Clean(it.URL), Clean(it.Text), Clean(it.Author)
	it.Title = strings.Join(strings.Fields(Clean(it.Title)), " ")
	if it.Title == "" {
		it.Title = DeriveTitle(it.Text)
	}
	media := make([]Enclosure, 0, len(it.Media))
	for _, m := range it.Media {
		m.URL, m.MIME, m.Alt = Clean(m.URL), Clean(m.MIME), Clean(m.Alt)
		if m.URL != "" {
			media = append(media, m)
		}
	}
	it.Media = media
	if it.Title == "" && len(media) > 0 {
		it.Title = truncate(strings.Join(strings.Fields(media[0].Alt), " "), MaxItemTitle)
	}
	if it.Title == "" {
		it.Title = "Untitled"
	}
	if it.HTML == "" {
		it.HTML = TextHTML(it.Text) + imagesHTML(media)
	} else {
		it.HTML = Clean(it.HTML)
	}
	tags := make([]string, 0, len(it.Tags))
	for _, t := range it.Tags {
		if t = strings.TrimSpace(Clean(t)); t != "" {
			tags = append(tags, t)
		}
	}
	it.Tags = tags
	it.Published, it.Updated = it.Published.UTC(), it.Updated.UTC()
	if it.Published.IsZero() {
		it.Published = it.Updated
	}
	if it.Updated.IsZero() {
		it.Updated = it.Published
	}
	return it
}

func renderXML(doc any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("feed: encode: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func renderJSON(doc any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// The document is served as application/feed+json, never inlined in HTML,
	// so escaping <, > and & would only make it harder to read.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("feed: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// --- RSS 2.0 (https://www.rssboard.org/rss-specification)

// Namespaces RSS borrows from: Atom for the rel=self link, Dublin Core for
// the item's author. They are declared on the root with their usual prefixes
// and the elements written prefixed (atom:link, dc:creator): feed parsers
// match the prefix, and many ignore an element that declares its own default
// namespace instead.
const (
	atomNS = "http://www.w3.org/2005/Atom"
	dcNS   = "http://purl.org/dc/elements/1.1/"
)

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	AtomNS  string     `xml:"xmlns:atom,attr"`
	DCNS    string     `xml:"xmlns:dc,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	LastBuildDate string    `xml:"lastBuildDate"`
	Generator     string    `xml:"generator"`
	Docs          string    `xml:"docs"`
	Self          *atomLink `xml:"atom:link,omitempty"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string        `xml:"title"`
	Link        string        `xml:"link,omitempty"`
	Description string        `xml:"description"`
	Creator     string        `xml:"dc:creator,omitempty"`
	Categories  []string      `xml:"category"`
	Enclosure   *rssEnclosure `xml:"enclosure"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate,omitempty"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length int64  `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

func rssDocument(f Feed, items []Item) rssDoc {
	ch := rssChannel{
		Title: f.Title, Link: firstNonEmpty(f.SiteURL, f.FeedURL), Description: firstNonEmpty(f.Description, f.Title),
		Language: f.Language, LastBuildDate: f.Updated.Format(time.RFC1123Z),
		Generator: "relais", Docs: "https://www.rssboard.org/rss-specification",
	}
	if f.FeedURL != "" {
		ch.Self = &atomLink{Href: f.FeedURL, Rel: "self", Type: "application/rss+xml"}
	}
	for _, it := range items {
		ri := rssItem{Title: it.Title, Link: it.URL, Description: it.HTML, Creator: it.Author, Categories: it.Tags}
		if it.URL != "" {
			ri.GUID = rssGUID{IsPermaLink: true, Value: it.URL}
		} else {
			ri.GUID = rssGUID{Value: it.ID}
		}
		if !it.Published.IsZero() {
			ri.PubDate = it.Published.Format(time.RFC1123Z)
		}
		// RSS readers handle one enclosure per item reliably; the other
		// attachments are still in the description's HTML.
		if len(it.Media) > 0 {
			m := it.Media[0]
			ri.Enclosure = &rssEnclosure{URL: m.URL, Length: max(m.Length, 0), Type: firstNonEmpty(m.MIME, "application/octet-stream")}
		}
		ch.Items = append(ch.Items, ri)
	}
	return rssDoc{Version: "2.0", AtomNS: atomNS, DCNS: dcNS, Channel: ch}
}

// --- Atom 1.0 (RFC 4287)

type atomFeed struct {
	XMLName   xml.Name      `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string        `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	ID        string        `xml:"id"`
	Title     atomText      `xml:"title"`
	Subtitle  *atomText     `xml:"subtitle,omitempty"`
	Updated   string        `xml:"updated"`
	Links     []atomLink    `xml:"link"`
	Author    atomPerson    `xml:"author"`
	Generator atomGenerator `xml:"generator"`
	Entries   []atomEntry   `xml:"entry"`
}

type atomText struct {
	Type  string `xml:"type,attr,omitempty"`
	Value string `xml:",chardata"`
}

type atomLink struct {
	Href   string `xml:"href,attr"`
	Rel    string `xml:"rel,attr,omitempty"`
	Type   string `xml:"type,attr,omitempty"`
	Length string `xml:"length,attr,omitempty"`
	Title  string `xml:"title,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomGenerator struct {
	URI   string `xml:"uri,attr,omitempty"`
	Value string `xml:",chardata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Author     *atomPerson    `xml:"author,omitempty"`
	Links      []atomLink     `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Content    atomText       `xml:"content"`
}

func atomDocument(f Feed, items []Item) atomFeed {
	doc := atomFeed{
		Lang: f.Language, ID: uuidURN("feed", firstNonEmpty(f.ID, f.FeedURL, f.Title)),
		Title: atomText{Type: "text", Value: f.Title}, Updated: f.Updated.Format(time.RFC3339),
		// RFC 4287 requires a feed author unless every entry has one.
		Author:    atomPerson{Name: firstNonEmpty(f.Title, "relais")},
		Generator: atomGenerator{URI: "https://github.com/relais/relais", Value: "relais"},
	}
	if f.Description != "" {
		doc.Subtitle = &atomText{Type: "text", Value: f.Description}
	}
	if f.SiteURL != "" {
		doc.Links = append(doc.Links, atomLink{Href: f.SiteURL, Rel: "alternate", Type: "text/html"})
	}
	if f.FeedURL != "" {
		doc.Links = append(doc.Links, atomLink{Href: f.FeedURL, Rel: "self", Type: "application/atom+xml"})
	}
	for _, it := range items {
		updated := it.Updated
		if updated.IsZero() {
			updated = f.Updated
		}
		e := atomEntry{
			ID: uuidURN("item", it.ID), Title: atomText{Type: "text", Value: it.Title},
			Updated: updated.Format(time.RFC3339), Content: atomText{Type: "html", Value: it.HTML},
		}
		if !it.Published.IsZero() {
			e.Published = it.Published.Format(time.RFC3339)
		}
		if it.Author != "" {
			e.Author = &atomPerson{Name: it.Author}
		}
		if it.URL != "" {
			e.Links = append(e.Links, atomLink{Href: it.URL, Rel: "alternate", Type: "text/html"})
		}
		for _, m := range it.Media {
			l := atomLink{Href: m.URL, Rel: "enclosure", Type: m.MIME, Title: m.Alt}
			if m.Length > 0 {
				l.Length = strconv.FormatInt(m.Length, 10)
			}
			e.Links = append(e.Links, l)
		}
		for _, t := range it.Tags {
			e.Categories = append(e.Categories, atomCategory{Term: t})
		}
		doc.Entries = append(doc.Entries, e)
	}
	return doc
}

// uuidURN derives a stable urn:uuid (RFC 9562 version 8, name-based on
// SHA-256) so Atom ids never change when a feed moves to another host.
func uuidURN(kind, name string) string {
	sum := sha256.Sum256([]byte("relais/feed/" + kind + "\x00" + name))
	u := sum[:16]
	u[6] = u[6]&0x0f | 0x80
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// --- JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)

type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url,omitempty"`
	FeedURL     string       `json:"feed_url,omitempty"`
	Description string       `json:"description,omitempty"`
	Language    string       `json:"language,omitempty"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Items       []jsonItem   `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

type jsonItem struct {
	ID            string           `json:"id"`
	URL           string           `json:"url,omitempty"`
	Title         string           `json:"title,omitempty"`
	ContentHTML   string           `json:"content_html"`
	ContentText   string           `json:"content_text"`
	Image         string           `json:"image,omitempty"`
	DatePublished string           `json:"date_published,omitempty"`
	DateModified  string           `json:"date_modified,omitempty"`
	Authors       []jsonAuthor     `json:"authors,omitempty"`
	Tags          []string         `json:"tags,omitempty"`
	Attachments   []jsonAttachment `json:"attachments,omitempty"`
}

type jsonAttachment struct {
	URL      string `json:"url"`
	MIMEType string `json:"mime_type"`
	Title    string `json:"title,omitempty"`
	Size     int64  `json:"size_in_bytes,omitempty"`
}

func jsonDocument(f Feed, items []Item) jsonFeed {
	doc := jsonFeed{
		Version: "https://jsonfeed.org/version/1.1", Title: f.Title,
		HomePageURL: f.SiteURL, FeedURL: f.FeedURL, Description: f.Description, Language: f.Language,
		Items: []jsonItem{},
	}
	if f.Title != "" {
		doc.Authors = []jsonAuthor{{Name: f.Title}}
	}
	for _, it := range items {
		ji := jsonItem{ID: it.ID, URL: it.URL, Title: it.Title, ContentHTML: it.HTML, ContentText: it.Text, Tags: it.Tags}
		if !it.Published.IsZero() {
			ji.DatePublished = it.Published.Format(time.RFC3339)
		}
		if !it.Updated.IsZero() && !it.Updated.Equal(it.Published) {
			ji.DateModified = it.Updated.Format(time.RFC3339)
		}
		if it.Author != "" {
			ji.Authors = []jsonAuthor{{Name: it.Author}}
		}
		for _, m := range it.Media {
			if ji.Image == "" && strings.HasPrefix(m.MIME, "image/") {
				ji.Image = m.URL
			}
			ji.Attachments = append(ji.Attachments, jsonAttachment{URL: m.URL, MIMEType: firstNonEmpty(m.MIME, "application/octet-stream"), Title: m.Alt, Size: max(m.Length, 0)})
		}
		doc.Items = append(doc.Items, ji)
	}
	return doc
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
