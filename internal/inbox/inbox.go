// Package inbox owns the conversations relais reads from the networks: it
// ingests comments, replies and mentions from every channel whose connector
// can read them (deduplicated, with language, sentiment and feedback themes
// computed on arrival, threaded under the relais post they answer), and lets
// members work them: states, assignment, notes, labels, priority, bulk
// actions, replies sent through the network exactly once, and hiding or
// deleting with a logged reason. Rules, SLA and crisis detection plug in
// through Hook. See docs/inbox.md.
package inbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// Message is an inbox message as stored.
type Message = store.Message

// Hook hears about every message the inbox stores for the first time, after
// it was classified (language, sentiment, themes) and threaded. Rules, crisis
// detection and webhooks implement it. An error is logged; the message stays.
type Hook interface {
	Received(ctx context.Context, m Message) error
}

// Connectors opens a channel's connector (channel.Service does).
type Connectors interface {
	Connector(ctx context.Context, workspaceID, channelID int64) (network.Connector, network.Limits, error)
}

// Limits of the inputs, named in the user-facing messages.
const (
	MaxReply  = 5000
	MaxNote   = 5000
	MaxReason = 500
	MaxLabel  = 40
	MaxBulk   = 500
	MaxView   = 80
	// MaxPriority is the highest priority (0 is none).
	MaxPriority = 3
)

// Service is the inbox.
type Service struct {
	Store      store.Store
	Connectors Connectors
	// Hooks hear about each new message, in order.
	Hooks []Hook
	Log   *slog.Logger
	// CommentWindow is how long after publishing a post's comments are read
	// (default 7 days); mentions are read by cursor, without a window.
	CommentWindow time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// StreamBackoff spaces stream reconnections (zero: network.DefaultStreamBackoff).
	StreamBackoff network.Backoff

	// streams are the live streams the poller keeps (see stream.go).
	streams streamSet
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

func can(p auth.Principal, a auth.Action) error {
	if !p.Can(a) {
		return auth.ErrForbidden
	}
	return nil
}

// List lists the workspace's messages with the filter.
func (s *Service) List(ctx context.Context, p auth.Principal, f store.MessageFilter) ([]Message, error) {
	if err := can(p, auth.ActView); err != nil {
		return nil, err
	}
	if f.State != "" && !f.State.Valid() {
		return nil, valid.Errorf("state", "invalid", "state must be open, pending or closed; got %q", f.State)
	}
	switch f.Sentiment {
	case "", "negative", "neutral", "positive":
	default:
		return nil, valid.Errorf("sentiment", "invalid", "sentiment must be negative, neutral or positive; got %q", f.Sentiment)
	}
	if f.Limit > 200 {
		return nil, valid.Errorf("limit", "too_large", "limit allows at most 200 messages per page; got %d", f.Limit)
	}
	return s.Store.Messages(ctx, p.Workspace.ID, f)
}

// Thread is one message with its conversation and what members added to it.
type Thread struct {
	Message Message
	// Conversation is every stored message of the same thread, oldest first.
	Conversation []Message
	// Replies are the replies sent from the inbox to messages of the thread, oldest first.
	Replies    []store.Reply
	Notes      []store.Note
	Moderation []store.ModerationEntry
	// Post and Publication are what the thread answers, when it answers a relais post.
	Post        *store.Post
	Publication *store.Publication
}

// Get reads one message with its thread.
func (s *Service) Get(ctx context.Context, p auth.Principal, id int64) (Thread, error) {
	if err := can(p, auth.ActView); err != nil {
		return Thread{}, err
	}
	ws := p.Workspace.ID
	m, err := s.Store.Message(ctx, ws, id)
	if err != nil {
		return Thread{}, err
	}
	t := Thread{Message: m}
	root := m.RootRemoteID
	if root == "" {
		root = m.RemoteID
	}
	if t.Conversation, err = s.Store.Conversation(ctx, ws, root); err != nil {
		return Thread{}, err
	}
	for _, c := range t.Conversation {
		rs, err := s.Store.Replies(ctx, ws, c.ID)
		if err != nil {
			return Thread{}, err
		}
		t.Replies = append(t.Replies, rs...)
	}
	if t.Notes, err = s.Store.Notes(ctx, ws, id); err != nil {
		return Thread{}, err
	}
	if t.Moderation, err = s.Store.ModerationLog(ctx, ws, id); err != nil {
		return Thread{}, err
	}
	if m.PostID != 0 {
		if post, err := s.Store.Post(ctx, ws, m.PostID); err == nil {
			t.Post = &post
		}
		if m.PublicationID != 0 {
			if pub, err := s.Store.Publication(ctx, ws, m.PublicationID); err == nil {
				t.Publication = &pub
			}
		}
	}
	return t, nil
}

// Change is a change to apply to several messages (nil fields: unchanged).
type Change struct {
	State *store.MessageState
	// Assignee is a member's e-mail, name or user id; "" unassigns.
	Assignee    *string
	Priority    *int
	AddLabel    string
	RemoveLabel string
}

var labelRe = regexp.MustCompile(`^[\p{L}\p{N}_-]+$`)

func checkLabel(field, l string) (string, error) {
	l = strings.ToLower(strings.TrimSpace(l))
	if l == "" {
		return "", nil
	}
	if n := len([]rune(l)); n > MaxLabel {
		return "", valid.Errorf(field, "too_long", "a label allows at most %d characters; it has %d", MaxLabel, n)
	}
	if !labelRe.MatchString(l) {
		return "", valid.Errorf(field, "format", "a label may contain only letters, digits, - and _; got %q", l)
	}
	return l, nil
}

// Update applies one change to the listed messages (bulk actions) and
// returns how many changed; ids of other workspaces are left alone.
func (s *Service) Update(ctx context.Context, p auth.Principal, ids []int64, c Change) (int, error) {
	if err := can(p, auth.ActCompose); err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, valid.Errorf("ids", "required", "choose at least one message")
	}
	if len(ids) > MaxBulk {
		return 0, valid.Errorf("ids", "too_many", "a bulk action takes at most %d messages; got %d", MaxBulk, len(ids))
	}
	var mc store.MessageChange
	if c.State != nil {
		if !c.State.Valid() {
			return 0, valid.Errorf("state", "invalid", "state must be open, pending or closed; got %q", *c.State)
		}
		mc.State = c.State
	}
	if c.Priority != nil {
		if *c.Priority < 0 || *c.Priority > MaxPriority {
			return 0, valid.Errorf("priority", "out_of_range", "priority must be between 0 and %d; got %d", MaxPriority, *c.Priority)
		}
		mc.Priority = c.Priority
	}
	if c.Assignee != nil {
		uid, err := s.member(ctx, p.Workspace.ID, *c.Assignee)
		if err != nil {
			return 0, err
		}
		mc.AssigneeID = &uid
	}
	var err error
	if mc.AddLabel, err = checkLabel("add_label", c.AddLabel); err != nil {
		return 0, err
	}
	if mc.RemoveLabel, err = checkLabel("remove_label", c.RemoveLabel); err != nil {
		return 0, err
	}
	return s.Store.UpdateMessages(ctx, p.Workspace.ID, ids, mc)
}

// member resolves an e-mail, a name or a user id to a member of the
// workspace; "" (or "none") is nobody (0).
func (s *Service) member(ctx context.Context, workspaceID int64, who string) (int64, error) {
	who = strings.TrimSpace(who)
	if who == "" || strings.EqualFold(who, "none") {
		return 0, nil
	}
	members, err := s.Store.Members(ctx, workspaceID)
	if err != nil {
		return 0, err
	}
	id, _ := strconv.ParseInt(who, 10, 64)
	for _, m := range members {
		if strings.EqualFold(m.Email, who) || (m.Name != "" && strings.EqualFold(m.Name, who)) || (id != 0 && m.UserID == id) {
			return m.UserID, nil
		}
	}
	return 0, valid.Errorf("assignee", "not_member", "%q is not a member of this workspace", who)
}

// MemberID resolves an e-mail, name or user id to a member of the principal's workspace.
func (s *Service) MemberID(ctx context.Context, p auth.Principal, who string) (int64, error) {
	if err := can(p, auth.ActView); err != nil {
		return 0, err
	}
	return s.member(ctx, p.Workspace.ID, who)
}

// SetState moves one message to a state.
func (s *Service) SetState(ctx context.Context, p auth.Principal, id int64, st store.MessageState) error {
	return s.updateOne(ctx, p, id, Change{State: &st})
}

// Assign assigns one message to a member (an e-mail, name or id; "" unassigns).
func (s *Service) Assign(ctx context.Context, p auth.Principal, id int64, who string) error {
	return s.updateOne(ctx, p, id, Change{Assignee: &who})
}

func (s *Service) updateOne(ctx context.Context, p auth.Principal, id int64, c Change) error {
	n, err := s.Update(ctx, p, []int64{id}, c)
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	return err
}

// AddNote adds an internal note to a message.
func (s *Service) AddNote(ctx context.Context, p auth.Principal, id int64, text string) (store.Note, error) {
	if err := can(p, auth.ActCompose); err != nil {
		return store.Note{}, err
	}
	text, err := valid.Text("text", "The note", text, MaxNote)
	if err != nil {
		return store.Note{}, err
	}
	n := store.Note{WorkspaceID: p.Workspace.ID, MessageID: id, AuthorID: p.User.ID, Text: text, CreatedAt: s.now()}
	if err := s.Store.AddNote(ctx, &n); err != nil {
		return store.Note{}, err
	}
	n.AuthorEmail = p.User.Email
	return n, nil
}

// Moderation actions.
const (
	ActionHide   = "hide"
	ActionDelete = "delete"
)

// ErrNotSupported is returned when the channel's network cannot do what was asked.
var ErrNotSupported = errors.New("inbox: the network does not allow this")

// Moderate hides or deletes a message on its network. A person does it, with
// a reason; the attempt is logged with who and why whatever its outcome.
// Answering is preferred: hiding is the exception the log makes visible.
func (s *Service) Moderate(ctx context.Context, p auth.Principal, id int64, action, reason string) (store.ModerationEntry, error) {
	if err := can(p, auth.ActPublish); err != nil {
		return store.ModerationEntry{}, err
	}
	if action != ActionHide && action != ActionDelete {
		return store.ModerationEntry{}, valid.Errorf("action", "invalid", "action must be hide or delete; got %q", action)
	}
	reason, err := valid.Text("reason", "The reason", reason, MaxReason)
	if err != nil {
		return store.ModerationEntry{}, err
	}
	m, err := s.Store.Message(ctx, p.Workspace.ID, id)
	if err != nil {
		return store.ModerationEntry{}, err
	}
	conn, _, err := s.Connectors.Connector(ctx, p.Workspace.ID, m.ChannelID)
	if err != nil {
		return store.ModerationEntry{}, err
	}
	var callErr error
	switch action {
	case ActionHide:
		h, ok := conn.(network.CommentHider)
		if !ok {
			return store.ModerationEntry{}, fmt.Errorf("%w: %s cannot hide a comment; answer it instead", ErrNotSupported, m.Network)
		}
		callErr = h.HideComment(ctx, m.RemoteID)
	case ActionDelete:
		callErr = conn.Delete(ctx, m.RemoteID)
	}
	e := store.ModerationEntry{WorkspaceID: p.Workspace.ID, MessageID: id, UserID: p.User.ID, UserEmail: p.User.Email,
		Action: action, Reason: reason, Outcome: "done", CreatedAt: s.now()}
	if callErr != nil {
		e.Outcome, e.Error = "failed", callErr.Error()
	}
	if err := s.Store.AddModerationEntry(ctx, &e); err != nil {
		return store.ModerationEntry{}, err
	}
	if callErr != nil {
		return e, fmt.Errorf("inbox: %s message %d: %w", action, id, callErr)
	}
	return e, s.Store.SetMessageHidden(ctx, p.Workspace.ID, id)
}

// SaveView stores a named filter (its query string) for the workspace.
func (s *Service) SaveView(ctx context.Context, p auth.Principal, name, filter string) (store.SavedView, error) {
	if err := can(p, auth.ActView); err != nil {
		return store.SavedView{}, err
	}
	name, err := valid.Text("name", "The view's name", name, MaxView)
	if err != nil {
		return store.SavedView{}, err
	}
	if len(filter) > 2000 {
		return store.SavedView{}, valid.Errorf("filter", "too_long", "a view's filter allows at most 2000 characters; it has %d", len(filter))
	}
	v := store.SavedView{WorkspaceID: p.Workspace.ID, Name: name, Filter: filter, CreatedBy: p.User.ID}
	return v, s.Store.SaveView(ctx, &v)
}
