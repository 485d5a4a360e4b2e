package inboxrules

import (
	"context"
	"slices"
	"time"

	"github.com/relais/relais/internal/crisis"
	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/sla"
	"github.com/relais/relais/internal/store"
)

// Limits of what Source reads at once.
const (
	// MaxDryRunMessages is how many of the last 30 days' messages a dry run
	// reads at most (the newest).
	MaxDryRunMessages = 50_000
	// MaxCrisisMessages is how many negative messages the spike's terms and
	// examples are drawn from at most (the newest of the window).
	MaxCrisisMessages = 20_000
	// WatchWindow: the crisis watch tests workspaces that received a message within it.
	WatchWindow = 7 * 24 * time.Hour
)

// Source reads the inbox for dry runs (moderation.Source), response-time
// reports (sla.Source) and the crisis warning (crisis.Source).
type Source struct {
	Store store.Store
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

var (
	_ moderation.Source = Source{}
	_ sla.Source        = Source{}
	_ crisis.Source     = Source{}
)

func (s Source) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// messages lists the workspace's messages received in [from, to), oldest
// first, the newest limit of them.
func (s Source) messages(ctx context.Context, workspaceID int64, sentiment string, from, to time.Time, limit int) ([]store.Message, error) {
	ms, err := s.Store.Messages(ctx, workspaceID, store.MessageFilter{Sentiment: sentiment, From: from, To: to, Limit: limit})
	if err != nil {
		return nil, err
	}
	slices.Reverse(ms)
	return ms, nil
}

// Messages are the workspace's messages received since the time, oldest
// first, for the dry run. First contact is judged within what is read: an
// author's first message in the window counts as the first.
func (s Source) Messages(ctx context.Context, workspaceID int64, since time.Time) ([]moderation.Message, error) {
	ms, err := s.messages(ctx, workspaceID, "", since, s.now().Add(time.Minute), MaxDryRunMessages)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	out := make([]moderation.Message, len(ms))
	for i, m := range ms {
		out[i] = ToMessage(m)
		k := m.Network + "\x00" + m.AuthorHandle
		out[i].FirstContact = !seen[k]
		seen[k] = true
	}
	return out, nil
}

// Records are the workspace's messages received in [from, to) with their
// first reply sent from the inbox: one conversation per message.
func (s Source) Records(ctx context.Context, workspaceID int64, from, to time.Time) ([]sla.Record, error) {
	rs, err := s.Store.ResponseRecords(ctx, workspaceID, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]sla.Record, len(rs))
	for i, r := range rs {
		out[i] = sla.Record{ConversationID: r.MessageID, ChannelID: r.ChannelID, ReceivedAt: r.ReceivedAt,
			FirstResponseAt: r.FirstReplyAt, Responder: r.Responder}
	}
	return out, nil
}

// WatchedWorkspaces are the workspaces that received a message in the last week.
func (s Source) WatchedWorkspaces(ctx context.Context) ([]int64, error) {
	return s.Store.InboxWorkspaces(ctx, s.now().Add(-WatchWindow))
}

// NegativeCounts counts the negative messages of each hour of [from, to),
// oldest first, zero for hours without any.
func (s Source) NegativeCounts(ctx context.Context, workspaceID int64, from, to time.Time) ([]int, error) {
	from, to = from.UTC().Truncate(time.Hour), to.UTC()
	hours := int(to.Sub(from) / time.Hour)
	if to.After(from.Add(time.Duration(hours) * time.Hour)) {
		hours++
	}
	counts := make([]int, max(hours, 0))
	hs, err := s.Store.HourlyMessageCounts(ctx, workspaceID, "negative", from, to)
	if err != nil {
		return nil, err
	}
	for _, h := range hs {
		if i := int(h.Hour.Sub(from) / time.Hour); i >= 0 && i < len(counts) {
			counts[i] += h.Count
		}
	}
	return counts, nil
}

// NegativeMessages lists the negative messages received in [from, to).
func (s Source) NegativeMessages(ctx context.Context, workspaceID int64, from, to time.Time) ([]crisis.Message, error) {
	ms, err := s.messages(ctx, workspaceID, "negative", from, to, MaxCrisisMessages)
	if err != nil {
		return nil, err
	}
	out := make([]crisis.Message, len(ms))
	for i, m := range ms {
		out[i] = crisis.Message{ID: m.ID, Author: m.AuthorHandle, Text: m.Text, URL: m.URL, ReceivedAt: m.ReceivedAt}
	}
	return out, nil
}
