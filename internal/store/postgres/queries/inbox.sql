-- The inbox (PostgreSQL).

-- name: InsertMessages
-- One statement per batch: $1 is a JSON array of objects keyed by column.
INSERT INTO inbox_messages (workspace_id, channel_id, network, remote_id, parent_remote_id, root_remote_id, kind, author_id, author_handle, author_name, text, language, sentiment, sentiment_score, themes, labels, state, assignee_id, priority, post_id, publication_id, url, created_at, received_at, updated_at)
SELECT workspace_id, channel_id, network, remote_id, parent_remote_id, root_remote_id, kind, author_id, author_handle, author_name, text, language, sentiment, sentiment_score, themes, labels, state, assignee_id, priority, post_id, publication_id, url, created_at, received_at, updated_at
FROM jsonb_to_recordset($1::jsonb) AS j(workspace_id bigint, channel_id bigint, network text, remote_id text, parent_remote_id text, root_remote_id text, kind text, author_id text, author_handle text, author_name text, text text, language text, sentiment text, sentiment_score double precision, themes text, labels text, state text, assignee_id bigint, priority int, post_id bigint, publication_id bigint, url text, created_at bigint, received_at bigint, updated_at bigint)
ON CONFLICT (channel_id, remote_id) DO NOTHING
RETURNING id, channel_id, remote_id;

-- name: Message
SELECT m.id, m.workspace_id, m.channel_id, m.network, m.remote_id, m.parent_remote_id, m.root_remote_id, m.kind,
       m.author_id, m.author_handle, m.author_name, m.text, m.language, m.sentiment, m.sentiment_score, m.themes, m.labels,
       m.state, m.assignee_id, COALESCE(u.email, ''), m.priority, m.post_id, m.publication_id, m.url, m.answered, m.hidden,
       m.created_at, m.received_at, m.updated_at
FROM inbox_messages m LEFT JOIN users u ON u.id = m.assignee_id
WHERE m.workspace_id = $1 AND m.id = $2;

-- name: MessageWorkspace
SELECT workspace_id FROM inbox_messages WHERE id = $1;

-- name: Messages
SELECT m.id, m.workspace_id, m.channel_id, m.network, m.remote_id, m.parent_remote_id, m.root_remote_id, m.kind,
       m.author_id, m.author_handle, m.author_name, m.text, m.language, m.sentiment, m.sentiment_score, m.themes, m.labels,
       m.state, m.assignee_id, COALESCE(u.email, ''), m.priority, m.post_id, m.publication_id, m.url, m.answered, m.hidden,
       m.created_at, m.received_at, m.updated_at
FROM inbox_messages m LEFT JOIN users u ON u.id = m.assignee_id
WHERE m.workspace_id = $1
  AND ($2::text = '' OR m.state = $2)
  AND ($3::text = '' OR m.network = $3)
  AND ($4::bigint = 0 OR m.channel_id = $4)
  AND ($5::text = '' OR m.sentiment = $5)
  AND ($6::text = '' OR m.language = $6)
  AND ($7::text = '' OR m.themes LIKE '%,' || $7 || ',%')
  AND ($8::text = '' OR m.labels LIKE '%,' || $8 || ',%')
  AND ($9::bigint = 0 OR m.assignee_id = $9)
  AND ($10::bigint = 0 OR m.assignee_id = 0)
  AND ($11::bigint = 0 OR m.answered = 0)
  AND ($12::bigint = 0 OR m.received_at >= $12)
  AND ($13::bigint = 0 OR m.received_at < $13)
  AND ($14::bigint = 0 OR m.received_at < $14 OR (m.received_at = $14 AND m.id < $15::bigint))
ORDER BY m.received_at DESC, m.id DESC
LIMIT $16;

-- name: SearchMessages
-- The GIN index finds the matches; the newest stored come first.
SELECT m.id, m.workspace_id, m.channel_id, m.network, m.remote_id, m.parent_remote_id, m.root_remote_id, m.kind,
       m.author_id, m.author_handle, m.author_name, m.text, m.language, m.sentiment, m.sentiment_score, m.themes, m.labels,
       m.state, m.assignee_id, COALESCE(u.email, ''), m.priority, m.post_id, m.publication_id, m.url, m.answered, m.hidden,
       m.created_at, m.received_at, m.updated_at
FROM inbox_messages m LEFT JOIN users u ON u.id = m.assignee_id
WHERE m.search @@ plainto_tsquery('simple', $17::text)
  AND m.workspace_id = $1
  AND ($2::text = '' OR m.state = $2)
  AND ($3::text = '' OR m.network = $3)
  AND ($4::bigint = 0 OR m.channel_id = $4)
  AND ($5::text = '' OR m.sentiment = $5)
  AND ($6::text = '' OR m.language = $6)
  AND ($7::text = '' OR m.themes LIKE '%,' || $7 || ',%')
  AND ($8::text = '' OR m.labels LIKE '%,' || $8 || ',%')
  AND ($9::bigint = 0 OR m.assignee_id = $9)
  AND ($10::bigint = 0 OR m.assignee_id = 0)
  AND ($11::bigint = 0 OR m.answered = 0)
  AND ($12::bigint = 0 OR m.received_at >= $12)
  AND ($13::bigint = 0 OR m.received_at < $13)
  AND ($14::bigint = 0 OR m.id < $15::bigint)
ORDER BY m.id DESC
LIMIT $16;

-- name: Conversation
SELECT m.id, m.workspace_id, m.channel_id, m.network, m.remote_id, m.parent_remote_id, m.root_remote_id, m.kind,
       m.author_id, m.author_handle, m.author_name, m.text, m.language, m.sentiment, m.sentiment_score, m.themes, m.labels,
       m.state, m.assignee_id, COALESCE(u.email, ''), m.priority, m.post_id, m.publication_id, m.url, m.answered, m.hidden,
       m.created_at, m.received_at, m.updated_at
FROM inbox_messages m LEFT JOIN users u ON u.id = m.assignee_id
WHERE m.workspace_id = $1 AND (m.root_remote_id = $2 OR m.remote_id = $2)
ORDER BY m.created_at, m.id
LIMIT 500;

-- name: CountOpenMessages
SELECT count(*) FROM inbox_messages WHERE workspace_id = $1 AND state = 'open';

-- name: UpdateMessages
UPDATE inbox_messages SET
    state = CASE WHEN $3::text = '' THEN state ELSE $3::text END,
    assignee_id = CASE WHEN $4::int = 1 THEN $5::bigint ELSE assignee_id END,
    priority = CASE WHEN $6::int = 1 THEN $7::int ELSE priority END,
    labels = replace(CASE WHEN $8::text = '' OR labels LIKE '%,' || $8 || ',%' THEN labels
                          WHEN labels = '' THEN ',' || $8 || ','
                          ELSE labels || $8 || ',' END, ',' || $9::text || ',', ','),
    updated_at = $10::bigint
WHERE workspace_id = $1 AND id IN (SELECT value::bigint FROM jsonb_array_elements_text($2::jsonb) AS value);

-- name: SetMessageHidden
UPDATE inbox_messages SET hidden = 1, updated_at = $1 WHERE workspace_id = $2 AND id = $3;

-- name: AddNote
INSERT INTO inbox_notes (workspace_id, message_id, author_id, text, created_at)
SELECT $1::bigint, m.id, $3::bigint, $4::text, $5::bigint FROM inbox_messages m WHERE m.workspace_id = $1 AND m.id = $2
RETURNING id;

-- name: Notes
SELECT n.id, n.workspace_id, n.message_id, n.author_id, COALESCE(u.email, ''), n.text, n.created_at
FROM inbox_notes n LEFT JOIN users u ON u.id = n.author_id
WHERE n.workspace_id = $1 AND n.message_id = $2 ORDER BY n.id;

-- name: AddModerationEntry
INSERT INTO inbox_moderation_log (workspace_id, message_id, user_id, action, reason, outcome, error, created_at)
SELECT $1::bigint, m.id, $3::bigint, $4::text, $5::text, $6::text, $7::text, $8::bigint FROM inbox_messages m WHERE m.workspace_id = $1 AND m.id = $2
RETURNING id;

-- name: ModerationLog
SELECT e.id, e.workspace_id, e.message_id, e.user_id, COALESCE(u.email, ''), e.action, e.reason, e.outcome, e.error, e.created_at
FROM inbox_moderation_log e LEFT JOIN users u ON u.id = e.user_id
WHERE e.workspace_id = $1 AND e.message_id = $2 ORDER BY e.id;

-- name: CreateReply
INSERT INTO inbox_replies (workspace_id, message_id, channel_id, author_id, text, idem_key, state, created_at)
SELECT $1::bigint, m.id, m.channel_id, $3::bigint, $4::text, $5::text, 'sending', $6::bigint FROM inbox_messages m WHERE m.workspace_id = $1 AND m.id = $2
RETURNING id, channel_id;

-- name: ReplyByKey
SELECT id, workspace_id, message_id, channel_id, author_id, text, idem_key, state, remote_id, url, error, created_at, sent_at
FROM inbox_replies WHERE workspace_id = $1 AND idem_key = $2;

-- name: Replies
SELECT id, workspace_id, message_id, channel_id, author_id, text, idem_key, state, remote_id, url, error, created_at, sent_at
FROM inbox_replies WHERE workspace_id = $1 AND message_id = $2 ORDER BY id;

-- name: FinishReply
UPDATE inbox_replies SET state = $3, remote_id = $4, url = $5, error = $6, sent_at = $7
WHERE workspace_id = $1 AND id = $2 AND state = 'sending';

-- name: MarkAnswered
UPDATE inbox_messages SET answered = 1, updated_at = $3 WHERE workspace_id = $1 AND id = $2;

-- name: SendingReplies
SELECT id, workspace_id, message_id, channel_id, author_id, text, idem_key, state, remote_id, url, error, created_at, sent_at
FROM inbox_replies WHERE state = 'sending' AND created_at <= $1 ORDER BY id LIMIT 100;

-- name: SaveView
INSERT INTO inbox_views (workspace_id, name, filter, created_by, created_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (workspace_id, name) DO UPDATE SET filter = excluded.filter
RETURNING id, created_at;

-- name: Views
SELECT id, workspace_id, name, filter, created_by, created_at FROM inbox_views WHERE workspace_id = $1 ORDER BY name;

-- name: DeleteView
DELETE FROM inbox_views WHERE workspace_id = $1 AND id = $2;

-- name: InboxCursor
SELECT cursor FROM inbox_cursors WHERE workspace_id = $1 AND channel_id = $2;

-- name: SetInboxCursor
INSERT INTO inbox_cursors (channel_id, workspace_id, cursor, polled_at)
SELECT c.id, c.workspace_id, $3::text, $4::bigint FROM channels c WHERE c.workspace_id = $1 AND c.id = $2
ON CONFLICT (channel_id) DO UPDATE SET cursor = excluded.cursor, polled_at = excluded.polled_at;

-- name: PublicationByRemoteID
SELECT id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, attempts, next_attempt_at, lease_owner, lease_until,
       claim, idem_key, done_parts, remote_id, url, error_class, error_message, hold_reason, created_at, updated_at, published_at
FROM publications WHERE workspace_id = $1 AND channel_id = $2 AND remote_id = $3 AND remote_id <> '' LIMIT 1;

-- name: RecentPublications
SELECT id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, attempts, next_attempt_at, lease_owner, lease_until,
       claim, idem_key, done_parts, remote_id, url, error_class, error_message, hold_reason, created_at, updated_at, published_at
FROM publications WHERE workspace_id = $1 AND channel_id = $2 AND state = 'published' AND remote_id <> '' AND published_at >= $3
ORDER BY published_at DESC LIMIT $4;

-- name: AnalyzeInbox
ANALYZE inbox_messages;
