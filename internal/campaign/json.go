package campaign

import (
	"time"

	"github.com/relais/relais/internal/link"
	"github.com/relais/relais/internal/store"
)

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

// Input is the fields as the service takes them.
func (f CampaignFields) Input() Input {
	in := Input{Name: f.Name, Description: f.Description, StartsAt: f.StartsAt, EndsAt: f.EndsAt, BudgetCents: f.BudgetCents, Currency: f.Currency}
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

// NewCampaign shows a campaign.
func NewCampaign(c store.Campaign) Campaign {
	out := Campaign{ID: c.ID, CreatedAt: c.CreatedAt, CampaignFields: CampaignFields{Name: c.Name, Description: c.Description,
		StartsAt: c.StartsAt, EndsAt: c.EndsAt, BudgetCents: c.BudgetCents, Currency: c.Currency, Goals: []Goal{}}}
	for _, g := range c.Goals {
		out.Goals = append(out.Goals, Goal{Metric: g.Metric, Target: g.Target})
	}
	return out
}

// GoalReport is a goal with what was reached.
type GoalReport struct {
	Goal
	Actual   *float64 `json:"actual" doc:"null: unknown (metrics other than clicks come from analytics)"`
	Progress *float64 `json:"progress" doc:"actual / target (1 = reached); null when unknown"`
}

// CampaignReport is a campaign with its results, as the API and the CLI print it.
type CampaignReport struct {
	Campaign
	PostIDs []int64          `json:"post_ids"`
	Links   []link.ShortLink `json:"links"`
	From    time.Time        `json:"from"`
	To      time.Time        `json:"to"`
	Clicks  int64            `json:"clicks"`
	Unique  int64            `json:"unique_clicks"`
	Bots    int64            `json:"bot_clicks"`
	Results []GoalReport     `json:"results"`
}

// NewReport shows a campaign's results; links gives the short links' addresses.
func NewReport(r Result, links *link.Service) CampaignReport {
	out := CampaignReport{Campaign: NewCampaign(r.Campaign), PostIDs: r.PostIDs, Links: []link.ShortLink{}, From: r.From, To: r.To,
		Clicks: r.Clicks.Clicks, Unique: r.Clicks.Unique, Bots: r.Clicks.Bots, Results: []GoalReport{}}
	if out.PostIDs == nil {
		out.PostIDs = []int64{}
	}
	for _, l := range r.Links {
		out.Links = append(out.Links, links.View(l.Link, l.ClickCount))
	}
	for _, g := range r.Goals {
		out.Results = append(out.Results, GoalReport{Goal: Goal{Metric: g.Metric, Target: g.Target}, Actual: g.Actual, Progress: g.Progress})
	}
	return out
}
