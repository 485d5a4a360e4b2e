package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

// RunInboxSignals runs the conformance suite of what rules, response-time
// reports and the crisis warning read of the inbox.
func RunInboxSignals(t *testing.T, open func(t testing.TB) store.Store) {
	t.Run("InboxSignals", func(t *testing.T) {
		t.Parallel()
		testInboxSignals(t, open(t))
	})
	t.Run("UnansweredCriticism", func(t *testing.T) {
		t.Parallel()
		testUnansweredCriticism(t, open(t))
	})
}

func testInboxSignals(t *testing.T, s store.Store) {
	f := newInboxFixture(t, s, "signals")
	h := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	msg := func(ws, ch int64, remote, sentiment, author string, at time.Time) *store.Message {
		m := inboxMessage(ws, ch, remote, at)
		m.Sentiment, m.AuthorHandle = sentiment, author
		return m
	}
	a1 := msg(f.wa.ID, f.ca.ID, "s1", "negative", "@ann", h.Add(5*time.Minute))
	a2 := msg(f.wa.ID, f.ca.ID, "s2", "negative", "@bob", h.Add(59*time.Minute))
	a3 := msg(f.wa.ID, f.ca.ID, "s3", "positive", "@ann", h.Add(61*time.Minute))
	a4 := msg(f.wa.ID, f.ca.ID, "s4", "negative", "@cyd", h.Add(3*time.Hour))
	a5 := msg(f.wa.ID, f.ca.ID, "s5", "negative", "@dan", h.Add(5*time.Hour)) // outside [h, h+5h)
	b1 := msg(f.wb.ID, f.cb.ID, "s1", "negative", "@ann", h.Add(time.Minute))
	_, err := s.InsertMessages(ctx, []*store.Message{a1, a2, a3, a4, a5, b1})
	require.NoError(t, err)

	for _, tc := range []struct {
		name      string
		ws        int64
		sentiment string
		want      []store.HourCount
	}{
		{"negative per hour, empty hours left out", f.wa.ID, "negative", []store.HourCount{{Hour: h, Count: 2}, {Hour: h.Add(3 * time.Hour), Count: 1}}},
		{"every sentiment", f.wa.ID, "", []store.HourCount{{Hour: h, Count: 2}, {Hour: h.Add(time.Hour), Count: 1}, {Hour: h.Add(3 * time.Hour), Count: 1}}},
		{"other workspace", f.wb.ID, "negative", []store.HourCount{{Hour: h, Count: 1}}},
		{"no such sentiment", f.wa.ID, "neutral", []store.HourCount{}},
	} {
		got, err := s.HourlyMessageCounts(ctx, tc.ws, tc.sentiment, h, h.Add(5*time.Hour))
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.want, got, tc.name)
	}

	ids, err := s.InboxWorkspaces(ctx, h.Add(2*time.Hour))
	require.NoError(t, err)
	require.Equal(t, []int64{f.wa.ID}, ids, "only the workspace with a message since then")
	ids, err = s.InboxWorkspaces(ctx, h)
	require.NoError(t, err)
	require.Equal(t, []int64{f.wa.ID, f.wb.ID}, ids)

	// Replies: a1 answered twice (the first sent one counts), a2 failed only.
	reply := func(m *store.Message, author int64, key string, state store.ReplyState, at time.Time) {
		r := store.Reply{WorkspaceID: m.WorkspaceID, MessageID: m.ID, AuthorID: author, Text: key, IdempotencyKey: key, CreatedAt: at}
		require.NoError(t, s.CreateReply(ctx, &r))
		r.State = state
		if state == store.ReplySent {
			r.SentAt = &at
		}
		require.NoError(t, s.FinishReply(ctx, r))
	}
	other := NewUser(t, s, "signals-other@inbox.example")
	reply(a1, other.ID, "k1", store.ReplySent, h.Add(20*time.Minute))
	reply(a1, f.u.ID, "k2", store.ReplySent, h.Add(40*time.Minute))
	reply(a2, f.u.ID, "k3", store.ReplyFailed, h.Add(70*time.Minute))
	reply(b1, f.u.ID, "k4", store.ReplySent, h.Add(2*time.Minute))
	recs, err := s.ResponseRecords(ctx, f.wa.ID, h, h.Add(5*time.Hour))
	require.NoError(t, err)
	require.Len(t, recs, 4)
	first := h.Add(20 * time.Minute)
	require.Equal(t, store.ResponseRecord{MessageID: a1.ID, ChannelID: f.ca.ID, ReceivedAt: a1.ReceivedAt, FirstReplyAt: &first, Responder: other.ID}, recs[0])
	require.Equal(t, store.ResponseRecord{MessageID: a2.ID, ChannelID: f.ca.ID, ReceivedAt: a2.ReceivedAt}, recs[1], "a failed reply is no answer")
	require.Equal(t, []int64{a3.ID, a4.ID}, []int64{recs[2].MessageID, recs[3].MessageID})

	for _, tc := range []struct {
		name    string
		ws      int64
		network string
		handle  string
		before  int64
		want    bool
	}{
		{"wrote before", f.wa.ID, "mastodon", "@ann", a3.ID, true},
		{"first message", f.wa.ID, "mastodon", "@ann", a1.ID, false},
		{"other network", f.wa.ID, "bluesky", "@ann", a3.ID, false},
		{"only in another workspace", f.wb.ID, "mastodon", "@bob", b1.ID + 1000, false},
		{"nobody", f.wa.ID, "mastodon", "@zed", a5.ID + 1, false},
	} {
		got, err := s.AuthorWroteBefore(ctx, tc.ws, tc.network, tc.handle, tc.before)
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.want, got, tc.name)
	}
}
