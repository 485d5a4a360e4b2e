package store

import (
	"context"
	"time"
)

// HourCount is how many messages arrived in one hour.
type HourCount struct {
	// Hour is the start of the hour, UTC.
	Hour  time.Time
	Count int
}

// ResponseRecord is one inbox message and the first reply sent to it from
// the inbox (the response-time reports read it).
type ResponseRecord struct {
	MessageID  int64
	ChannelID  int64
	ReceivedAt time.Time
	// FirstReplyAt is nil while no reply was sent.
	FirstReplyAt *time.Time
	// Responder is the member who sent the first reply (0: a rule's auto-reply, or none).
	Responder int64
}

// CriticismCount is how many of a channel's negative messages are left
// without a reply, and since when.
type CriticismCount struct {
	ChannelID int64
	Count     int64
	Oldest    time.Time
}

// InboxSignalStore reads what rules, response-time reports and the crisis
// warning need from the inbox. Every method but InboxWorkspaces is scoped by
// workspace.
type InboxSignalStore interface {
	// InboxWorkspaces lists the workspaces that received inbox messages since the time.
	InboxWorkspaces(ctx context.Context, since time.Time) ([]int64, error)
	// HourlyMessageCounts counts the workspace's messages of a sentiment
	// ("" for all) received in [from, to), per UTC hour, oldest first; hours
	// without messages are left out.
	HourlyMessageCounts(ctx context.Context, workspaceID int64, sentiment string, from, to time.Time) ([]HourCount, error)
	// ResponseRecords lists the messages received in [from, to) with their
	// first sent reply, oldest first.
	ResponseRecords(ctx context.Context, workspaceID int64, from, to time.Time) ([]ResponseRecord, error)
	// AuthorWroteBefore reports whether the author (a handle on a network)
	// has a message in the workspace stored before the message beforeID.
	AuthorWroteBefore(ctx context.Context, workspaceID int64, network, handle string, beforeID int64) (bool, error)
	// UnansweredCriticism lists the workspace's negative messages without a
	// reply from the inbox received since the time (zero: ever), of one
	// channel (0: all), oldest first, at most limit.
	UnansweredCriticism(ctx context.Context, workspaceID, channelID int64, since time.Time, limit int) ([]Message, error)
	// UnansweredCriticismCounts counts them per channel, the channel with
	// the oldest first.
	UnansweredCriticismCounts(ctx context.Context, workspaceID int64, since time.Time) ([]CriticismCount, error)
	// MessageByRemoteID reads the channel's message with the remote id
	// (threading a reply under the message it answers); ErrNotFound when none.
	MessageByRemoteID(ctx context.Context, workspaceID, channelID int64, remoteID string) (Message, error)
}
