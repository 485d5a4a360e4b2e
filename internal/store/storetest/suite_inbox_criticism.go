package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

// testUnansweredCriticism: negative messages without a sent reply, oldest
// first, per channel and in total, scoped to the workspace; an answer (and
// only a sent one) takes a message out. Also a message by its remote id.
func testUnansweredCriticism(t *testing.T, s store.Store) {
	f := newInboxFixture(t, s, "criticism")
	c2 := NewChannel(t, s, f.wa.ID, "bluesky", "criticism-a2")
	h := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	msg := func(ws, ch int64, remote, sentiment string, at time.Time) *store.Message {
		m := inboxMessage(ws, ch, remote, at)
		m.Sentiment = sentiment
		return m
	}
	n1 := msg(f.wa.ID, f.ca.ID, "c1", "negative", h.Add(3*time.Hour))
	n2 := msg(f.wa.ID, f.ca.ID, "c2", "negative", h) // the oldest
	n3 := msg(f.wa.ID, c2.ID, "c3", "negative", h.Add(time.Hour))
	n4 := msg(f.wa.ID, f.ca.ID, "c4", "negative", h.Add(2*time.Hour)) // answered below
	n5 := msg(f.wa.ID, f.ca.ID, "c5", "negative", h.Add(4*time.Hour)) // a failed reply: still unanswered
	p1 := msg(f.wa.ID, f.ca.ID, "c6", "positive", h.Add(time.Minute))
	b1 := msg(f.wb.ID, f.cb.ID, "c1", "negative", h.Add(-time.Hour))
	_, err := s.InsertMessages(ctx, []*store.Message{n1, n2, n3, n4, n5, p1, b1})
	require.NoError(t, err)
	reply := func(m *store.Message, key string, state store.ReplyState) {
		r := store.Reply{WorkspaceID: m.WorkspaceID, MessageID: m.ID, AuthorID: f.u.ID, Text: key, IdempotencyKey: key, CreatedAt: h}
		require.NoError(t, s.CreateReply(ctx, &r))
		r.State = state
		if state == store.ReplySent {
			at := h.Add(5 * time.Hour)
			r.SentAt = &at
		}
		require.NoError(t, s.FinishReply(ctx, r))
	}
	reply(n4, "crit-k1", store.ReplySent)
	reply(n5, "crit-k2", store.ReplyFailed)

	ids := func(ms []store.Message) []int64 {
		out := []int64{}
		for _, m := range ms {
			out = append(out, m.ID)
		}
		return out
	}
	got, err := s.UnansweredCriticism(ctx, f.wa.ID, 0, time.Time{}, 10)
	require.NoError(t, err)
	require.Equal(t, []int64{n2.ID, n3.ID, n1.ID, n5.ID}, ids(got), "oldest first, answered and positive ones left out")
	require.Equal(t, "negative", got[0].Sentiment)
	require.Equal(t, h, got[0].ReceivedAt)

	got, err = s.UnansweredCriticism(ctx, f.wa.ID, f.ca.ID, time.Time{}, 2)
	require.NoError(t, err)
	require.Equal(t, []int64{n2.ID, n1.ID}, ids(got), "one channel, limited")

	got, err = s.UnansweredCriticism(ctx, f.wa.ID, 0, h.Add(90*time.Minute), 10)
	require.NoError(t, err)
	require.Equal(t, []int64{n1.ID, n5.ID}, ids(got), "since a time")

	got, err = s.UnansweredCriticism(ctx, f.wa.ID, f.cb.ID, time.Time{}, 10)
	require.NoError(t, err)
	require.Empty(t, got, "another workspace's channel gives nothing")

	counts, err := s.UnansweredCriticismCounts(ctx, f.wa.ID, time.Time{})
	require.NoError(t, err)
	require.Equal(t, []store.CriticismCount{{ChannelID: f.ca.ID, Count: 3, Oldest: h}, {ChannelID: c2.ID, Count: 1, Oldest: h.Add(time.Hour)}}, counts)
	counts, err = s.UnansweredCriticismCounts(ctx, f.wb.ID, time.Time{})
	require.NoError(t, err)
	require.Equal(t, []store.CriticismCount{{ChannelID: f.cb.ID, Count: 1, Oldest: h.Add(-time.Hour)}}, counts)
	counts, err = s.UnansweredCriticismCounts(ctx, f.wa.ID, h.Add(5*time.Hour))
	require.NoError(t, err)
	require.Empty(t, counts)

	// A message by its remote id, within its channel and workspace only.
	m, err := s.MessageByRemoteID(ctx, f.wa.ID, f.ca.ID, "c1")
	require.NoError(t, err)
	require.Equal(t, n1.ID, m.ID)
	require.Equal(t, n1.Text, m.Text)
	_, err = s.MessageByRemoteID(ctx, f.wa.ID, c2.ID, "c1")
	require.ErrorIs(t, err, store.ErrNotFound, "another channel")
	_, err = s.MessageByRemoteID(ctx, f.wb.ID, f.ca.ID, "c1")
	require.ErrorIs(t, err, store.ErrNotFound, "another workspace")
}
