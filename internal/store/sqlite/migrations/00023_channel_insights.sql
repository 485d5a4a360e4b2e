-- +goose Up
-- Daily account-level counts a network reports per channel beside followers
-- (Google Business Profile's impressions, calls, direction requests, website
-- clicks), one row per channel, day and metric; a later reading replaces it.
CREATE TABLE channel_insights (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    channel_id   INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    day          INTEGER NOT NULL,
    metric       TEXT NOT NULL,
    value        INTEGER NOT NULL,
    taken_at     INTEGER NOT NULL,
    PRIMARY KEY (channel_id, day, metric)
);
CREATE INDEX channel_insights_workspace_day ON channel_insights (workspace_id, day);

-- +goose Down
DROP TABLE channel_insights;
