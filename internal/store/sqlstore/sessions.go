package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/relais/relais/internal/store"
)

// CreateSession stores a session by the hash of its id.
func (db *DB) CreateSession(ctx context.Context, s store.Session) error {
	_, err := db.W.ExecContext(ctx, db.Q("CreateSession"), s.IDHash, s.UserID, s.WorkspaceID, MS(s.CreatedAt), MS(s.ExpiresAt), s.IP, s.UserAgent)
	return db.Err("create session", err)
}

// SessionByHash reads a session; expired sessions are still returned (the caller checks).
func (db *DB) SessionByHash(ctx context.Context, hash string) (store.Session, error) {
	var s store.Session
	var created, expires int64
	err := db.R.QueryRowContext(ctx, db.Q("SessionByHash"), hash).Scan(&s.IDHash, &s.UserID, &s.WorkspaceID, &created, &expires, &s.IP, &s.UserAgent)
	s.CreatedAt, s.ExpiresAt = Time(created), Time(expires)
	return s, db.Err("read session", err)
}

// SetSessionWorkspace switches the session's current workspace.
func (db *DB) SetSessionWorkspace(ctx context.Context, hash string, workspaceID int64) error {
	return db.Err("switch workspace", Affected(db.W.ExecContext(ctx, db.Q("SetSessionWorkspace"), workspaceID, hash)))
}

// DeleteSession logs a session out.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	_, err := db.W.ExecContext(ctx, db.Q("DeleteSession"), hash)
	return db.Err("delete session", err)
}

// DeleteUserSessions logs a user out everywhere.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	_, err := db.W.ExecContext(ctx, db.Q("DeleteUserSessions"), userID)
	return db.Err("delete sessions", err)
}

// DeleteExpiredSessions removes sessions past expiry.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := db.W.ExecContext(ctx, db.Q("DeleteExpiredSessions"), MS(now))
	if err != nil {
		return 0, db.Err("expire sessions", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// CreateToken stores an API token (only its hash).
func (db *DB) CreateToken(ctx context.Context, t *store.APIToken) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = time.Now().UTC()
	}
	err := db.W.QueryRowContext(ctx, db.Q("CreateToken"), t.WorkspaceID, t.UserID, t.Name, t.Prefix, t.TokenHash, MS(t.CreatedAt),
		sql.NullInt64{Int64: t.ParentID, Valid: t.ParentID != 0}).Scan(&t.ID)
	return db.Err("create token", err)
}

func (db *DB) scanToken(row interface{ Scan(...any) error }) (store.APIToken, error) {
	var t store.APIToken
	var created int64
	var used sql.NullInt64
	err := row.Scan(&t.ID, &t.WorkspaceID, &t.UserID, &t.Name, &t.Prefix, &t.TokenHash, &created, &used)
	t.CreatedAt, t.LastUsedAt = Time(created), TimePtr(used)
	return t, db.Err("read token", err)
}

// TokenByHash finds a token by its hash.
func (db *DB) TokenByHash(ctx context.Context, hash string) (store.APIToken, error) {
	return db.scanToken(db.R.QueryRowContext(ctx, db.Q("TokenByHash"), hash))
}

// Tokens lists a user's tokens in a workspace.
func (db *DB) Tokens(ctx context.Context, workspaceID, userID int64) ([]store.APIToken, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("Tokens"), workspaceID, userID)
	if err != nil {
		return nil, db.Err("list tokens", err)
	}
	defer rows.Close()
	var out []store.APIToken
	for rows.Next() {
		t, err := db.scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, db.Err("list tokens", rows.Err())
}

// DeleteToken revokes a token.
func (db *DB) DeleteToken(ctx context.Context, workspaceID, userID, id int64) error {
	return db.Err("delete token", Affected(db.W.ExecContext(ctx, db.Q("DeleteToken"), workspaceID, userID, id)))
}

// TouchToken records a token's last use.
func (db *DB) TouchToken(ctx context.Context, id int64, now time.Time) error {
	_, err := db.W.ExecContext(ctx, db.Q("TouchToken"), MS(now), id)
	return db.Err("touch token", err)
}

// CreateNotification stores an in-app notification.
func (db *DB) CreateNotification(ctx context.Context, n *store.Notification) error {
	if n.CreatedAt.IsZero() {
		n.CreatedAt = time.Now().UTC()
	}
	args, err := json.Marshal(n.Args)
	if n.Args == nil {
		args = []byte("[]")
	}
	if err != nil {
		return db.Err("create notification", err)
	}
	err = db.W.QueryRowContext(ctx, db.Q("CreateNotification"), n.WorkspaceID, n.UserID, n.Kind, n.Message, string(args), n.Link, MS(n.CreatedAt)).Scan(&n.ID)
	return db.Err("create notification", err)
}

// Notifications lists the newest notifications for a user in a workspace (theirs and everyone's).
func (db *DB) Notifications(ctx context.Context, workspaceID, userID int64, limit int) ([]store.Notification, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("Notifications"), workspaceID, userID, limit)
	if err != nil {
		return nil, db.Err("list notifications", err)
	}
	defer rows.Close()
	var out []store.Notification
	for rows.Next() {
		var n store.Notification
		var created int64
		var read sql.NullInt64
		var args string
		if err := rows.Scan(&n.ID, &n.WorkspaceID, &n.UserID, &n.Kind, &n.Message, &args, &n.Link, &created, &read); err != nil {
			return nil, db.Err("list notifications", err)
		}
		if err := json.Unmarshal([]byte(args), &n.Args); err != nil {
			return nil, db.Err("list notifications", err)
		}
		if len(n.Args) == 0 {
			n.Args = nil
		}
		n.CreatedAt, n.ReadAt = Time(created), TimePtr(read)
		out = append(out, n)
	}
	return out, db.Err("list notifications", rows.Err())
}

// MarkNotificationRead marks one notification read.
func (db *DB) MarkNotificationRead(ctx context.Context, workspaceID, id int64, now time.Time) error {
	return db.Err("read notification", Affected(db.W.ExecContext(ctx, db.Q("MarkNotificationRead"), MS(now), workspaceID, id)))
}

// CreateChannel adds a connected channel.
func (db *DB) CreateChannel(ctx context.Context, c *store.Channel) error {
	now := time.Now().UTC()
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now
	}
	c.UpdatedAt = c.CreatedAt
	if c.Status == "" {
		c.Status = store.ChannelOK
	}
	settings, _ := json.Marshal(nonNil(c.Settings))
	err := db.W.QueryRowContext(ctx, db.Q("CreateChannel"), c.WorkspaceID, c.Network, c.RemoteID, c.Handle, c.DisplayName, c.URL,
		string(settings), c.SecretsEnc, string(c.LimitsJSON), c.Status, c.StatusReason, MS(c.CreatedAt), MS(c.UpdatedAt)).Scan(&c.ID)
	return db.Err("create channel", err)
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func (db *DB) scanChannel(row interface{ Scan(...any) error }) (store.Channel, error) {
	var c store.Channel
	var settings, limits string
	var created, updated int64
	var checked sql.NullInt64
	err := row.Scan(&c.ID, &c.WorkspaceID, &c.Network, &c.RemoteID, &c.Handle, &c.DisplayName, &c.URL, &settings, &c.SecretsEnc,
		&limits, &c.Status, &c.StatusReason, &created, &updated, &checked)
	if err != nil {
		return c, db.Err("read channel", err)
	}
	c.CreatedAt, c.UpdatedAt, c.CheckedAt = Time(created), Time(updated), TimePtr(checked)
	if limits != "" {
		c.LimitsJSON = []byte(limits)
	}
	if err := json.Unmarshal([]byte(settings), &c.Settings); err != nil {
		return c, db.Err("read channel settings", err)
	}
	return c, nil
}

// Channel reads one channel of a workspace.
func (db *DB) Channel(ctx context.Context, workspaceID, id int64) (store.Channel, error) {
	return db.scanChannel(db.R.QueryRowContext(ctx, db.Q("Channel"), workspaceID, id))
}

// ChannelByID reads a channel by id alone (operator CLI).
func (db *DB) ChannelByID(ctx context.Context, id int64) (store.Channel, error) {
	return db.scanChannel(db.R.QueryRowContext(ctx, db.Q("ChannelByID"), id))
}

// Channels lists a workspace's channels.
func (db *DB) Channels(ctx context.Context, workspaceID int64) ([]store.Channel, error) {
	return db.queryChannels(ctx, "list channels", "Channels", workspaceID)
}

// ChannelsOfNetwork lists every workspace's channels of one network (maintenance jobs).
func (db *DB) ChannelsOfNetwork(ctx context.Context, network string) ([]store.Channel, error) {
	return db.queryChannels(ctx, "list channels of network", "ChannelsByNetwork", network)
}

// ChannelByRemoteID finds a channel by network and remote id (public endpoints).
func (db *DB) ChannelByRemoteID(ctx context.Context, network, remoteID string) (store.Channel, error) {
	return db.scanChannel(db.R.QueryRowContext(ctx, db.Q("ChannelByRemoteID"), network, remoteID))
}

func (db *DB) queryChannels(ctx context.Context, op, query string, args ...any) ([]store.Channel, error) {
	rows, err := db.R.QueryContext(ctx, db.Q(query), args...)
	if err != nil {
		return nil, db.Err(op, err)
	}
	defer rows.Close()
	var out []store.Channel
	for rows.Next() {
		c, err := db.scanChannel(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, db.Err(op, rows.Err())
}

// UpdateChannelSecrets replaces the encrypted secrets (after a token refresh).
func (db *DB) UpdateChannelSecrets(ctx context.Context, workspaceID, id int64, enc []byte, now time.Time) error {
	return db.Err("update channel secrets", Affected(db.W.ExecContext(ctx, db.Q("UpdateChannelSecrets"), enc, MS(now), workspaceID, id)))
}

// UpdateChannel saves a channel's account data, settings, secrets and limits (reconnect).
func (db *DB) UpdateChannel(ctx context.Context, c store.Channel) error {
	settings, _ := json.Marshal(nonNil(c.Settings))
	return db.Err("update channel", Affected(db.W.ExecContext(ctx, db.Q("UpdateChannel"), c.Handle, c.DisplayName, c.URL, string(settings),
		c.SecretsEnc, string(c.LimitsJSON), c.Status, c.StatusReason, MS(time.Now()), c.WorkspaceID, c.ID)))
}

// SetChannelStatus records a health check's result.
func (db *DB) SetChannelStatus(ctx context.Context, workspaceID, id int64, status store.ChannelStatus, reason string, now time.Time) error {
	return db.Err("set channel status", Affected(db.W.ExecContext(ctx, db.Q("SetChannelStatus"), status, reason, MS(now), workspaceID, id)))
}

// ClaimChannelCheck records a manual check unless one ran after notBefore.
func (db *DB) ClaimChannelCheck(ctx context.Context, workspaceID, id int64, now, notBefore time.Time) (bool, error) {
	err := Affected(db.W.ExecContext(ctx, db.Q("ClaimChannelCheck"), MS(now), workspaceID, id, MS(notBefore)))
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, db.Err("claim channel check", err)
}

// DeleteChannel removes a channel.
func (db *DB) DeleteChannel(ctx context.Context, workspaceID, id int64) error {
	return db.Err("delete channel", Affected(db.W.ExecContext(ctx, db.Q("DeleteChannel"), workspaceID, id)))
}
