package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		if h.d.Inbox == nil && h.d.Store != nil && h.d.Channels != nil {
			// Tests of other routes build the API without the inbox.
			h.d.Inbox = &inbox.Service{Store: h.d.Store, Connectors: h.d.Channels, Log: h.d.Log}
		}
		op := func(method, path, id, summary string, status int) huma.Operation {
			return huma.Operation{OperationID: id, Method: method, Path: "/api/v1" + path, Summary: summary, Tags: []string{"Inbox"},
				DefaultStatus: status, MaxBodyBytes: 64 << 10}
		}
		huma.Register(h.api, op(http.MethodGet, "/inbox", "list-inbox", "The inbox: comments, replies and mentions, newest first", http.StatusOK), h.listInbox)
		huma.Register(h.api, op(http.MethodGet, "/inbox/{id}", "get-inbox-message", "One message with its conversation, replies, notes and moderation log", http.StatusOK), h.getInboxMessage)
		huma.Register(h.api, op(http.MethodPost, "/inbox/{id}/reply", "reply-inbox-message", "Answer a message through its network, as the channel, exactly once per idempotency key", http.StatusOK), h.replyInbox)
		huma.Register(h.api, op(http.MethodPost, "/inbox/{id}/assign", "assign-inbox-message", "Assign a message to a member", http.StatusOK), h.assignInbox)
		huma.Register(h.api, op(http.MethodPost, "/inbox/{id}/state", "set-inbox-state", "Move a message to open, pending or closed", http.StatusOK), h.setInboxState)
		huma.Register(h.api, op(http.MethodPost, "/inbox/{id}/labels", "label-inbox-message", "Add or remove a label, set the priority", http.StatusOK), h.labelInbox)
		huma.Register(h.api, op(http.MethodPost, "/inbox/{id}/notes", "add-inbox-note", "Add an internal note (never sent to the network)", http.StatusCreated), h.addInboxNote)
		huma.Register(h.api, op(http.MethodPost, "/inbox/{id}/hide", "hide-inbox-message", "Hide or delete a message on its network; a reason is required and logged", http.StatusOK), h.hideInbox)
		huma.Register(h.api, op(http.MethodPost, "/inbox/bulk", "bulk-inbox", "Apply one change to several messages", http.StatusOK), h.bulkInbox)
		huma.Register(h.api, op(http.MethodPost, "/inbox/sync", "sync-inbox", "Read the workspace's channels now", http.StatusOK), h.syncInbox)
		huma.Register(h.api, op(http.MethodGet, "/inbox/views", "list-inbox-views", "The workspace's saved inbox views", http.StatusOK), h.listInboxViews)
		huma.Register(h.api, op(http.MethodPost, "/inbox/views", "save-inbox-view", "Save a named inbox filter (same name: replaced)", http.StatusOK), h.saveInboxView)
		huma.Register(h.api, op(http.MethodDelete, "/inbox/views/{id}", "delete-inbox-view", "Delete a saved inbox view", http.StatusNoContent), h.deleteInboxView)
	})
}

// inboxFail maps the inbox's own errors, then the common ones.
func (h *Handler) inboxFail(err error) error {
	switch {
	case errors.Is(err, inbox.ErrNotSupported):
		return &ErrorBody{status: http.StatusUnprocessableEntity, Detail: ErrorDetail{Code: "not_supported", Message: err.Error()}}
	case errors.Is(err, inbox.ErrReplyNeedsReview):
		return &ErrorBody{status: http.StatusConflict, Detail: ErrorDetail{Code: "needs_review", Message: err.Error()}}
	}
	return h.fail(err)
}

// ListInboxInput filters the inbox.
type ListInboxInput struct {
	State      string    `query:"state" enum:"open,pending,closed," doc:"Only messages in this state"`
	Network    string    `query:"network" maxLength:"40" doc:"Only messages from this network (mastodon, bluesky, …)"`
	Channel    int64     `query:"channel" doc:"Only messages of this channel id"`
	Sentiment  string    `query:"sentiment" enum:"negative,neutral,positive," doc:"Only messages of this sentiment"`
	Language   string    `query:"language" maxLength:"10" doc:"Only messages in this language (en, fr, de, other)"`
	Theme      string    `query:"theme" maxLength:"40" doc:"Only messages with this feedback theme"`
	Label      string    `query:"label" maxLength:"40" doc:"Only messages with this label"`
	Assignee   string    `query:"assignee" maxLength:"320" doc:"me, none, or a member's e-mail, name or id"`
	Unanswered bool      `query:"unanswered" doc:"Only messages without a reply from relais"`
	From       time.Time `query:"from" doc:"Received at or after (RFC 3339)"`
	To         time.Time `query:"to" doc:"Received before (RFC 3339)"`
	Q          string    `query:"q" maxLength:"200" doc:"Keyword search: messages with all these words"`
	Limit      int       `query:"limit" minimum:"1" maximum:"200" default:"50" doc:"Messages per page"`
	Cursor     string    `query:"cursor" maxLength:"60" doc:"Continue after the page whose next_cursor this is"`
}

// InboxOutput is one page of the inbox.
type InboxOutput struct {
	Body struct {
		Messages   []inbox.MessageView `json:"messages"`
		NextCursor string              `json:"next_cursor" doc:"Pass as cursor for the next page; empty after the last page"`
	}
}

func (h *Handler) listInbox(ctx context.Context, in *ListInboxInput) (*InboxOutput, error) {
	q := inbox.Query{State: in.State, Network: in.Network, ChannelID: in.Channel, Sentiment: in.Sentiment, Language: in.Language,
		Theme: in.Theme, Label: in.Label, Assignee: in.Assignee, Unanswered: in.Unanswered, From: in.From, To: in.To,
		Search: in.Q, Limit: in.Limit, Cursor: in.Cursor}
	pg, err := h.d.Inbox.Find(ctx, principal(ctx), q)
	if err != nil {
		return nil, h.inboxFail(err)
	}
	out := &InboxOutput{}
	out.Body.Messages, out.Body.NextCursor = inbox.ViewsOf(pg.Messages), pg.NextCursor
	return out, nil
}

// InboxNote is an internal note.
type InboxNote struct {
	ID        int64     `json:"id"`
	Author    string    `json:"author" doc:"The author's e-mail"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}

func toNote(n store.Note) InboxNote {
	return InboxNote{ID: n.ID, Author: n.AuthorEmail, Text: n.Text, CreatedAt: n.CreatedAt}
}

// InboxModeration is one hide or delete, with who and why.
type InboxModeration struct {
	Action    string    `json:"action" enum:"hide,delete"`
	By        string    `json:"by" doc:"The member's e-mail"`
	Reason    string    `json:"reason"`
	Outcome   string    `json:"outcome" enum:"done,failed"`
	Error     string    `json:"error,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

func toModeration(e store.ModerationEntry) InboxModeration {
	return InboxModeration{Action: e.Action, By: e.UserEmail, Reason: e.Reason, Outcome: e.Outcome, Error: e.Error, CreatedAt: e.CreatedAt}
}

// InboxThread is a message with its conversation.
type InboxThread struct {
	Message      inbox.MessageView   `json:"message"`
	Conversation []inbox.MessageView `json:"conversation" doc:"The thread's stored messages, oldest first"`
	Replies      []inbox.ReplyView   `json:"replies" doc:"Replies sent from relais in the thread, oldest first"`
	Notes        []InboxNote         `json:"notes"`
	Moderation   []InboxModeration   `json:"moderation"`
	// PublicationURL is the relais post's copy on the network.
	PublicationURL string `json:"publication_url,omitempty" doc:"The answered post's URL on the network"`
}

// InboxIDInput names a message.
type InboxIDInput struct {
	ID int64 `path:"id"`
}

// InboxThreadOutput is a thread.
type InboxThreadOutput struct {
	Body InboxThread
}

func (h *Handler) thread(ctx context.Context, id int64) (*InboxThreadOutput, error) {
	t, err := h.d.Inbox.Get(ctx, principal(ctx), id)
	if err != nil {
		return nil, h.inboxFail(err)
	}
	b := InboxThread{Message: inbox.ViewOf(t.Message), Conversation: inbox.ViewsOf(t.Conversation), Replies: []inbox.ReplyView{},
		Notes: []InboxNote{}, Moderation: []InboxModeration{}}
	for _, r := range t.Replies {
		b.Replies = append(b.Replies, inbox.ReplyViewOf(r))
	}
	for _, n := range t.Notes {
		b.Notes = append(b.Notes, toNote(n))
	}
	for _, e := range t.Moderation {
		b.Moderation = append(b.Moderation, toModeration(e))
	}
	if t.Publication != nil {
		b.PublicationURL = t.Publication.URL
	}
	return &InboxThreadOutput{Body: b}, nil
}

func (h *Handler) getInboxMessage(ctx context.Context, in *InboxIDInput) (*InboxThreadOutput, error) {
	return h.thread(ctx, in.ID)
}

// ReplyInboxInput is a reply.
type ReplyInboxInput struct {
	ID             int64  `path:"id"`
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"200" doc:"Repeat a request with the same key to get the first reply instead of a second one (default: derived from the message and the text)"`
	Body           struct {
		Text string `json:"text" maxLength:"5000" doc:"The reply; required"`
	}
}

// ReplyInboxOutput is the reply as sent.
type ReplyInboxOutput struct {
	Body inbox.ReplyView
}

func (h *Handler) replyInbox(ctx context.Context, in *ReplyInboxInput) (*ReplyInboxOutput, error) {
	r, err := h.d.Inbox.Reply(ctx, principal(ctx), in.ID, in.Body.Text, in.IdempotencyKey)
	if err != nil {
		return nil, h.inboxFail(err)
	}
	return &ReplyInboxOutput{Body: inbox.ReplyViewOf(r)}, nil
}

// AssignInboxInput assigns a message.
type AssignInboxInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Assignee string `json:"assignee" maxLength:"320" doc:"A member's e-mail, name or id; empty or none unassigns"`
	}
}

func (h *Handler) assignInbox(ctx context.Context, in *AssignInboxInput) (*InboxThreadOutput, error) {
	return h.changed(ctx, in.ID, h.d.Inbox.Assign(ctx, principal(ctx), in.ID, in.Body.Assignee))
}

// changed answers the thread of a message just changed, or the change's error.
func (h *Handler) changed(ctx context.Context, id int64, err error) (*InboxThreadOutput, error) {
	if err != nil {
		return nil, h.inboxFail(err)
	}
	return h.thread(ctx, id)
}

// InboxStateInput moves a message.
type InboxStateInput struct {
	ID   int64 `path:"id"`
	Body struct {
		State string `json:"state" enum:"open,pending,closed"`
	}
}

func (h *Handler) setInboxState(ctx context.Context, in *InboxStateInput) (*InboxThreadOutput, error) {
	return h.changed(ctx, in.ID, h.d.Inbox.SetState(ctx, principal(ctx), in.ID, store.MessageState(in.Body.State)))
}

// InboxLabelsInput changes a message's labels and priority.
type InboxLabelsInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Add      string `json:"add,omitempty" maxLength:"40" doc:"A label to add"`
		Remove   string `json:"remove,omitempty" maxLength:"40" doc:"A label to remove"`
		Priority *int   `json:"priority,omitempty" minimum:"0" maximum:"3" doc:"The priority, 0 (none) to 3"`
	}
}

func (h *Handler) labelInbox(ctx context.Context, in *InboxLabelsInput) (*InboxThreadOutput, error) {
	n, err := h.d.Inbox.Update(ctx, principal(ctx), []int64{in.ID}, inbox.Change{AddLabel: in.Body.Add, RemoveLabel: in.Body.Remove, Priority: in.Body.Priority})
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	return h.changed(ctx, in.ID, err)
}

// InboxNoteInput is a note.
type InboxNoteInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Text string `json:"text" maxLength:"5000" doc:"The note; required"`
	}
}

// InboxNoteOutput is the stored note.
type InboxNoteOutput struct {
	Body InboxNote
}

func (h *Handler) addInboxNote(ctx context.Context, in *InboxNoteInput) (*InboxNoteOutput, error) {
	n, err := h.d.Inbox.AddNote(ctx, principal(ctx), in.ID, in.Body.Text)
	if err != nil {
		return nil, h.inboxFail(err)
	}
	return &InboxNoteOutput{Body: toNote(n)}, nil
}

// InboxHideInput hides or deletes a message.
type InboxHideInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Action string `json:"action,omitempty" enum:"hide,delete" default:"hide"`
		Reason string `json:"reason" maxLength:"500" doc:"Why; required and logged with who did it"`
	}
}

// InboxHideOutput is the moderation log entry.
type InboxHideOutput struct {
	Body InboxModeration
}

func (h *Handler) hideInbox(ctx context.Context, in *InboxHideInput) (*InboxHideOutput, error) {
	action := in.Body.Action
	if action == "" {
		action = inbox.ActionHide
	}
	e, err := h.d.Inbox.Moderate(ctx, principal(ctx), in.ID, action, in.Body.Reason)
	if err != nil {
		return nil, h.inboxFail(err)
	}
	return &InboxHideOutput{Body: toModeration(e)}, nil
}

// BulkInboxInput is one change for several messages.
type BulkInboxInput struct {
	Body struct {
		IDs         []int64 `json:"ids" minItems:"1" maxItems:"500"`
		State       string  `json:"state,omitempty" enum:"open,pending,closed,"`
		Assignee    *string `json:"assignee,omitempty" maxLength:"320" doc:"A member's e-mail, name or id; empty unassigns"`
		Priority    *int    `json:"priority,omitempty" minimum:"0" maximum:"3"`
		AddLabel    string  `json:"add_label,omitempty" maxLength:"40"`
		RemoveLabel string  `json:"remove_label,omitempty" maxLength:"40"`
	}
}

// BulkInboxOutput counts the changed messages.
type BulkInboxOutput struct {
	Body struct {
		Changed int `json:"changed"`
	}
}

func (h *Handler) bulkInbox(ctx context.Context, in *BulkInboxInput) (*BulkInboxOutput, error) {
	c := inbox.Change{Assignee: in.Body.Assignee, Priority: in.Body.Priority, AddLabel: in.Body.AddLabel, RemoveLabel: in.Body.RemoveLabel}
	if in.Body.State != "" {
		st := store.MessageState(in.Body.State)
		c.State = &st
	}
	n, err := h.d.Inbox.Update(ctx, principal(ctx), in.Body.IDs, c)
	if err != nil {
		return nil, h.inboxFail(err)
	}
	out := &BulkInboxOutput{}
	out.Body.Changed = n
	return out, nil
}

// SyncInboxOutput is what a sync read.
type SyncInboxOutput struct {
	Body inbox.SyncResult
}

func (h *Handler) syncInbox(ctx context.Context, _ *struct{}) (*SyncInboxOutput, error) {
	res, err := h.d.Inbox.Sync(ctx, principal(ctx))
	if err != nil {
		return nil, h.inboxFail(err)
	}
	if res.Errors == nil {
		res.Errors = []string{}
	}
	return &SyncInboxOutput{Body: res}, nil
}

// InboxView is a saved view.
type InboxView struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Filter string `json:"filter" doc:"The view's query string (state=open&sentiment=negative…), as list-inbox takes it"`
}

// InboxViewsOutput lists saved views.
type InboxViewsOutput struct {
	Body struct {
		Views []InboxView `json:"views"`
	}
}

func (h *Handler) listInboxViews(ctx context.Context, _ *struct{}) (*InboxViewsOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	list, err := h.d.Store.Views(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &InboxViewsOutput{}
	out.Body.Views = []InboxView{}
	for _, v := range list {
		out.Body.Views = append(out.Body.Views, InboxView{ID: v.ID, Name: v.Name, Filter: v.Filter})
	}
	return out, nil
}

// SaveInboxViewInput is a view.
type SaveInboxViewInput struct {
	Body struct {
		Name   string `json:"name" maxLength:"80"`
		Filter string `json:"filter" maxLength:"2000"`
	}
}

// InboxViewOutput is a saved view.
type InboxViewOutput struct {
	Body InboxView
}

func (h *Handler) saveInboxView(ctx context.Context, in *SaveInboxViewInput) (*InboxViewOutput, error) {
	v, err := h.d.Inbox.SaveView(ctx, principal(ctx), in.Body.Name, in.Body.Filter)
	if err != nil {
		return nil, h.inboxFail(err)
	}
	return &InboxViewOutput{Body: InboxView{ID: v.ID, Name: v.Name, Filter: v.Filter}}, nil
}

func (h *Handler) deleteInboxView(ctx context.Context, in *InboxIDInput) (*struct{}, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	if err := h.d.Store.DeleteView(ctx, p.Workspace.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	return nil, nil
}
