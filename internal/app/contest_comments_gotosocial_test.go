package app_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/relais/relais/internal/contest"
	"github.com/relais/relais/internal/network/mastodon/gotosocialtest"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// TestCommentGiveawayOnGoToSocial runs a comment-to-enter giveaway on a
// status the brand published on the real GoToSocial server: the distinct
// authors of replies carrying the keyword enter, the brand's own reply does
// not, the list is frozen at the commit and the draw picks among it.
func TestCommentGiveawayOnGoToSocial(t *testing.T) {
	t.Parallel()
	gts := gotosocialtest.URL(t)
	a, _ := serveApp(t)
	ctx := context.Background()
	u, ws, _, ch := zorkWorkspace(t, a, gts, "giveaway")
	word := fmt.Sprintf("giveaway%d", time.Now().UnixNano())
	keyword := "#win" + word
	_, pub := publishNow(t, a, ws.ID, ch.ID, "Comment with "+keyword+" to win a bicycle ("+word+")")

	now := time.Now().UTC()
	c := store.Contest{WorkspaceID: ws.ID, Slug: "bike-" + word[len(word)-8:], Title: "Bicycle giveaway", Kind: store.ContestComments,
		EntryOpens: now.Add(-time.Hour), EntryCloses: now.Add(time.Hour), VoteOpens: now.Add(-time.Hour), VoteCloses: now.Add(time.Hour),
		SourceChannelID: ch.ID, SourceRemoteID: pub.RemoteID, Keyword: keyword, Winners: 1, CreatedBy: u.ID}
	bad := c
	bad.SourceChannelID = 0
	require.Error(t, a.Contests.Create(ctx, &bad, "user:1"), "a giveaway needs its post")
	require.NoError(t, a.Contests.Create(ctx, &c, "user:1"))

	mogul := gotosocialtest.Post(t, gts, gotosocialtest.Mogul, "@the_mighty_zork I'm in! "+keyword, pub.RemoteID)
	gotosocialtest.Post(t, gts, gotosocialtest.Mogul, "@the_mighty_zork and once more "+keyword, pub.RemoteID)
	gotosocialtest.Post(t, gts, gotosocialtest.Admin, "@the_mighty_zork nice bike", pub.RemoteID)
	gotosocialtest.Post(t, gts, gotosocialtest.Zork, "@media_mogul good luck "+keyword, mogul.ID)

	res, err := a.Contests.ImportComments(ctx, ws.ID, c.ID, "user:1")
	require.NoError(t, err)
	require.Equal(t, 1, res.Added, "one distinct author with the keyword: %+v", res)
	es, err := a.Store.Entries(ctx, ws.ID, c.ID, store.EntryApproved)
	require.NoError(t, err)
	require.Len(t, es, 1)
	require.Equal(t, "mastodon:"+gotosocialtest.Mogul.ID, es[0].Identity)
	require.Contains(t, es[0].Name, gotosocialtest.Mogul.Username)

	// The admin now comments with the keyword, in reply to Mogul (a reply in the thread counts).
	gotosocialtest.Post(t, gts, gotosocialtest.Admin, "@media_mogul me too "+keyword, mogul.ID)
	committed, err := a.Contests.CloseEntries(ctx, ws.ID, c.ID, "user:1")
	require.NoError(t, err)
	es, err = a.Store.Entries(ctx, ws.ID, c.ID, store.EntryApproved)
	require.NoError(t, err)
	var who []string
	var ids []int64
	for _, e := range es {
		who, ids = append(who, e.Identity), append(ids, e.ID)
	}
	sort.Strings(who)
	want := []string{"mastodon:" + gotosocialtest.Admin.ID, "mastodon:" + gotosocialtest.Mogul.ID}
	sort.Strings(want)
	require.Equal(t, want, who, "the commit reads the comments a last time; the brand never enters")
	require.Equal(t, contest.EntriesHash(ids), committed.EntriesHash)

	gotosocialtest.Post(t, gts, gotosocialtest.Zork, "late "+keyword, pub.RemoteID)
	_, err = a.Contests.ImportComments(ctx, ws.ID, c.ID, "user:1")
	require.ErrorIs(t, err, contest.ErrFrozen)

	drawn, err := a.Contests.Draw(ctx, ws.ID, c.ID, "user:1")
	require.NoError(t, err)
	require.Len(t, drawn.WinnerIDs, 1)
	require.NoError(t, contest.Verify(contest.PublicSeed(drawn), drawn.SeedHash, ids, drawn.EntriesHash, drawn.WinnerIDs))
}
