package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/relais/relais/internal/store"
)

// CreateHook stores a notification webhook and sets its ID.
func (db *DB) CreateHook(ctx context.Context, h *store.Hook) error {
	if h.CreatedAt.IsZero() {
		h.CreatedAt = time.Now().UTC()
	}
	err := db.W.QueryRowContext(ctx, db.Q("CreateHook"), h.WorkspaceID, h.URL, h.Description, strings.Join(h.Events, ","),
		h.SecretEnc, h.Enabled, h.CreatedBy, MS(h.CreatedAt)).Scan(&h.ID)
	return db.Err("create hook", err)
}

func scanHook(sc interface{ Scan(...any) error }) (store.Hook, error) {
	var h store.Hook
	var events string
	var last sql.NullInt64
	var created int64
	err := sc.Scan(&h.ID, &h.WorkspaceID, &h.URL, &h.Description, &events, &h.SecretEnc, &h.Enabled, &h.LastStatus, &last, &h.LastError, &h.CreatedBy, &created)
	if err != nil {
		return h, err
	}
	if events != "" {
		h.Events = strings.Split(events, ",")
	}
	h.LastAt = TimePtr(last)
	h.CreatedAt = Time(created)
	return h, nil
}

// Hook returns one of the workspace's notification webhooks.
func (db *DB) Hook(ctx context.Context, workspaceID, id int64) (store.Hook, error) {
	h, err := scanHook(db.R.QueryRowContext(ctx, db.Q("Hook"), workspaceID, id))
	return h, db.Err("hook", err)
}

// Hooks lists the workspace's notification webhooks, oldest first.
func (db *DB) Hooks(ctx context.Context, workspaceID int64) ([]store.Hook, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("Hooks"), workspaceID)
	if err != nil {
		return nil, db.Err("hooks", err)
	}
	defer rows.Close()
	var out []store.Hook
	for rows.Next() {
		h, err := scanHook(rows)
		if err != nil {
			return nil, db.Err("hooks", err)
		}
		out = append(out, h)
	}
	return out, db.Err("hooks", rows.Err())
}

// SetHookSecret stores a hook's sealed signing secret.
func (db *DB) SetHookSecret(ctx context.Context, workspaceID, id int64, sealed []byte) error {
	return db.Err("set hook secret", Affected(db.W.ExecContext(ctx, db.Q("SetHookSecret"), sealed, workspaceID, id)))
}

// SetHookEnabled turns a hook on or off.
func (db *DB) SetHookEnabled(ctx context.Context, workspaceID, id int64, enabled bool) error {
	return db.Err("set hook enabled", Affected(db.W.ExecContext(ctx, db.Q("SetHookEnabled"), enabled, workspaceID, id)))
}

// RecordHookDelivery records the outcome of a hook's latest delivery.
func (db *DB) RecordHookDelivery(ctx context.Context, workspaceID, id int64, status string, at time.Time, errMsg string) error {
	return db.Err("record hook delivery", Affected(db.W.ExecContext(ctx, db.Q("RecordHookDelivery"), status, MS(at), errMsg, workspaceID, id)))
}

// DeleteHook removes a notification webhook.
func (db *DB) DeleteHook(ctx context.Context, workspaceID, id int64) error {
	return db.Err("delete hook", Affected(db.W.ExecContext(ctx, db.Q("DeleteHook"), workspaceID, id)))
}
