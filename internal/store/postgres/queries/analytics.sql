-- Metric snapshots and daily channel counts (analytics).

-- name: SaveMetricSnapshot
INSERT INTO metric_snapshots (publication_id, horizon_h, workspace_id, post_id, channel_id, network, published_at, taken_at,
    likes, reposts, replies, quotes, views, impressions, reach, clicks)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
ON CONFLICT (publication_id, horizon_h) DO UPDATE SET taken_at = excluded.taken_at,
    likes = excluded.likes, reposts = excluded.reposts, replies = excluded.replies, quotes = excluded.quotes,
    views = excluded.views, impressions = excluded.impressions, reach = excluded.reach, clicks = excluded.clicks;

-- name: SaveChannelDay
INSERT INTO channel_days (channel_id, day, workspace_id, network, followers, following, posts, taken_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (channel_id, day) DO UPDATE SET followers = excluded.followers, following = excluded.following,
    posts = excluded.posts, taken_at = excluded.taken_at;

-- name: MetricPublications
SELECT p.id, p.workspace_id, p.post_id, p.channel_id, p.network, p.remote_id, p.published_at,
       coalesce((SELECT max(s.horizon_h) FROM metric_snapshots s WHERE s.publication_id = p.id AND s.horizon_h > 0), -1)
  FROM publications p
 WHERE p.state = 'published' AND p.remote_id <> '' AND ($1::bigint = 0 OR p.workspace_id = $1)
   AND p.published_at >= $2 AND p.published_at <= $3
 ORDER BY p.published_at, p.id;

-- name: PostMetrics
SELECT publication_id, workspace_id, post_id, channel_id, network, remote_id, published_at, horizon_h, excerpt, url,
       taken_at, likes, reposts, replies, quotes, views, impressions, reach, clicks
  FROM publication_metrics
 WHERE workspace_id = $1 AND published_at >= $2 AND published_at < $3
 ORDER BY published_at, publication_id;

-- name: TrackPublications
INSERT INTO publication_metrics (workspace_id, published_at, publication_id, post_id, channel_id, network, remote_id, excerpt, url)
SELECT p.workspace_id, p.published_at, p.id, p.post_id, p.channel_id, p.network, p.remote_id,
       substr(CASE WHEN v.text <> '' THEN v.text ELSE po.text END, 1, 200), p.url
  FROM publications p JOIN variants v ON v.id = p.variant_id JOIN posts po ON po.id = p.post_id
 WHERE p.state = 'published' AND ($1::bigint = 0 OR p.workspace_id = $1) AND p.published_at >= $2 AND p.published_at <= $3
    AND ($4::bigint = 0 OR p.id = $4)
ON CONFLICT DO NOTHING;

-- name: SaveLatestMetrics
UPDATE publication_metrics SET taken_at = $2, horizon_h = GREATEST(horizon_h, $3),
       likes = $4, reposts = $5, replies = $6, quotes = $7, views = $8, impressions = $9, reach = $10, clicks = $11
 WHERE publication_id = $1 AND (taken_at IS NULL OR taken_at <= $2);

-- name: ChannelDays
SELECT channel_id, day, workspace_id, network, followers, following, posts, taken_at
  FROM channel_days
 WHERE workspace_id = $1 AND day >= $2 AND day < $3
 ORDER BY channel_id, day;

-- name: CreateGoal
INSERT INTO analytics_goals (workspace_id, channel_id, metric, start_value, target, starts_on, due_on, created_at)
SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE $2::bigint = 0 OR EXISTS (SELECT 1 FROM channels c WHERE c.id = $2 AND c.workspace_id = $1)
RETURNING id;

-- name: Goals
SELECT id, workspace_id, channel_id, metric, start_value, target, starts_on, due_on, created_at
  FROM analytics_goals WHERE workspace_id = $1 ORDER BY due_on, id;

-- name: DeleteGoal
DELETE FROM analytics_goals WHERE workspace_id = $1 AND id = $2;

-- name: PostRates
SELECT channel_id, network, published_at, likes, reposts, replies, quotes, impressions, reach
  FROM publication_metrics
 WHERE workspace_id = $1 AND published_at >= $2 AND published_at < $3
 ORDER BY published_at, publication_id;
