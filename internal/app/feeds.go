package app

import (
	"errors"
	"html/template"
	"net/http"

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
		items = append(items, it)
	}
	return items, nil
}

func (h feedHandler) document(w http.ResponseWriter, r *http.Request) {
	format, ok := feed.FormatForFile(r.PathValue("file"))
	c, found := h.channel(r)
	if !ok || !found {
		http.NotFound(w, r)
		return
	}
	items, err := h.items(r, c)
	if err != nil {
		h.a.Log.Error("feed: read entries", "channel", c.ID, "err", err)
		http.Error(w, "feed unavailable", http.StatusInternalServerError)
		return
	}
	body, ctype, err := feed.Render(format, feed.FeedFor(h.a.Config.PublicURL(), c.Settings, format), items)
	if err != nil {
		h.a.Log.Error("feed: render", "channel", c.ID, "err", err)
		http.Error(w, "feed unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if len(items) > 0 {
		w.Header().Set("Last-Modified", items[0].Published.UTC().Format(http.TimeFormat))
	}
	_, _ = w.Write(body)
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
	c, found := h.channel(r)
	if !found {
		http.NotFound(w, r)
		return
	}
	items, err := h.items(r, c)
	if err != nil {
		http.Error(w, "feed unavailable", http.StatusInternalServerError)
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
		w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src https: data:; base-uri 'none'; frame-ancestors 'none'")
		err := itemPage.Execute(w, map[string]any{"Lang": lang, "Title": feed.DeriveTitle(it.Text), "Date": it.Published,
			"Body": template.HTML(feed.TextHTML(it.Text)), "RSS": rss, "Atom": atom, "JSON": js, "Site": c.Settings["site_url"]})
		if err != nil && !errors.Is(err, http.ErrHandlerTimeout) {
			h.a.Log.Warn("feed: item page", "err", err)
		}
		return
	}
	http.NotFound(w, r)
}
