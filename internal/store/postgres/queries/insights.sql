-- Daily channel insights (PostgreSQL).

-- name: SaveChannelInsight
-- Only for a channel of the workspace: no row is written otherwise.
INSERT INTO channel_insights (workspace_id, channel_id, day, metric, value, taken_at)
SELECT workspace_id, id, $3, $4, $5, $6 FROM channels WHERE workspace_id = $1 AND id = $2
ON CONFLICT (channel_id, day, metric) DO UPDATE SET value = excluded.value, taken_at = excluded.taken_at;

-- name: ChannelInsights
-- A channel's insights of days in [from, to), by day and metric (0: every channel of the workspace).
SELECT channel_id, day, metric, value, taken_at FROM channel_insights
WHERE workspace_id = $1 AND ($2 = 0 OR channel_id = $2) AND day >= $3 AND day < $4
ORDER BY channel_id, day, metric;
