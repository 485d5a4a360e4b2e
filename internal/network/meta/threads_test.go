package meta

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/meta/metatest"
)

func TestThreadsPublish(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{Polls: 1})
	th := b.threads(t)
	ctx := context.Background()
	user := b.srv.ThreadsUserID

	// A thread of three parts (text, image, carousel), reply control, a quote and a first reply.
	quoted := b.srv.Mention("someone", "someone", "quoted post")
	res, err := th.Publish(ctx, network.PublishRequest{IdempotencyKey: "t1", CreatedAt: b.clk.Now(),
		Parts: []network.Part{
			{Text: "Part one", Link: "https://shop.example/x"},
			{Text: "Part two", Media: []network.Media{img("https://cdn.example/a.jpg")}},
			{Text: "Part three", Media: []network.Media{img("https://cdn.example/a.jpg"), vid("https://cdn.example/v.mp4")}},
		},
		Options:      map[string]string{"reply_control": "followers_only", "quote": quoted},
		FirstComment: "More below",
	})
	require.NoError(t, err)
	require.Len(t, res.Parts, 3)
	p1, p2, p3 := b.srv.Get(res.Parts[0].ID), b.srv.Get(res.Parts[1].ID), b.srv.Get(res.Parts[2].ID)
	require.Equal(t, "Part one\n\nhttps://shop.example/x", p1.Fields["text"], "the link goes in the text, as the composer counts it")
	require.Equal(t, "followers_only", p1.Fields["reply_audience"])
	require.Equal(t, map[string]string{"id": quoted}, p1.Fields["quoted_post"])
	require.Equal(t, "IMAGE", p2.Fields["media_type"])
	require.Equal(t, p1.ID, p2.Parent)
	require.Equal(t, "CAROUSEL_ALBUM", p3.Fields["media_type"])
	require.Equal(t, p2.ID, p3.Parent)
	require.NotNil(t, res.FirstComment)
	require.Equal(t, p1.ID, b.srv.Get(res.FirstComment.ID).Parent)
	require.True(t, strings.HasPrefix(res.Parts[0].URL, "https://www.threads.net/@relais.boutique/post/"))

	// 500 characters pass; 126 four-byte emoji count 504 and fail.
	_, err = th.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: strings.Repeat("a", 500)}}})
	require.NoError(t, err)
	_, err = th.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: strings.Repeat("😀", 126)}}})
	requireClass(t, err, network.InvalidContent)
	_, err = th.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "x"}}, Options: map[string]string{"reply_control": "nobody"}})
	require.Error(t, err)

	// Partly done: the retry continues after the recorded parts.
	b.srv.Inject(metatest.Fault{Op: "/threads_publish", Skip: 1, Kind: metatest.Transient})
	req := network.PublishRequest{IdempotencyKey: "t2", CreatedAt: b.clk.Now(), Parts: []network.Part{{Text: "first"}, {Text: "second"}}}
	res, err = th.Publish(ctx, req)
	requireClass(t, err, network.Retryable)
	require.Len(t, res.Parts, 1)
	req.Done = res.Parts
	res, err = th.Publish(ctx, req)
	require.NoError(t, err)
	require.Len(t, res.Parts, 2)
	require.Equal(t, res.Parts[0].ID, b.srv.Get(res.Parts[1].ID).Parent)

	// A dropped answer after publishing: the retry finds the reply under its parent.
	b.srv.Inject(metatest.Fault{Op: "/threads_publish", Skip: 1, Kind: metatest.CommitThenDrop})
	req = network.PublishRequest{IdempotencyKey: "t3", CreatedAt: b.clk.Now(), Parts: []network.Part{{Text: "alpha"}, {Text: "beta"}}}
	res, err = th.Publish(ctx, req)
	requireClass(t, err, network.Unknown)
	req.Done = res.Parts
	fresh := b.threads(t)
	res, err = fresh.Publish(ctx, req)
	require.NoError(t, err)
	n := 0
	for _, o := range b.srv.Objects("thread", user) {
		if o.Fields["text"] == "beta" {
			n++
		}
	}
	require.Equal(t, 1, n, "the second part is out once")
}

func TestThreadsQuotaAndTokens(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{CallBudget: 100000, Polls: -1})
	th := b.threads(t)
	ctx := context.Background()
	for i := 0; i < 250; i++ {
		_, err := th.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "p" + itoa(int64(i))}}})
		require.NoError(t, err, i)
	}
	_, err := th.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "one more"}}})
	require.True(t, errors.Is(err, network.ErrRateLimited), "%v", err)
	require.Contains(t, err.Error(), "250 posts per 24 hours")
	// Replies have their own quota (1,000).
	_, err = th.Reply(ctx, b.srv.Objects("thread", b.srv.ThreadsUserID)[0].ID, "a reply still goes")
	require.NoError(t, err)

	// The 60-day token is renewed by the daily check once due, and saved first.
	b.clk.Add(40 * 24 * time.Hour)
	require.NoError(t, th.Check(ctx))
	require.Len(t, b.saved, 1)
	require.Equal(t, th.c.token, b.saved[0]["access_token"])
	// Meta answering code 190 needs a reconnect.
	b.srv.Inject(metatest.Fault{Op: "/threads", Kind: metatest.TokenExpired})
	_, err = th.Reply(ctx, b.srv.Objects("thread", b.srv.ThreadsUserID)[0].ID, "x")
	ne := requireClass(t, err, network.AuthReconnect)
	require.Equal(t, "190/463", ne.Code)
	// A token left unrenewed past its 60 days: the check says so before calling.
	b.clk.Add(61 * 24 * time.Hour)
	calls := len(b.srv.Requests())
	ne = requireClass(t, th.Check(ctx), network.AuthReconnect)
	require.Contains(t, ne.Message, "expired on")
	require.Equal(t, calls, len(b.srv.Requests()))
}

// TestThreadsRenewalFailureKeepsTheTokenUntilItExpires: a refresh Meta refuses
// while the token still works is not an error; the channel learns the expiry.
func TestThreadsRenewalFailureKeepsTheTokenUntilItExpires(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{})
	th := b.threads(t)
	ctx := context.Background()
	expiry := b.clk.Now().Add(60 * 24 * time.Hour)
	require.Equal(t, expiry, th.TokenExpiry())
	b.clk.Add(55 * 24 * time.Hour)
	b.srv.Inject(metatest.Fault{Op: "/refresh_access_token", Kind: metatest.Transient, Times: 2})
	require.NoError(t, th.Check(ctx))
	require.Empty(t, b.saved)
	require.Equal(t, expiry, th.TokenExpiry(), "still the old token, expiring in 5 days")
	_, err := th.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "still works"}}})
	require.NoError(t, err)
	// Meta accepts the next renewal.
	require.NoError(t, th.Check(ctx))
	require.Len(t, b.saved, 1)
	require.Equal(t, b.clk.Now().Add(60*24*time.Hour), th.TokenExpiry())
}

func TestThreadsConversationsMetricsSearch(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{})
	th := b.threads(t)
	ctx := context.Background()
	res, err := th.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "Ask me anything zebracoat"}}})
	require.NoError(t, err)
	post := res.Parts[0].ID
	r1 := b.srv.AddComment(post, "alice", "Where is it made?")
	r2 := b.srv.AddComment(r1, "bob", "Lyon I think")
	got, err := th.Comments(ctx, post)
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, post, got[0].ParentID)
	require.Equal(t, r1, got[1].ParentID)
	rp, err := th.Reply(ctx, r2, "Yes, Lyon")
	require.NoError(t, err)
	require.Equal(t, r2, b.srv.Get(rp.ID).Parent)
	got, err = th.Comments(ctx, post)
	require.NoError(t, err)
	require.Len(t, got, 2, "the account's own reply is left out")
	require.NoError(t, th.HideComment(ctx, r1))
	require.True(t, b.srv.Get(r1).Hidden)
	require.NoError(t, th.UnhideComment(ctx, r1))
	require.False(t, b.srv.Get(r1).Hidden)

	b.srv.SetMetrics(post, map[string]int64{"views": 300, "likes": 21, "reposts": 2, "quotes": 1})
	m, err := th.PostMetrics(ctx, []string{post})
	require.NoError(t, err)
	require.Equal(t, network.PostMetrics{Likes: 21, Reposts: 2, Replies: 3, Quotes: 1, Views: 300}, m[post])
	f, err := th.Followers(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 830, f)
	b.srv.SetMetrics(b.srv.ThreadsUserID, map[string]int64{"views": 9000, "clicks": 42})
	acct, err := th.AccountInsights(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 9000, acct["views"])
	require.EqualValues(t, 42, acct["clicks"])

	b.srv.Mention(b.srv.ThreadsUserID, "fan", "@relais.boutique zebracoat is great")
	ms, _, err := th.Mentions(ctx, "")
	require.NoError(t, err)
	require.Len(t, ms, 1)
	found, _, err := th.Search(ctx, "zebracoat", "")
	require.NoError(t, err)
	require.Len(t, found, 2)

	require.NoError(t, th.Delete(ctx, post))
	require.True(t, b.srv.Get(post).Deleted)
	require.NoError(t, th.Delete(ctx, post))
}
