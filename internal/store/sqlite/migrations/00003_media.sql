-- +goose Up
-- media is the media library: one row per distinct content per workspace.
CREATE TABLE media (
    id           INTEGER PRIMARY KEY,
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
CREATE INDEX media_workspace ON media(workspace_id, created_at);

-- +goose Down
DROP TABLE media;
