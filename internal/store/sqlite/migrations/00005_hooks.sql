-- +goose Up
-- Notification webhooks: where a workspace wants to hear about failures.
CREATE TABLE hooks (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    url          TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    -- events is a comma-separated list of subscribed event kinds.
    events       TEXT NOT NULL,
    secret_enc   BLOB,
    enabled      INTEGER NOT NULL DEFAULT 1,
    last_status  TEXT NOT NULL DEFAULT '',
    last_at      INTEGER,
    last_error   TEXT NOT NULL DEFAULT '',
    created_by   INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
);
CREATE INDEX hooks_workspace ON hooks(workspace_id, id);

-- +goose Down
DROP TABLE hooks;
