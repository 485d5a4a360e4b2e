-- The media library (SQLite).

-- name: CreateMedia
INSERT INTO media (workspace_id, sha256, mime, kind, bytes, width, height, duration_ms, alt_text, filename, path, uploaded_by, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id;

-- name: Media
SELECT id, workspace_id, sha256, mime, kind, bytes, width, height, duration_ms, alt_text, filename, path, uploaded_by, created_at
FROM media WHERE workspace_id = ? AND id = ?;

-- name: MediaBySHA
SELECT id, workspace_id, sha256, mime, kind, bytes, width, height, duration_ms, alt_text, filename, path, uploaded_by, created_at
FROM media WHERE workspace_id = ? AND sha256 = ?;

-- name: MediaUnscoped
SELECT id, workspace_id, sha256, mime, kind, bytes, width, height, duration_ms, alt_text, filename, path, uploaded_by, created_at
FROM media WHERE id = ?;

-- name: ListMedia
SELECT id, workspace_id, sha256, mime, kind, bytes, width, height, duration_ms, alt_text, filename, path, uploaded_by, created_at
FROM media WHERE workspace_id = ?1 AND (?2 = '' OR kind = ?2)
ORDER BY created_at DESC, id DESC LIMIT ?3 OFFSET ?4;

-- name: UpdateMediaAlt
UPDATE media SET alt_text = ? WHERE workspace_id = ? AND id = ?;

-- name: DeleteMedia
DELETE FROM media WHERE workspace_id = ? AND id = ?;
