package analytics

import (
	"context"
	"errors"
	"math"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// trendWindow is how much daily history the goals' forecast fits its line on.
const trendWindow = 90 * 24 * time.Hour

// GoalInput is a new goal as typed.
type GoalInput struct {
	// ChannelID 0 is the whole workspace.
	ChannelID  int64     `json:"channel_id"`
	Metric     string    `json:"metric" enum:"followers"`
	StartValue int64     `json:"start_value"`
	Target     int64     `json:"target"`
	StartsOn   time.Time `json:"starts_on"`
	DueOn      time.Time `json:"due_on"`
}

// GoalStatus is a goal with where it stands and where the trend leads.
type GoalStatus struct {
	ID         int64     `json:"id"`
	ChannelID  int64     `json:"channel_id"`
	Metric     string    `json:"metric"`
	StartValue int64     `json:"start_value"`
	Target     int64     `json:"target"`
	StartsOn   time.Time `json:"starts_on"`
	DueOn      time.Time `json:"due_on"`
	// Current is the latest known count (nil: none yet).
	Current *int64 `json:"current"`
	// ProgressPct is (current − start) / (target − start) × 100.
	ProgressPct *float64 `json:"progress_pct"`
	// PerDay is the least-squares slope of the daily counts of the last 90 days.
	PerDay *float64 `json:"per_day"`
	// ForecastAtDue is the trend's value on the due day.
	ForecastAtDue *int64 `json:"forecast_at_due"`
	// ReachedOn is when the trend reaches the target (nil: never, or reached).
	ReachedOn *time.Time `json:"reached_on"`
	// OnTrack says the trend reaches the target by the due day.
	OnTrack bool `json:"on_track"`
}

// CreateGoal checks and saves a goal.
func (s *Service) CreateGoal(ctx context.Context, workspaceID int64, in GoalInput, now time.Time) (store.Goal, error) {
	switch {
	case in.Metric != "followers":
		return store.Goal{}, valid.Errorf("metric", "unknown", `metric: only "followers" can have a goal; got %q`, in.Metric)
	case in.StartValue < 0 || in.Target < 0:
		return store.Goal{}, valid.Errorf("target", "negative", "start_value and target must be 0 or more")
	case in.Target == in.StartValue:
		return store.Goal{}, valid.Errorf("target", "same", "target must differ from start_value (%d)", in.StartValue)
	case in.StartsOn.IsZero() || in.DueOn.IsZero():
		return store.Goal{}, valid.Errorf("due_on", "required", "starts_on and due_on are both required")
	case !in.DueOn.After(in.StartsOn):
		return store.Goal{}, valid.Errorf("due_on", "order", "due_on must be after starts_on")
	case in.DueOn.Sub(in.StartsOn) > 20*366*24*time.Hour:
		return store.Goal{}, valid.Errorf("due_on", "too_far", "a goal spans at most 20 years")
	}
	g := store.Goal{WorkspaceID: workspaceID, ChannelID: in.ChannelID, Metric: in.Metric, StartValue: in.StartValue, Target: in.Target,
		StartsOn: in.StartsOn.UTC(), DueOn: in.DueOn.UTC(), CreatedAt: now.UTC()}
	err := s.Store.CreateGoal(ctx, &g)
	if errors.Is(err, store.ErrNotFound) {
		return g, valid.Errorf("channel_id", "not_found", "channel_id: the workspace has no channel %d", in.ChannelID)
	}
	return g, err
}

// Goals lists the workspace's goals with their progress and forecast.
func (s *Service) Goals(ctx context.Context, workspaceID int64, now time.Time) ([]GoalStatus, error) {
	goals, err := s.Store.Goals(ctx, workspaceID)
	if err != nil || len(goals) == 0 {
		return []GoalStatus{}, err
	}
	days, err := s.Store.ChannelDays(ctx, workspaceID, now.Add(-trendWindow).Truncate(24*time.Hour), now.Add(24*time.Hour))
	if err != nil {
		return nil, err
	}
	out := make([]GoalStatus, len(goals))
	for i, g := range goals {
		var mine []store.ChannelDay
		for _, d := range days {
			if g.ChannelID == 0 || d.ChannelID == g.ChannelID {
				mine = append(mine, d)
			}
		}
		out[i] = Progress(g, mine)
	}
	return out, nil
}

// Progress computes a goal's status from the daily counts of its channels:
// per day, the sum over the channels (only days where as many channels
// report as on the best-covered day), the latest as current, and a
// least-squares line through them as the trend.
func Progress(g store.Goal, days []store.ChannelDay) GoalStatus {
	st := GoalStatus{ID: g.ID, ChannelID: g.ChannelID, Metric: g.Metric, StartValue: g.StartValue, Target: g.Target, StartsOn: g.StartsOn, DueOn: g.DueOn}
	totals, counts := map[int64]int64{}, map[int64]int{}
	most := 0
	for _, d := range days {
		if d.Followers == nil {
			continue
		}
		k := d.Day.Unix()
		totals[k] += *d.Followers
		counts[k]++
		most = max(most, counts[k])
	}
	var xs, ys []float64
	var last int64
	for k, n := range counts {
		if n == most {
			xs, ys = append(xs, float64(k)/86400), append(ys, float64(totals[k]))
			if k > last {
				last = k
			}
		}
	}
	if len(xs) == 0 {
		return st
	}
	cur := totals[last]
	st.Current = &cur
	p := float64(cur-g.StartValue) / float64(g.Target-g.StartValue) * 100
	st.ProgressPct = &p
	if len(xs) < 2 {
		return st
	}
	slope, intercept := leastSquares(xs, ys)
	st.PerDay = &slope
	due := float64(g.DueOn.Unix()) / 86400
	f := int64(math.Round(intercept + slope*due))
	st.ForecastAtDue = &f
	up := g.Target > g.StartValue
	st.OnTrack = (up && f >= g.Target) || (!up && f <= g.Target)
	reached := (up && cur >= g.Target) || (!up && cur <= g.Target)
	if !reached && slope != 0 && (slope > 0) == up {
		day := (float64(g.Target) - intercept) / slope
		t := time.Unix(int64(day*86400), 0).UTC().Truncate(24 * time.Hour)
		st.ReachedOn = &t
	}
	return st
}

// leastSquares fits y = intercept + slope·x.
func leastSquares(xs, ys []float64) (slope, intercept float64) {
	n := float64(len(xs))
	var sx, sy float64
	for i := range xs {
		sx, sy = sx+xs[i], sy+ys[i]
	}
	mx, my := sx/n, sy/n
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	if sxx == 0 {
		return 0, my
	}
	slope = sxy / sxx
	return slope, my - slope*mx
}
