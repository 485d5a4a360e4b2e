-- The media library (PostgreSQL).

-- name: CreateMedia
INSERT INTO media (workspace_id, sha256, mime, kind, bytes, width, height, duration_ms, alt_text, filename, path, uploaded_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id;

-- name: Media
SELECT id, workspace_id, sha256, mime, kind, bytes, width, height, duration_ms, alt_text, filename, path, uploaded_by, created_at
FROM media WHERE workspace_id = $1 AND id = $2;

-- name: MediaBySHA
SELECT id, workspace_id, sha256, mime, kind, bytes, width, height, duration_ms, alt_text, filename, path, uploaded_by, created_at
FROM media WHERE workspace_id = $1 AND sha256 = $2;

-- name: MediaUnscoped
SELECT id, workspace_id, sha256, mime, kind, bytes, width, height, duration_ms, alt_text, filename, path, uploaded_by, created_at
FROM media WHERE id = $1;

-- name: ListMedia
SELECT id, workspace_id, sha256, mime, kind, bytes, width, height, duration_ms, alt_text, filename, path, uploaded_by, created_at
FROM media WHERE workspace_id = $1 AND ($2::text = '' OR kind = $2::text)
ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4;

-- name: UpdateMediaAlt
UPDATE media SET alt_text = $1 WHERE workspace_id = $2 AND id = $3;

-- name: DeleteMedia
DELETE FROM media WHERE workspace_id = $1 AND id = $2;
