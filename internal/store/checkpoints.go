package store

import (
	"context"
	"time"
)

// CheckpointStore keeps small facts a connector must not lose between two
// attempts of one publication: Instagram's and Threads's container ids, so
// that a retry after a crash resumes the container it made.
type CheckpointStore interface {
	// SetCheckpoint records value under key for the channel, replacing an
	// earlier value; ErrNotFound when the channel is not the workspace's.
	SetCheckpoint(ctx context.Context, workspaceID, channelID int64, key, value string, at time.Time) error
	// Checkpoint reads the value under key; ErrNotFound when there is none.
	Checkpoint(ctx context.Context, workspaceID, channelID int64, key string) (string, error)
	// DeleteCheckpointsBefore removes the checkpoints recorded before t in
	// every workspace (the maintenance job) and returns how many.
	DeleteCheckpointsBefore(ctx context.Context, t time.Time) (int64, error)
}
