-- +goose NO TRANSACTION
-- +goose Up
-- Ids are never reused: without AUTOINCREMENT SQLite gives a new row the
-- highest id plus one, so deleting the newest post, media item or channel
-- hands its id to the next one, and anything that kept the old id (a signed
-- media URL, a webhook receiver, a bookmarked permalink, an external
-- system's mapping) then points at a row of possibly another workspace.
--
-- SQLite cannot add AUTOINCREMENT to a table: each table with an id that
-- leaves the database is rebuilt (new table, copy, drop, rename), keeping
-- its rows, ids, defaults, checks, foreign keys and indexes. Foreign keys are
-- switched off for the rebuild, as SQLite's documented procedure requires
-- (dropping a parent would otherwise cascade to its children); they stay
-- consistent because every id is copied as it is. (An id deleted from the
-- top before this migration can still come back once: SQLite kept no
-- record of it. From here on, none does.)
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    is_admin      INTEGER NOT NULL DEFAULT 0,
    lang          TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
);
INSERT INTO users_new (id, email, name, password_hash, is_admin, lang, created_at)
    SELECT id, email, name, password_hash, is_admin, lang, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

CREATE TABLE workspaces_new (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    name              TEXT NOT NULL,
    slug              TEXT NOT NULL UNIQUE,
    timezone          TEXT NOT NULL DEFAULT 'UTC',
    approval_required INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    max_publish_attempts INTEGER NOT NULL DEFAULT 5
);
INSERT INTO workspaces_new (id, name, slug, timezone, approval_required, created_at, max_publish_attempts)
    SELECT id, name, slug, timezone, approval_required, created_at, max_publish_attempts FROM workspaces;
DROP TABLE workspaces;
ALTER TABLE workspaces_new RENAME TO workspaces;

CREATE TABLE invitations_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    email        TEXT NOT NULL DEFAULT '',
    role         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_by   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    accepted_at  INTEGER
);
INSERT INTO invitations_new (id, workspace_id, email, role, token_hash, created_by, created_at, expires_at, accepted_at)
    SELECT id, workspace_id, email, role, token_hash, created_by, created_at, expires_at, accepted_at FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_new RENAME TO invitations;
CREATE INDEX invitations_workspace ON invitations(workspace_id);

CREATE TABLE api_tokens_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
);
INSERT INTO api_tokens_new (id, workspace_id, user_id, name, prefix, token_hash, created_at, last_used_at)
    SELECT id, workspace_id, user_id, name, prefix, token_hash, created_at, last_used_at FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;
CREATE INDEX api_tokens_owner ON api_tokens(workspace_id, user_id);

CREATE TABLE channels_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    network       TEXT NOT NULL,
    remote_id     TEXT NOT NULL,
    handle        TEXT NOT NULL DEFAULT '',
    display_name  TEXT NOT NULL DEFAULT '',
    url           TEXT NOT NULL DEFAULT '',
    settings      TEXT NOT NULL DEFAULT '{}',
    secrets_enc   BLOB,
    limits        TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'ok',
    status_reason TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    checked_at    INTEGER,
    UNIQUE (workspace_id, network, remote_id)
);
INSERT INTO channels_new (id, workspace_id, network, remote_id, handle, display_name, url, settings, secrets_enc, limits, status, status_reason, created_at, updated_at, checked_at)
    SELECT id, workspace_id, network, remote_id, handle, display_name, url, settings, secrets_enc, limits, status, status_reason, created_at, updated_at, checked_at FROM channels;
DROP TABLE channels;
ALTER TABLE channels_new RENAME TO channels;
CREATE INDEX channels_network ON channels(network);
CREATE INDEX channels_remote ON channels(network, remote_id);

CREATE TABLE notifications_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL DEFAULT 0,
    kind         TEXT NOT NULL,
    message      TEXT NOT NULL,
    link         TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    read_at      INTEGER
);
INSERT INTO notifications_new (id, workspace_id, user_id, kind, message, link, created_at, read_at)
    SELECT id, workspace_id, user_id, kind, message, link, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_workspace ON notifications(workspace_id, created_at);

CREATE TABLE posts_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO posts_new (id, workspace_id, author_id, state, text, link, scheduled_at, timezone, created_at, updated_at)
    SELECT id, workspace_id, author_id, state, text, link, scheduled_at, timezone, created_at, updated_at FROM posts;
DROP TABLE posts;
ALTER TABLE posts_new RENAME TO posts;
CREATE INDEX posts_workspace ON posts(workspace_id, scheduled_at);

CREATE TABLE variants_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO variants_new (id, post_id, workspace_id, channel_id, text, link, media, parts, first_comment, options, created_at, updated_at)
    SELECT id, post_id, workspace_id, channel_id, text, link, media, parts, first_comment, options, created_at, updated_at FROM variants;
DROP TABLE variants;
ALTER TABLE variants_new RENAME TO variants;
CREATE INDEX variants_channel ON variants(channel_id);

CREATE TABLE publications_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO publications_new (id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, attempts, next_attempt_at, lease_owner, lease_until, claim, idem_key, done_parts, remote_id, url, error_class, error_message, hold_reason, created_at, updated_at, published_at)
    SELECT id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, attempts, next_attempt_at, lease_owner, lease_until, claim, idem_key, done_parts, remote_id, url, error_class, error_message, hold_reason, created_at, updated_at, published_at FROM publications;
DROP TABLE publications;
ALTER TABLE publications_new RENAME TO publications;
CREATE INDEX publications_queue ON publications(next_attempt_at) WHERE state IN ('scheduled', 'staged') AND hold_reason = '';
CREATE INDEX publications_inflight ON publications(lease_until) WHERE state = 'publishing';
CREATE INDEX publications_problems ON publications(workspace_id) WHERE state IN ('failed', 'needs_review') OR hold_reason <> '';

CREATE TABLE attempts_new (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO attempts_new (id, publication_id, workspace_id, started_at, latency_ms, outcome, class, http_status, message, trace_id)
    SELECT id, publication_id, workspace_id, started_at, latency_ms, outcome, class, http_status, message, trace_id FROM attempts;
DROP TABLE attempts;
ALTER TABLE attempts_new RENAME TO attempts;
CREATE INDEX attempts_publication ON attempts(publication_id, started_at);

CREATE TABLE media_new (
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
INSERT INTO media_new (id, workspace_id, sha256, mime, kind, bytes, width, height, duration_ms, alt_text, filename, path, uploaded_by, created_at)
    SELECT id, workspace_id, sha256, mime, kind, bytes, width, height, duration_ms, alt_text, filename, path, uploaded_by, created_at FROM media;
DROP TABLE media;
ALTER TABLE media_new RENAME TO media;
CREATE INDEX media_workspace ON media(workspace_id, created_at);

CREATE TABLE post_comments_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL,
    post_id      INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL DEFAULT 0,
    body         TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);
INSERT INTO post_comments_new (id, workspace_id, post_id, user_id, body, created_at)
    SELECT id, workspace_id, post_id, user_id, body, created_at FROM post_comments;
DROP TABLE post_comments;
ALTER TABLE post_comments_new RENAME TO post_comments;
CREATE INDEX post_comments_post ON post_comments(post_id, id);

CREATE TABLE post_history_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL,
    post_id      INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL DEFAULT 0,
    action       TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL
);
INSERT INTO post_history_new (id, workspace_id, post_id, user_id, action, detail, created_at)
    SELECT id, workspace_id, post_id, user_id, action, detail, created_at FROM post_history;
DROP TABLE post_history;
ALTER TABLE post_history_new RENAME TO post_history;
CREATE INDEX post_history_post ON post_history(post_id, id);

CREATE TABLE post_approvals_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL,
    post_id      INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    decision     TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
    note         TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL
);
INSERT INTO post_approvals_new (id, workspace_id, post_id, user_id, decision, note, created_at)
    SELECT id, workspace_id, post_id, user_id, decision, note, created_at FROM post_approvals;
DROP TABLE post_approvals;
ALTER TABLE post_approvals_new RENAME TO post_approvals;
CREATE INDEX post_approvals_post ON post_approvals(post_id, id);

CREATE TABLE snippets_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL DEFAULT 'text',
    body         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
);
INSERT INTO snippets_new (id, workspace_id, name, kind, body, created_at)
    SELECT id, workspace_id, name, kind, body, created_at FROM snippets;
DROP TABLE snippets;
ALTER TABLE snippets_new RENAME TO snippets;

CREATE TABLE hooks_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO hooks_new (id, workspace_id, url, description, events, secret_enc, enabled, last_status, last_at, last_error, created_by, created_at)
    SELECT id, workspace_id, url, description, events, secret_enc, enabled, last_status, last_at, last_error, created_by, created_at FROM hooks;
DROP TABLE hooks;
ALTER TABLE hooks_new RENAME TO hooks;
CREATE INDEX hooks_workspace ON hooks(workspace_id, id);

COMMIT;
PRAGMA foreign_keys = ON;

-- +goose Down
-- The AUTOINCREMENT tables work with every earlier version: nothing to undo.
SELECT 1;
