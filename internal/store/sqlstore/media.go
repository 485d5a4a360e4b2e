package sqlstore

import (
	"context"
	"time"

	"github.com/relais/relais/internal/store"
)

func scanMedia(row interface{ Scan(...any) error }) (store.Media, error) {
	var m store.Media
	var created int64
	err := row.Scan(&m.ID, &m.WorkspaceID, &m.SHA256, &m.MIME, &m.Kind, &m.Bytes, &m.Width, &m.Height, &m.DurationMS,
		&m.AltText, &m.Filename, &m.Path, &m.UploadedBy, &created)
	m.CreatedAt = Time(created)
	return m, err
}

// CreateMedia adds a media item; ErrConflict when the workspace has the same content.
func (db *DB) CreateMedia(ctx context.Context, m *store.Media) error {
	if m.CreatedAt.IsZero() {
		m.CreatedAt = time.Now().UTC()
	}
	err := db.W.QueryRowContext(ctx, db.Q("CreateMedia"), m.WorkspaceID, m.SHA256, m.MIME, string(m.Kind), m.Bytes, m.Width, m.Height,
		m.DurationMS, m.AltText, m.Filename, m.Path, m.UploadedBy, MS(m.CreatedAt)).Scan(&m.ID)
	return db.Err("create media", err)
}

// Media reads one item of the workspace.
func (db *DB) Media(ctx context.Context, workspaceID, id int64) (store.Media, error) {
	m, err := scanMedia(db.R.QueryRowContext(ctx, db.Q("Media"), workspaceID, id))
	return m, db.Err("read media", err)
}

// MediaBySHA finds the workspace's item with this content hash.
func (db *DB) MediaBySHA(ctx context.Context, workspaceID int64, sha256 string) (store.Media, error) {
	// The writer pool: deduplication must see an upload committed a moment ago.
	m, err := scanMedia(db.W.QueryRowContext(ctx, db.Q("MediaBySHA"), workspaceID, sha256))
	return m, db.Err("read media by hash", err)
}

// MediaUnscoped reads an item by id alone (signed URLs only).
func (db *DB) MediaUnscoped(ctx context.Context, id int64) (store.Media, error) {
	m, err := scanMedia(db.R.QueryRowContext(ctx, db.Q("MediaUnscoped"), id))
	return m, db.Err("read media", err)
}

// ListMedia lists the workspace's items, newest first.
func (db *DB) ListMedia(ctx context.Context, workspaceID int64, limit, offset int, kind store.MediaKind) ([]store.Media, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.R.QueryContext(ctx, db.Q("ListMedia"), workspaceID, string(kind), limit, max(offset, 0))
	if err != nil {
		return nil, db.Err("list media", err)
	}
	defer rows.Close()
	var out []store.Media
	for rows.Next() {
		m, err := scanMedia(rows)
		if err != nil {
			return nil, db.Err("list media", err)
		}
		out = append(out, m)
	}
	return out, db.Err("list media", rows.Err())
}

// UpdateMediaAlt sets an item's alt text.
func (db *DB) UpdateMediaAlt(ctx context.Context, workspaceID, id int64, alt string) error {
	return db.Err("update media alt", Affected(db.W.ExecContext(ctx, db.Q("UpdateMediaAlt"), alt, workspaceID, id)))
}

// DeleteMedia removes an item's record (the caller removes its files).
func (db *DB) DeleteMedia(ctx context.Context, workspaceID, id int64) error {
	return db.Err("delete media", Affected(db.W.ExecContext(ctx, db.Q("DeleteMedia"), workspaceID, id)))
}
