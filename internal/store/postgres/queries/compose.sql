-- The composer's records around posts (PostgreSQL).

-- name: AddComment
INSERT INTO post_comments (workspace_id, post_id, user_id, body, created_at)
SELECT $1, id, $3, $4, $5 FROM posts WHERE workspace_id = $1 AND id = $2 RETURNING id;

-- name: Comments
SELECT id, workspace_id, post_id, user_id, body, created_at FROM post_comments
WHERE workspace_id = $1 AND post_id = $2 ORDER BY id;

-- name: AddHistory
INSERT INTO post_history (workspace_id, post_id, user_id, action, detail, created_at)
SELECT $1, id, $3, $4, $5, $6 FROM posts WHERE workspace_id = $1 AND id = $2 RETURNING id;

-- name: History
SELECT id, workspace_id, post_id, user_id, action, detail, created_at FROM post_history
WHERE workspace_id = $1 AND post_id = $2 ORDER BY id;

-- name: AddApproval
INSERT INTO post_approvals (workspace_id, post_id, user_id, decision, note, created_at)
SELECT $1, id, $3, $4, $5, $6 FROM posts WHERE workspace_id = $1 AND id = $2 RETURNING id;

-- name: Approvals
SELECT id, workspace_id, post_id, user_id, decision, note, created_at FROM post_approvals
WHERE workspace_id = $1 AND post_id = $2 ORDER BY id;

-- name: CreateSnippet
INSERT INTO snippets (workspace_id, name, kind, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id;

-- name: Snippets
SELECT id, workspace_id, name, kind, body, created_at FROM snippets WHERE workspace_id = $1 ORDER BY kind, name;

-- name: DeleteSnippet
DELETE FROM snippets WHERE workspace_id = $1 AND id = $2;

-- name: SetChannelSlots
INSERT INTO channel_slots (channel_id, workspace_id, spec, timezone, updated_at)
SELECT id, workspace_id, $3, $4, $5 FROM channels WHERE workspace_id = $1 AND id = $2
ON CONFLICT (channel_id) DO UPDATE SET spec = excluded.spec, timezone = excluded.timezone, updated_at = excluded.updated_at
RETURNING channel_id;

-- name: ChannelSlots
SELECT workspace_id, channel_id, spec, timezone, updated_at FROM channel_slots WHERE workspace_id = $1 AND channel_id = $2;

-- name: ChannelTimes
SELECT p.scheduled_at FROM posts p JOIN variants v ON v.post_id = p.id
WHERE p.workspace_id = $1 AND v.channel_id = $2 AND p.scheduled_at >= $3 AND p.scheduled_at < $4
  AND p.state IN ('scheduled', 'publishing', 'published', 'partially_published')
ORDER BY p.scheduled_at;

-- name: PostChannels
SELECT post_id, channel_id FROM variants
WHERE workspace_id = $1 AND post_id IN (SELECT jsonb_array_elements_text($2::jsonb)::bigint) ORDER BY post_id, channel_id;

-- name: SetFeedSecret
INSERT INTO workspace_feeds (workspace_id, secret_hash, updated_at) VALUES ($1, $2, $3)
ON CONFLICT (workspace_id) DO UPDATE SET secret_hash = excluded.secret_hash, updated_at = excluded.updated_at;

-- name: DeleteFeedSecret
DELETE FROM workspace_feeds WHERE workspace_id = $1;

-- name: WorkspaceByFeedSecret
SELECT workspace_id FROM workspace_feeds WHERE secret_hash = $1;

-- name: PostWorkspace
SELECT workspace_id FROM posts WHERE id = $1;
