-- +goose Up
-- Campaigns: a name, dates, goals (JSON [{metric, target}]) and a budget;
-- posts are attached through campaign_posts, links carry their campaign.
CREATE TABLE campaigns (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    starts_at    INTEGER,
    ends_at      INTEGER,
    goals        TEXT NOT NULL DEFAULT '[]',
    budget_cents INTEGER NOT NULL DEFAULT 0,
    currency     TEXT NOT NULL DEFAULT '',
    created_by   INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
);
CREATE INDEX campaigns_workspace ON campaigns(workspace_id, id);

CREATE TABLE campaign_posts (
    campaign_id  INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    post_id      INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, post_id)
);
CREATE INDEX campaign_posts_post ON campaign_posts(post_id);

-- Short links: /l/{code} redirects to target_url with the utm_* values added.
-- source_key makes links created automatically at publish time idempotent
-- (one per post × network × URL); it is NULL for links made by hand.
CREATE TABLE links (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    code         TEXT NOT NULL UNIQUE,
    target_url   TEXT NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    post_id      INTEGER REFERENCES posts(id) ON DELETE SET NULL,
    campaign_id  INTEGER REFERENCES campaigns(id) ON DELETE SET NULL,
    network      TEXT NOT NULL DEFAULT '',
    utm_source   TEXT NOT NULL DEFAULT '',
    utm_medium   TEXT NOT NULL DEFAULT '',
    utm_campaign TEXT NOT NULL DEFAULT '',
    utm_content  TEXT NOT NULL DEFAULT '',
    utm_term     TEXT NOT NULL DEFAULT '',
    source_key   TEXT,
    created_by   INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
);
CREATE INDEX links_workspace ON links(workspace_id, id);
CREATE INDEX links_post ON links(post_id);
CREATE INDEX links_campaign ON links(campaign_id);
CREATE UNIQUE INDEX links_source ON links(workspace_id, source_key);

-- The click log keeps no IP address: visitor is a hash of IP and User-Agent
-- with a salt that lives in memory for one UTC day only. bot names the
-- crawler or link-preview fetcher ('' for people).
CREATE TABLE link_clicks (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    link_id       INTEGER NOT NULL REFERENCES links(id) ON DELETE CASCADE,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    at            INTEGER NOT NULL,
    visitor       TEXT NOT NULL,
    referrer_host TEXT NOT NULL DEFAULT '',
    country       TEXT NOT NULL DEFAULT '',
    device        TEXT NOT NULL DEFAULT '',
    bot           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX link_clicks_link ON link_clicks(link_id, at);
CREATE INDEX link_clicks_workspace ON link_clicks(workspace_id, at);

-- Per-workspace link settings: automatic shortening at publish time and the
-- UTM templates (JSON {"utm_source": "{network}", …}).
CREATE TABLE link_settings (
    workspace_id  INTEGER PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    auto_shorten  INTEGER NOT NULL DEFAULT 0,
    utm_templates TEXT NOT NULL DEFAULT '{}',
    updated_at    INTEGER NOT NULL
);

-- The link-in-bio page of a workspace (/bio/{slug}); items is JSON
-- [{label, url, kind}].
CREATE TABLE bio_pages (
    workspace_id  INTEGER PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    enabled       INTEGER NOT NULL DEFAULT 0,
    title         TEXT NOT NULL DEFAULT '',
    description   TEXT NOT NULL DEFAULT '',
    avatar_url    TEXT NOT NULL DEFAULT '',
    -- avatar_media_id, when set, is an image of the media library shown instead of avatar_url.
    avatar_media_id INTEGER,
    background    TEXT NOT NULL DEFAULT '#ffffff',
    foreground    TEXT NOT NULL DEFAULT '#1a1a1a',
    accent        TEXT NOT NULL DEFAULT '#0b57d0',
    lang          TEXT NOT NULL DEFAULT 'en',
    items         TEXT NOT NULL DEFAULT '[]',
    show_channels INTEGER NOT NULL DEFAULT 1,
    recent_posts  INTEGER NOT NULL DEFAULT 5,
    updated_at    INTEGER NOT NULL
);

-- +goose Down
DROP TABLE bio_pages;
DROP TABLE link_settings;
DROP TABLE link_clicks;
DROP TABLE links;
DROP TABLE campaign_posts;
DROP TABLE campaigns;
