package meta

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/meta/metatest"
	"github.com/relais/relais/internal/valid"
)

func TestInstagramConnectBothLogins(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{SecondPage: true})
	p := InstagramProvider{App: &b.app}
	acct, stored, err := b.oauth(t, p, map[string]string{"login": LoginFacebook, "account": "@relais.outlet"})
	require.NoError(t, err)
	require.Equal(t, "@relais.outlet", acct.Handle)
	require.Equal(t, b.srv.IGUser2ID, stored.Settings["ig_user_id"])
	require.Equal(t, LoginFacebook, stored.Settings["login"])

	_, _, err = b.oauth(t, p, map[string]string{"login": LoginFacebook})
	ve, ok := valid.As(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, "several_pages", ve.Code)

	acct, stored, err = b.oauth(t, p, map[string]string{"login": LoginInstagram})
	require.NoError(t, err)
	require.Equal(t, b.srv.IGUserID, acct.RemoteID)
	require.Equal(t, LoginInstagram, stored.Settings["login"])
	require.Equal(t, b.clk.Now().Add(60*24*time.Hour).Format(time.RFC3339), stored.Secrets["expires_at"], "the 60-day token is stored with its expiry")

	_, _, err = p.AuthorizeURL(context.Background(), b.env, map[string]string{"login": "myspace"}, "https://x/cb", "s")
	ve, ok = valid.As(err)
	require.True(t, ok)
	require.Equal(t, "login", ve.Field)
}

func TestInstagramPublishEveryKind(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{Polls: 2})
	ig := b.instagram(t, LoginFacebook)
	ctx := context.Background()
	cases := []struct {
		name, mediaType string
		media           []network.Media
		opts            map[string]string
		children        int
	}{
		{name: "image", mediaType: "IMAGE", media: []network.Media{img("https://cdn.example/a.jpg")}},
		{name: "reel", mediaType: "VIDEO", media: []network.Media{vid("https://cdn.example/v.mp4")}},
		{name: "carousel", mediaType: "CAROUSEL_ALBUM", media: []network.Media{img("https://cdn.example/a.jpg"), vid("https://cdn.example/v.mp4"), img("https://cdn.example/c.jpg")}, children: 3},
		{name: "story", mediaType: "STORY", media: []network.Media{img("https://cdn.example/s.jpg")}, opts: map[string]string{"ig_type": "story"}},
		{name: "collaborators", mediaType: "IMAGE", media: []network.Media{img("https://cdn.example/a.jpg")}, opts: map[string]string{"collaborators": "@maison.rivale, friend_2"}},
	}
	for i, tc := range cases {
		publishes := b.srv.Count("POST /" + b.srv.IGUserID + "/media_publish")
		first := "Shop the look"
		if tc.opts["ig_type"] == "story" {
			first = ""
		}
		res, err := ig.Publish(ctx, network.PublishRequest{IdempotencyKey: "pub-" + tc.name, CreatedAt: b.clk.Now(),
			Parts: []network.Part{{Text: "New in #" + tc.name + " " + strings.Repeat("!", i), Media: tc.media}}, Options: tc.opts, FirstComment: first})
		require.NoError(t, err, tc.name)
		require.Equal(t, publishes+1, b.srv.Count("POST /"+b.srv.IGUserID+"/media_publish"), tc.name)
		m := b.srv.Get(res.Parts[0].ID)
		require.NotNil(t, m, tc.name)
		require.Equal(t, tc.mediaType, m.Fields["media_type"], tc.name)
		require.NotEmpty(t, res.Parts[0].URL, tc.name)
		if tc.opts["ig_type"] == "story" {
			require.Nil(t, res.FirstComment, "stories take no comments")
		} else {
			require.NotNil(t, res.FirstComment, tc.name)
			require.Equal(t, res.Parts[0].ID, b.srv.Get(res.FirstComment.ID).Parent)
		}
	}
	// The image container carried its alt text; the collaborators went as a JSON list.
	var sawAlt, sawCollab bool
	for _, r := range b.srv.Requests() {
		if r.Path == "/"+b.srv.IGUserID+"/media" {
			sawAlt = sawAlt || r.Params.Get("alt_text") == "a blue coat"
			sawCollab = sawCollab || r.Params.Get("collaborators") == `["maison.rivale","friend_2"]`
		}
	}
	require.True(t, sawAlt)
	require.True(t, sawCollab)

	_, err := ig.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "no media"}}})
	requireClass(t, err, network.InvalidContent)
	_, err = ig.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Media: []network.Media{img("https://cdn.example/s.jpg")}}}, FirstComment: "x", Options: map[string]string{"ig_type": "story"}})
	requireClass(t, err, network.InvalidContent)
	many := make([]network.Media, 11)
	for i := range many {
		many[i] = img("https://cdn.example/x.jpg")
	}
	_, err = ig.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "too many", Media: many}}})
	requireClass(t, err, network.InvalidContent)
	_, err = ig.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: strings.Repeat("#tag ", 31), Media: many[:1]}}})
	requireClass(t, err, network.InvalidContent)
}

func TestInstagramMediaMustBePublic(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{FetchMedia: true})
	ig := b.instagram(t, LoginFacebook)
	ctx := context.Background()
	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/missing") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/jpeg")
		_, _ = w.Write([]byte{0xff, 0xd8, 0xff})
	}))
	t.Cleanup(files.Close)

	_, err := ig.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "ok", Media: []network.Media{img(files.URL + "/a.jpg")}}}})
	require.NoError(t, err)
	// An image Meta cannot fetch fails at once (9004); a video's container goes to ERROR.
	_, err = ig.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "img", Media: []network.Media{img(files.URL + "/missing.jpg")}}}})
	ne := requireClass(t, err, network.InvalidContent)
	require.Equal(t, "9004/2207052", ne.Code)
	require.Contains(t, ne.Message, "reachable from the internet")
	_, err = ig.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "vid", Media: []network.Media{vid(files.URL + "/missing.mp4")}}}})
	ne = requireClass(t, err, network.InvalidContent)
	require.Equal(t, "container_error", ne.Code)
}

func TestInstagramExactlyOnce(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{})
	ig := b.instagram(t, LoginFacebook)
	ctx := context.Background()
	mediaEdge, publishEdge := "POST /"+b.srv.IGUserID+"/media", "POST /"+b.srv.IGUserID+"/media_publish"
	req := func(key, text string) network.PublishRequest {
		return network.PublishRequest{IdempotencyKey: key, CreatedAt: b.clk.Now(), Parts: []network.Part{{Text: text, Media: []network.Media{img("https://cdn.example/a.jpg")}}}}
	}

	// Published, but the answer was lost: the retry finds the published container and its media.
	b.srv.Inject(metatest.Fault{Op: "/media_publish", Kind: metatest.CommitThenDrop})
	_, err := ig.Publish(ctx, req("k1", "dropped answer"))
	requireClass(t, err, network.Unknown)
	res, err := ig.Publish(ctx, req("k1", "dropped answer"))
	require.NoError(t, err)
	require.Equal(t, 1, b.srv.Count(mediaEdge), "the container is resumed, not made again")
	require.Len(t, b.srv.Objects("igmedia", b.srv.IGUserID), 1, "posted once")
	require.Equal(t, b.srv.Objects("igmedia", b.srv.IGUserID)[0].ID, res.Parts[0].ID)

	// A crash between container and publish: the next attempt publishes the same container.
	b.srv.Inject(metatest.Fault{Op: "/media_publish", Kind: metatest.Transient})
	_, err = ig.Publish(ctx, req("k2", "transient"))
	requireClass(t, err, network.Retryable)
	_, err = ig.Publish(ctx, req("k2", "transient"))
	require.NoError(t, err)
	require.Equal(t, 2, b.srv.Count(mediaEdge))
	require.Len(t, b.srv.Objects("igmedia", b.srv.IGUserID), 2)

	// A restarted process (no memory of the container) finds the post among recent media.
	b.srv.Inject(metatest.Fault{Op: "/media_publish", Kind: metatest.CommitThen500})
	_, err = ig.Publish(ctx, req("k3", "crash then restart"))
	require.Error(t, err)
	fresh := b.instagram(t, LoginFacebook)
	res, err = fresh.Publish(ctx, req("k3", "crash then restart"))
	require.NoError(t, err)
	require.Len(t, b.srv.Objects("igmedia", b.srv.IGUserID), 3, "not posted twice")
	require.Equal(t, 3, b.srv.Count(mediaEdge))
	require.Equal(t, "crash then restart", b.srv.Get(res.Parts[0].ID).Fields["caption"])

	// A container left 24 hours expires; the retry makes a new one.
	b.srv.Inject(metatest.Fault{Op: "/media_publish", Kind: metatest.Transient})
	_, err = ig.Publish(ctx, req("k4", "expired"))
	require.Error(t, err)
	b.clk.Add(25 * time.Hour)
	_, err = ig.Publish(ctx, req("k4", "expired"))
	require.NoError(t, err)
	require.Equal(t, 5, b.srv.Count(mediaEdge))
	require.Equal(t, 6, b.srv.Count(publishEdge))
}

func TestInstagramPublishingLimit(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{CallBudget: 100000, Polls: -1})
	ig := b.instagram(t, LoginFacebook)
	ctx := context.Background()
	for i := 0; i < 100; i++ {
		_, err := ig.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "post " + itoa(int64(i)), Media: []network.Media{img("https://cdn.example/a.jpg")}}}})
		require.NoError(t, err, i)
	}
	containers := b.srv.Count("POST /" + b.srv.IGUserID + "/media")
	_, err := ig.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "one too many", Media: []network.Media{img("https://cdn.example/a.jpg")}}}})
	ne := requireClass(t, err, network.Retryable)
	require.True(t, errors.Is(err, network.ErrRateLimited))
	require.Equal(t, "publishing_limit", ne.Code)
	require.Contains(t, ne.Message, "100 posts per 24 hours")
	require.Equal(t, containers, b.srv.Count("POST /"+b.srv.IGUserID+"/media"), "no container made past the limit")
	b.clk.Add(24 * time.Hour)
	_, err = ig.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "next day", Media: []network.Media{img("https://cdn.example/a.jpg")}}}})
	require.NoError(t, err)
}

func TestInstagramLoginTokenRefresh(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{})
	ig := b.instagram(t, LoginInstagram)
	ctx := context.Background()
	old := ig.c.token
	require.NoError(t, ig.Check(ctx))
	require.Empty(t, b.saved, "a fresh token is not refreshed")
	b.clk.Add(31 * 24 * time.Hour)
	require.NoError(t, ig.Check(ctx))
	require.Len(t, b.saved, 1)
	require.NotEqual(t, old, b.saved[0]["access_token"])
	require.Equal(t, b.clk.Now().Add(60*24*time.Hour).Format(time.RFC3339), b.saved[0]["expires_at"])
	_, exp, ok := b.srv.TokenInfo(ig.c.token)
	require.True(t, ok)
	require.Equal(t, b.clk.Now().Add(60*24*time.Hour), exp)

	// Left past its expiry, the token cannot be renewed: reconnect, saying when it expired.
	b.clk.Add(61 * 24 * time.Hour)
	ne := requireClass(t, ig.Check(ctx), network.AuthReconnect)
	require.Contains(t, ne.Message, "expired")

	// Instagram Login has no hashtag search, business discovery or mentions.
	_, err := ig.BusinessDiscovery(ctx, "maison.rivale")
	requireClass(t, err, network.Permanent)
}

func TestInstagramConversations(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{})
	ig := b.instagram(t, LoginFacebook)
	ctx := context.Background()
	res, err := ig.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "Comment here", Media: []network.Media{img("https://cdn.example/a.jpg")}}}})
	require.NoError(t, err)
	media := res.Parts[0].ID
	c1 := b.srv.AddComment(media, "alice", "Love it")
	c2 := b.srv.AddComment(c1, "bob", "Same")
	got, err := ig.Comments(ctx, media)
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, media, got[0].ParentID)
	require.Equal(t, c1, got[1].ParentID)
	require.Equal(t, "@alice", got[0].AuthorName)

	rp, err := ig.Reply(ctx, c1, "Thanks!")
	require.NoError(t, err)
	require.Equal(t, c1, b.srv.Get(rp.ID).Parent)
	top, err := ig.Reply(ctx, media, "A comment on the media itself")
	require.NoError(t, err)
	require.Equal(t, media, b.srv.Get(top.ID).Parent)
	got, err = ig.Comments(ctx, media)
	require.NoError(t, err)
	require.Len(t, got, 2, "the account's own comments are left out")

	require.NoError(t, ig.HideComment(ctx, c2))
	require.True(t, b.srv.Get(c2).Hidden)
	require.NoError(t, ig.DeleteComment(ctx, c2))
	require.True(t, b.srv.Get(c2).Deleted)

	b.srv.SetMetrics(media, map[string]int64{"views": 800, "reach": 640, "likes": 55, "shares": 4, "saved": 9})
	m, err := ig.PostMetrics(ctx, []string{media})
	require.NoError(t, err)
	require.Equal(t, network.PostMetrics{Likes: 55, Reposts: 4, Replies: 3, Quotes: -1, Views: 800}, m[media])
	ins, err := ig.Insights(ctx, media)
	require.NoError(t, err)
	require.EqualValues(t, 9, ins["saved"])
	require.EqualValues(t, 640, ins["reach"])
	n, err := ig.Followers(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 4210, n)
	b.srv.SetMetrics(b.srv.IGUserID, map[string]int64{"views": 12000, "profile_views": 310})
	acct, err := ig.AccountInsights(ctx, "day")
	require.NoError(t, err)
	require.EqualValues(t, 310, acct["profile_views"])
	// Removed metric names (impressions, plays) are refused.
	_, err = insights(ctx, ig.c, media+"/insights", []string{"impressions"}, nil)
	requireClass(t, err, network.InvalidContent)

	// Mentions: media that tag the account, newer than the cursor.
	b.srv.Tag(b.srv.IGUserID, "fan.account", "Wearing @relais.boutique today")
	ms, cur, err := ig.Mentions(ctx, "")
	require.NoError(t, err)
	require.Len(t, ms, 1)
	require.Equal(t, "@fan.account", ms[0].AuthorName)
	b.clk.Add(time.Minute)
	ms, _, err = ig.Mentions(ctx, cur)
	require.NoError(t, err)
	require.Empty(t, ms)
}

func TestInstagramDiscoveryAndHashtags(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{})
	ig := b.instagram(t, LoginFacebook)
	ctx := context.Background()
	p, err := ig.BusinessDiscovery(ctx, "@maison.rivale")
	require.NoError(t, err)
	require.EqualValues(t, 98000, p.FollowersCount)
	require.EqualValues(t, 2, p.MediaCount)
	require.Len(t, p.Media, 2)
	require.EqualValues(t, 1200, p.Media[0].LikeCount)
	_, err = ig.BusinessDiscovery(ctx, "nobody.here")
	requireClass(t, err, network.InvalidContent)
	_, err = ig.BusinessDiscovery(ctx, "bad name!")
	_, ok := valid.As(err)
	require.True(t, ok)

	found, _, err := ig.Search(ctx, "#mode", "")
	require.NoError(t, err)
	require.Len(t, found, 1)
	require.Contains(t, found[0].Text, "#mode")
	// 30 unique hashtags per 7 days; a hashtag already searched stays free.
	for i := 1; i < 30; i++ {
		_, _, err := ig.Search(ctx, "tag"+itoa(int64(i)), "")
		require.NoError(t, err)
	}
	_, _, err = ig.Search(ctx, "#mode", "")
	require.NoError(t, err)
	_, _, err = ig.Search(ctx, "#onemore", "")
	requireClass(t, err, network.InvalidContent)
	b.clk.Add(7 * 24 * time.Hour)
	_, _, err = ig.Search(ctx, "#onemore", "")
	require.NoError(t, err)
}

// TestInstagramResumesTheSameContainerAfterACrash: with the host's durable
// checkpoints, a new process resumes the container the crashed one made.
func TestInstagramResumesTheSameContainerAfterACrash(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{})
	var mu sync.Mutex
	saved := map[string]string{}
	b.env.Checkpoint = func(_ context.Context, key string) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		return saved[key], nil
	}
	b.env.SetCheckpoint = func(_ context.Context, key, value string) error {
		mu.Lock()
		defer mu.Unlock()
		saved[key] = value
		return nil
	}
	ctx := context.Background()
	req := network.PublishRequest{IdempotencyKey: "crash-1", CreatedAt: b.clk.Now(), Parts: []network.Part{{Text: "resume me", Media: []network.Media{img("https://cdn.example/a.jpg")}}}}

	b.srv.Inject(metatest.Fault{Op: "/media_publish", Kind: metatest.Timeout})
	first := b.instagram(t, LoginFacebook)
	// The process dies once its publish call is at the server (which holds
	// it), whatever the container calls before it took under load.
	tctx, cancel := context.WithCancel(ctx)
	died := make(chan error, 1)
	go func() { _, err := first.Publish(tctx, req); died <- err }()
	require.Eventually(t, func() bool { return b.srv.Count("/media_publish") == 1 }, 30*time.Second, 5*time.Millisecond,
		"the publish call never reached the server")
	cancel()
	require.Error(t, <-died, "the process dies while publishing")
	containers := b.srv.Objects("container", b.srv.IGUserID)
	require.Len(t, containers, 1)

	restarted := b.instagram(t, LoginFacebook)
	res, err := restarted.Publish(ctx, req)
	require.NoError(t, err)
	require.Len(t, b.srv.Objects("container", b.srv.IGUserID), 1, "the same container is published, no new one")
	require.Equal(t, res.Parts[0].ID, b.srv.Get(containers[0].ID).Published)
	require.Len(t, b.srv.Objects("igmedia", b.srv.IGUserID), 1)

	// Asked again (the result was lost), it answers from the checkpoint without publishing.
	again := b.instagram(t, LoginFacebook)
	publishes := b.srv.Count("/media_publish")
	res2, err := again.Publish(ctx, req)
	require.NoError(t, err)
	require.Equal(t, res.Parts[0].ID, res2.Parts[0].ID)
	require.Equal(t, publishes, b.srv.Count("/media_publish"), "no further publish call")
}

func TestInstagramPublicProfile(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{})
	ig := b.instagram(t, LoginFacebook)
	var r network.ProfileReader = ig
	p, err := r.PublicProfile(context.Background(), "maison.rivale", 1)
	require.NoError(t, err)
	require.Equal(t, "maison.rivale", p.Handle)
	require.EqualValues(t, 98000, p.Followers)
	require.Len(t, p.Recent, 1)
	require.EqualValues(t, 1200, p.Recent[0].Likes)
	require.EqualValues(t, -1, p.Recent[0].Shares)
	_, err = r.PublicProfile(context.Background(), "nobody.here", 5)
	requireClass(t, err, network.InvalidContent)
}
