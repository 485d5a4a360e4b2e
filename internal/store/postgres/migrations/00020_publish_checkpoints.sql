-- +goose Up
-- Small facts a connector must keep between two attempts of one publication
-- (Instagram's and Threads's container ids), so a retry after a crash resumes
-- the container it made. Deleted by the maintenance job after two days.
CREATE TABLE publish_checkpoints (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    channel_id   BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    value        TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (channel_id, key)
);
CREATE INDEX publish_checkpoints_created ON publish_checkpoints (created_at);

-- +goose Down
DROP TABLE publish_checkpoints;
