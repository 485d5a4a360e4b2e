-- +goose Up
-- Listening: per-workspace queries (spec is the JSON of listen.Spec), the
-- mentions they matched (each post stored once per workspace, linked to
-- every query it matched) and the cursors of the sources (system-wide: one
-- firehose connection serves every workspace).
CREATE TABLE listen_queries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    spec         TEXT NOT NULL,
    paused       INTEGER NOT NULL DEFAULT 0,
    created_by   INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
);

CREATE TABLE listen_mentions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id     INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    network          TEXT NOT NULL,
    remote_id        TEXT NOT NULL,
    url              TEXT NOT NULL DEFAULT '',
    author           TEXT NOT NULL DEFAULT '',
    author_name      TEXT NOT NULL DEFAULT '',
    author_followers INTEGER NOT NULL DEFAULT 0,
    text             TEXT NOT NULL,
    lang             TEXT NOT NULL DEFAULT '',
    sentiment        TEXT NOT NULL DEFAULT '',
    compound         REAL NOT NULL DEFAULT 0,
    themes           TEXT NOT NULL DEFAULT '',
    posted_at        INTEGER NOT NULL,
    received_at      INTEGER NOT NULL,
    conversation_id  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (workspace_id, network, remote_id)
);
CREATE INDEX listen_mentions_posted ON listen_mentions(workspace_id, posted_at);

CREATE TABLE listen_mention_queries (
    mention_id   INTEGER NOT NULL REFERENCES listen_mentions(id) ON DELETE CASCADE,
    query_id     INTEGER NOT NULL REFERENCES listen_queries(id) ON DELETE CASCADE,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    PRIMARY KEY (mention_id, query_id)
);
CREATE INDEX listen_mention_queries_query ON listen_mention_queries(query_id);

CREATE TABLE listen_cursors (
    source     TEXT PRIMARY KEY,
    cursor     TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Competitor panels: named groups of brands, each with accounts on the
-- networks, and the accounts' public metrics once a day.
CREATE TABLE competitor_panels (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
);

CREATE TABLE competitor_accounts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    panel_id     INTEGER NOT NULL REFERENCES competitor_panels(id) ON DELETE CASCADE,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    brand        TEXT NOT NULL,
    network      TEXT NOT NULL,
    handle       TEXT NOT NULL,
    UNIQUE (panel_id, network, handle)
);

CREATE TABLE competitor_days (
    account_id      INTEGER NOT NULL REFERENCES competitor_accounts(id) ON DELETE CASCADE,
    day             TEXT NOT NULL,
    workspace_id    INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    followers       INTEGER NOT NULL DEFAULT 0,
    posts           INTEGER NOT NULL DEFAULT 0,
    posts_week      INTEGER NOT NULL DEFAULT 0,
    engagement_post REAL NOT NULL DEFAULT 0,
    top_post_url    TEXT NOT NULL DEFAULT '',
    top_post_eng    INTEGER NOT NULL DEFAULT 0,
    formats         TEXT NOT NULL DEFAULT '',
    hashtags        TEXT NOT NULL DEFAULT '',
    taken_at        INTEGER NOT NULL,
    PRIMARY KEY (account_id, day)
);

-- +goose Down
DROP TABLE competitor_days;
DROP TABLE competitor_accounts;
DROP TABLE competitor_panels;
DROP TABLE listen_cursors;
DROP TABLE listen_mention_queries;
DROP TABLE listen_mentions;
DROP TABLE listen_queries;
