package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/inboxrules"
	"github.com/relais/relais/internal/jobs"
	"github.com/relais/relais/internal/publish"
	"github.com/relais/relais/internal/store"
)

// wireInbox connects the inbox to the moderation rules (a hook on each new
// message), the dry run and the response-time reports (the inbox's messages
// and replies) and the crisis warning (its hourly negative counts).
func (a *App) wireInbox() {
	src := inboxrules.Source{Store: a.Store}
	a.Moderation.Source = src
	a.Moderation.Records = src
	a.Crisis.Source = src
	a.Inbox.Hooks = append(a.Inbox.Hooks, &inboxrules.Hook{Store: a.Store, Inbox: a.Inbox, Moderation: a.Moderation, Log: a.Log})
}

// ReminderKind is the in-app notification of a conversation nearing or
// past the workspace's first-response target.
const ReminderKind = "inbox_sla"

// LabelReminded marks a message whose response-time reminder went out, so
// it goes out once.
const LabelReminded = "sla-reminded"

// slaPeriodic reminds each workspace's members of the conversations that
// near or passed its first-response target unanswered, once per
// conversation (an in-app notification and the message.sla_due webhook,
// and the message is labelled).
func (a *App) slaPeriodic() []jobs.Periodic {
	if a.Moderation == nil || a.Moderation.Records == nil {
		return nil
	}
	return []jobs.Periodic{{
		Name:  "inbox_sla_reminders",
		Every: 5 * time.Minute,
		Run: func(ctx context.Context) error {
			_, err := a.SendSLAReminders(ctx)
			return err
		},
	}}
}

// SendSLAReminders sends the due response-time reminders of every workspace
// with recent messages and returns how many it sent.
func (a *App) SendSLAReminders(ctx context.Context) (int, error) {
	ids, err := a.Store.InboxWorkspaces(ctx, time.Now().Add(-inboxrules.WatchWindow))
	if err != nil {
		return 0, err
	}
	sent := 0
	var errs []error
	for _, id := range ids {
		n, err := a.remindWorkspace(ctx, id)
		sent += n
		errs = append(errs, err)
	}
	return sent, errors.Join(errs...)
}

func (a *App) remindWorkspace(ctx context.Context, workspaceID int64) (int, error) {
	due, err := a.Moderation.SLAReminders(ctx, workspaceID)
	if err != nil || len(due) == 0 {
		return 0, err
	}
	ws, err := a.Store.WorkspaceByID(ctx, workspaceID)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, r := range due {
		m, err := a.Store.Message(ctx, workspaceID, r.ConversationID)
		if err != nil {
			return sent, err
		}
		if slices.Contains(m.Labels, LabelReminded) || m.State == store.MessageClosed || m.Hidden {
			continue
		}
		// Labelled first: a crash between the two loses a reminder rather than repeating it.
		if _, err := a.Store.UpdateMessages(ctx, workspaceID, []int64{m.ID}, store.MessageChange{AddLabel: LabelReminded}); err != nil {
			return sent, err
		}
		due := r.DueAt.In(time.UTC).Format("2006-01-02 15:04 UTC")
		n := store.Notification{WorkspaceID: workspaceID, UserID: m.AssigneeID, Kind: ReminderKind,
			Message: fmt.Sprintf("A message from %s waits for an answer; its response-time target is %s", m.AuthorHandle, due),
			Args:    []string{m.AuthorHandle, due}, Link: inboxrules.MessagePath(ws.Slug, m.ID)}
		if err := a.Store.CreateNotification(ctx, &n); err != nil {
			return sent, err
		}
		if a.Webhooks != nil {
			// Queued without blocking; a failed delivery is logged by the webhooks.
			_ = a.Webhooks.Notify(ctx, publish.Event{Kind: store.HookMessageSLADue, WorkspaceID: workspaceID, PostID: m.PostID,
				PublicationID: m.PublicationID, ChannelID: m.ChannelID, Network: m.Network, Message: n.Message, MessageID: m.ID})
		}
		sent++
	}
	return sent, nil
}

var _ inbox.Hook = (*inboxrules.Hook)(nil)
