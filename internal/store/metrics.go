package store

import (
	"context"
	"time"
)

// PublicationCount is how many publications are in one state, across all
// workspaces; Late counts those still queued past their due time by more than
// the threshold given to PublicationCounts.
type PublicationCount struct {
	State PublicationState
	Count int64
	Late  int64
}

// MetricsStore reads instance-wide figures for the operator's /metrics; never
// for a user request.
type MetricsStore interface {
	PublicationCounts(ctx context.Context, now time.Time, lateAfter time.Duration) ([]PublicationCount, error)
}
