package store

import (
	"context"
	"time"
)

// ChannelInsight is one day's count of one account-level metric a network
// reports for a channel (Google Business Profile: BUSINESS_IMPRESSIONS_*,
// CALL_CLICKS, WEBSITE_CLICKS, BUSINESS_DIRECTION_REQUESTS).
type ChannelInsight struct {
	WorkspaceID, ChannelID int64
	// Day is the UTC midnight of the day counted.
	Day     time.Time
	Metric  string
	Value   int64
	TakenAt time.Time
}

// InsightStore keeps the daily channel insights.
type InsightStore interface {
	// SaveChannelInsights writes insights, replacing the same channel, day
	// and metric; rows of a channel outside their workspace are not written.
	SaveChannelInsights(ctx context.Context, rows []ChannelInsight) error
	// ChannelInsights lists a channel's insights (channelID 0: every channel
	// of the workspace) of days in [from, to), by channel, day and metric.
	ChannelInsights(ctx context.Context, workspaceID, channelID int64, from, to time.Time) ([]ChannelInsight, error)
}
