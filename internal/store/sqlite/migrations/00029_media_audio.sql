-- +goose NO TRANSACTION
-- +goose Up
-- The media library keeps audio files (SoundCloud tracks): the kind check
-- admits 'audio'. SQLite cannot change a CHECK in place, so the table is
-- rebuilt as in 00008 (new table, copy with ids, drop, rename, index),
-- foreign keys off for the rebuild (no table refers to media).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE media_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    sha256       TEXT NOT NULL,
    mime         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('image', 'gif', 'video', 'audio')),
    bytes        INTEGER NOT NULL,
    width        INTEGER NOT NULL DEFAULT 0,
    height       INTEGER NOT NULL DEFAULT 0,
    duration_ms  INTEGER NOT NULL DEFAULT 0,
    alt_text     TEXT NOT NULL DEFAULT '',
    filename     TEXT NOT NULL DEFAULT '',
    path         TEXT NOT NULL,
    uploaded_by  INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    UNIQUE (workspace_id, sha256)
);
INSERT INTO media_new (id, workspace_id, sha256, mime, kind, bytes, width, height, duration_ms, alt_text, filename, path, uploaded_by, created_at)
    SELECT id, workspace_id, sha256, mime, kind, bytes, width, height, duration_ms, alt_text, filename, path, uploaded_by, created_at FROM media;
DROP TABLE media;
ALTER TABLE media_new RENAME TO media;
CREATE INDEX media_workspace ON media(workspace_id, created_at);
COMMIT;
PRAGMA foreign_keys = ON;

-- +goose Down
-- Audio rows would break the old check: only a library without audio goes back.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE media_old (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    sha256       TEXT NOT NULL,
    mime         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('image', 'gif', 'video')),
    bytes        INTEGER NOT NULL,
    width        INTEGER NOT NULL DEFAULT 0,
    height       INTEGER NOT NULL DEFAULT 0,
    duration_ms  INTEGER NOT NULL DEFAULT 0,
    alt_text     TEXT NOT NULL DEFAULT '',
    filename     TEXT NOT NULL DEFAULT '',
    path         TEXT NOT NULL,
    uploaded_by  INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    UNIQUE (workspace_id, sha256)
);
INSERT INTO media_old (id, workspace_id, sha256, mime, kind, bytes, width, height, duration_ms, alt_text, filename, path, uploaded_by, created_at)
    SELECT id, workspace_id, sha256, mime, kind, bytes, width, height, duration_ms, alt_text, filename, path, uploaded_by, created_at FROM media;
DROP TABLE media;
ALTER TABLE media_old RENAME TO media;
CREATE INDEX media_workspace ON media(workspace_id, created_at);
COMMIT;
PRAGMA foreign_keys = ON;
