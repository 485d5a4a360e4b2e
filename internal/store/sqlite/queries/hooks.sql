-- name: CreateHook
INSERT INTO hooks (workspace_id, url, description, events, secret_enc, enabled, created_by, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id;

-- name: Hook
SELECT id, workspace_id, url, description, events, secret_enc, enabled, last_status, last_at, last_error, created_by, created_at
FROM hooks WHERE workspace_id = ? AND id = ?;

-- name: Hooks
SELECT id, workspace_id, url, description, events, secret_enc, enabled, last_status, last_at, last_error, created_by, created_at
FROM hooks WHERE workspace_id = ? ORDER BY id;

-- name: SetHookSecret
UPDATE hooks SET secret_enc = ? WHERE workspace_id = ? AND id = ?;

-- name: SetHookEnabled
UPDATE hooks SET enabled = ? WHERE workspace_id = ? AND id = ?;

-- name: RecordHookDelivery
UPDATE hooks SET last_status = ?, last_at = ?, last_error = ? WHERE workspace_id = ? AND id = ?;

-- name: DeleteHook
DELETE FROM hooks WHERE workspace_id = ? AND id = ?;
