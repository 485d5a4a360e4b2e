-- name: OperatorSettings
SELECT key, value, COALESCE(updated_by, 0), updated_at FROM operator_settings ORDER BY key;

-- name: SetOperatorSetting
INSERT INTO operator_settings (key, value, updated_by, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at;

-- name: DeleteOperatorSetting
DELETE FROM operator_settings WHERE key = ?;
