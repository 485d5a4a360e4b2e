-- name: CreateUser
INSERT INTO users (email, name, password_hash, is_admin, lang, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id;

-- name: UserByID
SELECT id, email, name, password_hash, is_admin, lang, created_at FROM users WHERE id = ?;

-- name: UserByEmail
SELECT id, email, name, password_hash, is_admin, lang, created_at FROM users WHERE email = ?;

-- name: CountUsers
SELECT count(*) FROM users;

-- name: UpdateUserPassword
UPDATE users SET password_hash = ? WHERE id = ?;

-- name: UpdateUserLang
UPDATE users SET lang = ? WHERE id = ?;

-- name: CreateWorkspace
INSERT INTO workspaces (name, slug, timezone, approval_required, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id;

-- name: WorkspaceByID
SELECT id, name, slug, timezone, approval_required, approval_for, self_approval, max_publish_attempts, created_at FROM workspaces WHERE id = ?;

-- name: WorkspaceBySlug
SELECT id, name, slug, timezone, approval_required, approval_for, self_approval, max_publish_attempts, created_at FROM workspaces WHERE slug = ?;

-- name: UpdateWorkspace
UPDATE workspaces SET name = ?, slug = ?, timezone = ?, approval_required = ?, max_publish_attempts = ?, approval_for = ?, self_approval = ? WHERE id = ?;

-- name: WorkspacesOf
SELECT w.id, w.name, w.slug, w.timezone, w.approval_required, w.approval_for, w.self_approval, w.max_publish_attempts, w.created_at, m.role
FROM workspaces w JOIN members m ON m.workspace_id = w.id
WHERE m.user_id = ? ORDER BY lower(w.name), w.id;

-- name: Members
SELECT m.workspace_id, m.user_id, u.email, u.name, m.role, m.created_at
FROM members m JOIN users u ON u.id = m.user_id
WHERE m.workspace_id = ? ORDER BY u.email;

-- name: Membership
SELECT role FROM members WHERE workspace_id = ? AND user_id = ?;

-- name: AddMember
INSERT INTO members (workspace_id, user_id, role, created_at) VALUES (?, ?, ?, ?);

-- name: UpsertMember
INSERT INTO members (workspace_id, user_id, role, created_at) VALUES (?, ?, ?, ?)
ON CONFLICT (workspace_id, user_id) DO NOTHING;

-- name: UpdateMemberRole
UPDATE members SET role = ? WHERE workspace_id = ? AND user_id = ?;

-- name: RemoveMember
DELETE FROM members WHERE workspace_id = ? AND user_id = ?;

-- name: CreateInvitation
INSERT INTO invitations (workspace_id, email, role, token_hash, created_by, created_at, expires_at)
VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id;

-- name: InvitationByTokenHash
SELECT id, workspace_id, email, role, token_hash, created_by, created_at, expires_at, accepted_at
FROM invitations WHERE token_hash = ?;

-- name: Invitations
SELECT id, workspace_id, email, role, token_hash, created_by, created_at, expires_at, accepted_at
FROM invitations WHERE workspace_id = ? AND accepted_at IS NULL ORDER BY created_at DESC, id DESC;

-- name: ClaimInvitation
UPDATE invitations SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL AND expires_at > ?
RETURNING workspace_id, role;

-- name: DeleteInvitation
DELETE FROM invitations WHERE workspace_id = ? AND id = ?;

-- name: DeleteExpiredInvitations
DELETE FROM invitations WHERE accepted_at IS NULL AND expires_at <= ?;

-- name: CreateSession
INSERT INTO sessions (id_hash, user_id, workspace_id, created_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?);

-- name: SessionByHash
SELECT id_hash, user_id, workspace_id, created_at, expires_at, ip, user_agent FROM sessions WHERE id_hash = ?;

-- name: SetSessionWorkspace
UPDATE sessions SET workspace_id = ? WHERE id_hash = ?;

-- name: DeleteSession
DELETE FROM sessions WHERE id_hash = ?;

-- name: DeleteUserSessions
DELETE FROM sessions WHERE user_id = ?;

-- name: DeleteExpiredSessions
DELETE FROM sessions WHERE expires_at <= ?;

-- name: CreateToken
INSERT INTO api_tokens (workspace_id, user_id, name, prefix, token_hash, created_at, parent_id) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id;

-- name: TokenByHash
SELECT id, workspace_id, user_id, name, prefix, token_hash, created_at, last_used_at FROM api_tokens WHERE token_hash = ?;

-- name: Tokens
SELECT id, workspace_id, user_id, name, prefix, token_hash, created_at, last_used_at FROM api_tokens
WHERE workspace_id = ? AND user_id = ? ORDER BY created_at DESC, id DESC;

-- name: DeleteToken
DELETE FROM api_tokens WHERE workspace_id = ? AND user_id = ? AND id = ?;

-- name: TouchToken
UPDATE api_tokens SET last_used_at = ? WHERE id = ?;

-- name: CreateNotification
INSERT INTO notifications (workspace_id, user_id, kind, message, args, link, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id;

-- name: Notifications
SELECT id, workspace_id, user_id, kind, message, args, link, created_at, read_at FROM notifications
WHERE workspace_id = ? AND (user_id = 0 OR user_id = ?) ORDER BY created_at DESC, id DESC LIMIT ?;

-- name: MarkNotificationRead
UPDATE notifications SET read_at = ? WHERE workspace_id = ? AND id = ?;

-- name: CreateChannel
INSERT INTO channels (workspace_id, network, remote_id, handle, display_name, url, settings, secrets_enc, limits, status, status_reason, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id;

-- name: Channel
SELECT id, workspace_id, network, remote_id, handle, display_name, url, settings, secrets_enc, limits, status, status_reason, created_at, updated_at, checked_at
FROM channels WHERE workspace_id = ? AND id = ?;

-- name: Channels
SELECT id, workspace_id, network, remote_id, handle, display_name, url, settings, secrets_enc, limits, status, status_reason, created_at, updated_at, checked_at
FROM channels WHERE workspace_id = ? ORDER BY network, handle, id;

-- name: ChannelsByNetwork
SELECT id, workspace_id, network, remote_id, handle, display_name, url, settings, secrets_enc, limits, status, status_reason, created_at, updated_at, checked_at
FROM channels WHERE network = ?;

-- name: UpdateChannelSecrets
UPDATE channels SET secrets_enc = ?, updated_at = ? WHERE workspace_id = ? AND id = ?;

-- name: UpdateChannel
UPDATE channels SET handle = ?, display_name = ?, url = ?, settings = ?, secrets_enc = ?, limits = ?, status = ?, status_reason = ?, updated_at = ?
WHERE workspace_id = ? AND id = ?;

-- name: SetChannelStatus
UPDATE channels SET status = ?, status_reason = ?, checked_at = ? WHERE workspace_id = ? AND id = ?;

-- name: ClaimChannelCheck
UPDATE channels SET checked_at = ? WHERE workspace_id = ? AND id = ? AND (checked_at IS NULL OR checked_at <= ?);

-- name: DeleteChannel
DELETE FROM channels WHERE workspace_id = ? AND id = ?;

-- name: ChannelByID
SELECT id, workspace_id, network, remote_id, handle, display_name, url, settings, secrets_enc, limits, status, status_reason, created_at, updated_at, checked_at
FROM channels WHERE id = ?;

-- name: ChannelByRemoteID
SELECT id, workspace_id, network, remote_id, handle, display_name, url, settings, secrets_enc, limits, status, status_reason, created_at, updated_at, checked_at
FROM channels WHERE network = ? AND remote_id = ? ORDER BY id LIMIT 1;
