package inbox

import (
	"context"

	"github.com/relais/relais/internal/publish"
	"github.com/relais/relais/internal/store"
)

// EventReceived is the notification webhook event of a new inbox message.
const EventReceived = store.HookMessageReceived

// WebhookHook sends message.received to the workspace's notification
// webhooks (alert.Webhooks queues it without blocking the ingest).
type WebhookHook struct {
	Notifier publish.Notifier
}

// Received queues the event for the message.
func (h WebhookHook) Received(ctx context.Context, m Message) error {
	return h.Notifier.Notify(ctx, publish.Event{Kind: EventReceived, WorkspaceID: m.WorkspaceID, PostID: m.PostID,
		PublicationID: m.PublicationID, ChannelID: m.ChannelID, Network: m.Network, Message: m.Text, MessageID: m.ID})
}
