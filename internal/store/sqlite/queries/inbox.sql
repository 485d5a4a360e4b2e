-- The inbox (SQLite).

-- name: InsertMessages
-- One statement per batch: ?1 is a JSON array of objects keyed by column.
-- The batch is read as JSONB once and each object kept as JSONB (the
-- materialised r); reading a field of json_each's value over text would turn
-- the object into text and parse it again for every column. (WHERE true lets SQLite read ON CONFLICT after a SELECT.)
WITH r(v) AS MATERIALIZED (SELECT value FROM json_each(jsonb(?1)))
INSERT INTO inbox_messages (workspace_id, channel_id, network, remote_id, parent_remote_id, root_remote_id, kind, author_id, author_handle, author_name, text, language, sentiment, sentiment_score, themes, labels, state, assignee_id, priority, post_id, publication_id, url, created_at, received_at, updated_at)
SELECT r.v ->> '$.workspace_id',
       r.v ->> '$.channel_id',
       r.v ->> '$.network',
       r.v ->> '$.remote_id',
       r.v ->> '$.parent_remote_id',
       r.v ->> '$.root_remote_id',
       r.v ->> '$.kind',
       r.v ->> '$.author_id',
       r.v ->> '$.author_handle',
       r.v ->> '$.author_name',
       r.v ->> '$.text',
       r.v ->> '$.language',
       r.v ->> '$.sentiment',
       r.v ->> '$.sentiment_score',
       r.v ->> '$.themes',
       r.v ->> '$.labels',
       r.v ->> '$.state',
       r.v ->> '$.assignee_id',
       r.v ->> '$.priority',
       r.v ->> '$.post_id',
       r.v ->> '$.publication_id',
       r.v ->> '$.url',
       r.v ->> '$.created_at',
       r.v ->> '$.received_at',
       r.v ->> '$.updated_at'
FROM r WHERE true
ON CONFLICT (channel_id, remote_id) DO NOTHING
RETURNING id, channel_id, remote_id;

-- name: Message
SELECT m.id, m.workspace_id, m.channel_id, m.network, m.remote_id, m.parent_remote_id, m.root_remote_id, m.kind,
       m.author_id, m.author_handle, m.author_name, m.text, m.language, m.sentiment, m.sentiment_score, m.themes, m.labels,
       m.state, m.assignee_id, COALESCE(u.email, ''), m.priority, m.post_id, m.publication_id, m.url, m.answered, m.hidden,
       m.created_at, m.received_at, m.updated_at
FROM inbox_messages m LEFT JOIN users u ON u.id = m.assignee_id
WHERE m.workspace_id = ?1 AND m.id = ?2;

-- name: MessageWorkspace
SELECT workspace_id FROM inbox_messages WHERE id = ?;

-- name: Messages
SELECT m.id, m.workspace_id, m.channel_id, m.network, m.remote_id, m.parent_remote_id, m.root_remote_id, m.kind,
       m.author_id, m.author_handle, m.author_name, m.text, m.language, m.sentiment, m.sentiment_score, m.themes, m.labels,
       m.state, m.assignee_id, COALESCE(u.email, ''), m.priority, m.post_id, m.publication_id, m.url, m.answered, m.hidden,
       m.created_at, m.received_at, m.updated_at
FROM inbox_messages m INDEXED BY inbox_messages_list LEFT JOIN users u ON u.id = m.assignee_id
WHERE m.workspace_id = ?1
  AND (?2 = '' OR m.state = ?2)
  AND (?3 = '' OR m.network = ?3)
  AND (?4 = 0 OR m.channel_id = ?4)
  AND (?5 = '' OR m.sentiment = ?5)
  AND (?6 = '' OR m.language = ?6)
  AND (?7 = '' OR m.themes LIKE '%,' || ?7 || ',%')
  AND (?8 = '' OR m.labels LIKE '%,' || ?8 || ',%')
  AND (?9 = 0 OR m.assignee_id = ?9)
  AND (?10 = 0 OR m.assignee_id = 0)
  AND (?11 = 0 OR m.answered = 0)
  AND (?12 = 0 OR m.received_at >= ?12)
  AND (?13 = 0 OR m.received_at < ?13)
  AND (?14 = 0 OR m.received_at < ?14 OR (m.received_at = ?14 AND m.id < ?15))
ORDER BY m.received_at DESC, m.id DESC
LIMIT ?16;

-- name: SearchMessages
-- The full-text index drives (newest stored first, stopping at the limit);
-- the filters apply to what it finds.
SELECT m.id, m.workspace_id, m.channel_id, m.network, m.remote_id, m.parent_remote_id, m.root_remote_id, m.kind,
       m.author_id, m.author_handle, m.author_name, m.text, m.language, m.sentiment, m.sentiment_score, m.themes, m.labels,
       m.state, m.assignee_id, COALESCE(u.email, ''), m.priority, m.post_id, m.publication_id, m.url, m.answered, m.hidden,
       m.created_at, m.received_at, m.updated_at
FROM inbox_messages_fts f CROSS JOIN inbox_messages m ON m.id = f.rowid LEFT JOIN users u ON u.id = m.assignee_id
WHERE inbox_messages_fts MATCH ?17
  AND m.workspace_id = ?1
  AND (?2 = '' OR m.state = ?2)
  AND (?3 = '' OR m.network = ?3)
  AND (?4 = 0 OR m.channel_id = ?4)
  AND (?5 = '' OR m.sentiment = ?5)
  AND (?6 = '' OR m.language = ?6)
  AND (?7 = '' OR m.themes LIKE '%,' || ?7 || ',%')
  AND (?8 = '' OR m.labels LIKE '%,' || ?8 || ',%')
  AND (?9 = 0 OR m.assignee_id = ?9)
  AND (?10 = 0 OR m.assignee_id = 0)
  AND (?11 = 0 OR m.answered = 0)
  AND (?12 = 0 OR m.received_at >= ?12)
  AND (?13 = 0 OR m.received_at < ?13)
  AND (?14 = 0 OR m.id < ?15)
ORDER BY f.rowid DESC
LIMIT ?16;

-- name: Conversation
SELECT m.id, m.workspace_id, m.channel_id, m.network, m.remote_id, m.parent_remote_id, m.root_remote_id, m.kind,
       m.author_id, m.author_handle, m.author_name, m.text, m.language, m.sentiment, m.sentiment_score, m.themes, m.labels,
       m.state, m.assignee_id, COALESCE(u.email, ''), m.priority, m.post_id, m.publication_id, m.url, m.answered, m.hidden,
       m.created_at, m.received_at, m.updated_at
FROM inbox_messages m LEFT JOIN users u ON u.id = m.assignee_id
WHERE m.workspace_id = ?1 AND (m.root_remote_id = ?2 OR m.remote_id = ?2)
ORDER BY m.created_at, m.id
LIMIT 500;

-- name: CountOpenMessages
SELECT count(*) FROM inbox_messages WHERE workspace_id = ? AND state = 'open';

-- name: UpdateMessages
UPDATE inbox_messages SET
    state = CASE WHEN ?3 = '' THEN state ELSE ?3 END,
    assignee_id = CASE WHEN ?4 = 1 THEN ?5 ELSE assignee_id END,
    priority = CASE WHEN ?6 = 1 THEN ?7 ELSE priority END,
    labels = replace(CASE WHEN ?8 = '' OR labels LIKE '%,' || ?8 || ',%' THEN labels
                          WHEN labels = '' THEN ',' || ?8 || ','
                          ELSE labels || ?8 || ',' END, ',' || ?9 || ',', ','),
    updated_at = ?10
WHERE workspace_id = ?1 AND id IN (SELECT value FROM json_each(?2));

-- name: SetMessageHidden
UPDATE inbox_messages SET hidden = 1, updated_at = ? WHERE workspace_id = ? AND id = ?;

-- name: AddNote
INSERT INTO inbox_notes (workspace_id, message_id, author_id, text, created_at)
SELECT ?1, m.id, ?3, ?4, ?5 FROM inbox_messages m WHERE m.workspace_id = ?1 AND m.id = ?2
RETURNING id;

-- name: Notes
SELECT n.id, n.workspace_id, n.message_id, n.author_id, COALESCE(u.email, ''), n.text, n.created_at
FROM inbox_notes n LEFT JOIN users u ON u.id = n.author_id
WHERE n.workspace_id = ? AND n.message_id = ? ORDER BY n.id;

-- name: AddModerationEntry
INSERT INTO inbox_moderation_log (workspace_id, message_id, user_id, action, reason, outcome, error, created_at)
SELECT ?1, m.id, ?3, ?4, ?5, ?6, ?7, ?8 FROM inbox_messages m WHERE m.workspace_id = ?1 AND m.id = ?2
RETURNING id;

-- name: ModerationLog
SELECT e.id, e.workspace_id, e.message_id, e.user_id, COALESCE(u.email, ''), e.action, e.reason, e.outcome, e.error, e.created_at
FROM inbox_moderation_log e LEFT JOIN users u ON u.id = e.user_id
WHERE e.workspace_id = ? AND e.message_id = ? ORDER BY e.id;

-- name: CreateReply
INSERT INTO inbox_replies (workspace_id, message_id, channel_id, author_id, text, idem_key, state, created_at)
SELECT ?1, m.id, m.channel_id, ?3, ?4, ?5, 'sending', ?6 FROM inbox_messages m WHERE m.workspace_id = ?1 AND m.id = ?2
RETURNING id, channel_id;

-- name: ReplyByKey
SELECT id, workspace_id, message_id, channel_id, author_id, text, idem_key, state, remote_id, url, error, created_at, sent_at
FROM inbox_replies WHERE workspace_id = ? AND idem_key = ?;

-- name: Replies
SELECT id, workspace_id, message_id, channel_id, author_id, text, idem_key, state, remote_id, url, error, created_at, sent_at
FROM inbox_replies WHERE workspace_id = ? AND message_id = ? ORDER BY id;

-- name: FinishReply
UPDATE inbox_replies SET state = ?3, remote_id = ?4, url = ?5, error = ?6, sent_at = ?7
WHERE workspace_id = ?1 AND id = ?2 AND state = 'sending';

-- name: MarkAnswered
UPDATE inbox_messages SET answered = 1, updated_at = ?3 WHERE workspace_id = ?1 AND id = ?2;

-- name: SendingReplies
SELECT id, workspace_id, message_id, channel_id, author_id, text, idem_key, state, remote_id, url, error, created_at, sent_at
FROM inbox_replies WHERE state = 'sending' AND created_at <= ? ORDER BY id LIMIT 100;

-- name: SaveView
INSERT INTO inbox_views (workspace_id, name, filter, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (workspace_id, name) DO UPDATE SET filter = excluded.filter
RETURNING id, created_at;

-- name: Views
SELECT id, workspace_id, name, filter, created_by, created_at FROM inbox_views WHERE workspace_id = ? ORDER BY name;

-- name: DeleteView
DELETE FROM inbox_views WHERE workspace_id = ? AND id = ?;

-- name: InboxCursor
SELECT cursor FROM inbox_cursors WHERE workspace_id = ? AND channel_id = ?;

-- name: SetInboxCursor
INSERT INTO inbox_cursors (channel_id, workspace_id, cursor, polled_at)
SELECT c.id, c.workspace_id, ?3, ?4 FROM channels c WHERE c.workspace_id = ?1 AND c.id = ?2
ON CONFLICT (channel_id) DO UPDATE SET cursor = excluded.cursor, polled_at = excluded.polled_at;

-- name: PublicationByRemoteID
SELECT id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, attempts, next_attempt_at, lease_owner, lease_until,
       claim, idem_key, done_parts, remote_id, url, error_class, error_message, hold_reason, created_at, updated_at, published_at
FROM publications WHERE workspace_id = ? AND channel_id = ? AND remote_id = ? AND remote_id <> '' LIMIT 1;

-- name: RecentPublications
SELECT id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, attempts, next_attempt_at, lease_owner, lease_until,
       claim, idem_key, done_parts, remote_id, url, error_class, error_message, hold_reason, created_at, updated_at, published_at
FROM publications WHERE workspace_id = ? AND channel_id = ? AND state = 'published' AND remote_id <> '' AND published_at >= ?
ORDER BY published_at DESC LIMIT ?;

-- name: AnalyzeInbox
ANALYZE inbox_messages;
