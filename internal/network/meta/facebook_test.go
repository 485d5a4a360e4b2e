package meta

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/meta/metatest"
	"github.com/relais/relais/internal/valid"
)

func TestFacebookConnectPicksThePage(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{SecondPage: true})
	p := FacebookProvider{App: &b.app}
	_, _, err := b.oauth(t, p, map[string]string{})
	ve, ok := valid.As(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, "several_pages", ve.Code)
	require.Contains(t, ve.Message, "Relais Outlet")

	acct, stored, err := b.oauth(t, p, map[string]string{"page": "relais outlet"})
	require.NoError(t, err)
	require.Equal(t, b.srv.Page2ID, acct.RemoteID)
	require.Equal(t, b.srv.Page2ID, stored.Settings["page_id"])
	subject, expires, ok := b.srv.TokenInfo(stored.Secrets["access_token"])
	require.True(t, ok)
	require.Equal(t, b.srv.Page2ID, subject, "the Page's own token is stored")
	require.True(t, expires.IsZero(), "a Page token taken with a long-lived user token does not expire")
	_, userExp, _ := b.srv.TokenInfo(stored.Secrets["user_token"])
	require.Equal(t, b.clk.Now().Add(60*24*time.Hour), userExp, "the user token is the long-lived one")

	// A pasted Page token connects that Page.
	acct, _, err = p.Connect(context.Background(), b.env, map[string]string{"access_token": b.srv.IssueToken("page", b.srv.PageID, 0)})
	require.NoError(t, err)
	require.Equal(t, "Relais Boutique", acct.DisplayName)
}

func TestFacebookNotConfigured(t *testing.T) {
	t.Parallel()
	_, _, err := FacebookProvider{App: &App{}}.AuthorizeURL(context.Background(), network.Env{}, nil, "https://x/cb", "s")
	ve, ok := valid.As(err)
	require.True(t, ok)
	require.Equal(t, "not_configured", ve.Code)
	require.Contains(t, ve.Message, "RELAIS_META_APP_ID")
}

func TestFacebookPublishEveryKind(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{})
	fb := b.facebook(t)
	ctx := context.Background()
	cases := []struct {
		name      string
		part      network.Part
		opts      map[string]string
		media     int
		edge      string
		scheduled bool
	}{
		{name: "text", part: network.Part{Text: "Hello from relais"}, edge: "/feed"},
		{name: "link", part: network.Part{Text: "Our shop", Link: "https://shop.example/new"}, edge: "/feed"},
		{name: "photo", part: network.Part{Text: "One coat", Media: []network.Media{img("https://cdn.example/a.jpg")}}, media: 1, edge: "/photos"},
		{name: "photos", part: network.Part{Text: "Three coats", Media: []network.Media{img("https://cdn.example/a.jpg"), img("https://cdn.example/b.jpg"), img("https://cdn.example/c.jpg")}}, media: 3, edge: "/feed"},
		{name: "video", part: network.Part{Text: "The show", Media: []network.Media{vid("https://cdn.example/v.mp4")}}, media: 1, edge: "/videos"},
		{name: "reel", part: network.Part{Text: "Backstage", Media: []network.Media{vid("https://cdn.example/r.mp4")}}, opts: map[string]string{"fb_type": "reel"}, media: 1, edge: "/video_reels"},
		{name: "scheduled natively", part: network.Part{Text: "Later"}, opts: map[string]string{"scheduled_at": "1796000000"}, edge: "/feed", scheduled: true},
	}
	// The scheduled time must be 10 minutes to 75 days ahead of the fake's clock.
	cases[6].opts["scheduled_at"] = itoa(b.clk.Now().Add(2 * time.Hour).Unix())
	for _, tc := range cases {
		before := b.srv.Count("POST /" + b.srv.PageID + tc.edge)
		first := "First!"
		if tc.scheduled {
			first = ""
		}
		res, err := fb.Publish(ctx, network.PublishRequest{Parts: []network.Part{tc.part}, Options: tc.opts, FirstComment: first})
		require.NoError(t, err, tc.name)
		require.Len(t, res.Parts, 1, tc.name)
		require.Greater(t, b.srv.Count("POST /"+b.srv.PageID+tc.edge), before, tc.name)
		post := b.srv.Get(res.Parts[0].ID)
		require.NotNil(t, post, tc.name)
		require.Equal(t, "post", post.Type, tc.name)
		require.Len(t, post.Fields["_media"], tc.media, tc.name)
		require.NotEmpty(t, res.Parts[0].URL, tc.name)
		if tc.scheduled {
			require.Equal(t, false, post.Fields["is_published"], tc.name)
			require.Nil(t, res.FirstComment, "no comment on a post that is not out yet")
			continue
		}
		require.NotNil(t, res.FirstComment, tc.name)
		require.Equal(t, res.Parts[0].ID, b.srv.Get(res.FirstComment.ID).Parent, tc.name)
	}
	// Page stories: one photo (staged unpublished, then /photo_stories) or one
	// video (/video_stories start, upload, finish); no caption, no first comment.
	for _, tc := range []struct {
		name  string
		media network.Media
		edge  string
	}{{"photo story", img("https://cdn.example/s.jpg"), "/photo_stories"}, {"video story", vid("https://cdn.example/s.mp4"), "/video_stories"}} {
		before := b.srv.Count("POST /" + b.srv.PageID + tc.edge)
		res, err := fb.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "ignored", Media: []network.Media{tc.media}}}, Options: map[string]string{"fb_type": "story"}})
		require.NoError(t, err, tc.name)
		require.Greater(t, b.srv.Count("POST /"+b.srv.PageID+tc.edge), before, tc.name)
		post := b.srv.Get(res.Parts[0].ID)
		require.NotNil(t, post, tc.name)
		require.NotEmpty(t, post.Fields["_story"], tc.name)
		require.Len(t, post.Fields["_media"], 1, tc.name)
	}
	_, err := fb.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Media: []network.Media{img("https://cdn.example/a.jpg"), img("https://cdn.example/b.jpg")}}}, Options: map[string]string{"fb_type": "story"}})
	requireClass(t, err, network.InvalidContent)
	_, err = fb.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Media: []network.Media{img("https://cdn.example/a.jpg")}}}, Options: map[string]string{"fb_type": "story"}, FirstComment: "x"})
	requireClass(t, err, network.InvalidContent)

	// With photos, the link goes in the text (a post has a link card or photos).
	res, err := fb.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "Coats", Link: "https://shop.example/coats",
		Media: []network.Media{img("https://cdn.example/a.jpg"), img("https://cdn.example/b.jpg")}}}})
	require.NoError(t, err)
	require.Equal(t, "Coats\n\nhttps://shop.example/coats", b.srv.Get(res.Parts[0].ID).Fields["message"])
	require.Equal(t, "", b.srv.Get(res.Parts[0].ID).Fields["link"])

	_, err = fb.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "a"}, {Text: "b"}}})
	requireClass(t, err, network.InvalidContent)
	_, err = fb.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "later"}}, FirstComment: "x", Options: cases[6].opts})
	requireClass(t, err, network.InvalidContent)
	_, err = fb.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "x", Media: []network.Media{{MIME: "image/jpeg", Data: []byte{1}}}}}})
	ne := requireClass(t, err, network.InvalidContent)
	require.Contains(t, ne.Message, "RELAIS_BASE_URL")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestFacebookErrors(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{CallBudget: 50})
	fb := b.facebook(t)
	ctx := context.Background()
	post := network.PublishRequest{Parts: []network.Part{{Text: "hi"}}}
	cases := []struct {
		fault metatest.FaultKind
		class network.Class
	}{
		{metatest.InvalidParameter, network.InvalidContent},
		{metatest.TokenExpired, network.AuthReconnect},
		{metatest.PermissionDenied, network.AuthReconnect},
		{metatest.Transient, network.Retryable},
		{metatest.CommitThen500, network.Retryable},
		{metatest.CommitThenDrop, network.Unknown},
		{metatest.MediaFetchFailed, network.InvalidContent},
	}
	for _, tc := range cases {
		b.srv.Inject(metatest.Fault{Op: "/feed", Kind: tc.fault})
		_, err := fb.Publish(ctx, post)
		ne := requireClass(t, err, tc.class)
		if tc.fault != metatest.CommitThenDrop {
			require.NotEmpty(t, ne.TraceID, "fbtrace_id kept for support")
		}
	}
	// User (17), Page (32) and custom (613) throttles wait; 368 (blocked) and 2207xxx content errors do not.
	for _, tc := range []struct {
		code, sub int
		class     network.Class
	}{{17, 0, network.Retryable}, {32, 0, network.Retryable}, {613, 0, network.Retryable}, {368, 0, network.Permanent}, {36003, 2207009, network.InvalidContent}} {
		b.srv.Inject(metatest.Fault{Op: "/feed", Kind: metatest.GraphCode, Code: tc.code, Subcode: tc.sub})
		_, err := fb.Publish(ctx, post)
		requireClass(t, err, tc.class)
	}
	// Throttling: code 80001 with the usage header at 100 % and the time to regain access.
	b.srv.Inject(metatest.Fault{Op: "/feed", Kind: metatest.PageThrottle, RegainMinutes: 7})
	_, err := fb.Publish(ctx, post)
	ne := requireClass(t, err, network.Retryable)
	require.True(t, errors.Is(err, network.ErrRateLimited))
	require.Equal(t, b.clk.Now().Add(7*time.Minute), ne.RetryAfter)
	// While the budget is spent, the connector does not call at all.
	calls := len(b.srv.Requests())
	_, err = fb.Publish(ctx, post)
	require.True(t, errors.Is(err, network.ErrRateLimited))
	require.Equal(t, calls, len(b.srv.Requests()))
	b.clk.Add(8 * time.Minute)
	_, err = fb.Publish(ctx, post)
	require.NoError(t, err)
	require.Equal(t, 100, fb.RateLimit().Limit)
	require.Less(t, fb.RateLimit().Remaining, 100)
}

func TestFacebookRevokedTokenNeedsReconnect(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{})
	fb := b.facebook(t)
	b.srv.Revoke(fb.c.token)
	ne := requireClass(t, fb.Check(context.Background()), network.AuthReconnect)
	require.Contains(t, ne.Message, "password changed")
	require.Equal(t, "190/460", ne.Code)
}

func TestFacebookConversationsAndMetrics(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{})
	fb := b.facebook(t)
	ctx := context.Background()
	res, err := fb.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "Comment on this"}}})
	require.NoError(t, err)
	post := res.Parts[0].ID
	c1 := b.srv.AddComment(post, "Alice", "Lovely")
	c2 := b.srv.AddComment(c1, "Bob", "Agreed")
	got, err := fb.Comments(ctx, post)
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, c1, got[0].RemoteID)
	require.Equal(t, post, got[0].ParentID)
	require.Equal(t, c1, got[1].ParentID)
	require.Equal(t, "Alice", got[0].AuthorName)

	rp, err := fb.Reply(ctx, c2, "Thank you")
	require.NoError(t, err)
	require.Equal(t, c2, b.srv.Get(rp.ID).Parent)
	got, err = fb.Comments(ctx, post)
	require.NoError(t, err)
	require.Len(t, got, 2, "the Page's own reply is left out")

	require.NoError(t, fb.HideComment(ctx, c1))
	require.True(t, b.srv.Get(c1).Hidden)
	require.NoError(t, fb.UnhideComment(ctx, c1))
	require.False(t, b.srv.Get(c1).Hidden)
	require.NoError(t, fb.DeleteComment(ctx, c2))
	require.True(t, b.srv.Get(c2).Deleted)
	require.NoError(t, fb.Delete(ctx, c2), "already gone counts as deleted")

	b.srv.SetMetrics(post, map[string]int64{"reactions": 12, "shares": 3, "post_media_view": 940})
	m, err := fb.PostMetrics(ctx, []string{post})
	require.NoError(t, err)
	require.Equal(t, network.PostMetrics{Likes: 12, Reposts: 3, Replies: 1, Quotes: -1, Views: 940}, m[post])
	n, err := fb.Followers(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 1520, n)
	b.srv.SetMetrics(b.srv.PageID, map[string]int64{"page_media_view": 5000, "page_follows": 1520})
	ins, err := fb.Insights(ctx, "day")
	require.NoError(t, err)
	require.EqualValues(t, 5000, ins["page_media_view"])

	// A removed metric name is refused by the API (code 100), so drift shows up.
	_, err = insights(ctx, fb.c, post+"/insights", []string{"post_impressions"}, nil)
	requireClass(t, err, network.InvalidContent)

	require.NoError(t, fb.Edit(ctx, post, network.Part{Text: "Edited"}))
	require.Equal(t, "Edited", b.srv.Get(post).Fields["message"])
	require.NoError(t, fb.Delete(ctx, post))
	require.True(t, b.srv.Get(post).Deleted)
}
