-- What rules, response-time reports and the crisis warning read of the inbox (SQLite).

-- name: InboxWorkspaces
SELECT w.id FROM workspaces w
WHERE EXISTS (SELECT 1 FROM inbox_messages m WHERE m.workspace_id = w.id AND m.received_at >= ?1)
ORDER BY w.id;

-- name: HourlyMessageCounts
-- received_at is in milliseconds: an hour is 3,600,000 of them.
SELECT m.received_at / 3600000 AS hour, count(*)
FROM inbox_messages m INDEXED BY inbox_messages_list
WHERE m.workspace_id = ?1 AND (?2 = '' OR m.sentiment = ?2) AND m.received_at >= ?3 AND m.received_at < ?4
GROUP BY hour ORDER BY hour;

-- name: ResponseRecords
SELECT m.id, m.channel_id, m.received_at,
       (SELECT min(r.sent_at) FROM inbox_replies r WHERE r.message_id = m.id AND r.state = 'sent'),
       COALESCE((SELECT r.author_id FROM inbox_replies r WHERE r.message_id = m.id AND r.state = 'sent' ORDER BY r.sent_at, r.id LIMIT 1), 0)
FROM inbox_messages m INDEXED BY inbox_messages_list
WHERE m.workspace_id = ?1 AND m.received_at >= ?2 AND m.received_at < ?3
ORDER BY m.received_at, m.id;

-- name: AuthorWroteBefore
SELECT EXISTS (SELECT 1 FROM inbox_messages m
               WHERE m.workspace_id = ?1 AND m.network = ?2 AND m.author_handle = ?3 AND m.id < ?4);
