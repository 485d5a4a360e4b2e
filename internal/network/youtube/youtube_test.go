package youtube

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/youtube/youtubetest"
	"github.com/relais/relais/internal/valid"
	"github.com/stretchr/testify/require"
)

func TestConnectPastedTokenAndOAuth(t *testing.T) {
	srv := youtubetest.New(t, youtubetest.Options{})
	ctx := context.Background()
	p := testProvider(srv, QuotaConfig{})
	access, refresh := srv.Tokens()
	acct, st, err := p.Connect(ctx, testEnv(nil), map[string]string{"access_token": access, "refresh_token": refresh})
	require.NoError(t, err)
	require.Equal(t, youtubetest.ChannelID, acct.RemoteID)
	require.Equal(t, "@relaisfake", acct.Handle)
	require.Equal(t, "https://www.youtube.com/@relaisfake", acct.URL)
	require.Equal(t, refresh, st.Secrets[secretRefresh])

	_, _, err = p.Connect(ctx, testEnv(nil), map[string]string{})
	require.ErrorContains(t, err, "Access token is required")

	// Sign in with Google: consent, then the code for tokens.
	u, keep, err := p.AuthorizeURL(ctx, testEnv(nil), nil, "http://relais.test/oauth/callback/youtube", "st4te")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(u, srv.URL+"/o/oauth2/v2/auth?"), u)
	require.Contains(t, u, "access_type=offline")
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Get(u)
	require.NoError(t, err)
	res.Body.Close()
	back, err := url.Parse(res.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "st4te", back.Query().Get("state"))
	acct, st, err = p.Exchange(ctx, testEnv(nil), keep, "http://relais.test/oauth/callback/youtube", back.Query().Get("code"))
	require.NoError(t, err)
	require.Equal(t, youtubetest.ChannelID, acct.RemoteID)
	require.NotEmpty(t, st.Secrets[secretRefresh])
	require.NotEmpty(t, st.Secrets[secretExpiresAt])

	// A code used twice is refused, as a permanent error (sign in again).
	_, _, err = p.Exchange(ctx, testEnv(nil), keep, "http://relais.test/oauth/callback/youtube", back.Query().Get("code"))
	require.Equal(t, network.Permanent, network.ClassOf(err))

	// A Google account without a channel says so.
	none := youtubetest.New(t, youtubetest.Options{NoChannel: true})
	a2, _ := none.Tokens()
	_, _, err = testProvider(none, QuotaConfig{}).Connect(ctx, testEnv(nil), map[string]string{"access_token": a2})
	require.ErrorContains(t, err, "no YouTube channel")
}

func TestPublishResumableWithMetadataThumbnailPlaylistAndComment(t *testing.T) {
	srv := youtubetest.New(t, youtubetest.Options{})
	var cp checkpoints
	c := open(t, srv, cp.env(testEnv(nil)))
	ctx := context.Background()
	thumb := network.Media{MIME: "image/jpeg", Data: []byte("\xff\xd8\xff thumbnail")}
	v := videoOf(3*chunkUnit+1000, 1080, 1920)
	res, err := c.Publish(ctx, network.PublishRequest{IdempotencyKey: "pub-1", Parts: []network.Part{{Text: "Le merle chante\nà l'aube", Media: []network.Media{v, thumb}}},
		FirstComment: "Merci d'avoir regardé", Options: map[string]string{"tags": "oiseaux, merle noir", "privacy_status": "unlisted", "category_id": "15", "made_for_kids": "false", "playlist_id": "PLrelais"}})
	require.NoError(t, err)
	require.Len(t, res.Parts, 1)
	id := res.Parts[0].ID
	require.Equal(t, "https://www.youtube.com/watch?v="+id, res.Parts[0].URL)
	require.Equal(t, "true", res.Parts[0].Extra["short"], "vertical: a Short")
	got, ok := srv.Video(id)
	require.True(t, ok)
	require.Equal(t, "Le merle chante", got.Title, "the first line is the title")
	require.Equal(t, "Le merle chante\nà l'aube", got.Description)
	require.Equal(t, []string{"oiseaux", "merle noir"}, got.Tags)
	require.Equal(t, "unlisted", got.Privacy)
	require.Equal(t, "15", got.CategoryID)
	require.Equal(t, len(v.Data), got.Size)
	require.Equal(t, thumb.Data, got.Thumbnail)
	require.Equal(t, []string{id}, srv.Playlist("PLrelais"))
	require.NotNil(t, res.FirstComment)
	cm, ok := srv.Comment(res.FirstComment.ID)
	require.True(t, ok)
	require.Equal(t, "Merci d'avoir regardé", cm.Text)
	require.Equal(t, 1, srv.Count("POST /upload/youtube/v3/videos"))
	require.Equal(t, 4, srv.Count("PUT /upload/youtube/v3/videos"), "four chunks of 256 KiB or less")
	var ranges []string
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPut {
			ranges = append(ranges, r.Header.Get("Content-Range"))
		}
	}
	require.Equal(t, []string{"bytes 0-262143/787432", "bytes 262144-524287/787432", "bytes 524288-786431/787432", "bytes 786432-787431/787432"}, ranges)
	// Quota counted before calling: the upload in its bucket, the rest in units.
	u := c.QuotaUsage()
	require.Equal(t, [2]int{1, 100}, u.Buckets["videos.insert"])
	require.Equal(t, 50+1+50+1+50, u.Units, "thumbnail, playlist item and comment thread, each insert after a list (the channel id is known)")
	units, uploads := srv.Units()
	require.Equal(t, 1, uploads)
	require.Equal(t, u.Units, units, "our count matches YouTube's")

	// A retry of the same publication (the engine lost the answer) does nothing again.
	res2, err := c.Publish(ctx, network.PublishRequest{IdempotencyKey: "pub-1", Parts: []network.Part{{Text: "Le merle chante\nà l'aube", Media: []network.Media{v, thumb}}},
		FirstComment: "Merci d'avoir regardé", Options: map[string]string{"playlist_id": "PLrelais"}})
	require.NoError(t, err)
	require.Equal(t, res.Parts, res2.Parts)
	require.Equal(t, res.FirstComment.ID, res2.FirstComment.ID)
	require.Len(t, srv.Videos(), 1)
	require.Equal(t, []string{id}, srv.Playlist("PLrelais"))
}

// TestUploadResumesAfterInterruptions: a chunk cut mid-way is resumed from
// the offset the session reports (308 + Range) in the same attempt; after
// an attempt that gave up (or a crash), a new connector with the same
// checkpoints asks the recorded session with bytes */N and finishes it:
// one session, one video.
func TestUploadResumesAfterInterruptions(t *testing.T) {
	srv := youtubetest.New(t, youtubetest.Options{})
	var cp checkpoints
	ctx := context.Background()
	v := videoOf(4*chunkUnit, 1920, 1080)
	req := network.PublishRequest{IdempotencyKey: "pub-2", Parts: []network.Part{{Text: "Vol de grues", Media: []network.Media{v}}}, Options: map[string]string{"title": "Grues"}}

	srv.Inject(youtubetest.Fault{Route: "PUT /upload/youtube/v3/videos", Kind: youtubetest.Interrupt})
	srv.Inject(youtubetest.Fault{Route: "POST /youtube/v3/playlistItems", Kind: youtubetest.ServerError})
	c := open(t, srv, cp.env(testEnv(nil)))
	res, err := c.Publish(ctx, req)
	require.NoError(t, err)
	require.Len(t, srv.Videos(), 1)
	got := srv.Videos()[0]
	require.Equal(t, res.Parts[0].ID, got.ID)
	require.Empty(t, res.Parts[0].Extra, "landscape: not a Short")

	// A second publication: every chunk after the first fails until the attempt gives up.
	req2 := req
	req2.IdempotencyKey = "pub-3"
	srv.Inject(youtubetest.Fault{Route: "PUT /upload/youtube/v3/videos", Kind: youtubetest.Drop, Times: 50})
	c1 := open(t, srv, cp.env(testEnv(nil)))
	_, err = c1.Publish(ctx, req2)
	require.Error(t, err)
	require.Equal(t, network.Retryable, network.ClassOf(err), "%v", err)
	require.Contains(t, err.Error(), "next attempt resumes")
	require.Len(t, srv.Videos(), 1)
	srv.Clear()
	sessionsBefore := srv.Count("POST /upload/youtube/v3/videos")

	// "After the crash": a new connector, the same checkpoints.
	c2 := open(t, srv, cp.env(testEnv(nil)))
	res, err = c2.Publish(ctx, req2)
	require.NoError(t, err)
	require.Equal(t, sessionsBefore, srv.Count("POST /upload/youtube/v3/videos"), "no new session")
	require.Len(t, srv.Videos(), 2)
	var status int
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPut && r.Header.Get("Content-Range") == "bytes */1048576" {
			status++
		}
	}
	require.Positive(t, status, "the session was asked where it stands")

	// The last chunk lands but its answer is lost: the status query finds the video.
	req3 := req
	req3.IdempotencyKey = "pub-4"
	req3.Parts = []network.Part{{Text: "Court", Media: []network.Media{videoOf(1000, 0, 0)}}}
	srv.Inject(youtubetest.Fault{Route: "PUT /upload/youtube/v3/videos", Kind: youtubetest.CommitThenDrop})
	res, err = open(t, srv, cp.env(testEnv(nil))).Publish(ctx, req3)
	require.NoError(t, err)
	require.Len(t, srv.Videos(), 3)
	require.Equal(t, srv.Videos()[2].ID, res.Parts[0].ID)

	// A session that expired unfinished (404) is replaced by a new one.
	req4 := req
	req4.IdempotencyKey = "pub-5"
	srv.Inject(youtubetest.Fault{Route: "PUT /upload/youtube/v3/videos", Kind: youtubetest.Drop, Times: 50})
	_, err = open(t, srv, cp.env(testEnv(nil))).Publish(ctx, req4)
	require.Error(t, err)
	srv.Clear()
	srv.Inject(youtubetest.Fault{Route: "PUT /upload/youtube/v3/videos", Kind: youtubetest.Expire})
	before := srv.Count("POST /upload/youtube/v3/videos")
	_, err = open(t, srv, cp.env(testEnv(nil))).Publish(ctx, req4)
	require.NoError(t, err)
	require.Equal(t, before+1, srv.Count("POST /upload/youtube/v3/videos"), "a new session")
	require.Len(t, srv.Videos(), 4)
}

func TestMetadataLimits(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	for name, tc := range map[string]struct {
		text string
		opts map[string]string
		want string
	}{
		"title too long":         {"x", map[string]string{"title": strings.Repeat("é", 101)}, "100 characters in the title; this one has 101"},
		"title angle":            {"x", map[string]string{"title": "a <b>"}, "< and > in the title"},
		"description bytes":      {strings.Repeat("é", 2501), nil, "5000 bytes in the description; this one has 5002"},
		"tags":                   {"x", map[string]string{"tags": strings.Repeat("ab cd,", 90)}, "500 characters of tags in all; these have 719"},
		"publish_at not private": {"x", map[string]string{"publish_at": "2026-12-24T18:00:00Z"}, "publish_at needs the private visibility"},
		"publish_at past":        {"x", map[string]string{"publish_at": "2026-12-01T18:00:00Z", "privacy_status": "private"}, "not in the future"},
		"publish_at bad":         {"x", map[string]string{"publish_at": "tomorrow", "privacy_status": "private"}, "publish_at must be a date"},
		"privacy":                {"x", map[string]string{"privacy_status": "friends"}, "privacy_status must be"},
		"kids":                   {"x", map[string]string{"made_for_kids": "maybe"}, "made_for_kids must be"},
		"no title":               {"  \n ", nil, "needs a title"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Metadata(tc.text, tc.opts, now)
			require.ErrorContains(t, err, tc.want)
			require.Equal(t, network.InvalidContent, network.ClassOf(err))
		})
	}
	m, err := Metadata("Titre\ncorps", map[string]string{"publish_at": "2026-12-24T18:00:00+01:00", "privacy_status": "private", "made_for_kids": "true"}, now)
	require.NoError(t, err)
	require.Equal(t, "2026-12-24T17:00:00.000Z", m.Status.PublishAt)
	require.True(t, m.Status.SelfDeclaredMadeForKids)
	require.Equal(t, "Titre", m.Snippet.Title)
	require.Equal(t, strings.Repeat("a", 99)+"…", DefaultTitle(strings.Repeat("a", 150)))
	require.Equal(t, 10, TagsLength([]string{"ab cd", "ef"}), "5, 2 quotes, a comma, 2")
	require.True(t, IsShort(1080, 1920, 180))
	require.False(t, IsShort(1080, 1920, 181))
	require.False(t, IsShort(1920, 1080, 30))

	// Bad metadata never reaches YouTube.
	srv := youtubetest.New(t, youtubetest.Options{})
	c := open(t, srv, testEnv(nil))
	_, err = c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "x", Media: []network.Media{videoOf(10, 0, 0)}}}, Options: map[string]string{"title": strings.Repeat("t", 101)}})
	require.Equal(t, network.InvalidContent, network.ClassOf(err))
	_, err = c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "x"}}})
	require.ErrorContains(t, err, "needs a video")
	require.Empty(t, srv.Requests())
}

func TestQuotaCountedBeforeCalling(t *testing.T) {
	srv := youtubetest.New(t, youtubetest.Options{})
	ctx := context.Background()
	q, err := ParseQuota("daily=120,comments.insert=50,bucket.videos.insert=1")
	require.NoError(t, err)
	q.Costs["test:"+t.Name()] = 1
	access, refresh := srv.Tokens()
	conn, err := testProvider(srv, q).Open(testEnv(nil), network.Stored{Settings: map[string]string{"channel_id": youtubetest.ChannelID}, Secrets: map[string]string{secretAccess: access, secretRefresh: refresh}})
	require.NoError(t, err)
	c := conn.(*Connector)
	_, err = c.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "un", Media: []network.Media{videoOf(10, 0, 0)}}}})
	require.NoError(t, err)
	_, err = c.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "deux", Media: []network.Media{videoOf(10, 0, 0)}}}})
	require.ErrorIs(t, err, ErrQuotaExceeded)
	require.ErrorContains(t, err, "daily videos.insert allowance of 1 calls is used up")
	require.Equal(t, 1, srv.Count("POST /upload/youtube/v3/videos"), "refused before calling")
	vid := srv.Videos()[0].ID
	cid := srv.AddComment(vid, "", "alice", "Bravo")
	_, err = c.Reply(ctx, cid, "Merci")
	require.NoError(t, err)
	_, err = c.Reply(ctx, cid, "Merci encore")
	require.NoError(t, err)
	_, err = c.Reply(ctx, cid, "Et encore")
	var ne *network.Error
	require.ErrorAs(t, err, &ne)
	require.ErrorIs(t, err, ErrQuotaExceeded)
	require.Equal(t, network.Retryable, ne.Class)
	require.Equal(t, NextReset(time.Now()), ne.RetryAfter)
	require.Contains(t, ne.Message, "comments.insert costs 50 quota units and only 20 of the YouTube project's 120 daily units are left")
	require.Equal(t, 2, srv.Count("POST /youtube/v3/comments"))
	rl := c.RateLimit()
	require.Equal(t, 120, rl.Limit)
	require.Equal(t, 20, rl.Remaining)

	// YouTube's own refusal (the project used quota elsewhere) is typed the same and stops further calls today.
	c2 := open(t, srv, testEnv(nil))
	srv.Inject(youtubetest.Fault{Route: "GET /youtube/v3/videos", Kind: youtubetest.QuotaExceeded})
	_, err = c2.PostMetrics(ctx, []string{vid})
	require.ErrorIs(t, err, ErrQuotaExceeded)
	require.Equal(t, 0, c2.RateLimit().Remaining)
	n := len(srv.Requests())
	_, err = c2.Followers(ctx)
	require.ErrorIs(t, err, ErrQuotaExceeded)
	require.Len(t, srv.Requests(), n, "nothing sent after quotaExceeded")

	_, err = ParseQuota("daily=lots")
	require.ErrorContains(t, err, "NAME=UNITS")
	require.Equal(t, time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC), NextReset(time.Date(2026, 12, 6, 20, 0, 0, 0, time.UTC)).UTC())
}

func TestTokenRefreshAndReconnect(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	srv := youtubetest.New(t, youtubetest.Options{Now: clock, Testing: true})
	var sv saved
	env := testEnv(&sv)
	env.Now = clock
	c := open(t, srv, env)
	ctx := context.Background()
	srv.Expire()
	_, err := c.Identify(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, srv.Count("POST /token"))
	require.Equal(t, 1, sv.n)
	_, _, rt := c.api.current()
	require.Equal(t, rt, sv.last[secretRefresh], "Google keeps the refresh token")

	// Seven days later in "Testing" mode the refresh token is refused: reconnect.
	now = now.Add(7*24*time.Hour + time.Minute)
	_, err = c.Identify(ctx)
	require.Equal(t, network.AuthReconnect, network.ClassOf(err), "%v", err)
	require.ErrorContains(t, err, "invalid_grant")

	// A pasted token without a refresh token reconnects on 401.
	srv2 := youtubetest.New(t, youtubetest.Options{})
	access, _ := srv2.Tokens()
	conn, err := testProvider(srv2, QuotaConfig{}).Open(testEnv(nil), network.Stored{Secrets: map[string]string{secretAccess: access}})
	require.NoError(t, err)
	srv2.Inject(youtubetest.Fault{Route: "GET /youtube/v3/channels", Kind: youtubetest.Unauthorized})
	_, err = conn.Identify(ctx)
	require.Equal(t, network.AuthReconnect, network.ClassOf(err))
	srv2.Inject(youtubetest.Fault{Route: "GET /youtube/v3/channels", Kind: youtubetest.Forbidden})
	_, err = conn.Identify(ctx)
	require.Equal(t, network.AuthReconnect, network.ClassOf(err), "missing scopes: sign in again")
}

func TestCommentsRepliesModerationAndMetrics(t *testing.T) {
	srv := youtubetest.New(t, youtubetest.Options{})
	c := open(t, srv, testEnv(nil))
	ctx := context.Background()
	res, err := c.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "Vidéo", Media: []network.Media{videoOf(100, 0, 0)}}}})
	require.NoError(t, err)
	vid := res.Parts[0].ID
	top := srv.AddComment(vid, "", "alice", "Superbe")
	srv.AddComment(vid, top, "bob", "D'accord")

	got, err := c.Comments(ctx, vid)
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, "Superbe", got[0].Text)
	require.Equal(t, vid, got[0].ParentID)
	require.Equal(t, "comment", got[0].Kind)
	require.Equal(t, "@alice", got[0].AuthorHandle)
	require.Equal(t, top, got[1].ParentID)
	require.Equal(t, "reply", got[1].Kind)

	// Answering the reply joins its thread; the reply is found again after a lost answer.
	rp, err := c.Reply(ctx, got[1].RemoteID, "Merci à vous deux")
	require.NoError(t, err)
	cm, _ := srv.Comment(rp.ID)
	require.Equal(t, top, cm.ParentID)
	found, ok, err := c.FindReply(ctx, got[1].RemoteID, "Merci à vous deux")
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, rp.ID, found.ID)
	_, ok, err = c.FindReply(ctx, top, "jamais écrit")
	require.NoError(t, err)
	require.False(t, ok)

	// Mentions: every comment on the channel's videos since the cursor, the channel's own left out.
	m, cursor, err := c.Mentions(ctx, "")
	require.NoError(t, err)
	require.Len(t, m, 2)
	require.NotEmpty(t, cursor)
	m, cursor2, err := c.Mentions(ctx, cursor)
	require.NoError(t, err)
	require.Empty(t, m)
	require.Equal(t, cursor, cursor2)

	// Hiding holds the comment for review: it leaves the public threads.
	require.NoError(t, c.HideComment(ctx, top))
	hidden, _ := srv.Comment(top)
	require.Equal(t, "heldForReview", hidden.Moderation)
	got, err = c.Comments(ctx, vid)
	require.NoError(t, err)
	require.Empty(t, got)

	// Comments disabled: none to read, and commenting is invalid content.
	srv.DisableComments(vid)
	got, err = c.Comments(ctx, vid)
	require.NoError(t, err)
	require.Empty(t, got)
	_, err = c.comment(ctx, vid, "hello")
	require.Equal(t, network.InvalidContent, network.ClassOf(err))

	srv.SetStatistics(vid, 1500, 42, 7)
	pm, err := c.PostMetrics(ctx, []string{vid, "gone"})
	require.NoError(t, err)
	require.Equal(t, network.PostMetrics{Views: 1500, Likes: 42, Replies: 3, Reposts: 7, Quotes: -1}, pm[vid])
	require.NotContains(t, pm, "gone")
	st, err := c.AccountStats(ctx)
	require.NoError(t, err)
	require.Equal(t, network.AccountStats{Followers: 1234, Following: -1, Posts: 1}, st)
	rep, err := c.Report(ctx, "", time.Time{}, time.Time{})
	require.NoError(t, err)
	require.Equal(t, Report{Views: 1500, EstimatedMinutesWatched: 3000, Likes: 42, Comments: 3, Shares: 7, SubscribersGained: 15}, rep)

	require.NoError(t, c.Delete(ctx, vid))
	require.Empty(t, srv.Videos())
	require.NoError(t, c.Delete(ctx, vid), "already gone counts as deleted")
	caps := network.CapabilitiesOf(c, network.DefaultLimits[network.YouTube])
	require.True(t, caps.Metrics && caps.Comments && caps.Reply && caps.Mentions && caps.HideComment && caps.FirstComment)
}

func TestErrorClasses(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		status int
		body   string
		class  network.Class
		quota  bool
	}{
		{403, `{"error":{"code":403,"message":"quota","errors":[{"domain":"youtube.quota","reason":"quotaExceeded"}]}}`, network.Retryable, true},
		{403, `{"error":{"code":403,"errors":[{"reason":"uploadLimitExceeded"}]}}`, network.Retryable, false},
		{403, `{"error":{"code":403,"errors":[{"reason":"commentsDisabled"}]}}`, network.InvalidContent, false},
		{403, `{"error":{"code":403,"errors":[{"reason":"forbidden"}]}}`, network.Permanent, false},
		{401, `{"error":{"code":401,"errors":[{"reason":"authError"}]}}`, network.AuthRefresh, false},
		{400, `{"error":{"code":400,"errors":[{"reason":"invalidTitle"}]}}`, network.InvalidContent, false},
		{400, `{"error":"invalid_grant","error_description":"Token has been expired or revoked."}`, network.InvalidContent, false},
		{503, `oops`, network.Retryable, false},
		{404, `{"error":{"code":404,"errors":[{"reason":"videoNotFound"}]}}`, network.Permanent, false},
	} {
		e := apiError(tc.status, http.Header{}, []byte(tc.body), now)
		require.Equal(t, tc.class, e.Class, tc.body)
		require.Equal(t, tc.quota, errors.Is(e, ErrQuotaExceeded), tc.body)
	}
}

// TestComposerLimits: the composer checks a YouTube variant with the
// registered options: the title's 100 characters, the tags' 500, the
// description's 5,000 bytes, a video required, one thumbnail image beside it.
func TestComposerLimits(t *testing.T) {
	l := network.DefaultLimits[network.YouTube]
	codes := func(d compose.Draft) []string {
		var out []string
		for _, p := range compose.Validate(d, l) {
			out = append(out, p.Field+":"+p.Code)
		}
		return out
	}
	video := compose.MediaInfo{Kind: compose.MediaVideo, Bytes: 10 << 20, Width: 1080, Height: 1920, DurationSeconds: 50}
	require.Empty(t, codes(compose.Draft{Text: "Bonjour", Media: []compose.MediaInfo{video}, Options: map[string]string{"title": "Titre"}}))
	require.Equal(t, []string{"options.title:option_too_long"}, codes(compose.Draft{Text: "x", Media: []compose.MediaInfo{video}, Options: map[string]string{"title": strings.Repeat("t", 101)}}))
	require.Equal(t, []string{"options.tags:option_too_long"}, codes(compose.Draft{Text: "x", Media: []compose.MediaInfo{video}, Options: map[string]string{"tags": strings.Repeat("t,", 251)}}))
	require.Equal(t, []string{"text:text_too_many_bytes"}, codes(compose.Draft{Text: strings.Repeat("é", 2501), Media: []compose.MediaInfo{video}}))
	require.Equal(t, []string{"media:video_required"}, codes(compose.Draft{Text: "x"}))
	p := compose.Validate(compose.Draft{Text: "x", Media: []compose.MediaInfo{video}, Options: map[string]string{"title": strings.Repeat("t", 120)}}, l)[0]
	require.Equal(t, `YouTube allows 100 characters in the option "title"; this variant has 120`, p.Message)
	require.Equal(t, "YouTube erlaubt 100 Zeichen in der Option „title“; diese Variante hat 120", compose.MessageIn(p, "de"))
}

// TestPreviewShort: the composer's preview says when YouTube will make the video a Short.
func TestPreviewShort(t *testing.T) {
	l := network.DefaultLimits[network.YouTube]
	for _, tc := range []struct {
		m    compose.MediaInfo
		want bool
	}{
		{compose.MediaInfo{Kind: compose.MediaVideo, Width: 1080, Height: 1920, DurationSeconds: 59}, true},
		{compose.MediaInfo{Kind: compose.MediaVideo, Width: 1080, Height: 1080, DurationSeconds: 180}, true},
		{compose.MediaInfo{Kind: compose.MediaVideo, Width: 1080, Height: 1920, DurationSeconds: 181}, false},
		{compose.MediaInfo{Kind: compose.MediaVideo, Width: 1920, Height: 1080, DurationSeconds: 30}, false},
	} {
		require.Equal(t, tc.want, compose.Preview("x", l, []compose.MediaInfo{tc.m}, "").Short, "%+v", tc.m)
		require.Equal(t, tc.want, IsShort(tc.m.Width, tc.m.Height, tc.m.DurationSeconds))
	}
	require.False(t, compose.Preview("x", network.DefaultLimits[network.TikTok], []compose.MediaInfo{{Kind: compose.MediaVideo, Width: 9, Height: 16}}, "").Short)
}

// TestFollowUpStepsOnce: a playlist insert or a first comment whose answer
// was lost is found by the retry instead of being made again.
func TestFollowUpStepsOnce(t *testing.T) {
	srv := youtubetest.New(t, youtubetest.Options{})
	var cp checkpoints
	ctx := context.Background()
	req := network.PublishRequest{IdempotencyKey: "once", Parts: []network.Part{{Text: "Héron", Media: []network.Media{videoOf(100, 0, 0)}}},
		FirstComment: "Merci", Options: map[string]string{"playlist_id": "PLrelais"}}
	srv.Inject(youtubetest.Fault{Route: "POST /youtube/v3/playlistItems", Kind: youtubetest.CommitThenDrop})
	_, err := open(t, srv, cp.env(testEnv(nil))).Publish(ctx, req)
	require.Error(t, err)
	srv.Inject(youtubetest.Fault{Route: "POST /youtube/v3/commentThreads", Kind: youtubetest.CommitThenFail})
	_, err = open(t, srv, cp.env(testEnv(nil))).Publish(ctx, req)
	require.Error(t, err)
	res, err := open(t, srv, cp.env(testEnv(nil))).Publish(ctx, req)
	require.NoError(t, err)
	require.Len(t, srv.Videos(), 1)
	require.Len(t, srv.Playlist("PLrelais"), 1, "one playlist item")
	require.Equal(t, 1, srv.Count("POST /youtube/v3/playlistItems"))
	require.Equal(t, 1, srv.Count("POST /youtube/v3/commentThreads"))
	cm, ok := srv.Comment(res.FirstComment.ID)
	require.True(t, ok)
	require.Equal(t, "Merci", cm.Text)
}

// TestPublicProfile reads another creator's channel by handle and by id:
// subscribers, videos, the latest uploads with their counts (newest first),
// hidden subscribers as unknown, an unknown handle as a permanent 404, a
// malformed one as an error naming the field; each read costs 3 units.
func TestPublicProfile(t *testing.T) {
	t.Parallel()
	srv := youtubetest.New(t, youtubetest.Options{})
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	var vids []youtubetest.OtherVideo
	for i := range 4 {
		vids = append(vids, youtubetest.OtherVideo{ID: fmt.Sprintf("lea%02d", i), Title: fmt.Sprintf("Look %d", i), Description: "#mode",
			PublishedAt: now.AddDate(0, 0, -i), Views: int64(10_000 - 1000*i), Likes: int64(800 - 50*i), Comments: int64(40 + i)})
	}
	srv.AddChannel(youtubetest.OtherChannel{ID: "UCleaMartinChannel000001", Handle: "LeaMartin", Title: "Léa Martin", Description: "Mode à Lyon",
		Subscribers: 52_000, Videos: vids})
	srv.AddChannel(youtubetest.OtherChannel{ID: "UChiddenChannel000000001", Handle: "discreet", Title: "Discreet", HiddenSubscribers: true})
	c := open(t, srv, testEnv(nil))
	ctx := context.Background()

	p, err := c.PublicProfile(ctx, "@leamartin", 3)
	require.NoError(t, err)
	require.Equal(t, "UCleaMartinChannel000001", p.ID)
	require.Equal(t, "Léa Martin", p.Name)
	require.Equal(t, int64(52_000), p.Followers)
	require.Equal(t, int64(-1), p.Following, "YouTube has no following")
	require.Equal(t, int64(4), p.Posts)
	require.Len(t, p.Recent, 3)
	require.Equal(t, "lea00", p.Recent[0].ID)
	require.Equal(t, int64(800), p.Recent[0].Likes)
	require.Equal(t, int64(40), p.Recent[0].Comments)
	require.Equal(t, int64(10_000), p.Recent[0].Views)
	require.Equal(t, int64(-1), p.Recent[0].Shares)
	require.Equal(t, "https://www.youtube.com/watch?v=lea00", p.Recent[0].URL)
	require.True(t, p.Recent[0].At.Equal(now))

	byID, err := c.PublicProfile(ctx, "UCleaMartinChannel000001", 0)
	require.NoError(t, err)
	require.Equal(t, p.Followers, byID.Followers)
	require.Empty(t, byID.Recent)

	hidden, err := c.PublicProfile(ctx, "discreet", 5)
	require.NoError(t, err)
	require.Equal(t, int64(-1), hidden.Followers, "hidden subscribers are unknown, not zero")

	_, err = c.PublicProfile(ctx, "@nobody", 5)
	var ne *network.Error
	require.ErrorAs(t, err, &ne)
	require.Equal(t, network.Permanent, ne.Class)
	_, err = c.PublicProfile(ctx, "not a handle", 5)
	_, ok := valid.As(err)
	require.True(t, ok, "%v", err)
}
