-- +goose Up
-- Moderation rules of a workspace's inbox, in evaluation order (position).
-- conditions and actions are JSON objects read by internal/moderation.
CREATE TABLE inbox_rules (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id     INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name             TEXT NOT NULL,
    position         INTEGER NOT NULL,
    enabled          INTEGER NOT NULL DEFAULT 1,
    stop_after_match INTEGER NOT NULL DEFAULT 0,
    conditions       TEXT NOT NULL DEFAULT '{}',
    actions          TEXT NOT NULL DEFAULT '[]',
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX inbox_rules_workspace ON inbox_rules(workspace_id, position, id);

-- Saved replies, one per name and language.
CREATE TABLE inbox_saved_replies (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    lang         TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (workspace_id, name, lang)
);

-- The inbox settings of a workspace; no row means the defaults (60-minute
-- first-response target, criticism needs a person). crisis_alerted_at is the
-- hour of the latest crisis alert, so one spike alerts once.
CREATE TABLE inbox_settings (
    workspace_id           INTEGER PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    sla_minutes            INTEGER NOT NULL DEFAULT 60,
    criticism_needs_person INTEGER NOT NULL DEFAULT 1,
    crisis_alerted_at      INTEGER,
    updated_at             INTEGER NOT NULL
);

-- +goose Down
DROP TABLE inbox_settings;
DROP TABLE inbox_saved_replies;
DROP TABLE inbox_rules;
