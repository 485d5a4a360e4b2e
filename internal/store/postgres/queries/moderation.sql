-- Moderation rules, saved replies and inbox settings (PostgreSQL).

-- name: InboxRules
SELECT id, workspace_id, name, position, enabled, stop_after_match, conditions, actions, created_at, updated_at
  FROM inbox_rules WHERE workspace_id = $1 ORDER BY position, id;

-- name: InboxRule
SELECT id, workspace_id, name, position, enabled, stop_after_match, conditions, actions, created_at, updated_at
  FROM inbox_rules WHERE workspace_id = $1 AND id = $2;

-- name: CreateInboxRule
INSERT INTO inbox_rules (workspace_id, name, position, enabled, stop_after_match, conditions, actions, created_at, updated_at)
SELECT $1::bigint, $2::text, COALESCE(MAX(position), 0) + 1, $3::boolean, $4::boolean, $5::text, $6::text, $7::bigint, $8::bigint
  FROM inbox_rules WHERE workspace_id = $9
RETURNING id, position;

-- name: UpdateInboxRule
UPDATE inbox_rules SET name = $1, enabled = $2, stop_after_match = $3, conditions = $4, actions = $5, updated_at = $6
 WHERE workspace_id = $7 AND id = $8;

-- name: DeleteInboxRule
DELETE FROM inbox_rules WHERE workspace_id = $1 AND id = $2;

-- name: SetInboxRulePosition
UPDATE inbox_rules SET position = $1, updated_at = $2 WHERE workspace_id = $3 AND id = $4;

-- name: SavedReplies
SELECT id, workspace_id, name, lang, body, created_at, updated_at
  FROM inbox_saved_replies WHERE workspace_id = $1 ORDER BY name, lang, id;

-- name: SavedReply
SELECT id, workspace_id, name, lang, body, created_at, updated_at
  FROM inbox_saved_replies WHERE workspace_id = $1 AND id = $2;

-- name: CreateSavedReply
INSERT INTO inbox_saved_replies (workspace_id, name, lang, body, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6) RETURNING id;

-- name: UpdateSavedReply
UPDATE inbox_saved_replies SET name = $1, lang = $2, body = $3, updated_at = $4 WHERE workspace_id = $5 AND id = $6;

-- name: DeleteSavedReply
DELETE FROM inbox_saved_replies WHERE workspace_id = $1 AND id = $2;

-- name: InboxSettings
SELECT workspace_id, sla_minutes, criticism_needs_person, crisis_alerted_at, updated_at
  FROM inbox_settings WHERE workspace_id = $1;

-- name: SaveInboxSettings
INSERT INTO inbox_settings (workspace_id, sla_minutes, criticism_needs_person, updated_at)
VALUES ($1, $2, $3, $4)
ON CONFLICT (workspace_id) DO UPDATE
   SET sla_minutes = excluded.sla_minutes, criticism_needs_person = excluded.criticism_needs_person, updated_at = excluded.updated_at;

-- name: ClaimCrisisAlert
INSERT INTO inbox_settings (workspace_id, crisis_alerted_at, updated_at)
VALUES ($1, $2, $3)
ON CONFLICT (workspace_id) DO UPDATE
   SET crisis_alerted_at = excluded.crisis_alerted_at
 WHERE inbox_settings.crisis_alerted_at IS NULL OR inbox_settings.crisis_alerted_at < excluded.crisis_alerted_at;
