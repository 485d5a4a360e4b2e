-- +goose Up
-- Metric snapshots of published posts, taken about 1 h, 24 h, 7 d and 28 d
-- after publishing (horizon_h 1, 24, 168, 672) and on demand (horizon_h 0,
-- the live reading, overwritten by each collection). A NULL count is
-- "unknown": the network does not report it. Workspace, post, channel,
-- network and publishing time are copies, so dashboards read one table.
CREATE TABLE metric_snapshots (
    publication_id BIGINT NOT NULL,
    horizon_h      BIGINT NOT NULL,
    workspace_id   BIGINT NOT NULL,
    post_id        BIGINT NOT NULL,
    channel_id     BIGINT NOT NULL,
    network        TEXT NOT NULL,
    published_at   BIGINT NOT NULL,
    taken_at       BIGINT NOT NULL,
    likes          BIGINT,
    reposts        BIGINT,
    replies        BIGINT,
    quotes         BIGINT,
    views          BIGINT,
    impressions    BIGINT,
    reach          BIGINT,
    clicks         BIGINT,
    PRIMARY KEY (publication_id, horizon_h)
);
-- The latest reading of a publication.
CREATE INDEX metric_snapshots_latest ON metric_snapshots(publication_id, taken_at);
-- Dashboards: a workspace's posts of a period.
CREATE INDEX metric_snapshots_period ON metric_snapshots(workspace_id, published_at);

-- One reading per channel and UTC day: followers, following, posts (NULL: unknown).
CREATE TABLE channel_days (
    channel_id   BIGINT NOT NULL,
    day          BIGINT NOT NULL,
    workspace_id BIGINT NOT NULL,
    network      TEXT NOT NULL,
    followers    BIGINT,
    following    BIGINT,
    posts        BIGINT,
    taken_at     BIGINT NOT NULL,
    PRIMARY KEY (channel_id, day)
);
CREATE INDEX channel_days_period ON channel_days(workspace_id, day);

-- The collector and the reports find published publications by time; a
-- partial index costs a write only when a row becomes published.
CREATE INDEX publications_published ON publications(workspace_id, published_at) WHERE state = 'published';

-- +goose Down
DROP INDEX publications_published;
DROP TABLE channel_days;
DROP TABLE metric_snapshots;
