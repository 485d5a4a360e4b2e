// Package opengraph reads the link-card metadata (OpenGraph and Twitter card
// tags) of a web page, for networks whose link previews the client builds
// itself (Bluesky's external embed).
package opengraph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// MaxHTMLBytes bounds how much of a page is read: the <head> that carries the
// tags comes first, and a link card is not worth downloading a large page for.
const MaxHTMLBytes = 1 << 20

// ErrNotHTML is returned when the URL does not answer with an HTML page.
var ErrNotHTML = errors.New("opengraph: not an HTML page")

// Card is the link preview of one page.
type Card struct {
	// URL is the page's canonical URL (og:url when given, else the final URL after redirects).
	URL string
	// Title is og:title, twitter:title or the <title> element.
	Title string
	// Description is og:description, twitter:description or meta description.
	Description string
	// ImageURL is the absolute URL of og:image or twitter:image, empty when none.
	ImageURL string
	// SiteName is og:site_name, empty when none.
	SiteName string
}

// Fetch downloads pageURL with client and extracts its card. The client is
// expected to be network.NewHTTPClient, whose dial guard keeps user-supplied
// URLs away from private addresses (SSRF).
func Fetch(ctx context.Context, client *http.Client, pageURL string) (Card, error) {
	u, err := url.Parse(pageURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Card{}, fmt.Errorf("opengraph: %q is not an http(s) URL", pageURL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Card{}, fmt.Errorf("opengraph: %w", err)
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1")
	resp, err := client.Do(req)
	if err != nil {
		return Card{}, fmt.Errorf("opengraph: fetch %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return Card{}, fmt.Errorf("opengraph: fetch %s: HTTP %d", u, resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		mt, _, _ := mime.ParseMediaType(ct)
		if mt != "text/html" && mt != "application/xhtml+xml" {
			return Card{}, fmt.Errorf("%w: %s is %s", ErrNotHTML, u, mt)
		}
	}
	final := resp.Request.URL
	card, err := Parse(io.LimitReader(resp.Body, MaxHTMLBytes), final)
	if err != nil {
		return Card{}, err
	}
	return card, nil
}

// Parse extracts a card from an HTML document found at base (used to resolve
// relative URLs). It stops at </head> or at the first <body> content, since
// the tags it wants live in the head.
func Parse(r io.Reader, base *url.URL) (Card, error) {
	var (
		og, tw    = map[string]string{}, map[string]string{}
		title     string
		desc      string
		inTitle   bool
		titleDone bool
	)
	z := html.NewTokenizer(r)
loop:
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if err := z.Err(); err != nil && !errors.Is(err, io.EOF) {
				return Card{}, fmt.Errorf("opengraph: read page: %w", err)
			}
			break loop
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.DataAtom {
			case atom.Title:
				inTitle = !titleDone && tt == html.StartTagToken
			case atom.Meta:
				key, content := metaKey(tok)
				switch {
				case content == "":
				case strings.HasPrefix(key, "og:"):
					setOnce(og, strings.TrimPrefix(key, "og:"), content)
				case strings.HasPrefix(key, "twitter:"):
					setOnce(tw, strings.TrimPrefix(key, "twitter:"), content)
				case key == "description" && desc == "":
					desc = content
				}
			case atom.Body:
				break loop
			}
		case html.TextToken:
			if inTitle {
				title += string(z.Text())
			}
		case html.EndTagToken:
			tok := z.Token()
			switch tok.DataAtom {
			case atom.Title:
				inTitle, titleDone = false, true
			case atom.Head:
				break loop
			}
		}
	}
	card := Card{
		Title:       clean(first(og["title"], tw["title"], title)),
		Description: clean(first(og["description"], tw["description"], desc)),
		SiteName:    clean(og["site_name"]),
		URL:         base.String(),
	}
	if s := resolve(base, first(og["url"])); s != "" {
		card.URL = s
	}
	// The first candidate that resolves to an http(s) URL wins, so a
	// javascript: or data: value cannot hide a usable image.
	for _, c := range []string{og["image:secure_url"], og["image"], og["image:url"], tw["image"], tw["image:src"]} {
		if s := resolve(base, c); s != "" {
			card.ImageURL = s
			break
		}
	}
	return card, nil
}

// metaKey returns the property/name of a <meta> tag, lower-cased, and its content.
func metaKey(tok html.Token) (key, content string) {
	for _, a := range tok.Attr {
		switch strings.ToLower(a.Key) {
		case "property", "name":
			if key == "" {
				key = strings.ToLower(strings.TrimSpace(a.Val))
			}
		case "content":
			content = a.Val
		}
	}
	return key, strings.TrimSpace(content)
}

// setOnce keeps the first value: pages repeat og:image for alternatives, and
// the first is the preferred one.
func setOnce(m map[string]string, k, v string) {
	if _, ok := m[k]; !ok {
		m[k] = v
	}
}

func first(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// clean collapses the whitespace that titles spread over several lines carry.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// resolve makes ref absolute against base and keeps only http(s) results.
func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	abs := base.ResolveReference(r)
	if abs.Scheme != "http" && abs.Scheme != "https" {
		return ""
	}
	return abs.String()
}
