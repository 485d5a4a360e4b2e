package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/store"
)

// maxCalendarThumbs bounds the posts whose thumbnail a calendar page looks
// up (one query per post and per library item).
const maxCalendarThumbs = 300

// calendarThumbs finds each post's first library image or GIF, as the file
// URL a calendar card shows. Media fetched by URL get no thumbnail: the page
// never loads other sites' files.
func (h *handler) calendarThumbs(r *http.Request, items []compose.CalendarItem) (map[int64]string, error) {
	ctx, ws := r.Context(), visitOf(r).P.Workspace.ID
	out := map[int64]string{}
	kinds := map[int64]store.MediaKind{}
	for i, it := range items {
		if i == maxCalendarThumbs {
			break
		}
		vs, err := h.d.Store.Variants(ctx, ws, it.ID)
		if err != nil {
			return nil, err
		}
	variants:
		for _, v := range vs {
			var refs []compose.MediaRef
			if len(v.Media) == 0 || json.Unmarshal(v.Media, &refs) != nil {
				continue
			}
			for _, ref := range refs {
				if ref.MediaID == 0 {
					continue
				}
				kind, ok := kinds[ref.MediaID]
				if !ok {
					m, err := h.d.Store.Media(ctx, ws, ref.MediaID)
					if err != nil && !errors.Is(err, store.ErrNotFound) {
						return nil, err
					}
					kind, kinds[ref.MediaID] = m.Kind, m.Kind
				}
				if kind == store.MediaImage || kind == store.MediaGIF {
					out[it.ID] = mediaThumb(r, store.Media{ID: ref.MediaID})
					break variants
				}
			}
		}
	}
	return out, nil
}
