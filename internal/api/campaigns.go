package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/campaign"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		op := func(method, path, id, summary string, status int) huma.Operation {
			return huma.Operation{OperationID: id, Method: method, Path: "/api/v1" + path, Summary: summary, Tags: []string{"Campaigns"},
				DefaultStatus: status, MaxBodyBytes: 64 << 10}
		}
		huma.Register(h.api, op(http.MethodGet, "/campaigns", "list-campaigns", "The workspace's campaigns, newest first", 200), h.listCampaigns)
		huma.Register(h.api, op(http.MethodPost, "/campaigns", "create-campaign", "Create a campaign with dates, goals and a budget", 201), h.createCampaign)
		huma.Register(h.api, op(http.MethodGet, "/campaigns/{id}", "get-campaign", "A campaign with its posts, links, clicks and results against its goals", 200), h.getCampaign)
		huma.Register(h.api, op(http.MethodPut, "/campaigns/{id}", "update-campaign", "Change a campaign's name, dates, goals and budget", 200), h.updateCampaign)
		huma.Register(h.api, op(http.MethodDelete, "/campaigns/{id}", "delete-campaign", "Delete a campaign (its posts and links stay)", 204), h.deleteCampaign)
		attach := op(http.MethodPost, "/campaigns/{id}/posts", "attach-campaign-post", "Attach a post to a campaign", 204)
		huma.Register(h.api, attach, h.attachCampaignPost)
		huma.Register(h.api, op(http.MethodDelete, "/campaigns/{id}/posts/{postID}", "detach-campaign-post", "Detach a post from a campaign", 204), h.detachCampaignPost)
	})
}

func (h *Handler) campaigns() *campaign.Service {
	if h.d.Campaigns != nil {
		return h.d.Campaigns
	}
	return &campaign.Service{Store: h.d.Store}
}

// Campaign, its fields and goals are the campaign package's JSON shapes, shared with the CLI.
type (
	Campaign       = campaign.Campaign
	CampaignFields = campaign.CampaignFields
)

// CampaignsOutput lists campaigns.
type CampaignsOutput struct {
	Body struct {
		Campaigns []Campaign `json:"campaigns"`
	}
}

func (h *Handler) listCampaigns(ctx context.Context, _ *struct{}) (*CampaignsOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	list, err := h.d.Store.Campaigns(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &CampaignsOutput{}
	out.Body.Campaigns = []Campaign{}
	for _, c := range list {
		out.Body.Campaigns = append(out.Body.Campaigns, campaign.NewCampaign(c))
	}
	return out, nil
}

// CampaignInput is a campaign to create.
type CampaignInput struct {
	Body CampaignFields
}

// CampaignOutput is one campaign.
type CampaignOutput struct {
	Body Campaign
}

func (h *Handler) createCampaign(ctx context.Context, in *CampaignInput) (*CampaignOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	c, err := h.campaigns().Create(ctx, p.Workspace.ID, p.User.ID, in.Body.Input())
	if err != nil {
		return nil, h.fail(err)
	}
	return &CampaignOutput{Body: campaign.NewCampaign(c)}, nil
}

// UpdateCampaignInput replaces a campaign's fields.
type UpdateCampaignInput struct {
	ID   int64 `path:"id"`
	Body CampaignFields
}

func (h *Handler) updateCampaign(ctx context.Context, in *UpdateCampaignInput) (*CampaignOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	c, err := h.campaigns().Update(ctx, p.Workspace.ID, in.ID, in.Body.Input())
	if err != nil {
		return nil, h.fail(err)
	}
	return &CampaignOutput{Body: campaign.NewCampaign(c)}, nil
}

func (h *Handler) deleteCampaign(ctx context.Context, in *IDInput) (*struct{}, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	if err := h.d.Store.DeleteCampaign(ctx, p.Workspace.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	return nil, nil
}

// CampaignResultOutput is a campaign with its results.
type CampaignResultOutput struct {
	Body campaign.CampaignReport
}

func (h *Handler) getCampaign(ctx context.Context, in *IDInput) (*CampaignResultOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	r, err := h.campaigns().Results(ctx, p.Workspace.ID, in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &CampaignResultOutput{Body: campaign.NewReport(r, h.links())}, nil
}

// AttachPostInput names the post to attach.
type AttachPostInput struct {
	ID   int64 `path:"id"`
	Body struct {
		PostID int64 `json:"post_id"`
	}
}

func (h *Handler) attachCampaignPost(ctx context.Context, in *AttachPostInput) (*struct{}, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	if err := h.d.Store.AttachCampaignPost(ctx, p.Workspace.ID, in.ID, in.Body.PostID); err != nil {
		return nil, h.fail(err)
	}
	return nil, nil
}

// CampaignPostInput names a campaign's post.
type CampaignPostInput struct {
	ID     int64 `path:"id"`
	PostID int64 `path:"postID"`
}

func (h *Handler) detachCampaignPost(ctx context.Context, in *CampaignPostInput) (*struct{}, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	if err := h.d.Store.DetachCampaignPost(ctx, p.Workspace.ID, in.ID, in.PostID); err != nil {
		return nil, h.fail(err)
	}
	return nil, nil
}
