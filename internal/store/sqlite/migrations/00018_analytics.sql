-- +goose Up
-- Metric snapshots of published posts, taken about 1 h, 24 h, 7 d and 28 d
-- after publishing (horizon_h 1, 24, 168, 672) and on demand (horizon_h 0,
-- the live reading, overwritten by each collection). A NULL count is
-- "unknown": the network does not report it. Workspace, post, channel,
-- network and publishing time are copies, so dashboards read one table.
CREATE TABLE metric_snapshots (
    publication_id INTEGER NOT NULL REFERENCES publications(id) ON DELETE CASCADE,
    horizon_h      INTEGER NOT NULL,
    workspace_id   INTEGER NOT NULL,
    post_id        INTEGER NOT NULL,
    channel_id     INTEGER NOT NULL,
    network        TEXT NOT NULL,
    published_at   INTEGER NOT NULL,
    taken_at       INTEGER NOT NULL,
    likes          INTEGER,
    reposts        INTEGER,
    replies        INTEGER,
    quotes         INTEGER,
    views          INTEGER,
    impressions    INTEGER,
    reach          INTEGER,
    clicks         INTEGER,
    PRIMARY KEY (publication_id, horizon_h)
);
-- The latest reading of a publication.
CREATE INDEX metric_snapshots_latest ON metric_snapshots(publication_id, taken_at);
-- Dashboards: a workspace's posts of a period.
CREATE INDEX metric_snapshots_period ON metric_snapshots(workspace_id, published_at);

-- The latest reading of every tracked publication, one row each, kept in
-- the order dashboards read it (workspace, publishing time) so that a
-- period is one range scan of a clustered table. The collector tracks publications (a
-- row with unknown counts) before their first reading; text and URL are
-- copied (the first 200 characters) so a report joins nothing.
CREATE TABLE publication_metrics (
    workspace_id   INTEGER NOT NULL,
    published_at   INTEGER NOT NULL,
    publication_id INTEGER NOT NULL REFERENCES publications(id) ON DELETE CASCADE,
    post_id        INTEGER NOT NULL,
    channel_id     INTEGER NOT NULL,
    network        TEXT NOT NULL,
    remote_id      TEXT NOT NULL,
    excerpt        TEXT NOT NULL,
    url            TEXT NOT NULL,
    horizon_h      INTEGER NOT NULL DEFAULT -1,
    taken_at       INTEGER,
    likes          INTEGER,
    reposts        INTEGER,
    replies        INTEGER,
    quotes         INTEGER,
    views          INTEGER,
    impressions    INTEGER,
    reach          INTEGER,
    clicks         INTEGER,
    PRIMARY KEY (workspace_id, published_at, publication_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX publication_metrics_publication ON publication_metrics(publication_id);
INSERT INTO publication_metrics (workspace_id, published_at, publication_id, post_id, channel_id, network, remote_id, excerpt, url)
SELECT p.workspace_id, p.published_at, p.id, p.post_id, p.channel_id, p.network, p.remote_id,
       substr(CASE WHEN v.text <> '' THEN v.text ELSE po.text END, 1, 200), p.url
  FROM publications p JOIN variants v ON v.id = p.variant_id JOIN posts po ON po.id = p.post_id
 WHERE p.state = 'published' AND p.published_at IS NOT NULL;

-- One reading per channel and UTC day: followers, following, posts (NULL: unknown).
CREATE TABLE channel_days (
    channel_id   INTEGER NOT NULL,
    day          INTEGER NOT NULL,
    workspace_id INTEGER NOT NULL,
    network      TEXT NOT NULL,
    followers    INTEGER,
    following    INTEGER,
    posts        INTEGER,
    taken_at     INTEGER NOT NULL,
    PRIMARY KEY (channel_id, day)
);
CREATE INDEX channel_days_period ON channel_days(workspace_id, day);

-- Long-term goals of a workspace or one channel (followers 210,000 → 680,000 by a date).
CREATE TABLE analytics_goals (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    channel_id   INTEGER NOT NULL DEFAULT 0,
    metric       TEXT NOT NULL,
    start_value  INTEGER NOT NULL,
    target       INTEGER NOT NULL,
    starts_on    INTEGER NOT NULL,
    due_on       INTEGER NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX analytics_goals_workspace ON analytics_goals(workspace_id);

-- The collector and the reports find published publications by time; a
-- partial index costs a write only when a row becomes published.
CREATE INDEX publications_published ON publications(workspace_id, published_at) WHERE state = 'published';

-- +goose Down
DROP INDEX publications_published;
DROP TABLE analytics_goals;
DROP TABLE publication_metrics;
DROP TABLE channel_days;
DROP TABLE metric_snapshots;
