package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/relais/relais/internal/store"
)

func scanInboxRule(sc interface{ Scan(...any) error }) (store.InboxRule, error) {
	var r store.InboxRule
	var cond, acts string
	var created, updated int64
	err := sc.Scan(&r.ID, &r.WorkspaceID, &r.Name, &r.Position, &r.Enabled, &r.StopAfterMatch, &cond, &acts, &created, &updated)
	r.Conditions, r.Actions = []byte(cond), []byte(acts)
	r.CreatedAt, r.UpdatedAt = Time(created), Time(updated)
	return r, err
}

// scanAll runs a named read query and scans every row with scan.
func scanAll[T any](ctx context.Context, db *DB, query, op string, scan func(interface{ Scan(...any) error }) (T, error), args ...any) ([]T, error) {
	rows, err := db.R.QueryContext(ctx, db.Q(query), args...)
	if err != nil {
		return nil, db.Err(op, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, db.Err(op, err)
		}
		out = append(out, v)
	}
	return out, db.Err(op, rows.Err())
}

// InboxRules lists the workspace's moderation rules by position.
func (db *DB) InboxRules(ctx context.Context, workspaceID int64) ([]store.InboxRule, error) {
	return scanAll(ctx, db, "InboxRules", "inbox rules", scanInboxRule, workspaceID)
}

// InboxRule reads one of the workspace's rules.
func (db *DB) InboxRule(ctx context.Context, workspaceID, id int64) (store.InboxRule, error) {
	r, err := scanInboxRule(db.R.QueryRowContext(ctx, db.Q("InboxRule"), workspaceID, id))
	return r, db.Err("inbox rule", err)
}

// CreateInboxRule appends a rule to the workspace's list.
func (db *DB) CreateInboxRule(ctx context.Context, r *store.InboxRule) error {
	now := time.Now().UTC()
	if r.CreatedAt.IsZero() {
		r.CreatedAt = now
	}
	r.UpdatedAt = r.CreatedAt
	err := db.W.QueryRowContext(ctx, db.Q("CreateInboxRule"), r.WorkspaceID, r.Name, r.Enabled, r.StopAfterMatch,
		jsonOr(r.Conditions, "{}"), jsonOr(r.Actions, "[]"), MS(r.CreatedAt), MS(r.UpdatedAt), r.WorkspaceID).Scan(&r.ID, &r.Position)
	return db.Err("create inbox rule", err)
}

// UpdateInboxRule changes a rule, not its position.
func (db *DB) UpdateInboxRule(ctx context.Context, r store.InboxRule) error {
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = time.Now().UTC()
	}
	return db.Err("update inbox rule", Affected(db.W.ExecContext(ctx, db.Q("UpdateInboxRule"), r.Name, r.Enabled, r.StopAfterMatch,
		jsonOr(r.Conditions, "{}"), jsonOr(r.Actions, "[]"), MS(r.UpdatedAt), r.WorkspaceID, r.ID)))
}

// DeleteInboxRule removes a rule.
func (db *DB) DeleteInboxRule(ctx context.Context, workspaceID, id int64) error {
	return db.Err("delete inbox rule", Affected(db.W.ExecContext(ctx, db.Q("DeleteInboxRule"), workspaceID, id)))
}

// ReorderInboxRules sets the positions from the order of ids, all or nothing.
func (db *DB) ReorderInboxRules(ctx context.Context, workspaceID int64, ids []int64) error {
	now := MS(time.Now().UTC())
	return db.Err("reorder inbox rules", db.Tx(ctx, func(tx *sql.Tx) error {
		for i, id := range ids {
			if err := Affected(tx.ExecContext(ctx, db.Q("SetInboxRulePosition"), i+1, now, workspaceID, id)); err != nil {
				return err
			}
		}
		return nil
	}))
}

func scanSavedReply(sc interface{ Scan(...any) error }) (store.SavedReply, error) {
	var r store.SavedReply
	var created, updated int64
	err := sc.Scan(&r.ID, &r.WorkspaceID, &r.Name, &r.Lang, &r.Body, &created, &updated)
	r.CreatedAt, r.UpdatedAt = Time(created), Time(updated)
	return r, err
}

// SavedReplies lists the workspace's saved replies by name and language.
func (db *DB) SavedReplies(ctx context.Context, workspaceID int64) ([]store.SavedReply, error) {
	return scanAll(ctx, db, "SavedReplies", "saved replies", scanSavedReply, workspaceID)
}

// SavedReply reads one saved reply.
func (db *DB) SavedReply(ctx context.Context, workspaceID, id int64) (store.SavedReply, error) {
	r, err := scanSavedReply(db.R.QueryRowContext(ctx, db.Q("SavedReply"), workspaceID, id))
	return r, db.Err("saved reply", err)
}

// CreateSavedReply stores a saved reply and sets its ID.
func (db *DB) CreateSavedReply(ctx context.Context, r *store.SavedReply) error {
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Now().UTC()
	}
	r.UpdatedAt = r.CreatedAt
	err := db.W.QueryRowContext(ctx, db.Q("CreateSavedReply"), r.WorkspaceID, r.Name, r.Lang, r.Body, MS(r.CreatedAt), MS(r.UpdatedAt)).Scan(&r.ID)
	return db.Err("create saved reply", err)
}

// UpdateSavedReply changes a saved reply's name, language and text.
func (db *DB) UpdateSavedReply(ctx context.Context, r store.SavedReply) error {
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = time.Now().UTC()
	}
	return db.Err("update saved reply", Affected(db.W.ExecContext(ctx, db.Q("UpdateSavedReply"), r.Name, r.Lang, r.Body, MS(r.UpdatedAt), r.WorkspaceID, r.ID)))
}

// DeleteSavedReply removes a saved reply.
func (db *DB) DeleteSavedReply(ctx context.Context, workspaceID, id int64) error {
	return db.Err("delete saved reply", Affected(db.W.ExecContext(ctx, db.Q("DeleteSavedReply"), workspaceID, id)))
}

// InboxSettings reads the workspace's inbox settings, the defaults when none were saved.
func (db *DB) InboxSettings(ctx context.Context, workspaceID int64) (store.InboxSettings, error) {
	s := store.DefaultInboxSettings(workspaceID)
	var alerted sql.NullInt64
	var updated int64
	err := db.R.QueryRowContext(ctx, db.Q("InboxSettings"), workspaceID).Scan(&s.WorkspaceID, &s.SLAMinutes, &s.CriticismNeedsPerson, &alerted, &updated)
	if err == sql.ErrNoRows {
		return store.DefaultInboxSettings(workspaceID), nil
	}
	s.CrisisAlertedAt, s.UpdatedAt = TimePtr(alerted), Time(updated)
	return s, db.Err("inbox settings", err)
}

// SaveInboxSettings stores the SLA target and the criticism setting.
func (db *DB) SaveInboxSettings(ctx context.Context, s store.InboxSettings) error {
	if s.UpdatedAt.IsZero() {
		s.UpdatedAt = time.Now().UTC()
	}
	_, err := db.W.ExecContext(ctx, db.Q("SaveInboxSettings"), s.WorkspaceID, s.SLAMinutes, s.CriticismNeedsPerson, MS(s.UpdatedAt))
	return db.Err("save inbox settings", err)
}

// ClaimCrisisAlert records an alert for the hour unless one is recorded for it or later.
func (db *DB) ClaimCrisisAlert(ctx context.Context, workspaceID int64, hour time.Time) (bool, error) {
	res, err := db.W.ExecContext(ctx, db.Q("ClaimCrisisAlert"), workspaceID, MS(hour), MS(time.Now().UTC()))
	if err != nil {
		return false, db.Err("claim crisis alert", err)
	}
	n, err := res.RowsAffected()
	return n > 0, db.Err("claim crisis alert", err)
}
