-- +goose Up
-- The composer's records around posts.
CREATE TABLE post_comments (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    post_id      INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL DEFAULT 0,
    body         TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX post_comments_post ON post_comments(post_id, id);

CREATE TABLE post_history (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    post_id      INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL DEFAULT 0,
    action       TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL
);
CREATE INDEX post_history_post ON post_history(post_id, id);

CREATE TABLE post_approvals (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    post_id      INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    decision     TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
    note         TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL
);
CREATE INDEX post_approvals_post ON post_approvals(post_id, id);

CREATE TABLE snippets (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL DEFAULT 'text',
    body         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
);

CREATE TABLE channel_slots (
    channel_id   INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
    workspace_id INTEGER NOT NULL,
    spec         TEXT NOT NULL,
    timezone     TEXT NOT NULL,
    updated_at   INTEGER NOT NULL
);

-- workspace_feeds holds the SHA-256 of each workspace's calendar feed secret.
CREATE TABLE workspace_feeds (
    workspace_id INTEGER PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    secret_hash  TEXT NOT NULL UNIQUE,
    updated_at   INTEGER NOT NULL
);

-- +goose Down
DROP TABLE workspace_feeds;
DROP TABLE channel_slots;
DROP TABLE snippets;
DROP TABLE post_approvals;
DROP TABLE post_history;
DROP TABLE post_comments;
