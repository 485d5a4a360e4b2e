-- Posts, labels, variants, publications and attempts (SQLite).
-- Lists of ids and batches of rows travel as one JSON parameter, so that a
-- batch of any size is one prepared statement and one round trip.

-- name: CreatePost
INSERT INTO posts (workspace_id, author_id, state, text, link, scheduled_at, timezone, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id;

-- name: AddPostLabel
INSERT INTO post_labels (post_id, key, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING;

-- name: DeletePostLabels
DELETE FROM post_labels WHERE post_id = ?;

-- name: PostLabels
SELECT post_id, key, value FROM post_labels WHERE post_id IN (SELECT value FROM json_each(?)) ORDER BY key, value;

-- name: CreateVariant
INSERT INTO variants (post_id, workspace_id, channel_id, text, link, media, parts, first_comment, options, created_at, updated_at)
SELECT ?1, ?2, c.id, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10 FROM channels c WHERE c.workspace_id = ?2 AND c.id = ?3
RETURNING id;

-- name: Post
SELECT id, workspace_id, author_id, state, text, link, scheduled_at, timezone, created_at, updated_at
FROM posts WHERE workspace_id = ? AND id = ?;

-- name: Posts
SELECT id, workspace_id, author_id, state, text, link, scheduled_at, timezone, created_at, updated_at
FROM posts
WHERE workspace_id = ?1
  AND (json_array_length(?2) = 0 OR state IN (SELECT value FROM json_each(?2)))
  AND (?3 = 0 OR scheduled_at >= ?3)
  AND (?4 = 0 OR scheduled_at < ?4)
  AND (?5 = '' OR EXISTS (SELECT 1 FROM post_labels l WHERE l.post_id = posts.id AND l.key = ?5 AND l.value = ?6))
  -- Keyset pagination: after the post (?9: unscheduled, ?10: scheduled_at, ?11: id) in the list's order.
  AND (?8 = 0
       OR (?9 = 0 AND (scheduled_at IS NULL OR scheduled_at > ?10 OR (scheduled_at = ?10 AND id > ?11)))
       OR (?9 = 1 AND scheduled_at IS NULL AND id > ?11))
ORDER BY scheduled_at IS NULL, scheduled_at, id
LIMIT ?7;

-- name: UpdatePost
UPDATE posts SET text = ?, link = ?, timezone = ?, updated_at = ? WHERE workspace_id = ? AND id = ?;

-- name: UnstagePost
UPDATE publications SET state = 'scheduled', claim = claim + 1, lease_owner = '', lease_until = NULL, updated_at = ?
WHERE variant_id IN (SELECT v.id FROM variants v WHERE v.post_id = ?) AND state = 'staged';

-- name: PlanPost
UPDATE posts SET scheduled_at = ?, timezone = ?, updated_at = ?
WHERE workspace_id = ? AND id = ? AND state IN ('draft', 'in_review', 'approved', 'cancelled', 'failed');

-- name: SetPostState
UPDATE posts SET state = ?, updated_at = ? WHERE workspace_id = ? AND id = ? AND state IN (SELECT value FROM json_each(?));

-- name: PostState
SELECT state FROM posts WHERE workspace_id = ? AND id = ?;

-- name: PostBusy
SELECT count(*) FROM publications WHERE variant_id IN (SELECT v.id FROM variants v WHERE v.post_id = ?) AND state = 'publishing';

-- name: DeletePost
DELETE FROM posts WHERE workspace_id = ? AND id = ?;

-- name: Variants
SELECT id, post_id, workspace_id, channel_id, text, link, media, parts, first_comment, options, created_at, updated_at
FROM variants WHERE workspace_id = ? AND post_id = ? ORDER BY id;

-- name: UpsertVariant
INSERT INTO variants (post_id, workspace_id, channel_id, text, link, media, parts, first_comment, options, created_at, updated_at)
SELECT p.id, p.workspace_id, c.id, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10
FROM posts p JOIN channels c ON c.workspace_id = p.workspace_id AND c.id = ?3
WHERE p.workspace_id = ?2 AND p.id = ?1
ON CONFLICT (post_id, channel_id) DO UPDATE SET text = excluded.text, link = excluded.link, media = excluded.media,
    parts = excluded.parts, first_comment = excluded.first_comment, options = excluded.options, updated_at = excluded.updated_at
RETURNING id, created_at;

-- name: DeleteVariant
DELETE FROM variants WHERE workspace_id = ? AND id = ?
  AND NOT EXISTS (SELECT 1 FROM publications p WHERE p.variant_id = variants.id AND p.state IN ('publishing', 'published'));

-- name: SchedulePostRows
UPDATE posts SET state = 'scheduled', scheduled_at = ?1, timezone = ?2, updated_at = ?3
WHERE workspace_id = ?4 AND id IN (SELECT value FROM json_each(?5)) AND state NOT IN ('publishing', 'published')
RETURNING id;

-- name: ReschedulePublications
UPDATE publications SET state = 'scheduled', queued = 1, due_at = ?1, next_attempt_at = ?1, claim = claim + 1, lease_owner = '', lease_until = NULL,
    attempts = CASE WHEN state IN ('failed', 'cancelled') THEN 0 ELSE attempts END,
    error_class = '', error_message = '', updated_at = ?2
WHERE workspace_id = ?3 AND variant_id IN (SELECT v.id FROM variants v WHERE v.post_id IN (SELECT value FROM json_each(?4)))
  AND state IN ('scheduled', 'staged', 'failed', 'cancelled');

-- name: InsertPublications
INSERT INTO publications (workspace_id, post_id, variant_id, channel_id, network, state, queued, due_at, next_attempt_at, idem_key, hold_reason, created_at, updated_at)
SELECT v.workspace_id, v.post_id, v.id, v.channel_id, c.network, 'scheduled', 1, ?1, ?1, lower(hex(randomblob(16))),
       CASE WHEN c.status = 'needs_reconnect' THEN 'channel needs reconnect' ELSE '' END, ?2, ?2
FROM variants v JOIN channels c ON c.id = v.channel_id
WHERE v.workspace_id = ?3 AND v.post_id IN (SELECT value FROM json_each(?4))
  AND NOT EXISTS (SELECT 1 FROM publications p WHERE p.variant_id = v.id);

-- name: RefreshPostStates
-- A post's state follows from its publications, read in one index range per post.
UPDATE posts SET updated_at = ?1, state = coalesce((
    SELECT CASE
        WHEN count(*) = 0 THEN NULL
        WHEN sum(x.state IN ('scheduled', 'staged', 'publishing')) > 0 THEN
            CASE WHEN sum(x.state = 'publishing' OR x.attempts > 0 OR x.state IN ('published', 'failed', 'needs_review')) > 0
                 THEN 'publishing' ELSE 'scheduled' END
        WHEN sum(x.state <> 'cancelled') = 0 THEN 'cancelled'
        WHEN sum(x.state NOT IN ('published', 'cancelled')) = 0 THEN 'published'
        WHEN sum(x.state = 'published') > 0 THEN 'partially_published'
        WHEN sum(x.state = 'needs_review') > 0 THEN 'needs_review'
        ELSE 'failed' END
    FROM variants v JOIN publications x ON x.variant_id = v.id WHERE v.post_id = posts.id), posts.state)
WHERE id IN (SELECT value FROM json_each(?2)) AND state NOT IN ('draft', 'in_review', 'approved');

-- name: CancelPublications
UPDATE publications SET state = 'cancelled', queued = 0, claim = claim + 1, lease_owner = '', lease_until = NULL, updated_at = ?
WHERE workspace_id = ? AND variant_id IN (SELECT v.id FROM variants v WHERE v.post_id = ?) AND state IN ('scheduled', 'staged');

-- name: CancelPostRow
UPDATE posts SET state = 'cancelled', updated_at = ?1
WHERE workspace_id = ?2 AND id = ?3 AND NOT EXISTS (SELECT 1 FROM variants v JOIN publications x ON x.variant_id = v.id WHERE v.post_id = posts.id AND x.state <> 'cancelled');

-- name: CountInFlight
SELECT count(*) FROM publications WHERE variant_id IN (SELECT v.id FROM variants v WHERE v.post_id = ?) AND state = 'publishing';

-- name: RetryPublication
UPDATE publications SET state = 'scheduled', queued = 1, next_attempt_at = ?1, attempts = 0, claim = claim + 1, error_class = '', error_message = '',
    lease_owner = '', lease_until = NULL, updated_at = ?1
WHERE workspace_id = ?2 AND id = ?3 AND state IN ('failed', 'needs_review')
RETURNING post_id;

-- name: MarkPublicationPublished
UPDATE publications SET state = 'published', remote_id = ?1, url = ?2, published_at = ?3, updated_at = ?3, claim = claim + 1,
    error_class = '', error_message = ''
WHERE workspace_id = ?4 AND id = ?5 AND state = 'needs_review'
RETURNING post_id;

-- name: MarkPublicationDeleted
-- A publication taken down from its network by a person; remote_id and url stay for the record.
UPDATE publications SET state = 'deleted', claim = claim + 1, updated_at = ?1
WHERE workspace_id = ?2 AND id = ?3 AND state = 'published'
RETURNING post_id;

-- name: PublicationState
SELECT state FROM publications WHERE workspace_id = ? AND id = ?;

-- name: Publication
SELECT id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, attempts, next_attempt_at, lease_owner, lease_until,
       claim, idem_key, done_parts, remote_id, url, error_class, error_message, hold_reason, created_at, updated_at, published_at
FROM publications WHERE workspace_id = ? AND id = ?;

-- name: Publications
SELECT id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, attempts, next_attempt_at, lease_owner, lease_until,
       claim, idem_key, done_parts, remote_id, url, error_class, error_message, hold_reason, created_at, updated_at, published_at
FROM publications WHERE workspace_id = ? AND variant_id IN (SELECT v.id FROM variants v WHERE v.post_id = ?) ORDER BY id;

-- name: Attempts
SELECT id, publication_id, workspace_id, started_at, latency_ms, outcome, class, http_status, message, trace_id
FROM attempts WHERE workspace_id = ? AND publication_id = ? ORDER BY started_at, id;

-- name: ProblemPublications
SELECT * FROM (
    SELECT id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, attempts, next_attempt_at, lease_owner, lease_until,
           claim, idem_key, done_parts, remote_id, url, error_class, error_message, hold_reason, created_at, updated_at, published_at
    FROM publications WHERE workspace_id = ?1 AND (state IN ('failed', 'needs_review') OR hold_reason <> '')
    UNION
    SELECT id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, attempts, next_attempt_at, lease_owner, lease_until,
           claim, idem_key, done_parts, remote_id, url, error_class, error_message, hold_reason, created_at, updated_at, published_at
    FROM publications WHERE queued = 1 AND hold_reason = '' AND state IN ('scheduled', 'staged') AND next_attempt_at < ?2 AND workspace_id = ?1
    UNION
    SELECT id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, attempts, next_attempt_at, lease_owner, lease_until,
           claim, idem_key, done_parts, remote_id, url, error_class, error_message, hold_reason, created_at, updated_at, published_at
    FROM publications WHERE queued = 1 AND hold_reason = '' AND state = 'publishing' AND next_attempt_at < ?2 AND workspace_id = ?1)
ORDER BY updated_at DESC, id DESC LIMIT ?3;

-- name: HoldChannel
UPDATE publications SET hold_reason = ?1, state = 'scheduled', claim = claim + 1, lease_owner = '', lease_until = NULL, updated_at = ?2
WHERE workspace_id = ?3 AND variant_id IN (SELECT v.id FROM variants v WHERE v.channel_id = ?4) AND state IN ('scheduled', 'staged');

-- name: ReleaseChannel
UPDATE publications SET hold_reason = '', claim = claim + 1, updated_at = ?1
WHERE workspace_id = ?2 AND variant_id IN (SELECT v.id FROM variants v WHERE v.channel_id = ?3) AND state = 'scheduled' AND hold_reason <> '';

-- name: ClaimDue
-- A staged row is taken over once its lease ran out and its owner's heartbeat
-- (the 'instance:<owner>' lease) stopped: one write per instance keeps many rows.
UPDATE publications SET state = 'staged', lease_owner = ?1, lease_until = ?2, claim = claim + 1, updated_at = ?3
WHERE id IN (
    SELECT id FROM publications
    WHERE queued = 1 AND hold_reason = '' AND state IN ('scheduled', 'staged') AND next_attempt_at <= ?4
      AND (state = 'scheduled' OR (lease_until < ?3 AND NOT EXISTS (
          SELECT 1 FROM leases l WHERE l.name = 'instance:' || publications.lease_owner AND l.until >= ?3)))
    ORDER BY next_attempt_at LIMIT ?5)
RETURNING id;

-- name: JobsByID
SELECT p.id, p.workspace_id, p.post_id, p.variant_id, p.channel_id, p.network, p.state, p.due_at, p.attempts, p.next_attempt_at,
       p.lease_owner, p.lease_until, p.claim, p.idem_key, p.done_parts, p.remote_id, p.url, p.error_class, p.error_message,
       p.hold_reason, p.created_at, p.updated_at, p.published_at,
       v.text, v.link, v.media, v.parts, v.first_comment, v.options, po.text, po.link
FROM publications p JOIN variants v ON v.id = p.variant_id JOIN posts po ON po.id = p.post_id
WHERE p.id IN (SELECT value FROM json_each(?)) ORDER BY p.next_attempt_at, p.id;

-- name: RenewLeases
UPDATE publications SET lease_until = ? WHERE state = 'staged' AND lease_owner = ?;

-- name: MarkPublishing
-- The id list probes the primary key; the "id:claim" list is materialised once
-- by SQLite, so a batch costs O(n log n) (a join on json_each would be O(n²)).
-- queued stays 1 and no column an index names changes: SQLite writes the row
-- alone (migration 36).
UPDATE publications SET state = 'publishing', attempts = attempts + 1, lease_until = ?1, updated_at = ?2
WHERE id IN (SELECT value FROM json_each(?3)) AND state = 'staged'
  AND (id || ':' || claim) IN (SELECT value FROM json_each(?4))
RETURNING id, post_id;

-- name: SaveResultRow
-- SQLite runs in process: one prepared statement per row inside the batch's
-- transaction is cheaper than any join on json_each.
UPDATE publications SET state = ?1, queued = (?1 = 'scheduled' OR ?1 = 'staged' OR ?1 = 'publishing'),
    next_attempt_at = CASE WHEN ?2 > 0 THEN ?2 ELSE next_attempt_at END,
    remote_id = ?3, url = ?4, done_parts = ?5, error_class = ?6, error_message = ?7, hold_reason = ?8,
    lease_owner = '', lease_until = NULL, claim = claim + 1, updated_at = ?9,
    published_at = CASE WHEN ?1 = 'published' THEN ?9 ELSE published_at END
WHERE id = ?10 AND ((claim = ?11 AND state = ?12) OR (?1 = 'published' AND state IN ('publishing', 'needs_review', 'scheduled', 'staged')))
RETURNING id, post_id;

-- name: InsertAttempts
-- Each object is read as JSONB once (the materialised r), not turned into
-- text and parsed again for every field.
WITH r(v) AS MATERIALIZED (SELECT value FROM json_each(jsonb(?1)))
INSERT INTO attempts (publication_id, workspace_id, started_at, latency_ms, outcome, class, http_status, message, trace_id)
SELECT r.v ->> '$.p', r.v ->> '$.w', r.v ->> '$.t', r.v ->> '$.l', r.v ->> '$.o', r.v ->> '$.k', r.v ->> '$.st', r.v ->> '$.m',
       r.v ->> '$.tr'
FROM r;

-- name: ExpiredPublishing
SELECT id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, attempts, next_attempt_at, lease_owner, lease_until,
       claim, idem_key, done_parts, remote_id, url, error_class, error_message, hold_reason, created_at, updated_at, published_at
FROM publications
-- Through the queue index: a row was due (next_attempt_at passed) before it was
-- marked, and its lease ends after the mark.
WHERE queued = 1 AND hold_reason = '' AND next_attempt_at < ?1 AND state = 'publishing' AND lease_until < ?1
ORDER BY lease_until LIMIT ?2;

-- name: PublishedSince
SELECT channel_id, count(*) FROM publications
WHERE variant_id IN (SELECT v.id FROM variants v WHERE v.channel_id IN (SELECT value FROM json_each(?1))) AND (state = 'publishing' OR (state = 'published' AND published_at >= ?2))
GROUP BY channel_id;

-- name: TryLease
INSERT INTO leases (name, owner, until) VALUES (?1, ?2, ?3)
ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until
WHERE leases.owner = excluded.owner OR leases.until < ?4
RETURNING owner;
