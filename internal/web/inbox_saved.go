package web

import (
	"context"
	"time"

	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/inboxrules"
	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/sla"
)

// savedChoice is a saved reply offered in a message's reply box: its text
// with the message's placeholders filled, or with the ones the message
// cannot fill ({order_link}…) left for the person to write.
type savedChoice struct {
	ID   int64
	Name string
	Lang string
	Text string
	// Missing is true when placeholders are left in Text.
	Missing bool
}

// savedChoices lists the workspace's saved replies for a message, those in
// the message's language first.
func (h *handler) savedChoices(ctx context.Context, m inbox.Message) []savedChoice {
	list, err := h.moderation().SavedReplies(ctx, m.WorkspaceID)
	if err != nil || len(list) == 0 {
		return nil
	}
	values, err := inboxrules.Values(ctx, h.d.Store, m)
	if err != nil {
		return nil
	}
	var first, rest []savedChoice
	for _, r := range list {
		c := savedChoice{ID: r.ID, Name: r.Name, Lang: r.Lang}
		if text, err := moderation.Render(r.Body, values); err == nil {
			c.Text = text
		} else {
			c.Text, c.Missing = r.Body, true
		}
		if r.Lang == m.Language {
			first = append(first, c)
		} else {
			rest = append(rest, c)
		}
	}
	return append(first, rest...)
}

// responseFigures are the workspace's first-response figures over the last
// 30 days and its target in minutes, for the dashboard (nil on failure: the
// card is left out rather than the dashboard failing).
func (h *handler) responseFigures(ctx context.Context, workspaceID int64) (*sla.Figures, int) {
	now := time.Now()
	rep, err := h.moderation().SLAReport(ctx, workspaceID, now.Add(-30*24*time.Hour), now, sla.Week)
	if err != nil {
		return nil, 0
	}
	return &rep.Total, rep.TargetMinutes
}
