package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/feed"
	"github.com/relais/relais/internal/store"
)

// feedHandler serves a website channel's public feeds and item pages at the
// stable URLs the feed connector hands out: /feeds/{key}/rss.xml, atom.xml,
// feed.json and /feeds/{key}/items/{id}. The key is the channel's secret-ish
// public name; nothing else of the workspace is reachable from it.
type feedHandler struct{ a *App }

// feedItemLimit bounds a feed document.
const feedItemLimit = 50

func (h feedHandler) channel(r *http.Request) (store.Channel, bool) {
	key := r.PathValue("key")
	if !feed.ValidKey(key) {
		return store.Channel{}, false
	}
	c, err := h.a.Store.ChannelByRemoteID(r.Context(), string(network.Website), key)
	return c, err == nil
}

// items are the feed's published entries, newest first, with their media as
// enclosures served under the feed's own URLs (stable, unlike signed media URLs).
func (h feedHandler) items(r *http.Request, c store.Channel) ([]feed.Item, error) {
	entries, err := h.a.Store.ChannelFeed(r.Context(), c.WorkspaceID, c.ID, feedItemLimit)
	if err != nil {
		return nil, err
	}
	items := make([]feed.Item, 0, len(entries))
	for _, e := range entries {
		it := feed.Item{ID: e.RemoteID, URL: e.URL, Text: e.Text, Published: e.PublishedAt, Updated: e.UpdatedAt, Author: c.DisplayName}
		if e.Link != "" {
			it.Text = e.Text + "\n\n" + e.Link
		}
		for _, l := range e.Labels {
			if l.Key == "theme" || l.Key == "tag" {
				it.Tags = append(it.Tags, l.Value)
			}
		}
		if it.Media, err = h.enclosures(r, c, e); err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	return items, nil
}

// enclosures lists the library items attached to an entry; an item deleted
// from the library since is left out.
func (h feedHandler) enclosures(r *http.Request, c store.Channel, e store.FeedEntry) ([]feed.Enclosure, error) {
	refs, err := compose.DecodeMediaRefs(e.Media)
	if err != nil {
		h.a.Log.Warn("feed: entry media", "publication", e.PublicationID, "err", err)
		return nil, nil
	}
	var out []feed.Enclosure
	for _, ref := range refs {
		if ref.MediaID == 0 {
			continue
		}
		m, err := h.a.Store.Media(r.Context(), c.WorkspaceID, ref.MediaID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, feed.Enclosure{URL: feed.MediaURL(h.a.Config.PublicURL(), c.Settings[feed.SettingKey], m.ID),
			MIME: m.MIME, Length: m.Bytes, Alt: m.AltText})
	}
	return out, nil
}

// load finds the feed named by {key} and its items; false means an error
// (404 for an unknown feed) was written.
func (h feedHandler) load(w http.ResponseWriter, r *http.Request) (store.Channel, []feed.Item, bool) {
	c, found := h.channel(r)
	if !found {
		http.NotFound(w, r)
		return c, nil, false
	}
	items, err := h.items(r, c)
	if err != nil {
		h.a.Log.Error("feed: read entries", "channel", c.ID, "err", err)
		http.Error(w, "feed unavailable", http.StatusInternalServerError)
		return c, nil, false
	}
	return c, items, true
}

// lastModified is when the feed last changed: its newest publication or edit.
func lastModified(items []feed.Item) time.Time {
	var t time.Time
	for _, it := range items {
		for _, u := range []time.Time{it.Published, it.Updated} {
			if u.After(t) {
				t = u
			}
		}
	}
	return t
}

func (h feedHandler) document(w http.ResponseWriter, r *http.Request) {
	format, ok := feed.FormatForFile(r.PathValue("file"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	c, items, ok := h.load(w, r)
	if !ok {
		return
	}
	body, ctype, err := feed.Render(format, feed.FeedFor(h.a.Config.PublicURL(), c.Settings, format), items)
	if err != nil {
		h.a.Log.Error("feed: render", "channel", c.ID, "err", err)
		http.Error(w, "feed unavailable", http.StatusInternalServerError)
		return
	}
	sum := sha256.Sum256(body)
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	// Readers poll: If-None-Match and If-Modified-Since answer 304 Not Modified
	// (ServeContent compares them with the ETag and the modification time).
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	http.ServeContent(w, r, "", lastModified(items), bytes.NewReader(body))
}

// media serves a library item attached to one of the feed's published items,
// and nothing else of the workspace's library.
func (h feedHandler) media(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || h.a.Media == nil {
		http.NotFound(w, r)
		return
	}
	c, items, ok := h.load(w, r)
	if !ok {
		return
	}
	want := feed.MediaURL(h.a.Config.PublicURL(), c.Settings[feed.SettingKey], id)
	attached := slices.ContainsFunc(items, func(it feed.Item) bool {
		return slices.ContainsFunc(it.Media, func(e feed.Enclosure) bool { return e.URL == want })
	})
	if !attached {
		http.NotFound(w, r)
		return
	}
	m, err := h.a.Store.Media(r.Context(), c.WorkspaceID, id)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	data, mime, _, _, err := h.a.Media.Rendition(r.Context(), c.WorkspaceID, id, network.Limits{})
	if err != nil {
		h.a.Log.Error("feed: media", "channel", c.ID, "media", id, "err", err)
		http.Error(w, "media unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", mime)
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("ETag", `"`+m.SHA256+`"`)
	http.ServeContent(w, r, "", m.CreatedAt, bytes.NewReader(data))
}

var itemPage = template.Must(template.New("item").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="alternate" type="application/rss+xml" href="{{.RSS}}"><link rel="alternate" type="application/atom+xml" href="{{.Atom}}">
<link rel="alternate" type="application/feed+json" href="{{.JSON}}">
</head><body><main><article><h1>{{.Title}}</h1><p><time datetime="{{.Date.Format "2006-01-02T15:04:05Z07:00"}}">{{.Date.Format "2 Jan 2006"}}</time></p>
{{.Body}}</article><p><a href="{{.RSS}}">RSS</a> · <a href="{{.Atom}}">Atom</a> · <a href="{{.JSON}}">JSON Feed</a>{{if .Site}} · <a href="{{.Site}}">{{.Site}}</a>{{end}}</p></main></body></html>
`))

func (h feedHandler) item(w http.ResponseWriter, r *http.Request) {
	c, items, ok := h.load(w, r)
	if !ok {
		return
	}
	for _, it := range items {
		if it.ID != r.PathValue("id") {
			continue
		}
		rss, atom, js := feed.URLs(h.a.Config.PublicURL(), r.PathValue("key"))
		lang := c.Settings["language"]
		if lang == "" {
			lang = "en"
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self' https: data:; base-uri 'none'; frame-ancestors 'none'")
		err := itemPage.Execute(w, map[string]any{"Lang": lang, "Title": feed.DeriveTitle(it.Text), "Date": it.Published,
			"Body": template.HTML(feed.ItemHTML(it)), "RSS": rss, "Atom": atom, "JSON": js, "Site": c.Settings["site_url"]})
		if err != nil && !errors.Is(err, http.ErrHandlerTimeout) {
			h.a.Log.Warn("feed: item page", "err", err)
		}
		return
	}
	http.NotFound(w, r)
}
