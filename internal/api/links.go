package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/link"
	"github.com/relais/relais/internal/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		op := func(method, path, id, summary string, status int) huma.Operation {
			return huma.Operation{OperationID: id, Method: method, Path: "/api/v1" + path, Summary: summary, Tags: []string{"Links"},
				DefaultStatus: status, MaxBodyBytes: 64 << 10}
		}
		huma.Register(h.api, op(http.MethodGet, "/links", "list-links", "The workspace's short links with their clicks, newest first", 200), h.listLinks)
		huma.Register(h.api, op(http.MethodPost, "/links", "create-link", "Create a short link (/l/{code}); UTM values from the workspace's templates unless given", 201), h.createLink)
		huma.Register(h.api, op(http.MethodGet, "/links/settings", "get-link-settings", "Automatic shortening and the UTM templates", 200), h.getLinkSettings)
		huma.Register(h.api, op(http.MethodPut, "/links/settings", "update-link-settings", "Change automatic shortening and the UTM templates", 200), h.updateLinkSettings)
		huma.Register(h.api, op(http.MethodGet, "/links/{id}", "get-link", "One short link with its clicks", 200), h.getLink)
		huma.Register(h.api, op(http.MethodGet, "/links/{id}/stats", "link-stats", "A link's clicks over a period: people, unique visitors and bots apart, by day, referrer, device and bot", 200), h.linkStats)
		qr := op(http.MethodGet, "/links/{id}/qr", "link-qr", "The QR code of a short link, as PNG or SVG", 200)
		qr.Responses = map[string]*huma.Response{"200": {Description: "The QR code of the short URL",
			Content: map[string]*huma.MediaType{
				"image/png":     {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}},
				"image/svg+xml": {Schema: &huma.Schema{Type: huma.TypeString}},
			}}}
		huma.Register(h.api, qr, h.linkQR)
		huma.Register(h.api, op(http.MethodDelete, "/links/{id}", "delete-link", "Delete a short link and its clicks (it stops redirecting)", 204), h.deleteLink)
	})
}

// links is the short-link service (the app's, or one over the store).
func (h *Handler) links() *link.Service {
	if h.d.Links != nil {
		return h.d.Links
	}
	return &link.Service{Store: h.d.Store, BaseURL: h.d.BaseURL}
}

// UTM holds a link's utm_* values.
type UTM = link.UTMValues

// Link is a short link with its clicks (all time).
type Link = link.ShortLink

func (h *Handler) toLink(l store.Link, c store.ClickCount) Link { return h.links().View(l, c) }

// ListLinksInput filters the list.
type ListLinksInput struct {
	PostID     int64 `query:"post_id" doc:"Only this post's links"`
	CampaignID int64 `query:"campaign_id" doc:"Only this campaign's links and its posts' links"`
	Limit      int   `query:"limit" minimum:"1" maximum:"500" default:"100"`
}

// LinksOutput lists links.
type LinksOutput struct {
	Body struct {
		Links []Link `json:"links"`
	}
}

func (h *Handler) listLinks(ctx context.Context, in *ListLinksInput) (*LinksOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	list, err := h.d.Store.Links(ctx, p.Workspace.ID, store.ClickFilter{PostID: in.PostID, CampaignID: in.CampaignID}, in.Limit)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &LinksOutput{}
	out.Body.Links = []Link{}
	for _, l := range list {
		out.Body.Links = append(out.Body.Links, h.toLink(l.Link, l.ClickCount))
	}
	return out, nil
}

// CreateLinkInput describes a new short link.
type CreateLinkInput struct {
	Body struct {
		TargetURL  string `json:"target_url" maxLength:"2048" doc:"The http:// or https:// address the link leads to"`
		Title      string `json:"title,omitempty" maxLength:"200"`
		Code       string `json:"code,omitempty" doc:"A chosen code (3–32 letters, digits, - or _); random when empty"`
		PostID     int64  `json:"post_id,omitempty"`
		CampaignID int64  `json:"campaign_id,omitempty"`
		Network    string `json:"network,omitempty" maxLength:"40" doc:"Fills {network} in the UTM templates"`
		UTM        *UTM   `json:"utm,omitempty" doc:"UTM values; when given, they replace the templates'"`
	}
}

// LinkOutput is one link.
type LinkOutput struct {
	Body Link
}

func (h *Handler) createLink(ctx context.Context, in *CreateLinkInput) (*LinkOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	b := in.Body
	li := link.Input{TargetURL: b.TargetURL, Title: b.Title, Code: b.Code, PostID: b.PostID, CampaignID: b.CampaignID, Network: b.Network}
	if b.UTM != nil {
		li.UTM = store.UTM{Source: b.UTM.Source, Medium: b.UTM.Medium, Campaign: b.UTM.Campaign, Content: b.UTM.Content, Term: b.UTM.Term}
	}
	l, err := h.links().Create(ctx, p.Workspace.ID, p.User.ID, li)
	if err != nil {
		return nil, h.fail(err)
	}
	return &LinkOutput{Body: h.toLink(l, store.ClickCount{})}, nil
}

func (h *Handler) getLink(ctx context.Context, in *IDInput) (*LinkOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	list, err := h.d.Store.Links(ctx, p.Workspace.ID, store.ClickFilter{LinkID: in.ID}, 1)
	if err != nil {
		return nil, h.fail(err)
	}
	if len(list) == 0 {
		return nil, h.fail(store.ErrNotFound)
	}
	return &LinkOutput{Body: h.toLink(list[0].Link, list[0].ClickCount)}, nil
}

func (h *Handler) deleteLink(ctx context.Context, in *IDInput) (*struct{}, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	if err := h.links().Delete(ctx, p.Workspace.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	return nil, nil
}

// IDPeriodInput is a link or campaign id and a period.
type IDPeriodInput struct {
	ID   int64     `path:"id"`
	From time.Time `query:"from" doc:"Start of the period (RFC 3339; default 30 days before to)"`
	To   time.Time `query:"to" doc:"End of the period, excluded (RFC 3339; default now)"`
}

func (in IDPeriodInput) period() (time.Time, time.Time) {
	to := in.To
	if to.IsZero() {
		to = time.Now().UTC()
	}
	from := in.From
	if from.IsZero() {
		from = to.AddDate(0, 0, -30)
	}
	return from, to
}

// LinkStatsOutput is a link's statistics.
type LinkStatsOutput struct {
	Body LinkStats
}

// LinkStats is clicks over a period (the link package's shape, shared with the CLI).
type LinkStats = link.ClickStats

// QRInput picks the link and the image format.
type QRInput struct {
	ID     int64  `path:"id"`
	Format string `query:"format" enum:"png,svg" default:"png"`
	Size   int    `query:"size" minimum:"64" maximum:"2048" default:"512" doc:"PNG width and height in pixels"`
}

// QROutput is an image.
type QROutput struct {
	ContentType string `header:"Content-Type"`
	Body        []byte
}

func (h *Handler) linkQR(ctx context.Context, in *QRInput) (*QROutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	l, err := h.d.Store.Link(ctx, p.Workspace.ID, in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	if in.Format == "svg" {
		b, err := link.QRSVG(h.links().ShortURL(l))
		if err != nil {
			return nil, h.fail(err)
		}
		return &QROutput{ContentType: "image/svg+xml", Body: b}, nil
	}
	b, err := link.QRPNG(h.links().ShortURL(l), in.Size)
	if err != nil {
		return nil, h.fail(err)
	}
	return &QROutput{ContentType: "image/png", Body: b}, nil
}

// LinkSettings are the workspace's link options.
type LinkSettings struct {
	AutoShorten  bool              `json:"auto_shorten" doc:"Replace the links of posts by short links at publish time"`
	UTMTemplates map[string]string `json:"utm_templates" doc:"utm_source, utm_medium, utm_campaign, utm_content, utm_term → template with {network}, {campaign}, {campaign_id}, {post_id}, {channel}; empty: the defaults"`
}

// LinkSettingsOutput is the settings, with the templates in effect.
type LinkSettingsOutput struct {
	Body LinkSettings
}

// LinkSettingsInput changes the settings.
type LinkSettingsInput struct {
	Body LinkSettings
}

func (h *Handler) getLinkSettings(ctx context.Context, _ *struct{}) (*LinkSettingsOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	s, err := h.d.Store.LinkSettings(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &LinkSettingsOutput{Body: LinkSettings{AutoShorten: s.AutoShorten, UTMTemplates: link.Templates(s)}}, nil
}

func (h *Handler) updateLinkSettings(ctx context.Context, in *LinkSettingsInput) (*LinkSettingsOutput, error) {
	p, err := h.need(ctx, auth.ActManageWorkspace)
	if err != nil {
		return nil, err
	}
	if err := link.CheckTemplates(in.Body.UTMTemplates); err != nil {
		return nil, h.fail(err)
	}
	s := store.LinkSettings{WorkspaceID: p.Workspace.ID, AutoShorten: in.Body.AutoShorten, UTMTemplates: in.Body.UTMTemplates}
	if err := h.d.Store.SaveLinkSettings(ctx, s); err != nil {
		return nil, h.fail(err)
	}
	return &LinkSettingsOutput{Body: LinkSettings{AutoShorten: s.AutoShorten, UTMTemplates: link.Templates(s)}}, nil
}

func (h *Handler) linkStats(ctx context.Context, in *IDPeriodInput) (*LinkStatsOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	if _, err := h.d.Store.Link(ctx, p.Workspace.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	from, to := in.period()
	st, err := link.Stats(ctx, h.d.Store, p.Workspace.ID, store.ClickFilter{LinkID: in.ID}, from, to)
	if err != nil {
		return nil, h.fail(err)
	}
	return &LinkStatsOutput{Body: st}, nil
}
