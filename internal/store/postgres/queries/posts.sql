-- Posts, labels, variants, publications and attempts (PostgreSQL).
-- Lists of ids and batches of rows travel as one jsonb parameter, so that a
-- batch of any size is one prepared statement and one round trip.

-- name: CreatePost
INSERT INTO posts (workspace_id, author_id, state, text, link, scheduled_at, timezone, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id;

-- name: AddPostLabel
INSERT INTO post_labels (post_id, key, value) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING;

-- name: DeletePostLabels
DELETE FROM post_labels WHERE post_id = $1;

-- name: PostLabels
SELECT post_id, key, value FROM post_labels
WHERE post_id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)::bigint)) ORDER BY key, value;

-- name: CreateVariant
INSERT INTO variants (post_id, workspace_id, channel_id, text, link, media, parts, first_comment, options, created_at, updated_at)
SELECT $1, $2, c.id, $4, $5, $6, $7, $8, $9, $10, $10 FROM channels c WHERE c.workspace_id = $2 AND c.id = $3
RETURNING id;

-- name: Post
SELECT id, workspace_id, author_id, state, text, link, scheduled_at, timezone, created_at, updated_at
FROM posts WHERE workspace_id = $1 AND id = $2;

-- name: Posts
SELECT id, workspace_id, author_id, state, text, link, scheduled_at, timezone, created_at, updated_at
FROM posts
WHERE workspace_id = $1
  AND (jsonb_array_length($2::jsonb) = 0 OR state IN (SELECT jsonb_array_elements_text($2::jsonb)))
  AND ($3::bigint = 0 OR scheduled_at >= $3)
  AND ($4::bigint = 0 OR scheduled_at < $4)
  AND ($5::text = '' OR EXISTS (SELECT 1 FROM post_labels l WHERE l.post_id = posts.id AND l.key = $5 AND l.value = $6))
  -- Keyset pagination: after the post ($9: unscheduled, $10: scheduled_at, $11: id) in the list's order.
  AND ($8::int = 0
       OR ($9::int = 0 AND (scheduled_at IS NULL OR scheduled_at > $10::bigint OR (scheduled_at = $10::bigint AND id > $11::bigint)))
       OR ($9::int = 1 AND scheduled_at IS NULL AND id > $11::bigint))
ORDER BY scheduled_at IS NULL, scheduled_at, id
LIMIT $7;

-- name: UpdatePost
UPDATE posts SET text = $1, link = $2, timezone = $3, updated_at = $4 WHERE workspace_id = $5 AND id = $6;

-- name: UnstagePost
UPDATE publications SET state = 'scheduled', claim = claim + 1, lease_owner = '', lease_until = NULL, updated_at = $1
WHERE variant_id IN (SELECT v.id FROM variants v WHERE v.post_id = $2) AND state = 'staged';

-- name: PlanPost
UPDATE posts SET scheduled_at = $1, timezone = $2, updated_at = $3
WHERE workspace_id = $4 AND id = $5 AND state IN ('draft', 'in_review', 'approved', 'cancelled', 'failed');

-- name: SetPostState
UPDATE posts SET state = $1, updated_at = $2 WHERE workspace_id = $3 AND id = $4
  AND state IN (SELECT jsonb_array_elements_text($5::jsonb));

-- name: PostState
SELECT state FROM posts WHERE workspace_id = $1 AND id = $2;

-- name: PostBusy
SELECT count(*) FROM publications WHERE variant_id IN (SELECT v.id FROM variants v WHERE v.post_id = $1) AND state = 'publishing';

-- name: DeletePost
DELETE FROM posts WHERE workspace_id = $1 AND id = $2;

-- name: Variants
SELECT id, post_id, workspace_id, channel_id, text, link, media, parts, first_comment, options, created_at, updated_at
FROM variants WHERE workspace_id = $1 AND post_id = $2 ORDER BY id;

-- name: UpsertVariant
INSERT INTO variants (post_id, workspace_id, channel_id, text, link, media, parts, first_comment, options, created_at, updated_at)
SELECT p.id, p.workspace_id, c.id, $4, $5, $6, $7, $8, $9, $10, $10
FROM posts p JOIN channels c ON c.workspace_id = p.workspace_id AND c.id = $3
WHERE p.workspace_id = $2 AND p.id = $1
ON CONFLICT (post_id, channel_id) DO UPDATE SET text = excluded.text, link = excluded.link, media = excluded.media,
    parts = excluded.parts, first_comment = excluded.first_comment, options = excluded.options, updated_at = excluded.updated_at
RETURNING id, created_at;

-- name: DeleteVariant
DELETE FROM variants WHERE workspace_id = $1 AND id = $2
  AND NOT EXISTS (SELECT 1 FROM publications p WHERE p.variant_id = variants.id AND p.state IN ('publishing', 'published'));

-- name: SchedulePostRows
UPDATE posts SET state = 'scheduled', scheduled_at = $1, timezone = $2, updated_at = $3
WHERE workspace_id = $4 AND id = ANY (ARRAY(SELECT jsonb_array_elements_text($5::jsonb)::bigint)) AND state NOT IN ('publishing', 'published')
RETURNING id;

-- name: ReschedulePublications
UPDATE publications SET state = 'scheduled', due_at = $1, next_attempt_at = $1, claim = claim + 1, lease_owner = '', lease_until = NULL,
    attempts = CASE WHEN state IN ('failed', 'cancelled') THEN 0 ELSE attempts END,
    error_class = '', error_message = '', updated_at = $2
WHERE workspace_id = $3 AND variant_id IN (SELECT v.id FROM variants v WHERE v.post_id = ANY (ARRAY(SELECT jsonb_array_elements_text($4::jsonb)::bigint)))
  AND state IN ('scheduled', 'staged', 'failed', 'cancelled');

-- name: InsertPublications
INSERT INTO publications (workspace_id, post_id, variant_id, channel_id, network, state, due_at, next_attempt_at, idem_key, hold_reason, created_at, updated_at)
SELECT v.workspace_id, v.post_id, v.id, v.channel_id, c.network, 'scheduled', $1, $1, replace(gen_random_uuid()::text, '-', ''),
       CASE WHEN c.status = 'needs_reconnect' THEN 'channel needs reconnect' ELSE '' END, $2, $2
FROM variants v JOIN channels c ON c.id = v.channel_id
WHERE v.workspace_id = $3 AND v.post_id = ANY (ARRAY(SELECT jsonb_array_elements_text($4::jsonb)::bigint))
  AND NOT EXISTS (SELECT 1 FROM publications p WHERE p.variant_id = v.id);

-- name: RefreshPostStates
-- A post's state follows from its publications, read in one index range per post.
UPDATE posts SET updated_at = $1, state = coalesce((
    SELECT CASE
        WHEN count(*) = 0 THEN NULL
        WHEN count(*) FILTER (WHERE x.state IN ('scheduled', 'staged', 'publishing')) > 0 THEN
            CASE WHEN count(*) FILTER (WHERE x.state = 'publishing' OR x.attempts > 0 OR x.state IN ('published', 'failed', 'needs_review')) > 0
                 THEN 'publishing' ELSE 'scheduled' END
        WHEN count(*) FILTER (WHERE x.state <> 'cancelled') = 0 THEN 'cancelled'
        WHEN count(*) FILTER (WHERE x.state NOT IN ('published', 'cancelled')) = 0 THEN 'published'
        WHEN count(*) FILTER (WHERE x.state = 'published') > 0 THEN 'partially_published'
        WHEN count(*) FILTER (WHERE x.state = 'needs_review') > 0 THEN 'needs_review'
        ELSE 'failed' END
    FROM variants v JOIN publications x ON x.variant_id = v.id WHERE v.post_id = posts.id), posts.state)
WHERE id = ANY (ARRAY(SELECT jsonb_array_elements_text($2::jsonb)::bigint)) AND state NOT IN ('draft', 'in_review', 'approved');

-- name: CancelPublications
UPDATE publications SET state = 'cancelled', claim = claim + 1, lease_owner = '', lease_until = NULL, updated_at = $1
WHERE workspace_id = $2 AND variant_id IN (SELECT v.id FROM variants v WHERE v.post_id = $3) AND state IN ('scheduled', 'staged');

-- name: CancelPostRow
UPDATE posts SET state = 'cancelled', updated_at = $1
WHERE workspace_id = $2 AND id = $3 AND NOT EXISTS (SELECT 1 FROM variants v JOIN publications x ON x.variant_id = v.id WHERE v.post_id = posts.id AND x.state <> 'cancelled');

-- name: CountInFlight
SELECT count(*) FROM publications WHERE variant_id IN (SELECT v.id FROM variants v WHERE v.post_id = $1) AND state = 'publishing';

-- name: RetryPublication
UPDATE publications SET state = 'scheduled', next_attempt_at = $1, attempts = 0, claim = claim + 1, error_class = '', error_message = '',
    lease_owner = '', lease_until = NULL, updated_at = $1
WHERE workspace_id = $2 AND id = $3 AND state IN ('failed', 'needs_review')
RETURNING post_id;

-- name: MarkPublicationPublished
UPDATE publications SET state = 'published', remote_id = $1, url = $2, published_at = $3, updated_at = $3, claim = claim + 1,
    error_class = '', error_message = ''
WHERE workspace_id = $4 AND id = $5 AND state = 'needs_review'
RETURNING post_id;

-- name: MarkPublicationDeleted
-- A publication taken down from its network by a person; remote_id and url stay for the record.
UPDATE publications SET state = 'deleted', claim = claim + 1, updated_at = $1
WHERE workspace_id = $2 AND id = $3 AND state = 'published'
RETURNING post_id;

-- name: PublicationState
SELECT state FROM publications WHERE workspace_id = $1 AND id = $2;

-- name: Publication
SELECT id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, attempts, next_attempt_at, lease_owner, lease_until,
       claim, idem_key, done_parts, remote_id, url, error_class, error_message, hold_reason, created_at, updated_at, published_at
FROM publications WHERE workspace_id = $1 AND id = $2;

-- name: Publications
SELECT id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, attempts, next_attempt_at, lease_owner, lease_until,
       claim, idem_key, done_parts, remote_id, url, error_class, error_message, hold_reason, created_at, updated_at, published_at
FROM publications WHERE workspace_id = $1 AND variant_id IN (SELECT v.id FROM variants v WHERE v.post_id = $2) ORDER BY id;

-- name: Attempts
SELECT id, publication_id, workspace_id, started_at, latency_ms, outcome, class, http_status, message, trace_id
FROM attempts WHERE workspace_id = $1 AND publication_id = $2 ORDER BY started_at, id;

-- name: ProblemPublications
SELECT * FROM (
    SELECT id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, attempts, next_attempt_at, lease_owner, lease_until,
           claim, idem_key, done_parts, remote_id, url, error_class, error_message, hold_reason, created_at, updated_at, published_at
    FROM publications WHERE workspace_id = $1 AND (state IN ('failed', 'needs_review') OR hold_reason <> '')
    UNION
    SELECT id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, attempts, next_attempt_at, lease_owner, lease_until,
           claim, idem_key, done_parts, remote_id, url, error_class, error_message, hold_reason, created_at, updated_at, published_at
    FROM publications WHERE state IN ('scheduled', 'staged') AND hold_reason = '' AND next_attempt_at < $2 AND workspace_id = $1
    UNION
    SELECT id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, attempts, next_attempt_at, lease_owner, lease_until,
           claim, idem_key, done_parts, remote_id, url, error_class, error_message, hold_reason, created_at, updated_at, published_at
    FROM publications WHERE state = 'publishing' AND next_attempt_at < $2 AND workspace_id = $1) AS problems
ORDER BY updated_at DESC, id DESC LIMIT $3;

-- name: HoldChannel
UPDATE publications SET hold_reason = $1, state = 'scheduled', claim = claim + 1, lease_owner = '', lease_until = NULL, updated_at = $2
WHERE workspace_id = $3 AND variant_id IN (SELECT v.id FROM variants v WHERE v.channel_id = $4) AND state IN ('scheduled', 'staged');

-- name: ReleaseChannel
UPDATE publications SET hold_reason = '', claim = claim + 1, updated_at = $1
WHERE workspace_id = $2 AND variant_id IN (SELECT v.id FROM variants v WHERE v.channel_id = $3) AND state = 'scheduled' AND hold_reason <> '';

-- name: ClaimDue
-- A staged row is taken over once its lease ran out and its owner's heartbeat
-- (the 'instance:<owner>' lease) stopped: one write per instance keeps many rows.
-- SKIP LOCKED lets instances claim disjoint batches without waiting on each other.
UPDATE publications SET state = 'staged', lease_owner = $1, lease_until = $2, claim = claim + 1, updated_at = $3
WHERE id IN (
    SELECT id FROM publications
    WHERE state IN ('scheduled', 'staged') AND hold_reason = '' AND next_attempt_at <= $4
      AND (state = 'scheduled' OR (lease_until < $3 AND NOT EXISTS (
          SELECT 1 FROM leases l WHERE l.name = 'instance:' || publications.lease_owner AND l.until >= $3)))
    ORDER BY next_attempt_at LIMIT $5
    FOR UPDATE SKIP LOCKED)
RETURNING id;

-- name: JobsByID
SELECT p.id, p.workspace_id, p.post_id, p.variant_id, p.channel_id, p.network, p.state, p.due_at, p.attempts, p.next_attempt_at,
       p.lease_owner, p.lease_until, p.claim, p.idem_key, p.done_parts, p.remote_id, p.url, p.error_class, p.error_message,
       p.hold_reason, p.created_at, p.updated_at, p.published_at,
       v.text, v.link, v.media, v.parts, v.first_comment, v.options, po.text, po.link
FROM publications p JOIN variants v ON v.id = p.variant_id JOIN posts po ON po.id = p.post_id
WHERE p.id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)::bigint)) ORDER BY p.next_attempt_at, p.id;

-- name: RenewLeases
UPDATE publications SET lease_until = $1 WHERE state = 'staged' AND lease_owner = $2;

-- name: MarkPublishing
UPDATE publications SET state = 'publishing', attempts = attempts + 1, lease_until = $1, updated_at = $2
WHERE id = ANY (ARRAY(SELECT jsonb_array_elements_text($3::jsonb)::bigint)) AND state = 'staged'
  AND (id::text || ':' || claim::text) IN (SELECT jsonb_array_elements_text($4::jsonb))
RETURNING id, post_id;

-- name: SaveResults
UPDATE publications p SET state = r.s, next_attempt_at = CASE WHEN r.n > 0 THEN r.n ELSE p.next_attempt_at END,
    remote_id = r.r, url = r.u, done_parts = r.d, error_class = r.ec, error_message = r.em, hold_reason = r.h,
    lease_owner = '', lease_until = NULL, claim = p.claim + 1, updated_at = $1,
    published_at = CASE WHEN r.s = 'published' THEN $1 ELSE p.published_at END
FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, c bigint, f text, s text, n bigint, r text, u text, d text, ec text, em text, h text)
WHERE p.id = ANY (ARRAY(SELECT (e->>'id')::bigint FROM jsonb_array_elements($2::jsonb) e)) AND p.id = r.id
  AND ((p.claim = r.c AND p.state = r.f)
       OR (r.s = 'published' AND p.state IN ('publishing', 'needs_review', 'scheduled', 'staged')))
RETURNING p.id, p.post_id;

-- name: InsertAttempts
INSERT INTO attempts (publication_id, workspace_id, started_at, latency_ms, outcome, class, http_status, message, trace_id)
SELECT r.p, r.w, r.t, r.l, r.o, r.k, r.st, r.m, r.tr
FROM jsonb_to_recordset($1::jsonb) AS r(p bigint, w bigint, t bigint, l bigint, o text, k text, st integer, m text, tr text);

-- name: ExpiredPublishing
SELECT id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, attempts, next_attempt_at, lease_owner, lease_until,
       claim, idem_key, done_parts, remote_id, url, error_class, error_message, hold_reason, created_at, updated_at, published_at
FROM publications WHERE state = 'publishing' AND lease_until < $1 ORDER BY lease_until LIMIT $2;

-- name: PublishedSince
SELECT channel_id, count(*) FROM publications
WHERE variant_id IN (SELECT v.id FROM variants v WHERE v.channel_id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)::bigint)))
  AND (state = 'publishing' OR (state = 'published' AND published_at >= $2))
GROUP BY channel_id;

-- name: TryLease
INSERT INTO leases (name, owner, until) VALUES ($1, $2, $3)
ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until
WHERE leases.owner = excluded.owner OR leases.until < $4
RETURNING owner;
