-- Channel throttles shared by every instance (PostgreSQL): rate-limit holds
-- and the lock of the daily-cap check.

-- name: ThrottleChannel
-- A hold only ever grows: two instances reporting different resets keep the later one.
INSERT INTO channel_throttles (channel_id, held_until) VALUES ($1, $2)
ON CONFLICT (channel_id) DO UPDATE SET held_until = greatest(channel_throttles.held_until, excluded.held_until);

-- name: ChannelThrottles
SELECT channel_id, held_until FROM channel_throttles
WHERE channel_id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)::bigint)) AND held_until > $2;

-- name: LockChannelThrottle
-- The upsert locks the channel's row until the transaction ends: instances
-- checking the same channel's cap take turns.
INSERT INTO channel_throttles (channel_id) VALUES ($1)
ON CONFLICT (channel_id) DO UPDATE SET held_until = channel_throttles.held_until;

-- name: ChannelSecretsLocked
-- The row stays locked until the transaction ends: a second refresher waits, then reads the new tokens.
SELECT secrets_enc FROM channels WHERE workspace_id = $1 AND id = $2 FOR UPDATE;
