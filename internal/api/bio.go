package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/link"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		op := func(method, id, summary string) huma.Operation {
			return huma.Operation{OperationID: id, Method: method, Path: "/api/v1/bio", Summary: summary, Tags: []string{"Links"},
				DefaultStatus: http.StatusOK, MaxBodyBytes: 64 << 10}
		}
		huma.Register(h.api, op(http.MethodGet, "get-bio", "The workspace's link-in-bio page settings"), h.getBio)
		huma.Register(h.api, op(http.MethodPut, "update-bio", "Change the link-in-bio page (public at /bio/{workspace slug} once enabled)"), h.updateBio)
	})
}

// BioItem is a link of the bio page.
type BioItem struct {
	Label string `json:"label" maxLength:"80"`
	URL   string `json:"url" maxLength:"2048"`
	Kind  string `json:"kind,omitempty" enum:"link,shop,site" doc:"default link"`
}

// BioFields are the bio page's settings.
type BioFields struct {
	Enabled      bool      `json:"enabled"`
	Title        string    `json:"title" maxLength:"100"`
	Description  string    `json:"description" maxLength:"300"`
	AvatarURL    string    `json:"avatar_url" maxLength:"2048" doc:"https address of the avatar or logo; empty for none"`
	AvatarMedia  int64     `json:"avatar_media_id,omitempty" doc:"An image of the media library shown instead of avatar_url"`
	Background   string    `json:"background" doc:"#rrggbb"`
	Foreground   string    `json:"foreground" doc:"#rrggbb; at least 4.5:1 contrast on the background"`
	Accent       string    `json:"accent" doc:"#rrggbb, the links' colour; at least 4.5:1 contrast on the background"`
	Lang         string    `json:"lang" enum:"en,fr,de"`
	Items        []BioItem `json:"items" maxItems:"20"`
	ShowChannels bool      `json:"show_channels" doc:"List the workspace's channels"`
	RecentPosts  int       `json:"recent_posts" minimum:"0" maximum:"20" doc:"How many recent published posts to list"`
}

// Bio is the bio page's settings with its public address.
type Bio struct {
	BioFields
	URL string `json:"url" doc:"The public page"`
}

// BioOutput is the bio page.
type BioOutput struct {
	Body Bio
}

// BioInput changes the bio page.
type BioInput struct {
	Body BioFields
}

func (h *Handler) toBio(p store.BioPage, slug string) Bio {
	b := Bio{URL: strings.TrimRight(h.d.BaseURL, "/") + "/bio/" + slug, BioFields: BioFields{Enabled: p.Enabled, Title: p.Title, Description: p.Description,
		AvatarURL: p.AvatarURL, AvatarMedia: p.AvatarMediaID, Background: p.Background, Foreground: p.Foreground, Accent: p.Accent, Lang: p.Lang,
		ShowChannels: p.ShowChannels, RecentPosts: p.RecentPosts, Items: []BioItem{}}}
	for _, it := range p.Items {
		b.Items = append(b.Items, BioItem{Label: it.Label, URL: it.URL, Kind: it.Kind})
	}
	return b
}

func (h *Handler) getBio(ctx context.Context, _ *struct{}) (*BioOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	page, err := h.d.Store.BioPage(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &BioOutput{Body: h.toBio(page, p.Workspace.Slug)}, nil
}

func (h *Handler) updateBio(ctx context.Context, in *BioInput) (*BioOutput, error) {
	p, err := h.need(ctx, auth.ActManageWorkspace)
	if err != nil {
		return nil, err
	}
	b := in.Body
	page := store.BioPage{WorkspaceID: p.Workspace.ID, Enabled: b.Enabled, Title: b.Title, Description: b.Description, AvatarURL: b.AvatarURL, AvatarMediaID: b.AvatarMedia,
		Background: b.Background, Foreground: b.Foreground, Accent: b.Accent, Lang: b.Lang, ShowChannels: b.ShowChannels, RecentPosts: b.RecentPosts}
	for _, it := range b.Items {
		page.Items = append(page.Items, store.BioItem{Label: it.Label, URL: it.URL, Kind: it.Kind})
	}
	if page, err = link.CheckBio(page); err != nil {
		return nil, h.fail(err)
	}
	if page.AvatarMediaID != 0 {
		if _, err := h.d.Store.Media(ctx, p.Workspace.ID, page.AvatarMediaID); err != nil {
			return nil, h.fail(valid.Errorf("avatar_media_id", "not_found", "avatar_media_id %d is not an image of this workspace's media library", page.AvatarMediaID))
		}
	}
	if err := h.d.Store.SaveBioPage(ctx, page); err != nil {
		return nil, h.fail(err)
	}
	return &BioOutput{Body: h.toBio(page, p.Workspace.Slug)}, nil
}
