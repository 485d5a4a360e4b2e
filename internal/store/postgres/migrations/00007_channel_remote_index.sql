-- +goose Up
-- Public endpoints (website feeds) find their channel by network and remote id.
CREATE INDEX channels_remote ON channels(network, remote_id);

-- +goose Down
DROP INDEX channels_remote;
