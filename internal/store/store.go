// Package store owns relais's domain records and the Store interface through
// which the rest of the code reads and writes them. One implementation exists
// per SQL dialect (store/sqlite, store/postgres); both pass the conformance
// suite in store/storetest.
//
// Every method that reads or writes workspace data takes the workspace id and
// scopes its query by it: a caller can never reach another workspace's rows by
// guessing ids. Such lookups answer ErrNotFound, exactly as for missing rows.
package store

import (
	"context"
	"errors"
	"time"
)

// Sentinel errors returned by every implementation.
var (
	// ErrNotFound: no such row in the caller's scope.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a unique value (email, slug, …) is already taken.
	ErrConflict = errors.New("store: already exists")
	// ErrStale: a conditional update found the row in another state.
	ErrStale = errors.New("store: row changed concurrently")
)

// Store is everything relais persists. Implementations are safe for concurrent use.
type Store interface {
	UserStore
	WorkspaceStore
	SessionStore
	TokenStore
	ChannelStore
	NotificationStore
	PostStore
	PublishStore
	ThrottleStore
	ChannelLockStore
	MediaStore
	FeedStore
	MetricsStore
	ComposeStore
	HookStore
	LoginThrottleStore
	LabelStore
	CheckpointStore
	ModerationStore
	LinkStore
	AnalyticsStore
	InboxStore
	InboxSignalStore
	OperatorSettingStore
	InsightStore
	ContestStore
	InfluencerStore
	ListenStore
	CompetitorStore
	ReportStore

	// Dialect names the SQL dialect ("sqlite" or "postgres").
	Dialect() string
	// Ping checks the database answers (readiness).
	Ping(ctx context.Context) error
	// Backup writes a consistent copy of the database to path (SQLite: a
	// database file; PostgreSQL: unsupported, use pg_dump).
	Backup(ctx context.Context, path string) error
	// Close releases the connections.
	Close() error
}

// Role is a member's role in a workspace.
type Role string

// The roles, from most to least powerful.
const (
	RoleOwner    Role = "owner"
	RoleAdmin    Role = "admin"
	RoleEditor   Role = "editor"
	RoleApprover Role = "approver"
	RoleViewer   Role = "viewer"
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleOwner, RoleAdmin, RoleEditor, RoleApprover, RoleViewer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// User is a person who can log in.
type User struct {
	ID           int64
	Email        string
	Name         string
	PasswordHash string
	IsAdmin      bool
	// Lang is the preferred UI language ("en", "fr", "de"; empty: from the browser).
	Lang      string
	CreatedAt time.Time
}

// UserStore keeps users.
type UserStore interface {
	CreateUser(ctx context.Context, u *User) error
	UserByID(ctx context.Context, id int64) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	CountUsers(ctx context.Context) (int64, error)
	UpdateUserPassword(ctx context.Context, id int64, hash string) error
	UpdateUserLang(ctx context.Context, id int64, lang string) error
}

// Workspace is one brand or client.
type Workspace struct {
	ID               int64
	Name             string
	Slug             string
	Timezone         string
	ApprovalRequired bool
	// ApprovalFor says whose posts need approval when ApprovalRequired is on.
	ApprovalFor ApprovalScope
	// SelfApproval lets an author approve their own post (default: someone else must).
	SelfApproval bool
	// MaxPublishAttempts bounds the calls made for one publication before it fails (1–20, default 5).
	MaxPublishAttempts int
	CreatedAt          time.Time
}

// ApprovalScope is whose posts need approval in a workspace that requires it.
type ApprovalScope string

// The approval scopes.
const (
	// ApprovalEveryone: every post is approved before it is scheduled.
	ApprovalEveryone ApprovalScope = "everyone"
	// ApprovalEditors: editors' posts are approved; owners and admins schedule directly.
	ApprovalEditors ApprovalScope = "editors"
)

// OrDefault is the scope, everyone when unset.
func (s ApprovalScope) OrDefault() ApprovalScope {
	if s == "" {
		return ApprovalEveryone
	}
	return s
}

// Member is a user's membership in a workspace.
type Member struct {
	WorkspaceID int64
	UserID      int64
	Email       string
	Name        string
	Role        Role
	CreatedAt   time.Time
}

// MemberWorkspace is a workspace with the caller's role in it.
type MemberWorkspace struct {
	Workspace
	Role Role
}

// Invitation invites someone into a workspace by a secret link.
type Invitation struct {
	ID          int64
	WorkspaceID int64
	Email       string
	Role        Role
	TokenHash   string
	CreatedBy   int64
	CreatedAt   time.Time
	ExpiresAt   time.Time
	AcceptedAt  *time.Time
}

// WorkspaceStore keeps workspaces, members and invitations.
type WorkspaceStore interface {
	// CreateWorkspace creates the workspace and makes owner its owner, in one transaction.
	CreateWorkspace(ctx context.Context, w *Workspace, owner int64) error
	WorkspaceByID(ctx context.Context, id int64) (Workspace, error)
	WorkspaceBySlug(ctx context.Context, slug string) (Workspace, error)
	UpdateWorkspace(ctx context.Context, w Workspace) error
	// WorkspacesOf lists the workspaces a user belongs to, with the user's role.
	WorkspacesOf(ctx context.Context, userID int64) ([]MemberWorkspace, error)
	Members(ctx context.Context, workspaceID int64) ([]Member, error)
	// Membership returns the user's role in the workspace, ErrNotFound when not a member.
	Membership(ctx context.Context, workspaceID, userID int64) (Role, error)
	AddMember(ctx context.Context, workspaceID, userID int64, role Role) error
	UpdateMemberRole(ctx context.Context, workspaceID, userID int64, role Role) error
	// RemoveMember removes the membership and deletes the user's API tokens
	// of that workspace, so a later rejoin does not revive them.
	RemoveMember(ctx context.Context, workspaceID, userID int64) error
	CreateInvitation(ctx context.Context, inv *Invitation) error
	InvitationByTokenHash(ctx context.Context, hash string) (Invitation, error)
	Invitations(ctx context.Context, workspaceID int64) ([]Invitation, error)
	// AcceptInvitation marks the invitation used and adds the member, in one transaction.
	AcceptInvitation(ctx context.Context, id, userID int64, now time.Time) error
	DeleteInvitation(ctx context.Context, workspaceID, id int64) error
	// DeleteExpiredInvitations removes unaccepted invitations past their expiry.
	DeleteExpiredInvitations(ctx context.Context, now time.Time) (int64, error)
}

// Session is a logged-in browser. Only the hash of its secret id is stored.
type Session struct {
	IDHash      string
	UserID      int64
	WorkspaceID int64
	CreatedAt   time.Time
	ExpiresAt   time.Time
	IP          string
	UserAgent   string
}

// SessionStore keeps browser sessions.
type SessionStore interface {
	CreateSession(ctx context.Context, s Session) error
	SessionByHash(ctx context.Context, hash string) (Session, error)
	SetSessionWorkspace(ctx context.Context, hash string, workspaceID int64) error
	DeleteSession(ctx context.Context, hash string) error
	DeleteUserSessions(ctx context.Context, userID int64) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
}

// APIToken is a personal API token scoped to one workspace.
type APIToken struct {
	ID          int64
	WorkspaceID int64
	UserID      int64
	Name        string
	// Prefix is the token's first characters, shown to recognise it.
	Prefix     string
	TokenHash  string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	// ParentID is the token this one was created with (0: created in the UI
	// or CLI); deleting the parent deletes it.
	ParentID int64
}

// TokenStore keeps API tokens.
type TokenStore interface {
	CreateToken(ctx context.Context, t *APIToken) error
	TokenByHash(ctx context.Context, hash string) (APIToken, error)
	Tokens(ctx context.Context, workspaceID, userID int64) ([]APIToken, error)
	DeleteToken(ctx context.Context, workspaceID, userID, id int64) error
	TouchToken(ctx context.Context, id int64, now time.Time) error
}

// ChannelStatus is a channel's health.
type ChannelStatus string

// The channel states.
const (
	ChannelOK             ChannelStatus = "ok"
	ChannelExpiring       ChannelStatus = "expiring"
	ChannelNeedsReconnect ChannelStatus = "needs_reconnect"
)

// Channel is a connected account on a network.
type Channel struct {
	ID          int64
	WorkspaceID int64
	Network     string
	RemoteID    string
	Handle      string
	DisplayName string
	URL         string
	// Settings are plain settings (JSON object).
	Settings map[string]string
	// SecretsEnc are the encrypted secrets (tokens); only secret.Keyring opens them.
	SecretsEnc []byte
	// LimitsJSON are the limits learnt at connect time (empty: network defaults).
	LimitsJSON   []byte
	Status       ChannelStatus
	StatusReason string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	CheckedAt    *time.Time
}

// ChannelStore keeps connected channels.
type ChannelStore interface {
	// CreateChannel adds a channel; ErrConflict when the account is already connected in the workspace.
	CreateChannel(ctx context.Context, c *Channel) error
	Channel(ctx context.Context, workspaceID, id int64) (Channel, error)
	Channels(ctx context.Context, workspaceID int64) ([]Channel, error)
	// ChannelByID reads a channel by id alone; for the operator's CLI, never for a user request.
	ChannelByID(ctx context.Context, id int64) (Channel, error)
	// ChannelsOfNetwork lists every workspace's channels of one network; for
	// maintenance jobs, never for a user request.
	ChannelsOfNetwork(ctx context.Context, network string) ([]Channel, error)
	// ChannelByRemoteID finds a channel by network and remote account id (a
	// website feed's public key); not workspace-scoped, for public endpoints
	// whose URL names the remote id. Several workspaces may connect one
	// account: the oldest channel answers.
	ChannelByRemoteID(ctx context.Context, network, remoteID string) (Channel, error)
	UpdateChannelSecrets(ctx context.Context, workspaceID, id int64, enc []byte, now time.Time) error
	UpdateChannel(ctx context.Context, c Channel) error
	SetChannelStatus(ctx context.Context, workspaceID, id int64, status ChannelStatus, reason string, now time.Time) error
	// ClaimChannelCheck records a manual check starting at now, unless the
	// channel was checked after notBefore: false then (also for a missing
	// channel). One conditional write, so concurrent requests on any number
	// of instances let one check through.
	ClaimChannelCheck(ctx context.Context, workspaceID, id int64, now, notBefore time.Time) (bool, error)
	DeleteChannel(ctx context.Context, workspaceID, id int64) error
}

// Notification is an in-app message for a workspace (or one user in it).
type Notification struct {
	ID          int64
	WorkspaceID int64
	// UserID targets one user; 0 means every member.
	UserID int64
	Kind   string
	// Message is the English text; Args are the values it shows (who, which
	// post, why), in order, for the catalogue's "notifications.msg.<kind>".
	Message   string
	Args      []string
	Link      string
	CreatedAt time.Time
	ReadAt    *time.Time
}

// NotificationStore keeps in-app notifications.
type NotificationStore interface {
	CreateNotification(ctx context.Context, n *Notification) error
	Notifications(ctx context.Context, workspaceID, userID int64, limit int) ([]Notification, error)
	MarkNotificationRead(ctx context.Context, workspaceID, id int64, now time.Time) error
}
