package compose

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/relais/relais/internal/media"
	"github.com/relais/relais/internal/network"
)

// DecodeMediaRefs reads a variant's stored media JSON (a list of MediaRef).
func DecodeMediaRefs(raw json.RawMessage) ([]MediaRef, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var refs []MediaRef
	if err := json.Unmarshal(raw, &refs); err != nil {
		return nil, fmt.Errorf("compose: variant media: %w", err)
	}
	return refs, nil
}

// MediaLoader turns the media JSON the composer stores on variants into
// attachments for the publishing engine (it satisfies publish.MediaLoader):
// library items as their bytes, alt text and a signed URL; URL references
// (from CSV imports) are fetched into the library first, once, since the
// library deduplicates by content.
type MediaLoader struct {
	Library *media.Library
	// URLTTL is how long signed URLs stay valid (default 24 hours).
	URLTTL time.Duration
}

// LoadMedia resolves a variant's media references in the workspace.
func (l MediaLoader) LoadMedia(ctx context.Context, workspaceID int64, raw json.RawMessage) ([]network.Media, error) {
	refs, err := DecodeMediaRefs(raw)
	if err != nil {
		return nil, err
	}
	ttl := l.URLTTL
	if ttl <= 0 {
		ttl = 24 * time.Hour
	}
	out := make([]network.Media, 0, len(refs))
	for _, ref := range refs {
		id := ref.MediaID
		if id == 0 {
			if ref.URL == "" {
				return nil, fmt.Errorf("compose: a media reference has neither a library id nor a URL")
			}
			m, err := l.Library.UploadURL(ctx, workspaceID, 0, ref.URL, 0)
			if err != nil {
				return nil, fmt.Errorf("compose: fetch media %s: %w", ref.URL, err)
			}
			id = m.ID
		}
		m, err := l.Library.Get(ctx, workspaceID, id)
		if err != nil {
			return nil, fmt.Errorf("compose: media %d: %w", id, err)
		}
		// Connectors resize for their network; the loader hands over the
		// original, which the library already cleaned of metadata.
		data, mime, w, h, err := l.Library.Rendition(ctx, workspaceID, id, network.Limits{})
		if err != nil {
			return nil, fmt.Errorf("compose: media %d: %w", id, err)
		}
		out = append(out, network.Media{MIME: mime, Data: data, AltText: m.AltText, Width: w, Height: h,
			URL: l.Library.SignedURL(m, media.Original, ttl)})
	}
	return out, nil
}
