package store

import (
	"context"
	"time"
)

// Comment is an internal note on a post, seen by the workspace's members only.
type Comment struct {
	ID          int64     `json:"id"`
	WorkspaceID int64     `json:"workspace_id"`
	PostID      int64     `json:"post_id"`
	UserID      int64     `json:"user_id"`
	Body        string    `json:"body"`
	CreatedAt   time.Time `json:"created_at"`
}

// HistoryEntry records who changed what on a post, and when.
type HistoryEntry struct {
	ID          int64 `json:"id"`
	WorkspaceID int64 `json:"workspace_id"`
	PostID      int64 `json:"post_id"`
	// UserID is who did it (0: the system, e.g. an import).
	UserID int64 `json:"user_id"`
	// Action is a stable verb: created, edited, submitted, approved, rejected, scheduled, cancelled …
	Action string `json:"action"`
	// Detail says what changed, in words ("text, labels").
	Detail    string    `json:"detail"`
	CreatedAt time.Time `json:"created_at"`
}

// ApprovalDecision is an approver's verdict on a post in review.
type ApprovalDecision string

// The decisions.
const (
	ApprovalApproved ApprovalDecision = "approved"
	ApprovalRejected ApprovalDecision = "rejected"
)

// Approval is one decision by an approver.
type Approval struct {
	ID          int64            `json:"id"`
	WorkspaceID int64            `json:"workspace_id"`
	PostID      int64            `json:"post_id"`
	UserID      int64            `json:"user_id"`
	Decision    ApprovalDecision `json:"decision"`
	Note        string           `json:"note"`
	CreatedAt   time.Time        `json:"created_at"`
}

// Snippet is reusable text of a workspace (a hashtag group, a signature).
type Snippet struct {
	ID          int64  `json:"id"`
	WorkspaceID int64  `json:"workspace_id"`
	Name        string `json:"name"`
	// Kind groups snippets in the composer ("hashtags", "signature", "text").
	Kind      string    `json:"kind"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// ChannelSlots are a channel's weekly posting slots for "add to queue".
type ChannelSlots struct {
	WorkspaceID int64
	ChannelID   int64
	// Spec is the schedule as calendar.ParseSlots reads it ("Mon-Fri 09:00,12:30").
	Spec string
	// Timezone is the IANA zone the slots are wall-clock times in.
	Timezone  string
	UpdatedAt time.Time
}

// ComposeStore keeps the composer's records around posts: comments, change
// history, approvals, snippets, posting slots and the calendar feed secret.
type ComposeStore interface {
	AddComment(ctx context.Context, c *Comment) error
	// Comments lists a post's comments, oldest first.
	Comments(ctx context.Context, workspaceID, postID int64) ([]Comment, error)
	AddHistory(ctx context.Context, h *HistoryEntry) error
	// History lists a post's change history, oldest first.
	History(ctx context.Context, workspaceID, postID int64) ([]HistoryEntry, error)
	AddApproval(ctx context.Context, a *Approval) error
	// Approvals lists a post's decisions, oldest first.
	Approvals(ctx context.Context, workspaceID, postID int64) ([]Approval, error)
	// CreateSnippet adds a snippet; ErrConflict when the name is taken in the workspace.
	CreateSnippet(ctx context.Context, s *Snippet) error
	Snippets(ctx context.Context, workspaceID int64) ([]Snippet, error)
	DeleteSnippet(ctx context.Context, workspaceID, id int64) error
	// SetChannelSlots saves a channel's slots; ErrNotFound when the channel is not in the workspace.
	SetChannelSlots(ctx context.Context, s ChannelSlots) error
	// ChannelSlots reads a channel's slots; ErrNotFound when none are set.
	ChannelSlots(ctx context.Context, workspaceID, channelID int64) (ChannelSlots, error)
	// ChannelTimes lists the due times of the channel's posts scheduled or
	// out in [from, to): the slots "add to queue" must not reuse.
	ChannelTimes(ctx context.Context, workspaceID, channelID int64, from, to time.Time) ([]time.Time, error)
	// PostChannels maps each of the posts to its variants' channel ids.
	PostChannels(ctx context.Context, workspaceID int64, postIDs []int64) (map[int64][]int64, error)
	// SetFeedSecret stores the hash of the workspace's calendar feed secret ("" disables the feed).
	SetFeedSecret(ctx context.Context, workspaceID int64, hash string, now time.Time) error
	// WorkspaceByFeedSecret finds the workspace whose feed secret has this hash.
	WorkspaceByFeedSecret(ctx context.Context, hash string) (int64, error)
	// PostWorkspace finds the workspace of a post by id alone; for the
	// operator's CLI (relais post show ID), never for a user request.
	PostWorkspace(ctx context.Context, postID int64) (int64, error)
}
