-- +goose Up
-- How many calls the publishing engine makes for one publication before it fails.
ALTER TABLE workspaces ADD COLUMN max_publish_attempts INTEGER NOT NULL DEFAULT 5;

-- +goose Down
ALTER TABLE workspaces DROP COLUMN max_publish_attempts;
