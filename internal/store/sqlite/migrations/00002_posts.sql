-- +goose Up
CREATE TABLE posts (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    author_id    INTEGER NOT NULL DEFAULT 0,
    state        TEXT NOT NULL DEFAULT 'draft',
    text         TEXT NOT NULL DEFAULT '',
    link         TEXT NOT NULL DEFAULT '',
    scheduled_at INTEGER,
    timezone     TEXT NOT NULL DEFAULT 'UTC',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX posts_workspace ON posts(workspace_id, scheduled_at);

CREATE TABLE post_labels (
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    key     TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (post_id, key, value)
);
CREATE INDEX post_labels_value ON post_labels(key, value);

CREATE TABLE variants (
    id            INTEGER PRIMARY KEY,
    post_id       INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    workspace_id  INTEGER NOT NULL,
    channel_id    INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    text          TEXT NOT NULL DEFAULT '',
    link          TEXT NOT NULL DEFAULT '',
    media         TEXT NOT NULL DEFAULT '[]',
    parts         TEXT NOT NULL DEFAULT '[]',
    first_comment TEXT NOT NULL DEFAULT '',
    options       TEXT NOT NULL DEFAULT '{}',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (post_id, channel_id)
);
CREATE INDEX variants_channel ON variants(channel_id);

-- publications is the durable publishing queue: one row per variant. post_id
-- and channel_id are copies for reading; rows go when their variant goes.
CREATE TABLE publications (
    id              INTEGER PRIMARY KEY,
    workspace_id    INTEGER NOT NULL,
    post_id         INTEGER NOT NULL,
    variant_id      INTEGER NOT NULL UNIQUE REFERENCES variants(id) ON DELETE CASCADE,
    channel_id      INTEGER NOT NULL,
    network         TEXT NOT NULL,
    state           TEXT NOT NULL,
    due_at          INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_owner     TEXT NOT NULL DEFAULT '',
    lease_until     INTEGER,
    claim           INTEGER NOT NULL DEFAULT 0,
    -- 128 random bits: unique without the cost of a unique index on the hot path.
    idem_key        TEXT NOT NULL,
    done_parts      TEXT NOT NULL DEFAULT '[]',
    remote_id       TEXT NOT NULL DEFAULT '',
    url             TEXT NOT NULL DEFAULT '',
    error_class     TEXT NOT NULL DEFAULT '',
    error_message   TEXT NOT NULL DEFAULT '',
    hold_reason     TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    published_at    INTEGER
);
-- Partial indexes keep the hot path cheap: a row is in the queue index only
-- while it can be claimed and in the in-flight index only while publishing,
-- so a published row sits in no state index at all. Lookups by post or
-- channel go through variants, whose keys never change: every index here
-- costs a write on each state change of a row, the hot path of publishing.
CREATE INDEX publications_queue ON publications(next_attempt_at) WHERE state IN ('scheduled', 'staged') AND hold_reason = '';
CREATE INDEX publications_inflight ON publications(lease_until) WHERE state = 'publishing';
CREATE INDEX publications_problems ON publications(workspace_id) WHERE state IN ('failed', 'needs_review') OR hold_reason <> '';

CREATE TABLE attempts (
    id             INTEGER PRIMARY KEY,
    publication_id INTEGER NOT NULL REFERENCES publications(id) ON DELETE CASCADE,
    workspace_id   INTEGER NOT NULL,
    started_at     INTEGER NOT NULL,
    latency_ms     INTEGER NOT NULL DEFAULT 0,
    outcome        TEXT NOT NULL,
    class          TEXT NOT NULL DEFAULT '',
    http_status    INTEGER NOT NULL DEFAULT 0,
    message        TEXT NOT NULL DEFAULT '',
    trace_id       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX attempts_publication ON attempts(publication_id, started_at);

-- leases elects one instance for periodic jobs (the reconciler).
CREATE TABLE leases (
    name  TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    until INTEGER NOT NULL
);

-- +goose Down
DROP TABLE leases;
DROP TABLE attempts;
DROP TABLE publications;
DROP TABLE variants;
DROP TABLE post_labels;
DROP TABLE posts;
