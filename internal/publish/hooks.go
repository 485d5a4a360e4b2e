// Package publish owns scheduling and the exactly-once publishing protocol:
// the Engine stages publications ahead of their due time, publishes them at
// the due moment in batches, writes outcomes in batches, retries with backoff,
// holds channels that need reconnecting, and reconciles publications left in
// flight by a dead instance. The publications table is the durable queue; see
// docs/publishing.md for the protocol and its guarantees.
package publish

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
)

// Resolver opens the connector of a channel. The application implements it
// over channels and their encrypted secrets.
type Resolver interface {
	// Connector returns the channel's connector and effective limits. An error
	// of class AuthReconnect holds the channel; store.ErrNotFound fails its publications.
	Connector(ctx context.Context, workspaceID, channelID int64) (network.Connector, network.Limits, error)
}

// Refresher is implemented by resolvers that can refresh a channel's tokens
// after an AuthRefresh error; the publication is then tried again at once.
// Without one, the engine reopens the connector (at most once a minute per
// channel), which picks up tokens the connector saved, and holds the channel
// if that does not help.
// An error of class AuthRefresh or AuthReconnect (or matching network.ErrAuth)
// means the network refused: the channel is held until reconnected. Any other
// error is taken as passing and the publication is retried with backoff.
type Refresher interface {
	RefreshChannel(ctx context.Context, workspaceID, channelID int64) error
}

// ReconnectMarker is implemented by resolvers that mark a channel "needs
// reconnect" themselves (and tell its owners); otherwise the engine sets the
// channel status in the store.
type ReconnectMarker interface {
	MarkNeedsReconnect(ctx context.Context, workspaceID, channelID int64, reason string) error
}

// Preparer is implemented by connectors that can do their work ahead of the
// due time (token refresh, media uploads and processing, link cards, mention
// resolution, facets). The engine calls Prepare when it stages a publication,
// up to Config.LeadTime before it is due, and calls Publish at the due moment
// with the request Prepare returned. Prepare must not make anything public.
type Preparer interface {
	Prepare(ctx context.Context, req network.PublishRequest) (network.PublishRequest, error)
}

// RateLimitReporter is implemented by connectors that remember the rate-limit
// headers of their last answer; a channel with nothing remaining waits for the reset.
type RateLimitReporter interface {
	RateLimit() network.RateLimit
}

// MediaLoader turns a variant's media JSON into attachments (bytes or signed
// URLs). Without one, the media JSON is read as a list of network.Media.
type MediaLoader interface {
	LoadMedia(ctx context.Context, workspaceID int64, media json.RawMessage) ([]network.Media, error)
}

// DefaultIdempotent lists the networks whose publish call can be repeated
// safely after an interruption: Mastodon (Idempotency-Key header), Bluesky
// (record keys chosen before the call), the website feed (keyed by
// publication), webhooks (the delivery id is the idempotency key), and
// Instagram and Threads (the connector resumes the container it made, and
// looks for the caption among recent media before making another),
// LinkedIn and Google Business Profile (see below), TikTok (the publish_id
// is recorded and polled; an init whose answer was lost is sent again only
// when nothing was uploaded, else it goes to review) and Pinterest (the
// create is recorded before it is sent, and a retry looks for the pin on its
// board first).
var DefaultIdempotent = map[network.Kind]bool{
	network.Mastodon:  true,
	network.Bluesky:   true,
	network.Website:   true,
	network.Webhook:   true,
	network.Instagram: true,
	network.Threads:   true,
	// YouTube resumes the upload session recorded before the first byte and
	// asks it for the video (bytes */N) instead of starting another.
	network.YouTube: true,
	// Vimeo resumes the tus upload recorded after the create call, and
	// looks for the video an unanswered create call made before making one.
	network.Vimeo: true,
	// LinkedIn and Google Business Profile record when the create call was
	// first sent (channel checkpoints) and look for the post made since then
	// before creating another.
	network.LinkedIn:       true,
	network.GoogleBusiness: true,
	network.TikTok:         true,
	network.Pinterest:      true,
}

// Event is something a person should hear about.
type Event struct {
	// Kind is "publish_failed", "publish_needs_review" or "channel_needs_reconnect".
	Kind          string
	WorkspaceID   int64
	PostID        int64
	PublicationID int64
	ChannelID     int64
	Network       string
	Message       string
	// MessageID is the inbox message of a message.received event.
	MessageID int64
	// Args are the values Message shows, in order, for the translations of
	// the in-app notification ("notifications.msg.<kind>").
	Args []string
	// Link is the in-app notification's link when it is neither a post's
	// nor a channel's (the crisis view).
	Link string
	// Detail is the event's own JSON object in webhook payloads (the crisis
	// test's numbers, terms and examples for alert.crisis).
	Detail any
}

// Notifier tells people about failures (in-app, webhooks).
type Notifier interface {
	Notify(ctx context.Context, ev Event) error
}

// InApp notifies every member of the workspace in the app.
type InApp struct {
	Store store.NotificationStore
}

// Notify stores an in-app notification linking to the post.
func (n InApp) Notify(ctx context.Context, ev Event) error {
	link := ev.Link
	if ev.PostID != 0 {
		link = fmt.Sprintf("/posts/%d", ev.PostID)
	} else if ev.ChannelID != 0 {
		link = fmt.Sprintf("/channels/%d", ev.ChannelID)
	}
	err := n.Store.CreateNotification(ctx, &store.Notification{WorkspaceID: ev.WorkspaceID, Kind: ev.Kind, Message: ev.Message, Args: ev.Args, Link: link})
	if err != nil {
		return fmt.Errorf("publish: notify: %w", err)
	}
	return nil
}
