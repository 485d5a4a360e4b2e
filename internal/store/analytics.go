package store

import (
	"context"
	"time"
)

// Counts are the public counts of a post at one moment; nil is "unknown"
// (the network does not report it), never zero.
type Counts struct {
	Likes, Reposts, Replies, Quotes, Views, Impressions, Reach, Clicks *int64
}

// MetricSnapshot is one reading of a published post's counts.
type MetricSnapshot struct {
	PublicationID int64
	// HorizonHours is the reading's place in the schedule: 1, 24, 168 or 672
	// hours after publishing, or 0 for the live reading an on-demand
	// collection overwrites.
	HorizonHours int
	WorkspaceID  int64
	PostID       int64
	ChannelID    int64
	Network      string
	PublishedAt  time.Time
	TakenAt      time.Time
	Counts
}

// ChannelDay is a channel's account counts on one UTC day; nil is unknown.
type ChannelDay struct {
	ChannelID   int64
	WorkspaceID int64
	Network     string
	// Day is the UTC midnight starting the day.
	Day                         time.Time
	Followers, Following, Posts *int64
	TakenAt                     time.Time
}

// MetricPublication is a published publication the collector may read, with
// the largest scheduled horizon already taken (-1: none).
type MetricPublication struct {
	ID, WorkspaceID, PostID, ChannelID int64
	Network, RemoteID                  string
	PublishedAt                        time.Time
	TakenHorizon                       int
}

// PostMetricRow is a published publication of a period with its latest
// reading (zero TakenAt and nil counts when none was taken yet).
type PostMetricRow struct {
	MetricPublication
	// Text is the variant's text, or the post's when the variant has none (its first 200 characters).
	Text string
	URL  string
	// TakenAt is when the latest reading was taken.
	TakenAt time.Time
	Counts
	Labels []Label
}

// AnalyticsStore keeps metric snapshots of posts and daily channel counts.
type AnalyticsStore interface {
	// SaveMetricSnapshots writes readings, replacing one of the same
	// publication and horizon.
	SaveMetricSnapshots(ctx context.Context, snaps []MetricSnapshot) error
	// SaveChannelDays writes daily channel counts, replacing the same channel and day.
	SaveChannelDays(ctx context.Context, days []ChannelDay) error
	// MetricPublications lists the publications of the workspace published in
	// [since, until], oldest first; workspaceID 0 lists every workspace's, for
	// the collector's periodic job only.
	MetricPublications(ctx context.Context, workspaceID int64, since, until time.Time) ([]MetricPublication, error)
	// TrackPublications gives the publications of the workspace (0: every
	// workspace) published in [since, until] a row in the latest readings
	// with unknown counts (the collector calls it before reading).
	TrackPublications(ctx context.Context, workspaceID int64, since, until time.Time) error
	// PostMetrics lists the workspace's tracked publications published in
	// [from, to) with their latest reading (a publication gets one with its
	// first snapshot or when tracked) and their post's labels, oldest first.
	PostMetrics(ctx context.Context, workspaceID int64, from, to time.Time) ([]PostMetricRow, error)
	// PostRates is PostMetrics narrowed to what an engagement rate needs:
	// each row has only its channel, network, publishing time and counts
	// (no text, URL or labels), for the best-time model's 16 weeks.
	PostRates(ctx context.Context, workspaceID int64, from, to time.Time) ([]PostMetricRow, error)
	// ChannelDays lists the workspace's daily channel counts of days in [from, to), by channel and day.
	ChannelDays(ctx context.Context, workspaceID int64, from, to time.Time) ([]ChannelDay, error)
	// CreateGoal saves a goal, setting its id.
	CreateGoal(ctx context.Context, g *Goal) error
	// Goals lists the workspace's goals, the soonest due first.
	Goals(ctx context.Context, workspaceID int64) ([]Goal, error)
	// DeleteGoal removes one of the workspace's goals; ErrNotFound when it has none with that id.
	DeleteGoal(ctx context.Context, workspaceID, id int64) error
}

// Goal is a long-term target of a workspace (ChannelID 0: all its
// channels) or one channel, such as followers 210,000 → 680,000 by a date.
type Goal struct {
	ID          int64
	WorkspaceID int64
	ChannelID   int64
	// Metric is what is counted: "followers".
	Metric     string
	StartValue int64
	Target     int64
	// StartsOn and DueOn are UTC days.
	StartsOn, DueOn time.Time
	CreatedAt       time.Time
}
