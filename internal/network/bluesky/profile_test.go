package bluesky

import (
	"context"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/bluesky/blueskytest"
	"github.com/stretchr/testify/require"
)

func TestPublicProfile(t *testing.T) {
	t.Parallel()
	b := setupFake(t, Options{AppViewProxy: "did:web:api.bsky.app#bsky_appview"})
	const did = "did:plc:influencer00000000000000"
	b.srv.AddProfile(blueskytest.Profile{DID: did, Handle: "creator.bsky.social", Name: "Creator", Description: "travel",
		Followers: 15400, Follows: 310, Posts: 2})
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	root := "at://" + did + "/app.bsky.feed.post/3labc"
	b.srv.AddPost(blueskytest.Post{URI: root, CID: "c1", AuthorDID: did, AuthorHandle: "creator.bsky.social", Text: "Lisbon at dawn",
		CreatedAt: at, Likes: 300, Reposts: 12, Quotes: 3, Replies: 1})
	b.srv.AddPost(blueskytest.Post{URI: "at://did:plc:fan/app.bsky.feed.post/3lfan", CID: "c2", AuthorDID: "did:plc:fan", AuthorHandle: "fan.test",
		Text: "Which camera?", CreatedAt: at.Add(time.Hour), ReplyRoot: root, ReplyParent: root})
	b.srv.AddPost(blueskytest.Post{URI: "at://" + did + "/app.bsky.feed.post/3lrep", CID: "c3", AuthorDID: did, AuthorHandle: "creator.bsky.social",
		Text: "a reply of hers", CreatedAt: at.Add(2 * time.Hour), ReplyRoot: root, ReplyParent: "at://did:plc:fan/app.bsky.feed.post/3lfan"})

	var r network.ProfileReader = b.conn
	p, err := r.PublicProfile(context.Background(), "@creator.bsky.social", 10)
	require.NoError(t, err)
	require.Equal(t, did, p.ID)
	require.EqualValues(t, 15400, p.Followers)
	require.EqualValues(t, 310, p.Following)
	require.Equal(t, "travel", p.Bio)
	require.Len(t, p.Recent, 1, "replies are left out of the recent posts")
	require.Equal(t, network.PublicPost{ID: root, URL: "https://bsky.app/profile/creator.bsky.social/post/3labc", Text: "Lisbon at dawn", At: at,
		Likes: 300, Comments: 1, Shares: 15, Views: -1, Replies: p.Recent[0].Replies}, p.Recent[0])
	require.Len(t, p.Recent[0].Replies, 1, "her own reply is not a comment")
	require.Equal(t, "Which camera?", p.Recent[0].Replies[0].Text)

	_, err = r.PublicProfile(context.Background(), "nobody.test", 10)
	require.Error(t, err)
}
