package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/relais/relais/internal/store"
)

// SaveChannelInsights writes daily channel insights in one transaction.
func (db *DB) SaveChannelInsights(ctx context.Context, rows []store.ChannelInsight) error {
	if len(rows) == 0 {
		return nil
	}
	return db.Err("save channel insights", db.Tx(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			if _, err := tx.ExecContext(ctx, db.Q("SaveChannelInsight"), r.WorkspaceID, r.ChannelID, MS(Day(r.Day)), r.Metric, r.Value, MS(r.TakenAt)); err != nil {
				return err
			}
		}
		return nil
	}))
}

// ChannelInsights lists the insights of a channel (0: all of the workspace's) in [from, to).
func (db *DB) ChannelInsights(ctx context.Context, workspaceID, channelID int64, from, to time.Time) ([]store.ChannelInsight, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("ChannelInsights"), workspaceID, channelID, MS(from), MS(to))
	if err != nil {
		return nil, db.Err("read channel insights", err)
	}
	defer rows.Close()
	var out []store.ChannelInsight
	for rows.Next() {
		r := store.ChannelInsight{WorkspaceID: workspaceID}
		var day, taken int64
		if err := rows.Scan(&r.ChannelID, &day, &r.Metric, &r.Value, &taken); err != nil {
			return nil, db.Err("read channel insights", err)
		}
		r.Day, r.TakenAt = Time(day), Time(taken)
		out = append(out, r)
	}
	return out, db.Err("read channel insights", rows.Err())
}
