-- name: CreateUser
INSERT INTO users (email, name, password_hash, is_admin, lang, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id;

-- name: UserByID
SELECT id, email, name, password_hash, is_admin, lang, created_at FROM users WHERE id = $1;

-- name: UserByEmail
SELECT id, email, name, password_hash, is_admin, lang, created_at FROM users WHERE email = $1;

-- name: CountUsers
SELECT count(*) FROM users;

-- name: UpdateUserPassword
UPDATE users SET password_hash = $1 WHERE id = $2;

-- name: UpdateUserLang
UPDATE users SET lang = $1 WHERE id = $2;

-- name: CreateWorkspace
INSERT INTO workspaces (name, slug, timezone, approval_required, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id;

-- name: WorkspaceByID
SELECT id, name, slug, timezone, approval_required, approval_for, self_approval, max_publish_attempts, created_at FROM workspaces WHERE id = $1;

-- name: WorkspaceBySlug
SELECT id, name, slug, timezone, approval_required, approval_for, self_approval, max_publish_attempts, created_at FROM workspaces WHERE slug = $1;

-- name: UpdateWorkspace
UPDATE workspaces SET name = $1, slug = $2, timezone = $3, approval_required = $4, max_publish_attempts = $5, approval_for = $6, self_approval = $7 WHERE id = $8;

-- name: WorkspacesOf
SELECT w.id, w.name, w.slug, w.timezone, w.approval_required, w.approval_for, w.self_approval, w.max_publish_attempts, w.created_at, m.role
FROM workspaces w JOIN members m ON m.workspace_id = w.id
WHERE m.user_id = $1 ORDER BY lower(w.name), w.id;

-- name: Members
SELECT m.workspace_id, m.user_id, u.email, u.name, m.role, m.created_at
FROM members m JOIN users u ON u.id = m.user_id
WHERE m.workspace_id = $1 ORDER BY u.email;

-- name: Membership
SELECT role FROM members WHERE workspace_id = $1 AND user_id = $2;

-- name: AddMember
INSERT INTO members (workspace_id, user_id, role, created_at) VALUES ($1, $2, $3, $4);

-- name: UpsertMember
INSERT INTO members (workspace_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (workspace_id, user_id) DO NOTHING;

-- name: UpdateMemberRole
UPDATE members SET role = $1 WHERE workspace_id = $2 AND user_id = $3;

-- name: RemoveMember
DELETE FROM members WHERE workspace_id = $1 AND user_id = $2;

-- name: CreateInvitation
INSERT INTO invitations (workspace_id, email, role, token_hash, created_by, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id;

-- name: InvitationByTokenHash
SELECT id, workspace_id, email, role, token_hash, created_by, created_at, expires_at, accepted_at
FROM invitations WHERE token_hash = $1;

-- name: Invitations
SELECT id, workspace_id, email, role, token_hash, created_by, created_at, expires_at, accepted_at
FROM invitations WHERE workspace_id = $1 AND accepted_at IS NULL ORDER BY created_at DESC, id DESC;

-- name: ClaimInvitation
UPDATE invitations SET accepted_at = $1 WHERE id = $2 AND accepted_at IS NULL AND expires_at > $3
RETURNING workspace_id, role;

-- name: DeleteInvitation
DELETE FROM invitations WHERE workspace_id = $1 AND id = $2;

-- name: DeleteExpiredInvitations
DELETE FROM invitations WHERE accepted_at IS NULL AND expires_at <= $1;

-- name: CreateSession
INSERT INTO sessions (id_hash, user_id, workspace_id, created_at, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7);

-- name: SessionByHash
SELECT id_hash, user_id, workspace_id, created_at, expires_at, ip, user_agent FROM sessions WHERE id_hash = $1;

-- name: SetSessionWorkspace
UPDATE sessions SET workspace_id = $1 WHERE id_hash = $2;

-- name: DeleteSession
DELETE FROM sessions WHERE id_hash = $1;

-- name: DeleteUserSessions
DELETE FROM sessions WHERE user_id = $1;

-- name: DeleteExpiredSessions
DELETE FROM sessions WHERE expires_at <= $1;

-- name: CreateToken
INSERT INTO api_tokens (workspace_id, user_id, name, prefix, token_hash, created_at, parent_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id;

-- name: TokenByHash
SELECT id, workspace_id, user_id, name, prefix, token_hash, created_at, last_used_at FROM api_tokens WHERE token_hash = $1;

-- name: Tokens
SELECT id, workspace_id, user_id, name, prefix, token_hash, created_at, last_used_at FROM api_tokens
WHERE workspace_id = $1 AND user_id = $2 ORDER BY created_at DESC, id DESC;

-- name: DeleteToken
DELETE FROM api_tokens WHERE workspace_id = $1 AND user_id = $2 AND id = $3;

-- name: TouchToken
UPDATE api_tokens SET last_used_at = $1 WHERE id = $2;

-- name: CreateNotification
INSERT INTO notifications (workspace_id, user_id, kind, message, args, link, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id;

-- name: Notifications
SELECT id, workspace_id, user_id, kind, message, args, link, created_at, read_at FROM notifications
WHERE workspace_id = $1 AND (user_id = 0 OR user_id = $2) ORDER BY created_at DESC, id DESC LIMIT $3;

-- name: MarkNotificationRead
UPDATE notifications SET read_at = $1 WHERE workspace_id = $2 AND id = $3;

-- name: CreateChannel
INSERT INTO channels (workspace_id, network, remote_id, handle, display_name, url, settings, secrets_enc, limits, status, status_reason, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id;

-- name: Channel
SELECT id, workspace_id, network, remote_id, handle, display_name, url, settings, secrets_enc, limits, status, status_reason, created_at, updated_at, checked_at
FROM channels WHERE workspace_id = $1 AND id = $2;

-- name: Channels
SELECT id, workspace_id, network, remote_id, handle, display_name, url, settings, secrets_enc, limits, status, status_reason, created_at, updated_at, checked_at
FROM channels WHERE workspace_id = $1 ORDER BY network, handle, id;

-- name: ChannelsByNetwork
SELECT id, workspace_id, network, remote_id, handle, display_name, url, settings, secrets_enc, limits, status, status_reason, created_at, updated_at, checked_at
FROM channels WHERE network = $1;

-- name: UpdateChannelSecrets
UPDATE channels SET secrets_enc = $1, updated_at = $2 WHERE workspace_id = $3 AND id = $4;

-- name: UpdateChannel
UPDATE channels SET handle = $1, display_name = $2, url = $3, settings = $4, secrets_enc = $5, limits = $6, status = $7, status_reason = $8, updated_at = $9
WHERE workspace_id = $10 AND id = $11;

-- name: SetChannelStatus
UPDATE channels SET status = $1, status_reason = $2, checked_at = $3 WHERE workspace_id = $4 AND id = $5;

-- name: ClaimChannelCheck
UPDATE channels SET checked_at = $1 WHERE workspace_id = $2 AND id = $3 AND (checked_at IS NULL OR checked_at <= $4);

-- name: DeleteChannel
DELETE FROM channels WHERE workspace_id = $1 AND id = $2;

-- name: ChannelByID
SELECT id, workspace_id, network, remote_id, handle, display_name, url, settings, secrets_enc, limits, status, status_reason, created_at, updated_at, checked_at
FROM channels WHERE id = $1;

-- name: ChannelByRemoteID
SELECT id, workspace_id, network, remote_id, handle, display_name, url, settings, secrets_enc, limits, status, status_reason, created_at, updated_at, checked_at
FROM channels WHERE network = $1 AND remote_id = $2 ORDER BY id LIMIT 1;
