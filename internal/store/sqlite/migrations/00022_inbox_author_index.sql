-- +goose Up
-- Rules with the is-first-contact condition ask whether the author wrote to
-- the workspace on that network before this message: one index seek instead
-- of a scan of the workspace's messages.
CREATE INDEX inbox_messages_author ON inbox_messages(workspace_id, network, author_handle, id);

-- +goose Down
DROP INDEX inbox_messages_author;
