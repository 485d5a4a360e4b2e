-- name: CreateHook
INSERT INTO hooks (workspace_id, url, description, events, secret_enc, enabled, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id;

-- name: Hook
SELECT id, workspace_id, url, description, events, secret_enc, enabled, last_status, last_at, last_error, created_by, created_at
FROM hooks WHERE workspace_id = $1 AND id = $2;

-- name: Hooks
SELECT id, workspace_id, url, description, events, secret_enc, enabled, last_status, last_at, last_error, created_by, created_at
FROM hooks WHERE workspace_id = $1 ORDER BY id;

-- name: SetHookSecret
UPDATE hooks SET secret_enc = $1 WHERE workspace_id = $2 AND id = $3;

-- name: SetHookEnabled
UPDATE hooks SET enabled = $1 WHERE workspace_id = $2 AND id = $3;

-- name: RecordHookDelivery
UPDATE hooks SET last_status = $1, last_at = $2, last_error = $3 WHERE workspace_id = $4 AND id = $5;

-- name: DeleteHook
DELETE FROM hooks WHERE workspace_id = $1 AND id = $2;
