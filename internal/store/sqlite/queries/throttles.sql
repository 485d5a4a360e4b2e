-- Channel throttles shared by every instance (SQLite): rate-limit holds and
-- the lock of the daily-cap check.

-- name: ThrottleChannel
-- A hold only ever grows: two instances reporting different resets keep the later one.
INSERT INTO channel_throttles (channel_id, held_until) VALUES (?1, ?2)
ON CONFLICT (channel_id) DO UPDATE SET held_until = max(channel_throttles.held_until, excluded.held_until);

-- name: ChannelThrottles
SELECT channel_id, held_until FROM channel_throttles
WHERE channel_id IN (SELECT value FROM json_each(?1)) AND held_until > ?2;

-- name: LockChannelThrottle
-- Takes the channel's row (the write transaction already serialises on SQLite).
INSERT INTO channel_throttles (channel_id) VALUES (?1)
ON CONFLICT (channel_id) DO UPDATE SET held_until = channel_throttles.held_until;

-- name: ChannelSecretsLocked
-- The write transaction (BEGIN IMMEDIATE) already holds the database's write lock.
SELECT secrets_enc FROM channels WHERE workspace_id = ?1 AND id = ?2;
