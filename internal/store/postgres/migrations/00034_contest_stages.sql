-- +goose Up
-- Quiz questions (JSON), the jury stage (weight in percent, finalists), the
-- branding's logo, and the published post whose commenters enter a
-- comment-to-enter giveaway (with an optional keyword).
ALTER TABLE contests ADD COLUMN questions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE contests ADD COLUMN jury_weight BIGINT NOT NULL DEFAULT 0;
ALTER TABLE contests ADD COLUMN finalists BIGINT NOT NULL DEFAULT 0;
ALTER TABLE contests ADD COLUMN logo_media_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE contests ADD COLUMN source_channel_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE contests ADD COLUMN source_remote_id TEXT NOT NULL DEFAULT '';
ALTER TABLE contests ADD COLUMN keyword TEXT NOT NULL DEFAULT '';

-- An entry's verified identity (quiz: keyed hash of the address; comment
-- entrants: network and account id), one entry per identity; a quiz's answers
-- (JSON) and score.
ALTER TABLE contest_entries ADD COLUMN identity TEXT NOT NULL DEFAULT '';
ALTER TABLE contest_entries ADD COLUMN answers TEXT NOT NULL DEFAULT '';
ALTER TABLE contest_entries ADD COLUMN score BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX contest_entries_identity ON contest_entries(contest_id, identity) WHERE identity <> '';

-- The jury: workspace members chosen by the organiser, and their scores (0–10) of the finalists.
CREATE TABLE contest_jury (
    contest_id   BIGINT NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (contest_id, user_id)
);
CREATE TABLE contest_jury_scores (
    contest_id   BIGINT NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    entry_id     BIGINT NOT NULL REFERENCES contest_entries(id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    score        BIGINT NOT NULL,
    at           BIGINT NOT NULL,
    PRIMARY KEY (entry_id, user_id)
);
CREATE INDEX contest_jury_scores_contest ON contest_jury_scores(contest_id);

-- Shared by every instance: proof-of-work challenges already used (kept until
-- they expire) and the rate buckets per network block.
CREATE TABLE contest_pow_spent (
    nonce   TEXT PRIMARY KEY,
    expires BIGINT NOT NULL
);
CREATE TABLE contest_rate_buckets (
    bucket TEXT PRIMARY KEY,
    tokens DOUBLE PRECISION NOT NULL,
    at     BIGINT NOT NULL
);

-- The OAuth apps relais registered on voters' Mastodon instances ("vote
-- with your Mastodon account"), one per instance; the secret is encrypted.
CREATE TABLE contest_oauth_apps (
    instance   TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL,
    secret_enc BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE contest_oauth_apps;
DROP TABLE contest_rate_buckets;
DROP TABLE contest_pow_spent;
DROP TABLE contest_jury_scores;
DROP TABLE contest_jury;
DROP INDEX contest_entries_identity;
ALTER TABLE contest_entries DROP COLUMN score;
ALTER TABLE contest_entries DROP COLUMN answers;
ALTER TABLE contest_entries DROP COLUMN identity;
ALTER TABLE contests DROP COLUMN keyword;
ALTER TABLE contests DROP COLUMN source_remote_id;
ALTER TABLE contests DROP COLUMN source_channel_id;
ALTER TABLE contests DROP COLUMN logo_media_id;
ALTER TABLE contests DROP COLUMN finalists;
ALTER TABLE contests DROP COLUMN jury_weight;
ALTER TABLE contests DROP COLUMN questions;
