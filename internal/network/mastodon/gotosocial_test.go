package mastodon_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/mastodon"
	"github.com/relais/relais/internal/network/mastodon/gotosocialtest"
	"github.com/stretchr/testify/require"
)

// TestGoToSocial drives the connector against a real GoToSocial server:
// connect with a token, publish a French post, read a follower's reply as a
// comment and a mention, answer it, and read the counts after a favourite
// and a boost.
func TestGoToSocial(t *testing.T) {
	t.Parallel()
	base := gotosocialtest.URL(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	acct, stored, conn := connectZork(ctx, t, base)
	require.Equal(t, gotosocialtest.Zork.ID, acct.RemoteID)
	require.Positive(t, stored.Limits.MaxText)

	word := gotosocialtest.Unique("relaisgts")
	res, err := conn.Publish(ctx, network.PublishRequest{
		IdempotencyKey: word, CreatedAt: time.Now(), Language: "fr",
		Parts: []network.Part{{Text: "Nouvelle collection d'hiver " + word}},
	})
	require.NoError(t, err)
	require.Len(t, res.Parts, 1)
	post := gotosocialtest.GetStatus(t, base, gotosocialtest.Mogul, res.Parts[0].ID)
	require.Equal(t, "fr", post.Language)
	require.Contains(t, post.Content, word)

	reply := gotosocialtest.Post(t, base, gotosocialtest.Mogul, "@the_mighty_zork where is my refund? "+word, res.Parts[0].ID)
	// GoToSocial threads replies and creates notifications in background
	// workers: poll until they show, as a client would.
	var comments []network.Comment
	eventually(t, func() bool {
		comments, err = conn.(network.CommentReader).Comments(ctx, res.Parts[0].ID)
		require.NoError(t, err)
		return len(comments) > 0
	}, "the reply shows in the status's context")
	require.Len(t, comments, 1)
	require.Equal(t, reply.ID, comments[0].RemoteID)
	require.Equal(t, res.Parts[0].ID, comments[0].ParentID)
	require.Contains(t, comments[0].Text, "where is my refund?")

	eventually(t, func() bool {
		mentions, _, err := conn.(network.MentionReader).Mentions(ctx, "")
		require.NoError(t, err)
		for _, m := range mentions {
			if m.RemoteID == reply.ID {
				return true
			}
		}
		return false
	}, "the reply is among zork's mentions")

	answer, err := conn.(network.Replier).Reply(ctx, reply.ID, "Sorry, we are on it "+word)
	require.NoError(t, err)
	got := gotosocialtest.GetStatus(t, base, gotosocialtest.Mogul, answer.ID)
	require.Equal(t, reply.ID, got.InReplyToID)
	require.True(t, strings.HasPrefix(mastodon.HTMLToText(got.Content), "@media_mogul"), got.Content)

	gotosocialtest.Favourite(t, base, gotosocialtest.Mogul, res.Parts[0].ID)
	gotosocialtest.Boost(t, base, gotosocialtest.Mogul, res.Parts[0].ID)
	var m map[string]network.PostMetrics
	eventually(t, func() bool {
		m, err = conn.(network.MetricsReader).PostMetrics(ctx, []string{res.Parts[0].ID})
		require.NoError(t, err)
		got := m[res.Parts[0].ID]
		return got.Likes == 1 && got.Reposts == 1 && got.Replies == 1
	}, "the favourite, the boost and the reply are counted")
	require.Equal(t, network.PostMetrics{Likes: 1, Reposts: 1, Replies: 1, Quotes: m[res.Parts[0].ID].Quotes, Views: -1}, m[res.Parts[0].ID])
}

// eventually calls cond until it holds, for up to 30 seconds: the server
// does its side effects (threading, notifications, counts) asynchronously.
func eventually(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
