package compose

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
)

// maxRemoteURLLen bounds a confirmed post's address, like the store's other URL fields.
const maxRemoteURLLen = 2000

// MarkPublished records that a person checked the network and found a
// needs_review publication of the post there, optionally with its address.
// Retrying instead may publish twice on networks without idempotency keys,
// which is why the confirmation exists.
func (s *Service) MarkPublished(ctx context.Context, p auth.Principal, postID, publicationID int64, rawURL string) (PostView, error) {
	if err := need(p, auth.ActPublish); err != nil {
		return PostView{}, err
	}
	link, err := checkRemoteURL(rawURL)
	if err != nil {
		return PostView{}, err
	}
	pub, err := s.Store.Publication(ctx, p.Workspace.ID, publicationID)
	if err != nil {
		return PostView{}, err
	}
	if pub.PostID != postID {
		return PostView{}, store.ErrNotFound
	}
	if link == "" {
		link = pub.URL // keep whatever the network answered before the doubt, if anything
	}
	err = s.Store.MarkPublicationPublished(ctx, p.Workspace.ID, publicationID, pub.RemoteID, link, s.now())
	if errors.Is(err, store.ErrStale) {
		return PostView{}, validErr("state", "invalid_transition", "only a needs_review publication can be marked as published; this one is %s", pub.State)
	}
	if err != nil {
		return PostView{}, err
	}
	detail := fmt.Sprintf("publication %d", publicationID)
	if link != "" {
		detail += " " + link
	}
	s.record(ctx, p, postID, "marked_published", detail)
	return s.view(ctx, p.Workspace.ID, postID)
}

// checkRemoteURL trims an optional address and accepts only absolute http(s) URLs.
func checkRemoteURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", nil
	}
	if len(raw) > maxRemoteURLLen {
		return "", validErr("url", "too_long", "url allows at most %d characters", maxRemoteURLLen)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", validErr("url", "invalid", "url must be an http:// or https:// address, got %q", raw)
	}
	return raw, nil
}
