// Package campaign owns campaigns: their name, dates, goals and budget, the
// posts and links attached to them, and their results against the goals.
// Clicks are measured by relais's own short links; the other metrics (reach,
// interactions…) come from analytics through Service.MetricFunc.
package campaign

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// Goal metrics. Clicks and unique clicks are measured here; the others need
// analytics (MetricFunc) and are unknown without it.
const (
	MetricClicks       = "clicks"
	MetricUniqueClicks = "unique_clicks"
)

// Metrics lists the metrics a goal may target.
var Metrics = []string{MetricClicks, MetricUniqueClicks, "reach", "impressions", "interactions", "likes", "reposts", "replies",
	"engagement_rate", "followers"}

// Service manages campaigns.
type Service struct {
	Store store.Store
	// MetricFunc, when set, measures an analytics metric over the campaign's
	// posts in [from, to); ok false means unknown. Analytics plugs in here.
	MetricFunc func(ctx context.Context, workspaceID int64, postIDs []int64, metric string, from, to time.Time) (value float64, ok bool, err error)
	// NowFunc is the clock (time.Now).
	NowFunc func() time.Time
}

// Input is a campaign as a user writes it.
type Input struct {
	Name        string
	Description string
	StartsAt    *time.Time
	EndsAt      *time.Time
	Goals       []store.CampaignGoal
	BudgetCents int64
	Currency    string
}

var currencyRe = regexp.MustCompile(`^[A-Z]{3}$`)

func (in Input) check() (Input, error) {
	name, err := valid.Text("name", "name", in.Name, 200)
	if err != nil {
		return in, err
	}
	in.Name = name
	in.Description = strings.TrimSpace(in.Description)
	if n := utf8.RuneCountInString(in.Description); n > 2000 {
		return in, valid.Errorf("description", "too_long", "description allows at most 2000 characters; it has %d", n)
	}
	if in.StartsAt != nil && in.EndsAt != nil && in.EndsAt.Before(*in.StartsAt) {
		return in, valid.Errorf("ends_at", "before_start", "ends_at must not be before starts_at")
	}
	if len(in.Goals) > 10 {
		return in, valid.Errorf("goals", "too_many", "a campaign allows at most 10 goals; it has %d", len(in.Goals))
	}
	seen := map[string]bool{}
	for i, g := range in.Goals {
		field := fmt.Sprintf("goals[%d]", i)
		known := false
		for _, m := range Metrics {
			known = known || m == g.Metric
		}
		if !known {
			return in, valid.Errorf(field+".metric", "unknown", "%s.metric must be one of %s", field, strings.Join(Metrics, ", "))
		}
		if seen[g.Metric] {
			return in, valid.Errorf(field+".metric", "duplicate", "%s.metric %s has a goal already", field, g.Metric)
		}
		seen[g.Metric] = true
		if g.Target <= 0 || g.Target > 1e12 {
			return in, valid.Errorf(field+".target", "range", "%s.target must be above 0 and at most 10^12", field)
		}
	}
	if in.BudgetCents < 0 || in.BudgetCents > 1e14 {
		return in, valid.Errorf("budget", "range", "budget must be between 0 and 10^12")
	}
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	if in.Currency != "" && !currencyRe.MatchString(in.Currency) {
		return in, valid.Errorf("currency", "format", "currency must be a three-letter ISO 4217 code, like EUR")
	}
	return in, nil
}

func (s *Service) now() time.Time {
	if s.NowFunc != nil {
		return s.NowFunc()
	}
	return time.Now()
}

// Create validates and stores a campaign.
func (s *Service) Create(ctx context.Context, workspaceID, userID int64, in Input) (store.Campaign, error) {
	in, err := in.check()
	if err != nil {
		return store.Campaign{}, err
	}
	c := store.Campaign{WorkspaceID: workspaceID, Name: in.Name, Description: in.Description, StartsAt: in.StartsAt, EndsAt: in.EndsAt,
		Goals: in.Goals, BudgetCents: in.BudgetCents, Currency: in.Currency, CreatedBy: userID, CreatedAt: s.now().UTC()}
	return c, s.Store.CreateCampaign(ctx, &c)
}

// Update validates and saves a campaign's fields.
func (s *Service) Update(ctx context.Context, workspaceID, id int64, in Input) (store.Campaign, error) {
	c, err := s.Store.Campaign(ctx, workspaceID, id)
	if err != nil {
		return c, err
	}
	if in, err = in.check(); err != nil {
		return c, err
	}
	c.Name, c.Description, c.StartsAt, c.EndsAt, c.Goals, c.BudgetCents, c.Currency =
		in.Name, in.Description, in.StartsAt, in.EndsAt, in.Goals, in.BudgetCents, in.Currency
	return c, s.Store.UpdateCampaign(ctx, c)
}

// GoalResult is a goal with what was reached; Actual and Progress are nil
// when the metric is unknown (not measured yet, or no analytics).
type GoalResult struct {
	store.CampaignGoal
	Actual *float64
	// Progress is Actual / Target (1 = reached).
	Progress *float64
}

// Result is a campaign with its posts, links, clicks and goals.
type Result struct {
	Campaign store.Campaign
	PostIDs  []int64
	Links    []store.LinkWithClicks
	// Clicks counts the clicks of its links and of its posts' links in [From, To).
	Clicks   store.ClickCount
	From, To time.Time
	Goals    []GoalResult
}

// Results measures a campaign over its dates (from its creation when it has
// no start, up to now when it has no end or ends later).
func (s *Service) Results(ctx context.Context, workspaceID, id int64) (Result, error) {
	c, err := s.Store.Campaign(ctx, workspaceID, id)
	if err != nil {
		return Result{}, err
	}
	r := Result{Campaign: c, From: c.CreatedAt, To: s.now().UTC()}
	if c.StartsAt != nil {
		r.From = *c.StartsAt
	}
	if c.EndsAt != nil && c.EndsAt.Before(r.To) {
		r.To = *c.EndsAt
	}
	if r.PostIDs, err = s.Store.CampaignPostIDs(ctx, workspaceID, id); err != nil {
		return r, err
	}
	if r.Links, err = s.Store.Links(ctx, workspaceID, store.ClickFilter{CampaignID: id}, 500); err != nil {
		return r, err
	}
	if r.Clicks, err = s.Store.CountClicks(ctx, workspaceID, store.ClickFilter{CampaignID: id}, r.From, r.To); err != nil {
		return r, err
	}
	for _, g := range c.Goals {
		gr := GoalResult{CampaignGoal: g}
		var v float64
		ok := true
		switch g.Metric {
		case MetricClicks:
			v = float64(r.Clicks.Clicks)
		case MetricUniqueClicks:
			v = float64(r.Clicks.Unique)
		default:
			ok = false
			if s.MetricFunc != nil {
				if v, ok, err = s.MetricFunc(ctx, workspaceID, r.PostIDs, g.Metric, r.From, r.To); err != nil {
					return r, err
				}
			}
		}
		if ok {
			p := v / g.Target
			gr.Actual, gr.Progress = &v, &p
		}
		r.Goals = append(r.Goals, gr)
	}
	return r, nil
}
