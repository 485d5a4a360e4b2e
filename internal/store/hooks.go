package store

import (
	"context"
	"time"
)

// Notification webhook events, the kinds a Hook can subscribe to.
const (
	HookPublishFailed         = "publish_failed"
	HookPublishNeedsReview    = "publish_needs_review"
	HookChannelNeedsReconnect = "channel_needs_reconnect"
	// HookPostDeleted: a published post was deleted on its networks.
	HookPostDeleted = "post.deleted"
	// HookAlertCrisis: negative messages spike in the inbox (internal/crisis).
	HookAlertCrisis = "alert.crisis"
	// HookMessageReceived: a new comment, reply or mention reached the inbox.
	HookMessageReceived = "message.received"
	// HookMentionReceived: a listening query with alerts found a new mention
	// whose author reaches at least the query's threshold (internal/listen).
	HookMentionReceived = "mention.received"
	// HookMentionBurst: terms burst in a listening query's mentions.
	HookMentionBurst = "mention.burst"
	// HookMessageSLADue: an inbox message nears or passed the workspace's
	// first-response target unanswered (sent once per message).
	HookMessageSLADue = "message.sla_due"
)

// HookEvents lists every event a notification webhook can subscribe to.
var HookEvents = []string{HookPublishFailed, HookPublishNeedsReview, HookChannelNeedsReconnect, HookPostDeleted, HookAlertCrisis, HookMessageReceived, HookMessageSLADue, HookMentionReceived, HookMentionBurst}

// Hook is a workspace's notification webhook: relais POSTs signed events to
// URL when publishing needs a person's attention.
type Hook struct {
	ID          int64
	WorkspaceID int64
	URL         string
	Description string
	// Events are the subscribed event kinds (see HookEvents).
	Events []string
	// SecretEnc is the signing secret sealed with the keyring, bound to the row.
	SecretEnc []byte
	Enabled   bool
	// LastStatus is "" (never delivered), "ok" or "failed".
	LastStatus string
	LastAt     *time.Time
	LastError  string
	CreatedBy  int64
	CreatedAt  time.Time
}

// Subscribed reports whether the hook wants events of the kind.
func (h Hook) Subscribed(kind string) bool {
	for _, e := range h.Events {
		if e == kind {
			return true
		}
	}
	return false
}

// HookStore keeps notification webhooks, scoped by workspace.
type HookStore interface {
	// CreateHook stores a hook and sets its ID (and CreatedAt when zero).
	CreateHook(ctx context.Context, h *Hook) error
	Hook(ctx context.Context, workspaceID, id int64) (Hook, error)
	// Hooks lists the workspace's hooks, oldest first.
	Hooks(ctx context.Context, workspaceID int64) ([]Hook, error)
	// SetHookSecret stores the sealed signing secret (sealed after the insert, bound to the id).
	SetHookSecret(ctx context.Context, workspaceID, id int64, sealed []byte) error
	SetHookEnabled(ctx context.Context, workspaceID, id int64, enabled bool) error
	// RecordHookDelivery records the outcome of the latest delivery ("ok" or "failed").
	RecordHookDelivery(ctx context.Context, workspaceID, id int64, status string, at time.Time, errMsg string) error
	DeleteHook(ctx context.Context, workspaceID, id int64) error
}
