-- +goose Up
-- Contests run on public pages (/c/{slug}). seed_hash is published when
-- entry closes and seed revealed at the draw (commit-reveal); winners holds
-- the drawn entry ids as JSON.
CREATE TABLE contests (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id   INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    slug           TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL,
    entry_opens    INTEGER NOT NULL,
    entry_closes   INTEGER NOT NULL,
    vote_opens     INTEGER NOT NULL,
    vote_closes    INTEGER NOT NULL,
    vote_period    TEXT NOT NULL DEFAULT 'contest',
    prizes         TEXT NOT NULL DEFAULT '',
    rules_text     TEXT NOT NULL DEFAULT '',
    min_age        INTEGER NOT NULL DEFAULT 0,
    countries      TEXT NOT NULL DEFAULT '',
    lang           TEXT NOT NULL DEFAULT 'en',
    accent         TEXT NOT NULL DEFAULT '',
    winners        INTEGER NOT NULL DEFAULT 1,
    seed_hash      TEXT NOT NULL DEFAULT '',
    seed           TEXT NOT NULL DEFAULT '',
    entries_hash   TEXT NOT NULL DEFAULT '',
    committed_at   INTEGER,
    drawn_at       INTEGER,
    winner_ids     TEXT NOT NULL DEFAULT '[]',
    retention_days INTEGER NOT NULL DEFAULT 90,
    created_by     INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL
);
CREATE INDEX contests_workspace ON contests(workspace_id, id);

CREATE TABLE contest_entries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    contest_id   INTEGER NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    title        TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    country      TEXT NOT NULL DEFAULT '',
    media_id     INTEGER REFERENCES media(id) ON DELETE SET NULL,
    status       TEXT NOT NULL DEFAULT 'pending',
    reason       TEXT NOT NULL DEFAULT '',
    consent_at   INTEGER,
    notified_at  INTEGER,
    created_at   INTEGER NOT NULL
);
CREATE INDEX contest_entries_contest ON contest_entries(contest_id, status, id);
CREATE INDEX contest_entries_email ON contest_entries(workspace_id, email);

-- One vote per identity per period, by construction. Flagged votes are
-- counted with their score and kept; voiding marks them, never deletes.
CREATE TABLE contest_votes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    contest_id   INTEGER NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    entry_id     INTEGER NOT NULL REFERENCES contest_entries(id) ON DELETE CASCADE,
    identity     TEXT NOT NULL,
    period       TEXT NOT NULL,
    net_block    TEXT NOT NULL DEFAULT '',
    device       TEXT NOT NULL DEFAULT '',
    score        REAL NOT NULL DEFAULT 0,
    flags        TEXT NOT NULL DEFAULT '',
    void         INTEGER NOT NULL DEFAULT 0,
    void_reason  TEXT NOT NULL DEFAULT '',
    at           INTEGER NOT NULL
);
CREATE UNIQUE INDEX contest_votes_once ON contest_votes(contest_id, identity, period);
CREATE INDEX contest_votes_entry ON contest_votes(contest_id, entry_id);
CREATE INDEX contest_votes_identity ON contest_votes(workspace_id, identity);

CREATE TABLE contest_audit (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    contest_id   INTEGER NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    at           INTEGER NOT NULL,
    actor        TEXT NOT NULL DEFAULT '',
    action       TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contest_audit_contest ON contest_audit(contest_id, id);

-- +goose Down
DROP TABLE contest_audit;
DROP TABLE contest_votes;
DROP TABLE contest_entries;
DROP TABLE contests;
