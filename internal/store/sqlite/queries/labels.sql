-- Label suggestions (SQLite).

-- name: WorkspaceLabels
SELECT l.key, l.value, COUNT(*) AS posts
  FROM post_labels l JOIN posts p ON p.id = l.post_id
 WHERE p.workspace_id = ?
 GROUP BY l.key, l.value
 ORDER BY l.key, posts DESC, l.value
 LIMIT ?;
