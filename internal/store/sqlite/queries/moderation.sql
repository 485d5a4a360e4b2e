-- Moderation rules, saved replies and inbox settings (SQLite).

-- name: InboxRules
SELECT id, workspace_id, name, position, enabled, stop_after_match, conditions, actions, created_at, updated_at
  FROM inbox_rules WHERE workspace_id = ? ORDER BY position, id;

-- name: InboxRule
SELECT id, workspace_id, name, position, enabled, stop_after_match, conditions, actions, created_at, updated_at
  FROM inbox_rules WHERE workspace_id = ? AND id = ?;

-- name: CreateInboxRule
INSERT INTO inbox_rules (workspace_id, name, position, enabled, stop_after_match, conditions, actions, created_at, updated_at)
SELECT ?, ?, COALESCE(MAX(position), 0) + 1, ?, ?, ?, ?, ?, ?
  FROM inbox_rules WHERE workspace_id = ?
RETURNING id, position;

-- name: UpdateInboxRule
UPDATE inbox_rules SET name = ?, enabled = ?, stop_after_match = ?, conditions = ?, actions = ?, updated_at = ?
 WHERE workspace_id = ? AND id = ?;

-- name: DeleteInboxRule
DELETE FROM inbox_rules WHERE workspace_id = ? AND id = ?;

-- name: SetInboxRulePosition
UPDATE inbox_rules SET position = ?, updated_at = ? WHERE workspace_id = ? AND id = ?;

-- name: SavedReplies
SELECT id, workspace_id, name, lang, body, created_at, updated_at
  FROM inbox_saved_replies WHERE workspace_id = ? ORDER BY name, lang, id;

-- name: SavedReply
SELECT id, workspace_id, name, lang, body, created_at, updated_at
  FROM inbox_saved_replies WHERE workspace_id = ? AND id = ?;

-- name: CreateSavedReply
INSERT INTO inbox_saved_replies (workspace_id, name, lang, body, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?) RETURNING id;

-- name: UpdateSavedReply
UPDATE inbox_saved_replies SET name = ?, lang = ?, body = ?, updated_at = ? WHERE workspace_id = ? AND id = ?;

-- name: DeleteSavedReply
DELETE FROM inbox_saved_replies WHERE workspace_id = ? AND id = ?;

-- name: InboxSettings
SELECT workspace_id, sla_minutes, criticism_needs_person, crisis_alerted_at, updated_at
  FROM inbox_settings WHERE workspace_id = ?;

-- name: SaveInboxSettings
INSERT INTO inbox_settings (workspace_id, sla_minutes, criticism_needs_person, updated_at)
VALUES (?, ?, ?, ?)
ON CONFLICT (workspace_id) DO UPDATE
   SET sla_minutes = excluded.sla_minutes, criticism_needs_person = excluded.criticism_needs_person, updated_at = excluded.updated_at;

-- name: ClaimCrisisAlert
INSERT INTO inbox_settings (workspace_id, crisis_alerted_at, updated_at)
VALUES (?, ?, ?)
ON CONFLICT (workspace_id) DO UPDATE
   SET crisis_alerted_at = excluded.crisis_alerted_at
 WHERE inbox_settings.crisis_alerted_at IS NULL OR inbox_settings.crisis_alerted_at < excluded.crisis_alerted_at;
