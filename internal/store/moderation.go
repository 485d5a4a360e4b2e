package store

import (
	"context"
	"time"
)

// InboxRule is a stored moderation rule; internal/moderation reads its
// Conditions (a JSON object) and Actions (a JSON array).
type InboxRule struct {
	ID          int64
	WorkspaceID int64
	Name        string
	// Position orders the workspace's rules, lowest first; CreateInboxRule appends.
	Position       int
	Enabled        bool
	StopAfterMatch bool
	Conditions     []byte
	Actions        []byte
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// SavedReply is a stored saved reply in one language.
type SavedReply struct {
	ID          int64
	WorkspaceID int64
	Name        string
	Lang        string
	Body        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// InboxSettings are a workspace's inbox settings.
type InboxSettings struct {
	WorkspaceID int64
	// SLAMinutes is the first-response target in minutes.
	SLAMinutes int
	// CriticismNeedsPerson forbids rules to hide or mark as spam criticism
	// without a person ("answer, don't delete").
	CriticismNeedsPerson bool
	// CrisisAlertedAt is the hour of the latest crisis alert (nil: none).
	CrisisAlertedAt *time.Time
	UpdatedAt       time.Time
}

// DefaultInboxSettings are a workspace's settings before anyone changes them.
func DefaultInboxSettings(workspaceID int64) InboxSettings {
	return InboxSettings{WorkspaceID: workspaceID, SLAMinutes: 60, CriticismNeedsPerson: true}
}

// ModerationStore keeps moderation rules, saved replies and inbox settings,
// all scoped by workspace.
type ModerationStore interface {
	// InboxRules lists the workspace's rules by position, then id.
	InboxRules(ctx context.Context, workspaceID int64) ([]InboxRule, error)
	InboxRule(ctx context.Context, workspaceID, id int64) (InboxRule, error)
	// CreateInboxRule appends the rule after the workspace's last one and
	// sets its ID, Position and times.
	CreateInboxRule(ctx context.Context, r *InboxRule) error
	// UpdateInboxRule changes name, enabled, stop, conditions and actions (not the position).
	UpdateInboxRule(ctx context.Context, r InboxRule) error
	DeleteInboxRule(ctx context.Context, workspaceID, id int64) error
	// ReorderInboxRules gives the rules the positions of their order in ids,
	// in one transaction; an id not of the workspace is ErrNotFound and
	// changes nothing.
	ReorderInboxRules(ctx context.Context, workspaceID int64, ids []int64) error

	// SavedReplies lists the workspace's saved replies by name, then language.
	SavedReplies(ctx context.Context, workspaceID int64) ([]SavedReply, error)
	SavedReply(ctx context.Context, workspaceID, id int64) (SavedReply, error)
	// CreateSavedReply stores a reply; ErrConflict when the name exists in that language.
	CreateSavedReply(ctx context.Context, r *SavedReply) error
	UpdateSavedReply(ctx context.Context, r SavedReply) error
	DeleteSavedReply(ctx context.Context, workspaceID, id int64) error

	// InboxSettings returns the workspace's settings, the defaults when never saved.
	InboxSettings(ctx context.Context, workspaceID int64) (InboxSettings, error)
	// SaveInboxSettings stores the SLA target and the criticism setting.
	SaveInboxSettings(ctx context.Context, s InboxSettings) error
	// ClaimCrisisAlert records a crisis alert for the hour unless one was
	// recorded for that hour or a later one: false then. One conditional
	// write, so instances sharing a database alert once.
	ClaimCrisisAlert(ctx context.Context, workspaceID int64, hour time.Time) (bool, error)
}
