package store

import (
	"context"
	"time"
)

// MessageState is where a conversation stands in the inbox.
type MessageState string

// The inbox states.
const (
	MessageOpen    MessageState = "open"
	MessagePending MessageState = "pending"
	MessageClosed  MessageState = "closed"
)

// Valid reports whether s is a known state.
func (s MessageState) Valid() bool {
	return s == MessageOpen || s == MessagePending || s == MessageClosed
}

// MessageKind is what a message is to the channel.
type MessageKind string

// The kinds of inbox messages.
const (
	KindReply   MessageKind = "reply"
	KindMention MessageKind = "mention"
	KindQuote   MessageKind = "quote"
	KindComment MessageKind = "comment"
	KindDM      MessageKind = "dm"
)

// Message is one comment, reply, mention, quote or direct message in the inbox.
type Message struct {
	ID          int64
	WorkspaceID int64
	ChannelID   int64
	Network     string
	// RemoteID is the network's id; unique per channel (the dedup key).
	RemoteID       string
	ParentRemoteID string
	RootRemoteID   string
	Kind           MessageKind
	AuthorID       string
	AuthorHandle   string
	AuthorName     string
	Text           string
	Language       string
	Sentiment      string
	SentimentScore float64
	Themes         []string
	Labels         []string
	State          MessageState
	// AssigneeID is the member it is assigned to, 0 for nobody; AssigneeEmail is read with it.
	AssigneeID    int64
	AssigneeEmail string
	Priority      int
	// PostID and PublicationID name the relais post it answers, 0 when none.
	PostID        int64
	PublicationID int64
	URL           string
	// Answered is set once a reply was sent from the inbox.
	Answered bool
	// Hidden is set once the message was hidden or deleted on its network.
	Hidden     bool
	CreatedAt  time.Time
	ReceivedAt time.Time
	UpdatedAt  time.Time
}

// MessageFilter narrows the inbox list. Zero values do not filter.
type MessageFilter struct {
	State      MessageState
	Network    string
	ChannelID  int64
	Sentiment  string
	Language   string
	Theme      string
	Label      string
	AssigneeID int64
	// Unassigned lists messages assigned to nobody (AssigneeID is then ignored).
	Unassigned bool
	// Unanswered lists messages without a reply from the inbox.
	Unanswered bool
	From, To   time.Time
	// Search is a keyword query (words, all of which must occur).
	Search string
	// Before continues the list after the message with this (received_at, id).
	BeforeAt time.Time
	BeforeID int64
	// Limit is the page size (default 50).
	Limit int
}

// MessageChange is a change made to several messages at once (bulk actions).
// Nil fields are left as they are.
type MessageChange struct {
	State      *MessageState
	AssigneeID *int64
	Priority   *int
	// AddLabel and RemoveLabel change one label.
	AddLabel    string
	RemoveLabel string
}

// Note is an internal note on a message, never sent to the network.
type Note struct {
	ID          int64
	WorkspaceID int64
	MessageID   int64
	AuthorID    int64
	AuthorEmail string
	Text        string
	CreatedAt   time.Time
}

// ModerationEntry records a hide or delete on the network, with who and why.
type ModerationEntry struct {
	ID          int64
	WorkspaceID int64
	MessageID   int64
	UserID      int64
	UserEmail   string
	// Action is "hide" or "delete".
	Action string
	Reason string
	// Outcome is "done" or "failed" (then Error says why).
	Outcome   string
	Error     string
	CreatedAt time.Time
}

// ReplyState is where a reply sent from the inbox stands.
type ReplyState string

// The reply states.
const (
	// ReplySending: recorded, the remote call may or may not have happened.
	ReplySending ReplyState = "sending"
	ReplySent    ReplyState = "sent"
	ReplyFailed  ReplyState = "failed"
	// ReplyNeedsReview: a crash cut the call short on a network where relais
	// cannot check whether it went out; a person looks.
	ReplyNeedsReview ReplyState = "needs_review"
)

// Reply is an answer sent from the inbox as the channel.
type Reply struct {
	ID          int64
	WorkspaceID int64
	MessageID   int64
	ChannelID   int64
	AuthorID    int64
	Text        string
	// IdempotencyKey makes a repeated request return the first reply.
	IdempotencyKey string
	State          ReplyState
	RemoteID       string
	URL            string
	Error          string
	CreatedAt      time.Time
	SentAt         *time.Time
}

// SavedView is a named inbox filter of a workspace.
type SavedView struct {
	ID          int64
	WorkspaceID int64
	Name        string
	// Filter is the view's query string (state=open&sentiment=negative…).
	Filter    string
	CreatedBy int64
	CreatedAt time.Time
}

// InboxStore keeps the inbox: messages, notes, the moderation log, replies,
// saved views and poll cursors. Every method is scoped by workspace.
type InboxStore interface {
	// InsertMessages stores new messages in one transaction and sets their ID;
	// a message whose (channel, remote id) is already stored is skipped and
	// keeps ID 0. It returns how many were inserted.
	InsertMessages(ctx context.Context, ms []*Message) (int, error)
	Message(ctx context.Context, workspaceID, id int64) (Message, error)
	// MessageWorkspace names the workspace of a message; for the operator's CLI.
	MessageWorkspace(ctx context.Context, id int64) (int64, error)
	// Messages lists the newest messages first.
	Messages(ctx context.Context, workspaceID int64, f MessageFilter) ([]Message, error)
	// Conversation lists the messages under one root remote id, oldest first.
	Conversation(ctx context.Context, workspaceID int64, rootRemoteID string) ([]Message, error)
	// CountOpenMessages counts the workspace's open messages (the menu's badge).
	CountOpenMessages(ctx context.Context, workspaceID int64) (int64, error)
	// UpdateMessages applies one change to the listed messages; ids of other
	// workspaces are ignored. It returns how many changed.
	UpdateMessages(ctx context.Context, workspaceID int64, ids []int64, c MessageChange) (int, error)
	SetMessageHidden(ctx context.Context, workspaceID, id int64) error

	AddNote(ctx context.Context, n *Note) error
	Notes(ctx context.Context, workspaceID, messageID int64) ([]Note, error)

	AddModerationEntry(ctx context.Context, e *ModerationEntry) error
	ModerationLog(ctx context.Context, workspaceID, messageID int64) ([]ModerationEntry, error)

	// CreateReply records a reply before it is sent; ErrConflict when the
	// idempotency key was used before in the workspace.
	CreateReply(ctx context.Context, r *Reply) error
	ReplyByKey(ctx context.Context, workspaceID int64, key string) (Reply, error)
	Replies(ctx context.Context, workspaceID, messageID int64) ([]Reply, error)
	// FinishReply moves a sending reply to sent (marking its message answered),
	// failed or needs_review; ErrStale when it is no longer sending.
	FinishReply(ctx context.Context, r Reply) error
	// SendingReplies lists replies left in sending by any workspace (recovery after a crash).
	SendingReplies(ctx context.Context, olderThan time.Time) ([]Reply, error)

	SaveView(ctx context.Context, v *SavedView) error
	Views(ctx context.Context, workspaceID int64) ([]SavedView, error)
	DeleteView(ctx context.Context, workspaceID, id int64) error

	// InboxCursor reads a channel's mention cursor ("" before the first poll).
	InboxCursor(ctx context.Context, workspaceID, channelID int64) (string, error)
	SetInboxCursor(ctx context.Context, workspaceID, channelID int64, cursor string, at time.Time) error
	// PublicationByRemoteID finds the publication of a channel with the remote id.
	PublicationByRemoteID(ctx context.Context, workspaceID, channelID int64, remoteID string) (Publication, error)
	// AnalyzeInbox refreshes the planner's statistics of the inbox (after a
	// bulk load; PostgreSQL's autovacuum does it on its own in service).
	AnalyzeInbox(ctx context.Context) error
	// RecentPublications lists a channel's publications published since the time, newest first.
	RecentPublications(ctx context.Context, workspaceID, channelID int64, since time.Time, limit int) ([]Publication, error)
}
