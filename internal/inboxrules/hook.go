// Package inboxrules wires the moderation rules, the response-time reports
// and the crisis warning to the inbox: a Hook runs a workspace's rules on each
// new message and applies their actions through the inbox, and Source reads
// the inbox's messages for dry runs (moderation.Source), response-time
// reports (sla.Source) and the spike test (crisis.Source). The inbox,
// moderation, sla and crisis packages stay free of each other.
package inboxrules

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/store"
)

// Labels the rules set beside the ones they name.
const (
	// LabelReview marks a message a rule flagged for a person (a hide or spam
	// of criticism the "answer, don't delete" policy turned into a review).
	LabelReview = "needs-review"
	// LabelSpam marks a message a rule took for spam (it is also closed).
	LabelSpam = "spam"
)

// NotifyKind is the in-app notification a rule's notify action sends.
const NotifyKind = "inbox_rule"

// Actor is who the moderation log and notes name for what a rule did.
const Actor = "rule"

// priorities maps a rule's priority to the inbox's 0–3 (0: none).
var priorities = map[string]int{"low": 1, "normal": 0, "high": 2, "urgent": 3}

// Hook runs the workspace's moderation rules on each new inbox message and
// applies their actions: assign, label, priority, spam (label and closed),
// flag for review (label, high priority and a note saying why), hide (the
// inbox's hide with a reason naming the rule, logged), auto-reply (a saved
// reply in the message's language, placeholders filled, sent exactly once
// through the inbox) and notify (in-app).
type Hook struct {
	Store      store.Store
	Inbox      *inbox.Service
	Moderation *moderation.Service
	Log        *slog.Logger
}

func (h *Hook) log() *slog.Logger {
	if h.Log == nil {
		return slog.Default()
	}
	return h.Log
}

// ToMessage is what the rules read of an inbox message. A message counts as a
// complaint when it names a feedback theme (delivery, refunds, …) without
// being positive, so the policy protects it as criticism.
func ToMessage(m inbox.Message) moderation.Message {
	return moderation.Message{ID: m.ID, WorkspaceID: m.WorkspaceID, ChannelID: m.ChannelID, Network: m.Network,
		Author: m.AuthorHandle, Text: m.Text, Language: m.Language, Sentiment: m.Sentiment, Themes: m.Themes,
		Complaint: len(m.Themes) > 0 && m.Sentiment != "positive", ReceivedAt: m.ReceivedAt}
}

// evaluate runs the workspace's rules over a message; ok is false when the
// workspace has no enabled rule. The only database read is the author
// look-up, and only when a rule has a first-contact condition: the author
// wrote to the workspace before the message beforeID.
func (h *Hook) evaluate(ctx context.Context, m *inbox.Message, beforeID int64) (e *moderation.Engine, mm moderation.Message, out moderation.Outcome, ok bool, err error) {
	if e, err = h.Moderation.Engine(ctx, m.WorkspaceID); err != nil {
		return nil, mm, out, false, fmt.Errorf("inboxrules: compile rules: %w", err)
	}
	if e.Len() == 0 {
		return e, mm, out, false, nil
	}
	mm = ToMessage(*m)
	if e.UsesFirstContact() {
		seen, err := h.Store.AuthorWroteBefore(ctx, m.WorkspaceID, m.Network, m.AuthorHandle, beforeID)
		if err != nil {
			return e, mm, out, false, err
		}
		mm.FirstContact = !seen
	}
	return e, mm, e.Evaluate(mm), true, nil
}

// Prepare sets what the rules decide of each message of a batch before it is
// stored (assignee, priority, labels, closed for spam), so it is stored with
// the batch: no statement per message. The engine is compiled once per
// workspace and cached by the moderation service.
func (h *Hook) Prepare(ctx context.Context, ms []*inbox.Message) error {
	var errs []error
	for _, m := range ms {
		_, _, out, ok, err := h.evaluate(ctx, m, math.MaxInt64)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ok {
			setFields(m, out.Actions)
		}
	}
	return errors.Join(errs...)
}

// Received applies what the rules decide of a stored message: the fields
// Prepare did not set already (when a rule changed in between), then hiding,
// auto-replies, notifications and the notes that explain a review flag or
// an action that could not be done.
func (h *Hook) Received(ctx context.Context, m inbox.Message) error {
	if h.prepared(ctx, m) {
		return nil
	}
	e, _, out, ok, err := h.evaluate(ctx, &m, m.ID)
	if err != nil || !ok || len(out.Actions) == 0 {
		return err
	}
	return h.apply(ctx, e, m, out.Actions)
}

// prepared reports whether Prepare, which Ingest calls before storing the
// batch, did all the rules have to do: no rule acts beyond the message's
// fields. Then Received need not evaluate again.
func (h *Hook) prepared(ctx context.Context, m inbox.Message) bool {
	e, err := h.Moderation.Engine(ctx, m.WorkspaceID)
	return err == nil && !e.Takes(moderation.ActHide, moderation.ActSpam, moderation.ActAutoReply, moderation.ActNotify)
}

// system is the principal a rule acts as in its workspace.
func system(workspaceID int64) auth.Principal {
	return auth.Principal{User: store.User{Email: Actor, Name: Actor}, Workspace: store.Workspace{ID: workspaceID}, Role: store.RoleOwner}
}

// setFields applies the actions that change the message itself.
func setFields(m *inbox.Message, acts []moderation.Applied) {
	addLabel := func(l string) {
		if l != "" && !slices.Contains(m.Labels, l) {
			m.Labels = append(m.Labels, l)
		}
	}
	prioritySet := false
	for _, a := range acts {
		switch a.Kind {
		case moderation.ActAssign:
			if id, err := strconv.ParseInt(a.Value, 10, 64); err == nil {
				m.AssigneeID = id
			}
		case moderation.ActLabel:
			addLabel(Label(a.Value))
		case moderation.ActPriority:
			if p, ok := priorities[a.Value]; ok && !prioritySet {
				m.Priority, prioritySet = p, true
			}
		case moderation.ActSpam:
			m.State = store.MessageClosed
			addLabel(LabelSpam)
		case moderation.ActFlagReview:
			addLabel(LabelReview)
			m.Priority, prioritySet = max(m.Priority, 2), true
		}
	}
}

func (h *Hook) apply(ctx context.Context, e *moderation.Engine, m inbox.Message, acts []moderation.Applied) error {
	var errs []error
	// The fields, when Prepare did not set them.
	want := m
	want.Labels = slices.Clone(m.Labels)
	setFields(&want, acts)
	var c store.MessageChange
	if want.State != m.State {
		c.State = &want.State
	}
	if want.AssigneeID != m.AssigneeID {
		c.AssigneeID = &want.AssigneeID
	}
	if want.Priority != m.Priority {
		c.Priority = &want.Priority
	}
	labels := want.Labels[len(m.Labels):]
	if len(labels) > 0 {
		c.AddLabel, labels = labels[0], labels[1:]
	}
	if c.State != nil || c.AssigneeID != nil || c.Priority != nil || c.AddLabel != "" {
		if _, err := h.Store.UpdateMessages(ctx, m.WorkspaceID, []int64{m.ID}, c); err != nil {
			errs = append(errs, err)
		}
	}
	for _, l := range labels {
		if _, err := h.Store.UpdateMessages(ctx, m.WorkspaceID, []int64{m.ID}, store.MessageChange{AddLabel: l}); err != nil {
			errs = append(errs, err)
		}
	}
	var notes []string
	for _, a := range acts {
		name := e.RuleName(a.RuleID)
		var err error
		switch a.Kind {
		case moderation.ActFlagReview:
			notes = append(notes, fmt.Sprintf("Rule %q: %s", name, a.Note))
		case moderation.ActHide:
			err = h.hide(ctx, m, name)
		case moderation.ActAutoReply:
			err = h.autoReply(ctx, m, a)
		case moderation.ActNotify:
			err = h.notify(ctx, m, a, name)
		}
		if err != nil {
			// What a rule could not do is said on the message, for a person.
			notes = append(notes, fmt.Sprintf("Rule %q could not %s: %v", name, strings.ReplaceAll(a.Kind, "_", "-"), err))
			errs = append(errs, err)
		}
	}
	for _, n := range notes {
		note := store.Note{WorkspaceID: m.WorkspaceID, MessageID: m.ID, Text: n}
		if err := h.Store.AddNote(ctx, &note); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// hide hides the message on its network through the inbox, which logs it
// with the reason; the policy already turned hiding criticism into a review.
func (h *Hook) hide(ctx context.Context, m inbox.Message, rule string) error {
	reason := fmt.Sprintf("Moderation rule %q hides messages like this one", rule)
	_, err := h.Inbox.Moderate(ctx, system(m.WorkspaceID), m.ID, inbox.ActionHide, reason)
	return err
}

// autoReply sends the rule's saved reply (in the message's language when the
// team wrote one) with its placeholders filled, exactly once per rule and
// message (the idempotency key).
func (h *Hook) autoReply(ctx context.Context, m inbox.Message, a moderation.Applied) error {
	id, err := strconv.ParseInt(a.Value, 10, 64)
	if err != nil {
		return fmt.Errorf("saved reply %q: %w", a.Value, err)
	}
	sr, err := h.Moderation.ReplyFor(ctx, m.WorkspaceID, id, m.Language)
	if err != nil {
		return fmt.Errorf("saved reply %d: %w", id, err)
	}
	values, err := Values(ctx, h.Store, m)
	if err != nil {
		return err
	}
	text, err := moderation.Render(sr.Body, values)
	if err != nil {
		return fmt.Errorf("saved reply %q: %w", sr.Name, err)
	}
	_, err = h.Inbox.Reply(ctx, system(m.WorkspaceID), m.ID, text, fmt.Sprintf("rule-%d-message-%d", a.RuleID, m.ID))
	return err
}

// Values are the placeholder values a message fills in a saved reply:
// {author}, {first_name} (the display name's first word, else the handle),
// {channel} (the channel's name) and {network}.
func Values(ctx context.Context, st store.Store, m inbox.Message) (map[string]string, error) {
	ch, err := st.Channel(ctx, m.WorkspaceID, m.ChannelID)
	if err != nil {
		return nil, err
	}
	channel := ch.DisplayName
	if channel == "" {
		channel = ch.Handle
	}
	// A display name that is a handle would make {first_name} a mention.
	name := m.AuthorName
	if strings.HasPrefix(name, "@") {
		name = ""
	}
	return moderation.MessageValues(ToMessage(m), name, channel), nil
}

// notify tells a member (or every member) in the app.
func (h *Hook) notify(ctx context.Context, m inbox.Message, a moderation.Applied, rule string) error {
	var uid int64
	if a.Value != "" {
		uid, _ = strconv.ParseInt(a.Value, 10, 64)
	}
	ws, err := h.Store.WorkspaceByID(ctx, m.WorkspaceID)
	if err != nil {
		return err
	}
	author := m.AuthorHandle
	if author == "" {
		author = m.AuthorName
	}
	n := store.Notification{WorkspaceID: m.WorkspaceID, UserID: uid, Kind: NotifyKind,
		Message: fmt.Sprintf("Inbox rule %s: a message from %s", rule, author), Args: []string{rule, author},
		Link: MessagePath(ws.Slug, m.ID)}
	return h.Store.CreateNotification(ctx, &n)
}

// MessagePath is a message's page in the web UI.
func MessagePath(slug string, id int64) string {
	return "/workspaces/" + url.PathEscape(slug) + "/inbox/" + strconv.FormatInt(id, 10)
}

// Label turns a rule's label into the inbox's form: lower case, letters,
// digits, - and _ (spaces become -), at most inbox.MaxLabel characters.
func Label(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if n == inbox.MaxLabel {
			break
		}
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case unicode.IsSpace(r):
			b.WriteRune('-')
		default:
			continue
		}
		n++
	}
	return b.String()
}
