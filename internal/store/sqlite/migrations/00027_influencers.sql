-- +goose Up
-- Influencer directory: people (contact details only with consent), their
-- accounts on the networks, a daily snapshot of each account's counts and its
-- recent posts with a sample of their comments (the vetting score's input).
CREATE TABLE influencers (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    email        TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    consent      INTEGER NOT NULL DEFAULT 0,
    consent_at   INTEGER,
    country      TEXT NOT NULL DEFAULT '',
    language     TEXT NOT NULL DEFAULT '',
    tags         TEXT NOT NULL DEFAULT '[]',
    notes        TEXT NOT NULL DEFAULT '',
    created_by   INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX influencers_workspace ON influencers(workspace_id, id);

CREATE TABLE influencer_accounts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    influencer_id INTEGER NOT NULL REFERENCES influencers(id) ON DELETE CASCADE,
    network       TEXT NOT NULL,
    handle        TEXT NOT NULL,
    external_id   TEXT NOT NULL DEFAULT '',
    display_name  TEXT NOT NULL DEFAULT '',
    bio           TEXT NOT NULL DEFAULT '',
    avatar_url    TEXT NOT NULL DEFAULT '',
    profile_url   TEXT NOT NULL DEFAULT '',
    followers     INTEGER NOT NULL DEFAULT -1,
    following     INTEGER NOT NULL DEFAULT -1,
    posts         INTEGER NOT NULL DEFAULT -1,
    collected_at  INTEGER,
    collect_error TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX influencer_accounts_handle ON influencer_accounts(workspace_id, network, handle);
CREATE INDEX influencer_accounts_influencer ON influencer_accounts(influencer_id);

-- One row per account and UTC day (the last collection of the day wins).
CREATE TABLE influencer_snapshots (
    account_id   INTEGER NOT NULL REFERENCES influencer_accounts(id) ON DELETE CASCADE,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    day          INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    followers    INTEGER NOT NULL,
    following    INTEGER NOT NULL,
    posts        INTEGER NOT NULL,
    PRIMARY KEY (account_id, day)
);

-- comments is a JSON sample [{author, text, at}] of the post's comments.
CREATE TABLE influencer_posts (
    account_id   INTEGER NOT NULL REFERENCES influencer_accounts(id) ON DELETE CASCADE,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    remote_id    TEXT NOT NULL,
    at           INTEGER NOT NULL,
    url          TEXT NOT NULL DEFAULT '',
    text         TEXT NOT NULL DEFAULT '',
    likes        INTEGER NOT NULL DEFAULT -1,
    comments     INTEGER NOT NULL DEFAULT -1,
    shares       INTEGER NOT NULL DEFAULT -1,
    views        INTEGER NOT NULL DEFAULT -1,
    comment_sample TEXT NOT NULL DEFAULT '[]',
    collected_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, remote_id)
);
CREATE INDEX influencer_posts_at ON influencer_posts(account_id, at);

-- An influencer in a campaign (the relais campaign of internal/campaign):
-- the pipeline stage, owner, agreed rate, discount code and short link, and
-- conversions/revenue entered or imported.
CREATE TABLE influencer_deals (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    influencer_id INTEGER NOT NULL REFERENCES influencers(id) ON DELETE CASCADE,
    stage         TEXT NOT NULL,
    owner_id      INTEGER NOT NULL DEFAULT 0,
    rate_cents    INTEGER NOT NULL DEFAULT 0,
    currency      TEXT NOT NULL DEFAULT '',
    discount_code TEXT NOT NULL DEFAULT '',
    link_id       INTEGER REFERENCES links(id) ON DELETE SET NULL,
    conversions   INTEGER NOT NULL DEFAULT -1,
    revenue_cents INTEGER NOT NULL DEFAULT 0,
    notes         TEXT NOT NULL DEFAULT '',
    stage_at      INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX influencer_deals_pair ON influencer_deals(campaign_id, influencer_id);
CREATE INDEX influencer_deals_workspace ON influencer_deals(workspace_id, campaign_id);

-- The deal's log: stage moves, messages and contract files (media library).
CREATE TABLE influencer_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    deal_id      INTEGER NOT NULL REFERENCES influencer_deals(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    from_stage   TEXT NOT NULL DEFAULT '',
    to_stage     TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    media_id     INTEGER REFERENCES media(id) ON DELETE SET NULL,
    author_id    INTEGER NOT NULL DEFAULT 0,
    at           INTEGER NOT NULL
);
CREATE INDEX influencer_events_deal ON influencer_events(deal_id, id);

-- Deliverables: a post, story or video due by a date, with its brief, its
-- draft (a relais post going through the approval flow), the published URL
-- and its counts (JSON, -1 unknown).
CREATE TABLE influencer_deliverables (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    deal_id      INTEGER NOT NULL REFERENCES influencer_deals(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    network      TEXT NOT NULL DEFAULT '',
    due_at       INTEGER,
    brief        TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    draft_post_id INTEGER REFERENCES posts(id) ON DELETE SET NULL,
    url          TEXT NOT NULL DEFAULT '',
    published_at INTEGER,
    counts       TEXT NOT NULL DEFAULT '{}',
    created_at   INTEGER NOT NULL
);
CREATE INDEX influencer_deliverables_deal ON influencer_deliverables(deal_id, id);

-- Per-workspace vetting and EMV settings (JSON).
CREATE TABLE influencer_settings (
    workspace_id     INTEGER PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    emv              TEXT NOT NULL DEFAULT '[]',
    target_languages TEXT NOT NULL DEFAULT '[]',
    brand_safety     TEXT NOT NULL DEFAULT '[]',
    updated_at       INTEGER NOT NULL
);

-- +goose Down
DROP TABLE influencer_settings;
DROP TABLE influencer_deliverables;
DROP TABLE influencer_events;
DROP TABLE influencer_deals;
DROP TABLE influencer_posts;
DROP TABLE influencer_snapshots;
DROP TABLE influencer_accounts;
DROP TABLE influencers;
