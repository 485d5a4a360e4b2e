-- What rules, response-time reports and the crisis warning read of the inbox (PostgreSQL).

-- name: InboxWorkspaces
SELECT w.id FROM workspaces w
WHERE EXISTS (SELECT 1 FROM inbox_messages m WHERE m.workspace_id = w.id AND m.received_at >= $1)
ORDER BY w.id;

-- name: HourlyMessageCounts
-- received_at is in milliseconds: an hour is 3,600,000 of them.
SELECT m.received_at / 3600000 AS hour, count(*)
FROM inbox_messages m
WHERE m.workspace_id = $1 AND ($2::text = '' OR m.sentiment = $2) AND m.received_at >= $3 AND m.received_at < $4
GROUP BY hour ORDER BY hour;

-- name: ResponseRecords
SELECT m.id, m.channel_id, m.received_at,
       (SELECT min(r.sent_at) FROM inbox_replies r WHERE r.message_id = m.id AND r.state = 'sent'),
       COALESCE((SELECT r.author_id FROM inbox_replies r WHERE r.message_id = m.id AND r.state = 'sent' ORDER BY r.sent_at, r.id LIMIT 1), 0)
FROM inbox_messages m
WHERE m.workspace_id = $1 AND m.received_at >= $2 AND m.received_at < $3
ORDER BY m.received_at, m.id;

-- name: AuthorWroteBefore
SELECT EXISTS (SELECT 1 FROM inbox_messages m
               WHERE m.workspace_id = $1 AND m.network = $2 AND m.author_handle = $3 AND m.id < $4);

-- name: UnansweredCriticism
-- The predicate repeats the partial index's (migration 00031) so it is used.
SELECT m.id, m.workspace_id, m.channel_id, m.network, m.remote_id, m.parent_remote_id, m.root_remote_id, m.kind,
       m.author_id, m.author_handle, m.author_name, m.text, m.language, m.sentiment, m.sentiment_score, m.themes, m.labels,
       m.state, m.assignee_id, COALESCE(u.email, ''), m.priority, m.post_id, m.publication_id, m.url, m.answered, m.hidden,
       m.created_at, m.received_at, m.updated_at
FROM inbox_messages m LEFT JOIN users u ON u.id = m.assignee_id
WHERE m.workspace_id = $1 AND m.sentiment = 'negative' AND m.answered = 0
  AND ($2::bigint = 0 OR m.channel_id = $2)
  AND m.received_at >= $3
ORDER BY m.received_at, m.id
LIMIT $4;

-- name: UnansweredCriticismCounts
SELECT m.channel_id, count(*), min(m.received_at)
FROM inbox_messages m
WHERE m.workspace_id = $1 AND m.sentiment = 'negative' AND m.answered = 0 AND m.received_at >= $2
GROUP BY m.channel_id
ORDER BY min(m.received_at), m.channel_id;

-- name: MessageByRemoteID
SELECT m.id, m.workspace_id, m.channel_id, m.network, m.remote_id, m.parent_remote_id, m.root_remote_id, m.kind,
       m.author_id, m.author_handle, m.author_name, m.text, m.language, m.sentiment, m.sentiment_score, m.themes, m.labels,
       m.state, m.assignee_id, COALESCE(u.email, ''), m.priority, m.post_id, m.publication_id, m.url, m.answered, m.hidden,
       m.created_at, m.received_at, m.updated_at
FROM inbox_messages m LEFT JOIN users u ON u.id = m.assignee_id
WHERE m.workspace_id = $1 AND m.channel_id = $2 AND m.remote_id = $3;
