package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/relais/relais/internal/store"
)

// SetCheckpoint records a value under key for one of the workspace's channels.
func (db *DB) SetCheckpoint(ctx context.Context, workspaceID, channelID int64, key, value string, at time.Time) error {
	res, err := db.W.ExecContext(ctx, db.Q("SetCheckpoint"), workspaceID, channelID, key, value, MS(at))
	if err != nil {
		return db.Err("set checkpoint", err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// Checkpoint reads the value under key.
func (db *DB) Checkpoint(ctx context.Context, workspaceID, channelID int64, key string) (string, error) {
	var v string
	err := db.R.QueryRowContext(ctx, db.Q("Checkpoint"), workspaceID, channelID, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", store.ErrNotFound
	}
	return v, db.Err("read checkpoint", err)
}

// DeleteCheckpointsBefore removes the checkpoints recorded before t.
func (db *DB) DeleteCheckpointsBefore(ctx context.Context, t time.Time) (int64, error) {
	res, err := db.W.ExecContext(ctx, db.Q("DeleteCheckpointsBefore"), MS(t))
	if err != nil {
		return 0, db.Err("delete checkpoints", err)
	}
	n, err := res.RowsAffected()
	return n, db.Err("delete checkpoints", err)
}
