package sqlstore

import (
	"context"

	"github.com/relais/relais/internal/store"
)

// WorkspaceLabels lists the distinct labels of the workspace's posts.
func (db *DB) WorkspaceLabels(ctx context.Context, workspaceID int64, limit int) ([]store.LabelUse, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("WorkspaceLabels"), workspaceID, limit)
	if err != nil {
		return nil, db.Err("list labels", err)
	}
	defer rows.Close()
	var out []store.LabelUse
	for rows.Next() {
		var l store.LabelUse
		if err := rows.Scan(&l.Key, &l.Value, &l.Posts); err != nil {
			return nil, db.Err("list labels", err)
		}
		out = append(out, l)
	}
	return out, db.Err("list labels", rows.Err())
}
