package analytics

import (
	"context"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
)

// InsightDays is how many past days each daily reading of a channel's
// insights asks for: networks revise their recent days (Google Business
// Profile's performance lags two to three days), so each reading replaces them.
const InsightDays = 10

// collectInsights reads the channel's daily insights of the last
// InsightDays days before today, once a UTC day (again when now), and saves them.
func (c *Collector) collectInsights(ctx context.Context, ch store.Channel, r network.InsightsReader, now bool, at time.Time) (int, error) {
	today := at.UTC().Truncate(24 * time.Hour)
	from := today.AddDate(0, 0, -InsightDays)
	if !now {
		have, err := c.Store.ChannelInsights(ctx, ch.WorkspaceID, ch.ID, from, today)
		if err != nil {
			return 0, err
		}
		for _, h := range have {
			if !h.TakenAt.Before(today) {
				return 0, nil
			}
		}
	}
	got, err := r.Insights(ctx, from, today.AddDate(0, 0, -1))
	if err != nil {
		return 0, err
	}
	rows := make([]store.ChannelInsight, 0, len(got))
	for _, d := range got {
		rows = append(rows, store.ChannelInsight{WorkspaceID: ch.WorkspaceID, ChannelID: ch.ID, Day: d.Day, Metric: d.Metric, Value: d.Value, TakenAt: at})
	}
	return len(rows), c.Store.SaveChannelInsights(ctx, rows)
}

// InsightPoint is one day's value of one channel metric.
type InsightPoint struct {
	ChannelID int64     `json:"channel_id"`
	Day       time.Time `json:"day"`
	Metric    string    `json:"metric"`
	Value     int64     `json:"value"`
}

// Insights lists the workspace's daily channel insights of days in
// [from, to) (channelID 0: every channel), by channel, day and metric.
func (s *Service) Insights(ctx context.Context, workspaceID, channelID int64, from, to time.Time) ([]InsightPoint, error) {
	if err := CheckPeriod(from, to); err != nil {
		return nil, err
	}
	rows, err := s.Store.ChannelInsights(ctx, workspaceID, channelID, from.UTC().Truncate(24*time.Hour), to)
	if err != nil {
		return nil, err
	}
	out := make([]InsightPoint, 0, len(rows))
	for _, r := range rows {
		out = append(out, InsightPoint{ChannelID: r.ChannelID, Day: r.Day, Metric: r.Metric, Value: r.Value})
	}
	return out, nil
}
