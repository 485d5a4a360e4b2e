package sqlstore

import (
	"context"
	"time"

	"github.com/relais/relais/internal/store"
)

// PublicationCounts counts publications per state, and those queued past due (operator metrics).
func (db *DB) PublicationCounts(ctx context.Context, now time.Time, lateAfter time.Duration) ([]store.PublicationCount, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("PublicationCounts"), MS(now.Add(-lateAfter)))
	if err != nil {
		return nil, db.Err("count publications", err)
	}
	defer rows.Close()
	var out []store.PublicationCount
	for rows.Next() {
		var c store.PublicationCount
		if err := rows.Scan(&c.State, &c.Count, &c.Late); err != nil {
			return nil, db.Err("count publications", err)
		}
		out = append(out, c)
	}
	return out, db.Err("count publications", rows.Err())
}
