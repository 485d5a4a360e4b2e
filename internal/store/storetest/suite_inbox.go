package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

// RunInbox runs the conformance suite of the inbox.
func RunInbox(t *testing.T, open func(t testing.TB) store.Store) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"InboxMessages", testInboxMessages},
		{"InboxFilters", testInboxFilters},
		{"InboxReplies", testInboxReplies},
		{"InboxNotesLogViewsCursors", testInboxExtras},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

type inboxFixture struct {
	u      store.User
	wa, wb store.Workspace
	ca, cb store.Channel
}

func newInboxFixture(t *testing.T, s store.Store, slug string) inboxFixture {
	u := NewUser(t, s, slug+"@inbox.example")
	wa := NewWorkspace(t, s, slug+"-a", u.ID)
	wb := NewWorkspace(t, s, slug+"-b", u.ID)
	return inboxFixture{u: u, wa: wa, wb: wb,
		ca: NewChannel(t, s, wa.ID, "mastodon", slug+"-a"), cb: NewChannel(t, s, wb.ID, "mastodon", slug+"-b")}
}

func inboxMessage(ws, ch int64, remote string, at time.Time) *store.Message {
	return &store.Message{WorkspaceID: ws, ChannelID: ch, Network: "mastodon", RemoteID: remote, RootRemoteID: "root-1",
		Kind: store.KindReply, AuthorHandle: "@bob@example.org", Text: "text of " + remote, Language: "en",
		Sentiment: "neutral", ReceivedAt: at, CreatedAt: at}
}

func testInboxMessages(t *testing.T, s store.Store) {
	f := newInboxFixture(t, s, "inboxmsg")
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	m1 := inboxMessage(f.wa.ID, f.ca.ID, "r1", at)
	m1.Themes, m1.Labels, m1.Sentiment, m1.SentimentScore = []string{"delivery", "price"}, []string{"vip"}, "negative", -0.6
	m1.ParentRemoteID, m1.URL, m1.AuthorID, m1.AuthorName = "root-1", "https://example.org/@bob/r1", "42", "Bob"
	m2 := inboxMessage(f.wa.ID, f.ca.ID, "r2", at.Add(time.Minute))
	n, err := s.InsertMessages(ctx, []*store.Message{m1, m2})
	require.NoError(t, err)
	require.Equal(t, 2, n)
	require.NotZero(t, m1.ID)

	// The same remote message again is skipped, in the same batch as a new one.
	dup := inboxMessage(f.wa.ID, f.ca.ID, "r1", at.Add(time.Hour))
	m3 := inboxMessage(f.wa.ID, f.ca.ID, "r3", at.Add(2*time.Minute))
	n, err = s.InsertMessages(ctx, []*store.Message{dup, m3})
	require.NoError(t, err)
	require.Equal(t, 1, n, "the duplicate is skipped")
	require.Zero(t, dup.ID)
	require.NotZero(t, m3.ID)
	// Another channel may hold the same remote id.
	other := inboxMessage(f.wb.ID, f.cb.ID, "r1", at)
	n, err = s.InsertMessages(ctx, []*store.Message{other})
	require.NoError(t, err)
	require.Equal(t, 1, n)

	got, err := s.Message(ctx, f.wa.ID, m1.ID)
	require.NoError(t, err)
	require.Equal(t, []string{"delivery", "price"}, got.Themes)
	require.Equal(t, []string{"vip"}, got.Labels)
	require.Equal(t, store.MessageOpen, got.State)
	require.Equal(t, "negative", got.Sentiment)
	require.InDelta(t, -0.6, got.SentimentScore, 1e-9)
	require.Equal(t, "root-1", got.ParentRemoteID)
	require.Equal(t, "https://example.org/@bob/r1", got.URL)
	require.True(t, got.ReceivedAt.Equal(at))
	_, err = s.Message(ctx, f.wb.ID, m1.ID)
	require.ErrorIs(t, err, store.ErrNotFound, "another workspace's message is not found")
	ws, err := s.MessageWorkspace(ctx, m1.ID)
	require.NoError(t, err)
	require.Equal(t, f.wa.ID, ws)

	conv, err := s.Conversation(ctx, f.wa.ID, "root-1")
	require.NoError(t, err)
	require.Len(t, conv, 3)
	require.Equal(t, m1.ID, conv[0].ID, "oldest first")

	open, err := s.CountOpenMessages(ctx, f.wa.ID)
	require.NoError(t, err)
	require.EqualValues(t, 3, open)

	// Bulk change: close two, assign, label; ids of another workspace are ignored.
	closed := store.MessageClosed
	n, err = s.UpdateMessages(ctx, f.wa.ID, []int64{m1.ID, m2.ID, other.ID}, store.MessageChange{State: &closed, AssigneeID: &f.u.ID, AddLabel: "refund"})
	require.NoError(t, err)
	require.Equal(t, 2, n)
	got, err = s.Message(ctx, f.wa.ID, m1.ID)
	require.NoError(t, err)
	require.Equal(t, store.MessageClosed, got.State)
	require.Equal(t, f.u.ID, got.AssigneeID)
	require.Equal(t, f.u.Email, got.AssigneeEmail)
	require.Equal(t, []string{"vip", "refund"}, got.Labels)
	o, err := s.Message(ctx, f.wb.ID, other.ID)
	require.NoError(t, err)
	require.Equal(t, store.MessageOpen, o.State)

	prio := 2
	_, err = s.UpdateMessages(ctx, f.wa.ID, []int64{m1.ID}, store.MessageChange{Priority: &prio, RemoveLabel: "vip", AddLabel: "refund"})
	require.NoError(t, err)
	got, err = s.Message(ctx, f.wa.ID, m1.ID)
	require.NoError(t, err)
	require.Equal(t, []string{"refund"}, got.Labels, "adding a label twice keeps one")
	require.Equal(t, 2, got.Priority)
	require.Equal(t, store.MessageClosed, got.State, "a change without a state keeps it")
	_, err = s.UpdateMessages(ctx, f.wa.ID, []int64{m1.ID}, store.MessageChange{RemoveLabel: "refund"})
	require.NoError(t, err)
	got, err = s.Message(ctx, f.wa.ID, m1.ID)
	require.NoError(t, err)
	require.Empty(t, got.Labels)

	open, err = s.CountOpenMessages(ctx, f.wa.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, open)

	require.ErrorIs(t, s.SetMessageHidden(ctx, f.wb.ID, m1.ID), store.ErrNotFound)
	require.NoError(t, s.SetMessageHidden(ctx, f.wa.ID, m1.ID))
	got, err = s.Message(ctx, f.wa.ID, m1.ID)
	require.NoError(t, err)
	require.True(t, got.Hidden)
}

func testInboxFilters(t *testing.T, s store.Store) {
	f := newInboxFixture(t, s, "inboxfilter")
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	var ms []*store.Message
	for i := range 30 {
		m := inboxMessage(f.wa.ID, f.ca.ID, fmt.Sprintf("f%02d", i), at.Add(time.Duration(i)*time.Minute))
		m.Text = fmt.Sprintf("message %d about shipping", i)
		if i%3 == 0 {
			m.Sentiment = "negative"
			m.Themes = []string{"delivery"}
			m.Text = fmt.Sprintf("message %d: the parcel never arrived, zanzibar", i)
		}
		if i%5 == 0 {
			m.Language = "fr"
		}
		ms = append(ms, m)
	}
	ms = append(ms, inboxMessage(f.wb.ID, f.cb.ID, "secret", at))
	ms[len(ms)-1].Text = "zanzibar in another workspace"
	_, err := s.InsertMessages(ctx, ms)
	require.NoError(t, err)
	closed := store.MessageClosed
	_, err = s.UpdateMessages(ctx, f.wa.ID, []int64{ms[0].ID, ms[3].ID}, store.MessageChange{State: &closed, AssigneeID: &f.u.ID})
	require.NoError(t, err)
	require.NoError(t, s.CreateReply(ctx, &store.Reply{WorkspaceID: f.wa.ID, MessageID: ms[6].ID, AuthorID: f.u.ID, Text: "sorry", IdempotencyKey: "k"}))
	r, err := s.ReplyByKey(ctx, f.wa.ID, "k")
	require.NoError(t, err)
	sent := at
	r.State, r.SentAt = store.ReplySent, &sent
	require.NoError(t, s.FinishReply(ctx, r))

	list := func(ws int64, fl store.MessageFilter) []string {
		t.Helper()
		l, err := s.Messages(ctx, ws, fl)
		require.NoError(t, err)
		out := make([]string, len(l))
		for i, m := range l {
			out[i] = m.RemoteID
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    store.MessageFilter
		want []string
	}{
		{"newest first, limited", store.MessageFilter{Limit: 3}, []string{"f29", "f28", "f27"}},
		{"negative", store.MessageFilter{Sentiment: "negative", Limit: 4}, []string{"f27", "f24", "f21", "f18"}},
		{"negative french", store.MessageFilter{Sentiment: "negative", Language: "fr"}, []string{"f15", "f00"}},
		{"theme", store.MessageFilter{Theme: "delivery", Limit: 2}, []string{"f27", "f24"}},
		{"closed", store.MessageFilter{State: store.MessageClosed}, []string{"f03", "f00"}},
		{"assignee", store.MessageFilter{AssigneeID: f.u.ID}, []string{"f03", "f00"}},
		{"unassigned", store.MessageFilter{Unassigned: true, Limit: 1}, []string{"f29"}},
		{"unanswered negative", store.MessageFilter{Unanswered: true, Sentiment: "negative", State: store.MessageOpen, To: at.Add(10 * time.Minute)}, []string{"f09"}},
		{"date range", store.MessageFilter{From: at.Add(10 * time.Minute), To: at.Add(12 * time.Minute)}, []string{"f11", "f10"}},
		{"channel and network", store.MessageFilter{ChannelID: f.ca.ID, Network: "mastodon", Limit: 1}, []string{"f29"}},
		{"other channel", store.MessageFilter{ChannelID: f.cb.ID}, []string{}},
		{"page after", store.MessageFilter{BeforeAt: at.Add(27 * time.Minute), BeforeID: ms[27].ID, Limit: 2}, []string{"f26", "f25"}},
		{"search", store.MessageFilter{Search: "zanzibar parcel", Limit: 3}, []string{"f27", "f24", "f21"}},
		{"search with filter", store.MessageFilter{Search: "ZANZIBAR", Language: "fr"}, []string{"f15", "f00"}},
		{"search syntax is words", store.MessageFilter{Search: `zanzibar OR "x`}, []string{}},
		{"search page", store.MessageFilter{Search: "zanzibar", BeforeAt: at, BeforeID: ms[6].ID}, []string{"f03", "f00"}},
	} {
		require.Equal(t, tc.want, list(f.wa.ID, tc.f), tc.name)
	}
	require.Equal(t, []string{"secret"}, list(f.wb.ID, store.MessageFilter{Search: "zanzibar"}), "search is scoped by workspace")
}

func testInboxReplies(t *testing.T, s store.Store) {
	f := newInboxFixture(t, s, "inboxreply")
	m := inboxMessage(f.wa.ID, f.ca.ID, "q1", time.Now())
	_, err := s.InsertMessages(ctx, []*store.Message{m})
	require.NoError(t, err)

	r := store.Reply{WorkspaceID: f.wa.ID, MessageID: m.ID, AuthorID: f.u.ID, Text: "Thanks!", IdempotencyKey: "key-1"}
	require.NoError(t, s.CreateReply(ctx, &r))
	require.Equal(t, store.ReplySending, r.State)
	require.Equal(t, f.ca.ID, r.ChannelID)
	again := store.Reply{WorkspaceID: f.wa.ID, MessageID: m.ID, AuthorID: f.u.ID, Text: "Thanks!", IdempotencyKey: "key-1"}
	require.ErrorIs(t, s.CreateReply(ctx, &again), store.ErrConflict, "a key is used once")
	foreign := store.Reply{WorkspaceID: f.wb.ID, MessageID: m.ID, AuthorID: f.u.ID, Text: "x", IdempotencyKey: "key-2"}
	require.ErrorIs(t, s.CreateReply(ctx, &foreign), store.ErrNotFound, "no reply to another workspace's message")

	sending, err := s.SendingReplies(ctx, time.Now().Add(time.Minute))
	require.NoError(t, err)
	require.Contains(t, replyIDs(sending), r.ID)

	now := time.Now().UTC()
	r.State, r.RemoteID, r.URL, r.SentAt = store.ReplySent, "remote-9", "https://example.org/9", &now
	require.NoError(t, s.FinishReply(ctx, r))
	require.ErrorIs(t, s.FinishReply(ctx, r), store.ErrStale, "a reply is finished once")
	got, err := s.ReplyByKey(ctx, f.wa.ID, "key-1")
	require.NoError(t, err)
	require.Equal(t, store.ReplySent, got.State)
	require.Equal(t, "https://example.org/9", got.URL)
	require.NotNil(t, got.SentAt)
	_, err = s.ReplyByKey(ctx, f.wb.ID, "key-1")
	require.ErrorIs(t, err, store.ErrNotFound)
	msg, err := s.Message(ctx, f.wa.ID, m.ID)
	require.NoError(t, err)
	require.True(t, msg.Answered)
	list, err := s.Replies(ctx, f.wa.ID, m.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	sending, err = s.SendingReplies(ctx, time.Now().Add(time.Minute))
	require.NoError(t, err)
	require.NotContains(t, replyIDs(sending), r.ID)
}

func replyIDs(rs []store.Reply) []int64 {
	out := make([]int64, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func testInboxExtras(t *testing.T, s store.Store) {
	f := newInboxFixture(t, s, "inboxextra")
	m := inboxMessage(f.wa.ID, f.ca.ID, "x1", time.Now())
	_, err := s.InsertMessages(ctx, []*store.Message{m})
	require.NoError(t, err)

	n := store.Note{WorkspaceID: f.wa.ID, MessageID: m.ID, AuthorID: f.u.ID, Text: "customer since 2019"}
	require.NoError(t, s.AddNote(ctx, &n))
	require.NotZero(t, n.ID)
	require.ErrorIs(t, s.AddNote(ctx, &store.Note{WorkspaceID: f.wb.ID, MessageID: m.ID, AuthorID: f.u.ID, Text: "x"}), store.ErrNotFound)
	notes, err := s.Notes(ctx, f.wa.ID, m.ID)
	require.NoError(t, err)
	require.Len(t, notes, 1)
	require.Equal(t, f.u.Email, notes[0].AuthorEmail)
	notes, err = s.Notes(ctx, f.wb.ID, m.ID)
	require.NoError(t, err)
	require.Empty(t, notes)

	e := store.ModerationEntry{WorkspaceID: f.wa.ID, MessageID: m.ID, UserID: f.u.ID, Action: "hide", Reason: "spam link", Outcome: "done"}
	require.NoError(t, s.AddModerationEntry(ctx, &e))
	require.ErrorIs(t, s.AddModerationEntry(ctx, &store.ModerationEntry{WorkspaceID: f.wb.ID, MessageID: m.ID, Action: "hide", Reason: "x", Outcome: "done"}), store.ErrNotFound)
	log, err := s.ModerationLog(ctx, f.wa.ID, m.ID)
	require.NoError(t, err)
	require.Len(t, log, 1)
	require.Equal(t, "spam link", log[0].Reason)
	require.Equal(t, f.u.Email, log[0].UserEmail)

	v := store.SavedView{WorkspaceID: f.wa.ID, Name: "Angry", Filter: "sentiment=negative", CreatedBy: f.u.ID}
	require.NoError(t, s.SaveView(ctx, &v))
	v2 := store.SavedView{WorkspaceID: f.wa.ID, Name: "Angry", Filter: "sentiment=negative&state=open", CreatedBy: f.u.ID}
	require.NoError(t, s.SaveView(ctx, &v2))
	require.Equal(t, v.ID, v2.ID, "saving a view with the same name replaces its filter")
	views, err := s.Views(ctx, f.wa.ID)
	require.NoError(t, err)
	require.Len(t, views, 1)
	require.Equal(t, "sentiment=negative&state=open", views[0].Filter)
	require.ErrorIs(t, s.DeleteView(ctx, f.wb.ID, v.ID), store.ErrNotFound)
	require.NoError(t, s.DeleteView(ctx, f.wa.ID, v.ID))

	c, err := s.InboxCursor(ctx, f.wa.ID, f.ca.ID)
	require.NoError(t, err)
	require.Empty(t, c)
	require.NoError(t, s.SetInboxCursor(ctx, f.wa.ID, f.ca.ID, "100", time.Now()))
	require.NoError(t, s.SetInboxCursor(ctx, f.wa.ID, f.ca.ID, "105", time.Now()))
	c, err = s.InboxCursor(ctx, f.wa.ID, f.ca.ID)
	require.NoError(t, err)
	require.Equal(t, "105", c)
	require.ErrorIs(t, s.SetInboxCursor(ctx, f.wb.ID, f.ca.ID, "1", time.Now()), store.ErrNotFound)
	c, err = s.InboxCursor(ctx, f.wb.ID, f.ca.ID)
	require.NoError(t, err)
	require.Empty(t, c)

	_, err = s.PublicationByRemoteID(ctx, f.wa.ID, f.ca.ID, "nothing")
	require.ErrorIs(t, err, store.ErrNotFound)
	pubs, err := s.RecentPublications(ctx, f.wa.ID, f.ca.ID, time.Now().Add(-time.Hour), 10)
	require.NoError(t, err)
	require.Empty(t, pubs)
}
