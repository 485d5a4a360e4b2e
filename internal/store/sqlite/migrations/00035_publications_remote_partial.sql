-- +goose Up
-- Threading looks publications up by their remote id, which a publication has
-- only once it is out: the index holds those rows alone, and the updates of a
-- queued publication (staged, marked publishing, requeued) add nothing to it.
DROP INDEX publications_remote;
CREATE INDEX publications_remote ON publications(channel_id, remote_id) WHERE remote_id <> '';

-- +goose Down
DROP INDEX publications_remote;
CREATE INDEX publications_remote ON publications(channel_id, remote_id);
