package sqlstore

import (
	"context"
	"time"

	"github.com/relais/relais/internal/store"
)

func nowOr(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now().UTC()
	}
	return t
}

// AddComment adds a comment to a post of the workspace.
func (db *DB) AddComment(ctx context.Context, c *store.Comment) error {
	c.CreatedAt = nowOr(c.CreatedAt)
	err := db.W.QueryRowContext(ctx, db.Q("AddComment"), c.WorkspaceID, c.PostID, c.UserID, c.Body, MS(c.CreatedAt)).Scan(&c.ID)
	return db.Err("add comment", err)
}

// Comments lists a post's comments, oldest first.
func (db *DB) Comments(ctx context.Context, workspaceID, postID int64) ([]store.Comment, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("Comments"), workspaceID, postID)
	if err != nil {
		return nil, db.Err("list comments", err)
	}
	defer rows.Close()
	var out []store.Comment
	for rows.Next() {
		var c store.Comment
		var at int64
		if err := rows.Scan(&c.ID, &c.WorkspaceID, &c.PostID, &c.UserID, &c.Body, &at); err != nil {
			return nil, db.Err("list comments", err)
		}
		c.CreatedAt = Time(at)
		out = append(out, c)
	}
	return out, db.Err("list comments", rows.Err())
}

// AddHistory records a change of a post of the workspace.
func (db *DB) AddHistory(ctx context.Context, h *store.HistoryEntry) error {
	h.CreatedAt = nowOr(h.CreatedAt)
	err := db.W.QueryRowContext(ctx, db.Q("AddHistory"), h.WorkspaceID, h.PostID, h.UserID, h.Action, h.Detail, MS(h.CreatedAt)).Scan(&h.ID)
	return db.Err("add history", err)
}

// History lists a post's changes, oldest first.
func (db *DB) History(ctx context.Context, workspaceID, postID int64) ([]store.HistoryEntry, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("History"), workspaceID, postID)
	if err != nil {
		return nil, db.Err("list history", err)
	}
	defer rows.Close()
	var out []store.HistoryEntry
	for rows.Next() {
		var h store.HistoryEntry
		var at int64
		if err := rows.Scan(&h.ID, &h.WorkspaceID, &h.PostID, &h.UserID, &h.Action, &h.Detail, &at); err != nil {
			return nil, db.Err("list history", err)
		}
		h.CreatedAt = Time(at)
		out = append(out, h)
	}
	return out, db.Err("list history", rows.Err())
}

// AddApproval records an approver's decision on a post of the workspace.
func (db *DB) AddApproval(ctx context.Context, a *store.Approval) error {
	a.CreatedAt = nowOr(a.CreatedAt)
	err := db.W.QueryRowContext(ctx, db.Q("AddApproval"), a.WorkspaceID, a.PostID, a.UserID, a.Decision, a.Note, MS(a.CreatedAt)).Scan(&a.ID)
	return db.Err("add approval", err)
}

// Approvals lists a post's decisions, oldest first.
func (db *DB) Approvals(ctx context.Context, workspaceID, postID int64) ([]store.Approval, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("Approvals"), workspaceID, postID)
	if err != nil {
		return nil, db.Err("list approvals", err)
	}
	defer rows.Close()
	var out []store.Approval
	for rows.Next() {
		var a store.Approval
		var at int64
		if err := rows.Scan(&a.ID, &a.WorkspaceID, &a.PostID, &a.UserID, &a.Decision, &a.Note, &at); err != nil {
			return nil, db.Err("list approvals", err)
		}
		a.CreatedAt = Time(at)
		out = append(out, a)
	}
	return out, db.Err("list approvals", rows.Err())
}

// CreateSnippet adds a snippet.
func (db *DB) CreateSnippet(ctx context.Context, s *store.Snippet) error {
	s.CreatedAt = nowOr(s.CreatedAt)
	if s.Kind == "" {
		s.Kind = "text"
	}
	err := db.W.QueryRowContext(ctx, db.Q("CreateSnippet"), s.WorkspaceID, s.Name, s.Kind, s.Body, MS(s.CreatedAt)).Scan(&s.ID)
	return db.Err("create snippet", err)
}

// Snippets lists a workspace's snippets by kind and name.
func (db *DB) Snippets(ctx context.Context, workspaceID int64) ([]store.Snippet, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("Snippets"), workspaceID)
	if err != nil {
		return nil, db.Err("list snippets", err)
	}
	defer rows.Close()
	var out []store.Snippet
	for rows.Next() {
		var s store.Snippet
		var at int64
		if err := rows.Scan(&s.ID, &s.WorkspaceID, &s.Name, &s.Kind, &s.Body, &at); err != nil {
			return nil, db.Err("list snippets", err)
		}
		s.CreatedAt = Time(at)
		out = append(out, s)
	}
	return out, db.Err("list snippets", rows.Err())
}

// DeleteSnippet removes a snippet.
func (db *DB) DeleteSnippet(ctx context.Context, workspaceID, id int64) error {
	return db.Err("delete snippet", Affected(db.W.ExecContext(ctx, db.Q("DeleteSnippet"), workspaceID, id)))
}

// SetChannelSlots saves a channel's posting slots.
func (db *DB) SetChannelSlots(ctx context.Context, s store.ChannelSlots) error {
	s.UpdatedAt = nowOr(s.UpdatedAt)
	var id int64
	err := db.W.QueryRowContext(ctx, db.Q("SetChannelSlots"), s.WorkspaceID, s.ChannelID, s.Spec, s.Timezone, MS(s.UpdatedAt)).Scan(&id)
	return db.Err("set channel slots", err)
}

// ChannelSlots reads a channel's posting slots.
func (db *DB) ChannelSlots(ctx context.Context, workspaceID, channelID int64) (store.ChannelSlots, error) {
	var s store.ChannelSlots
	var at int64
	err := db.R.QueryRowContext(ctx, db.Q("ChannelSlots"), workspaceID, channelID).Scan(&s.WorkspaceID, &s.ChannelID, &s.Spec, &s.Timezone, &at)
	s.UpdatedAt = Time(at)
	return s, db.Err("read channel slots", err)
}

// ChannelTimes lists the channel's taken due times in [from, to).
func (db *DB) ChannelTimes(ctx context.Context, workspaceID, channelID int64, from, to time.Time) ([]time.Time, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("ChannelTimes"), workspaceID, channelID, MS(from), MS(to))
	if err != nil {
		return nil, db.Err("channel times", err)
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var at int64
		if err := rows.Scan(&at); err != nil {
			return nil, db.Err("channel times", err)
		}
		out = append(out, Time(at))
	}
	return out, db.Err("channel times", rows.Err())
}

// PostChannels maps posts to their variants' channels in one query.
func (db *DB) PostChannels(ctx context.Context, workspaceID int64, postIDs []int64) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	if len(postIDs) == 0 {
		return out, nil
	}
	rows, err := db.R.QueryContext(ctx, db.Q("PostChannels"), workspaceID, idList(postIDs))
	if err != nil {
		return nil, db.Err("post channels", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p, c int64
		if err := rows.Scan(&p, &c); err != nil {
			return nil, db.Err("post channels", err)
		}
		out[p] = append(out[p], c)
	}
	return out, db.Err("post channels", rows.Err())
}

// SetFeedSecret stores (or, with "", removes) the workspace's feed secret hash.
func (db *DB) SetFeedSecret(ctx context.Context, workspaceID int64, hash string, now time.Time) error {
	if hash == "" {
		_, err := db.W.ExecContext(ctx, db.Q("DeleteFeedSecret"), workspaceID)
		return db.Err("delete feed secret", err)
	}
	_, err := db.W.ExecContext(ctx, db.Q("SetFeedSecret"), workspaceID, hash, MS(nowOr(now)))
	return db.Err("set feed secret", err)
}

// WorkspaceByFeedSecret finds the workspace of a feed secret hash.
func (db *DB) WorkspaceByFeedSecret(ctx context.Context, hash string) (int64, error) {
	var id int64
	err := db.R.QueryRowContext(ctx, db.Q("WorkspaceByFeedSecret"), hash).Scan(&id)
	return id, db.Err("feed secret", err)
}

// PostWorkspace finds a post's workspace by id alone (operator CLI only).
func (db *DB) PostWorkspace(ctx context.Context, postID int64) (int64, error) {
	var id int64
	err := db.R.QueryRowContext(ctx, db.Q("PostWorkspace"), postID).Scan(&id)
	return id, db.Err("post workspace", err)
}
