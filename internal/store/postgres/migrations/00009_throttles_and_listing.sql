-- +goose Up
-- channel_throttles is what every instance must know of a channel's network
-- limits: the rate-limit hold until the network's reset, and the row whose
-- lock serialises the daily-cap check of the channel's publications.
CREATE TABLE channel_throttles (
    channel_id BIGINT PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
    held_until BIGINT NOT NULL DEFAULT 0
);

-- The posts listing's order, so that each page of a long listing is a seek
-- in this index, not a sort of the workspace's posts.
CREATE INDEX posts_listing ON posts(workspace_id, (scheduled_at IS NULL), scheduled_at, id);

-- +goose Down
DROP INDEX posts_listing;
DROP TABLE channel_throttles;
