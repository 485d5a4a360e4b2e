package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/campaign"
	"github.com/relais/relais/internal/store"
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

// Goal is a campaign's target for one metric.
type Goal struct {
	Metric string  `json:"metric" enum:"clicks,unique_clicks,reach,impressions,interactions,likes,reposts,replies,engagement_rate,followers"`
	Target float64 `json:"target" exclusiveMinimum:"0"`
}

// CampaignFields are a campaign's editable fields.
type CampaignFields struct {
	Name        string     `json:"name" maxLength:"200"`
	Description string     `json:"description,omitempty" maxLength:"2000"`
	StartsAt    *time.Time `json:"starts_at,omitempty"`
	EndsAt      *time.Time `json:"ends_at,omitempty"`
	Goals       []Goal     `json:"goals,omitempty" maxItems:"10"`
	BudgetCents int64      `json:"budget_cents,omitempty" minimum:"0" doc:"Budget in hundredths of the currency"`
	Currency    string     `json:"currency,omitempty" doc:"ISO 4217 code, like EUR"`
}

func (f CampaignFields) input() campaign.Input {
	in := campaign.Input{Name: f.Name, Description: f.Description, StartsAt: f.StartsAt, EndsAt: f.EndsAt, BudgetCents: f.BudgetCents, Currency: f.Currency}
	for _, g := range f.Goals {
		in.Goals = append(in.Goals, store.CampaignGoal{Metric: g.Metric, Target: g.Target})
	}
	return in
}

// Campaign is a campaign.
type Campaign struct {
	ID int64 `json:"id"`
	CampaignFields
	CreatedAt time.Time `json:"created_at"`
}

func toCampaign(c store.Campaign) Campaign {
	out := Campaign{ID: c.ID, CreatedAt: c.CreatedAt, CampaignFields: CampaignFields{Name: c.Name, Description: c.Description,
		StartsAt: c.StartsAt, EndsAt: c.EndsAt, BudgetCents: c.BudgetCents, Currency: c.Currency, Goals: []Goal{}}}
	for _, g := range c.Goals {
		out.Goals = append(out.Goals, Goal{Metric: g.Metric, Target: g.Target})
	}
	return out
}

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
		out.Body.Campaigns = append(out.Body.Campaigns, toCampaign(c))
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
	c, err := h.campaigns().Create(ctx, p.Workspace.ID, p.User.ID, in.Body.input())
	if err != nil {
		return nil, h.fail(err)
	}
	return &CampaignOutput{Body: toCampaign(c)}, nil
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
	c, err := h.campaigns().Update(ctx, p.Workspace.ID, in.ID, in.Body.input())
	if err != nil {
		return nil, h.fail(err)
	}
	return &CampaignOutput{Body: toCampaign(c)}, nil
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

// GoalResult is a goal with what was reached.
type GoalResult struct {
	Goal
	Actual   *float64 `json:"actual" doc:"null: unknown (metrics other than clicks come from analytics)"`
	Progress *float64 `json:"progress" doc:"actual / target (1 = reached); null when unknown"`
}

// CampaignResult is a campaign with its results.
type CampaignResult struct {
	Campaign
	PostIDs []int64      `json:"post_ids"`
	Links   []Link       `json:"links"`
	From    time.Time    `json:"from"`
	To      time.Time    `json:"to"`
	Clicks  int64        `json:"clicks"`
	Unique  int64        `json:"unique_clicks"`
	Bots    int64        `json:"bot_clicks"`
	Results []GoalResult `json:"results"`
}

// CampaignResultOutput is a campaign with its results.
type CampaignResultOutput struct {
	Body CampaignResult
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
	out := CampaignResult{Campaign: toCampaign(r.Campaign), PostIDs: r.PostIDs, Links: []Link{}, From: r.From, To: r.To,
		Clicks: r.Clicks.Clicks, Unique: r.Clicks.Unique, Bots: r.Clicks.Bots, Results: []GoalResult{}}
	if out.PostIDs == nil {
		out.PostIDs = []int64{}
	}
	for _, l := range r.Links {
		out.Links = append(out.Links, h.toLink(l.Link, l.ClickCount))
	}
	for _, g := range r.Goals {
		out.Results = append(out.Results, GoalResult{Goal: Goal{Metric: g.Metric, Target: g.Target}, Actual: g.Actual, Progress: g.Progress})
	}
	return &CampaignResultOutput{Body: out}, nil
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
