package inboxrules_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/inboxrules"
	"github.com/relais/relais/internal/store"
)

func TestSource(t *testing.T) {
	t.Parallel()
	f := setup(t, false)
	h := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	var ms []*inbox.Message
	for i, at := range []struct {
		d         time.Duration
		sentiment string
		author    string
	}{
		{10 * time.Minute, "negative", "@ann"}, {20 * time.Minute, "negative", "@bob"}, {30 * time.Minute, "positive", "@ann"},
		{2*time.Hour + time.Minute, "negative", "@ann"}, {-time.Minute, "negative", "@cyd"},
	} {
		ms = append(ms, &inbox.Message{WorkspaceID: f.ws.ID, ChannelID: f.ch.ID, Network: "mastodon", RemoteID: "s" + string(rune('a'+i)),
			Kind: store.KindReply, AuthorHandle: at.author, Text: "text", Sentiment: at.sentiment, ReceivedAt: h.Add(at.d)})
	}
	// Stored as they are (no classification): the sentiments are the test's.
	_, err := f.st.InsertMessages(ctx, ms)
	require.NoError(t, err)
	src := inboxrules.Source{Store: f.st, Now: func() time.Time { return h.Add(3 * time.Hour) }}

	for _, tc := range []struct {
		name     string
		from, to time.Time
		want     []int
	}{
		{"every hour, zero where none", h, h.Add(3 * time.Hour), []int{2, 0, 1}},
		{"a partial last hour counts", h, h.Add(2*time.Hour + 30*time.Minute), []int{2, 0, 1}},
		{"the hour before", h.Add(-time.Hour), h, []int{1}},
		{"empty window", h, h, []int{}},
	} {
		got, err := src.NegativeCounts(ctx, f.ws.ID, tc.from, tc.to)
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.want, got, tc.name)
	}

	neg, err := src.NegativeMessages(ctx, f.ws.ID, h, h.Add(time.Hour))
	require.NoError(t, err)
	require.Len(t, neg, 2)
	require.Equal(t, "@ann", neg[0].Author, "oldest first")

	ids, err := src.WatchedWorkspaces(ctx)
	require.NoError(t, err)
	require.Equal(t, []int64{f.ws.ID}, ids)

	past, err := src.Messages(ctx, f.ws.ID, h)
	require.NoError(t, err)
	require.Len(t, past, 4)
	var first []bool
	for _, m := range past {
		first = append(first, m.FirstContact)
	}
	require.Equal(t, []bool{true, true, false, false}, first, "an author's first message in the window is the first contact")

	recs, err := src.Records(ctx, f.ws.ID, h, h.Add(3*time.Hour))
	require.NoError(t, err)
	require.Len(t, recs, 4)
	require.Nil(t, recs[0].FirstResponseAt)
}
