-- Publication checkpoints (PostgreSQL).

-- name: SetCheckpoint
-- Only for a channel of the workspace: no row is written otherwise.
INSERT INTO publish_checkpoints (workspace_id, channel_id, key, value, created_at)
SELECT workspace_id, id, $3, $4, $5 FROM channels WHERE workspace_id = $1 AND id = $2
ON CONFLICT (channel_id, key) DO UPDATE SET value = excluded.value, created_at = excluded.created_at;

-- name: Checkpoint
SELECT value FROM publish_checkpoints WHERE workspace_id = $1 AND channel_id = $2 AND key = $3;

-- name: DeleteCheckpointsBefore
DELETE FROM publish_checkpoints WHERE created_at < $1;
