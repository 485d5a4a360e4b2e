package sqlstore

import (
	"context"
	"time"

	"github.com/relais/relais/internal/store"
)

// OperatorSettings lists every operator setting, by key.
func (db *DB) OperatorSettings(ctx context.Context) ([]store.OperatorSetting, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("OperatorSettings"))
	if err != nil {
		return nil, db.Err("operator settings", err)
	}
	defer rows.Close()
	var out []store.OperatorSetting
	for rows.Next() {
		var s store.OperatorSetting
		var at int64
		if err := rows.Scan(&s.Key, &s.Value, &s.UpdatedBy, &at); err != nil {
			return nil, db.Err("operator settings", err)
		}
		s.UpdatedAt = Time(at)
		out = append(out, s)
	}
	return out, db.Err("operator settings", rows.Err())
}

// SetOperatorSetting stores a setting, replacing the key's value.
func (db *DB) SetOperatorSetting(ctx context.Context, s store.OperatorSetting) error {
	if s.UpdatedAt.IsZero() {
		s.UpdatedAt = time.Now().UTC()
	}
	_, err := db.W.ExecContext(ctx, db.Q("SetOperatorSetting"), s.Key, s.Value, nullID(s.UpdatedBy), MS(s.UpdatedAt))
	return db.Err("set operator setting", err)
}

// DeleteOperatorSetting removes a key.
func (db *DB) DeleteOperatorSetting(ctx context.Context, key string) error {
	_, err := db.W.ExecContext(ctx, db.Q("DeleteOperatorSetting"), key)
	return db.Err("delete operator setting", err)
}
