package web

import (
	"net/http"
	"strconv"

	"github.com/relais/relais/internal/media"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
)

// mediaRow is a library item with its thumbnail and per-network checks.
type mediaRow struct {
	store.Media
	Thumb  string
	Checks []media.Problem
}

// mediaData is the media library page.
type mediaData struct {
	Items []mediaRow
	// Networks are the workspace's networks the checks were run against.
	Networks []string
	MaxMB    int64
}

// mediaFilter is the page of items the library and the picker show.
func mediaFilter() media.Filter { return media.Filter{Limit: 200} }

// mediaThumb is the session-authenticated URL of an item's file.
func mediaThumb(r *http.Request, m store.Media) string {
	return wsPath(r, "/media/"+strconv.FormatInt(m.ID, 10)+"/file")
}

// mediaPickData is one media picker: the items, the input name and the
// chosen ids (nil: the items' own Selected flags).
type mediaPickData struct {
	Items  []composeMedia
	Name   string
	Chosen map[int64]bool
}

// mediaPick prepares a media picker (a template function).
func mediaPick(items []composeMedia, name string, chosen map[int64]bool) mediaPickData {
	if chosen == nil {
		chosen = map[int64]bool{}
		for _, m := range items {
			if m.Selected {
				chosen[m.ID] = true
			}
		}
	}
	return mediaPickData{Items: items, Name: name, Chosen: chosen}
}

// mediaLibrary lists the workspace's media with upload, alt text and checks.
func (h *handler) mediaLibrary(w http.ResponseWriter, r *http.Request) {
	h.renderMedia(w, r, http.StatusOK, h.newPage(r, "media.title"))
}

func (h *handler) renderMedia(w http.ResponseWriter, r *http.Request, status int, p *page) {
	ws := visitOf(r).P.Workspace
	items, err := h.d.Media.List(r.Context(), ws.ID, mediaFilter())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	chans, err := h.d.Store.Channels(r.Context(), ws.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	// One check per network, with the first channel's effective limits.
	var limits []network.Limits
	seen := map[string]bool{}
	d := mediaData{MaxMB: h.maxUp >> 20}
	for _, c := range chans {
		if seen[c.Network] || h.d.Channels == nil {
			continue
		}
		seen[c.Network] = true
		limits = append(limits, h.d.Channels.Limits(c))
		d.Networks = append(d.Networks, networkName(c.Network))
	}
	for _, m := range items {
		row := mediaRow{Media: m, Thumb: mediaThumb(r, m)}
		for _, l := range limits {
			for _, pr := range media.Check(m, l) {
				if pr.Code != "alt_missing" { // said once for the item, not per network
					row.Checks = append(row.Checks, pr)
				}
			}
		}
		d.Items = append(d.Items, row)
	}
	p.Data = d
	h.render(w, r, status, "media", p)
}
