package listen_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/listen"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/meta"
	"github.com/relais/relais/internal/network/meta/metatest"
	"github.com/relais/relais/internal/network/x"
	"github.com/relais/relais/internal/network/x/xtest"
	"github.com/relais/relais/internal/network/youtube"
	"github.com/relais/relais/internal/network/youtube/youtubetest"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// channelConnectors hands out connectors opened on the networks' fakes.
type channelConnectors map[int64]network.Connector

func (c channelConnectors) Connector(_ context.Context, _, channelID int64) (network.Connector, network.Limits, error) {
	return c[channelID], network.Limits{}, nil
}

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// TestSearchPollsNetworks runs a query through X recent search and YouTube
// search.list on their fakes: the networks' broader answers are filtered
// by the query (NOT), matches are stored once with the author's reach,
// searches wait for their interval, and a later search stores only the new
// post.
func TestSearchPollsNetworks(t *testing.T) {
	t.Parallel()
	clk := &testClock{t: time.Now().UTC().Truncate(time.Second)}
	xs := xtest.New(t, xtest.Options{Now: clk.Now})
	alice := xs.AddPost("alice", "Acme refund was slow", "")
	xs.AddPost("carol", "acme jobs: we are hiring", "")
	xs.AddPost("dave", "globex shoes", "")
	xs.SetUserFollowers("alice", 1200)
	ys := youtubetest.New(t, youtubetest.Options{Now: clk.Now})
	ys.AddChannel(youtubetest.OtherChannel{ID: "UCreviewer000000000000001", Handle: "reviewer", Title: "Shoe Reviews", Videos: []youtubetest.OtherVideo{
		{ID: "acmeUnbox", Title: "Acme unboxing", Description: "first look", PublishedAt: clk.Now().Add(-time.Hour)},
		{ID: "other", Title: "Globex haul", Description: "shoes", PublishedAt: clk.Now().Add(-time.Hour)},
	}})

	s := storetest.Open(t, "sqlite")
	u := storetest.NewUser(t, s, "search@listen.example")
	w := storetest.NewWorkspace(t, s, "search", u.ID)
	xch := storetest.NewChannel(t, s, w.ID, "x", "x-search")
	ych := storetest.NewChannel(t, s, w.ID, "youtube", "yt-search")
	env := network.Env{HTTP: &http.Client{Timeout: 10 * time.Second}}
	xa, xr := xs.Tokens()
	xc, err := x.Provider{App: &x.App{ClientID: xs.ClientID(), APIURL: xs.URL}}.Open(env, network.Stored{
		Settings: map[string]string{"user_id": xs.UserID()},
		Secrets:  map[string]string{network.SecretAccess: xa, network.SecretRefresh: xr}})
	require.NoError(t, err)
	ya, yr := ys.Tokens()
	q := youtube.DefaultQuota()
	q.Costs["test:"+t.Name()] = 1 // a quota counter of its own
	yc, err := youtube.Provider{App: &youtube.App{ClientID: ys.ClientID(), ClientSecret: ys.ClientSecret(), APIURL: ys.URL, Quota: q}}.Open(env, network.Stored{
		Settings: map[string]string{"channel_id": youtubetest.ChannelID},
		Secrets:  map[string]string{network.SecretAccess: ya, network.SecretRefresh: yr}})
	require.NoError(t, err)

	svc := &listen.Service{Store: s, Connectors: channelConnectors{xch.ID: xc, ych.ID: yc}, Now: clk.Now}
	query, err := svc.AddQuery(ctx, w.ID, u.ID, listen.Spec{Name: "Acme", Keywords: "acme NOT jobs"})
	require.NoError(t, err)

	res, err := svc.PollSearch(ctx, 0)
	require.NoError(t, err)
	require.Empty(t, res.Errors)
	require.Equal(t, 2, res.Channels)
	require.Equal(t, 2, res.Searches)
	require.Equal(t, 2, res.New, "alice on X (carol's job post is filtered out by NOT) and the unboxing video")
	require.Equal(t, `(acme) -is:retweet`, xs.Requests()[len(xs.Requests())-1].Query.Get("query"))
	ms, err := s.Mentions(ctx, w.ID, store.MentionFilter{Limit: 10})
	require.NoError(t, err)
	require.Len(t, ms, 2)
	byNet := map[string]store.Mention{}
	for _, m := range ms {
		byNet[m.Network] = m
	}
	require.Equal(t, alice, byNet["x"].RemoteID)
	require.Equal(t, "alice", byNet["x"].Author)
	require.EqualValues(t, 1200, byNet["x"].AuthorFollowers)
	require.Equal(t, "https://x.com/alice/status/"+alice, byNet["x"].URL)
	require.Equal(t, []int64{query.ID}, byNet["x"].QueryIDs)
	require.Equal(t, "acmeUnbox", byNet["youtube"].RemoteID)
	require.Equal(t, "Shoe Reviews", byNet["youtube"].Author)

	// Not due yet: nothing is sent.
	res, err = svc.PollSearch(ctx, w.ID)
	require.NoError(t, err)
	require.Zero(t, res.Searches)
	require.Equal(t, 2, res.Skipped)

	// 16 minutes later X is due again (YouTube hourly): only the new post is stored.
	clk.Add(16 * time.Minute)
	bob := xs.AddPost("bob", "I love Acme", "")
	res, err = svc.PollSearch(ctx, 0)
	require.NoError(t, err)
	require.Empty(t, res.Errors)
	require.Equal(t, 1, res.Searches)
	require.Equal(t, 1, res.Skipped)
	require.Equal(t, 1, res.New)
	require.Equal(t, 1, res.Read, "posts seen before are not read again")
	ms, err = s.Mentions(ctx, w.ID, store.MentionFilter{Limit: 10})
	require.NoError(t, err)
	require.Len(t, ms, 3)
	require.Equal(t, bob, ms[0].RemoteID)
	require.Equal(t, 1, ys.Count("GET /youtube/v3/search"), "one YouTube search in all")
}

// TestSearchInstagramHashtagLimit searches a query's hashtags on Instagram
// (ig_hashtag_search, then the hashtag's recent media) on the Meta fake,
// counting the hashtags locally: the 31st different hashtag in 7 days is
// refused with a message naming the limit, and never sent.
func TestSearchInstagramHashtagLimit(t *testing.T) {
	t.Parallel()
	clk := &testClock{t: time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)}
	ms := metatest.New(t, metatest.Options{Now: clk.Now})
	ms.Tag(ms.IGUserID, "fan", "Loving my new sneakers #tag1 #acme")
	yes := true
	env := network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &yes, Timeout: 10 * time.Second}), Now: clk.Now}
	app := meta.App{ID: metatest.AppID, Secret: metatest.AppSecret, InstagramID: metatest.InstagramAppID, InstagramSecret: metatest.InstagramAppSecret,
		ThreadsID: metatest.ThreadsAppID, ThreadsSecret: metatest.ThreadsAppSecret, Endpoints: meta.SameHost(ms.URL)}
	ig, err := meta.InstagramProvider{App: &app}.Open(env, network.Stored{
		Settings: map[string]string{"login": meta.LoginFacebook, "ig_user_id": ms.IGUserID, "username": "relais.boutique"},
		Secrets:  map[string]string{"access_token": ms.IssueToken("page", ms.PageID, 0)}})
	require.NoError(t, err)

	s := storetest.Open(t, "sqlite")
	u := storetest.NewUser(t, s, "ig@listen.example")
	w := storetest.NewWorkspace(t, s, "ig", u.ID)
	ch := storetest.NewChannel(t, s, w.ID, "instagram", "ig-search")
	svc := &listen.Service{Store: s, Connectors: channelConnectors{ch.ID: ig}, Now: clk.Now}
	var tags []string
	for i := 1; i <= 31; i++ {
		tags = append(tags, fmt.Sprintf("tag%d", i))
	}
	q, err := svc.AddQuery(ctx, w.ID, u.ID, listen.Spec{Name: "Tags", Hashtags: tags})
	require.NoError(t, err)

	res, err := svc.PollSearch(ctx, 0)
	require.NoError(t, err)
	require.Equal(t, 30, res.Searches)
	require.Equal(t, 1, res.New, "the fan's post with #tag1")
	require.Len(t, res.Errors, 1)
	require.Contains(t, res.Errors[0], "#tag31 not searched: Instagram allows 30 different hashtags per account in 7 days")
	require.Equal(t, 30, ms.Count("ig_hashtag_search"), "the 31st was never sent")
	used, err := svc.HashtagsUsed(ctx, ch.ID)
	require.NoError(t, err)
	require.Len(t, used, 30)

	// Three days later, with five hashtags dropped, the 31st is still
	// refused: the 30 searched stay counted for 7 days.
	clk.Add(3 * 24 * time.Hour)
	_, err = svc.UpdateQuery(ctx, w.ID, q.ID, listen.Spec{Name: "Tags", Hashtags: tags[5:]}, false)
	require.NoError(t, err)
	res, err = svc.PollSearch(ctx, 0)
	require.NoError(t, err)
	require.Len(t, res.Errors, 1)
	require.Contains(t, res.Errors[0], "#tag31 not searched")
	require.Equal(t, 25, res.Searches)

	// Past the 7 days they free up.
	clk.Add(4*24*time.Hour + time.Minute)
	res, err = svc.PollSearch(ctx, 0)
	require.NoError(t, err)
	require.Empty(t, res.Errors)
	require.Equal(t, 26, res.Searches)
	require.Equal(t, 30+25+26, ms.Count("ig_hashtag_search"), "never more than 30 different in 7 days: the fake would refuse")
	mentions, err := s.Mentions(ctx, w.ID, store.MentionFilter{Limit: 10})
	require.NoError(t, err)
	require.Len(t, mentions, 1, "stored once")
	require.True(t, strings.HasPrefix(mentions[0].URL, "https://www.instagram.com/p/"))
}

// TestSearchStrings writes a query in each network's search syntax.
func TestSearchStrings(t *testing.T) {
	spec := listen.Spec{Keywords: `(acme OR "acme shoes") AND (refund* OR delay) NOT jobs`, Hashtags: []string{"#AcmeDay"}}
	require.Equal(t, []string{`(acme OR "acme shoes" OR #AcmeDay) -is:retweet`}, listen.SearchStrings("x", spec))
	require.Equal(t, []string{`acme|"acme shoes"|#AcmeDay`}, listen.SearchStrings("youtube", spec))
	require.Equal(t, []string{"acme", "acme shoes", "#AcmeDay"}, listen.SearchStrings("threads", spec))
	require.Equal(t, []string{"#AcmeDay"}, listen.SearchStrings("instagram", spec))
	require.Nil(t, listen.SearchStrings("instagram", listen.Spec{Keywords: "acme"}), "Instagram searches hashtags only")
	long := listen.Spec{Keywords: strings.Repeat("verylongbrandname OR ", 40) + "last"}
	got := listen.SearchStrings("x", long)
	require.Len(t, got, 1)
	require.LessOrEqual(t, len([]rune(got[0])), 512)
	require.True(t, strings.HasSuffix(got[0], ") -is:retweet"))
}

// TestSearchThreads runs a query's words and hashtags through Threads
// keyword search on the Meta fake, one search each, and stores the matches
// with their author and permalink.
func TestSearchThreads(t *testing.T) {
	t.Parallel()
	clk := &testClock{t: time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)}
	ms := metatest.New(t, metatest.Options{Now: clk.Now})
	hit := ms.Mention(ms.ThreadsUserID, "sneakerfan", "The acme refund finally arrived, great service")
	ms.Mention(ms.ThreadsUserID, "jobhunter", "acme jobs are open")
	yes := true
	env := network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &yes, Timeout: 10 * time.Second}), Now: clk.Now}
	app := meta.App{ThreadsID: metatest.ThreadsAppID, ThreadsSecret: metatest.ThreadsAppSecret, Endpoints: meta.SameHost(ms.URL)}
	th, err := meta.ThreadsProvider{App: &app}.Open(env, network.Stored{Settings: map[string]string{"user_id": ms.ThreadsUserID, "username": "relais"},
		Secrets: map[string]string{"access_token": ms.IssueToken("threads", ms.ThreadsUserID, 0)}})
	require.NoError(t, err)

	s := storetest.Open(t, "sqlite")
	u := storetest.NewUser(t, s, "th@listen.example")
	w := storetest.NewWorkspace(t, s, "th", u.ID)
	ch := storetest.NewChannel(t, s, w.ID, "threads", "th-search")
	svc := &listen.Service{Store: s, Connectors: channelConnectors{ch.ID: th}, Now: clk.Now}
	_, err = svc.AddQuery(ctx, w.ID, u.ID, listen.Spec{Name: "Acme", Keywords: "acme NOT jobs", Networks: []string{"threads"}})
	require.NoError(t, err)
	res, err := svc.PollSearch(ctx, 0)
	require.NoError(t, err)
	require.Empty(t, res.Errors)
	require.Equal(t, 1, res.Searches)
	require.Equal(t, 1, res.New)
	require.Equal(t, 1, ms.Count("keyword_search"))
	mentions, err := s.Mentions(ctx, w.ID, store.MentionFilter{Limit: 10})
	require.NoError(t, err)
	require.Len(t, mentions, 1)
	require.Equal(t, hit, mentions[0].RemoteID)
	require.Equal(t, "sneakerfan", mentions[0].Author)
	require.Equal(t, "https://www.threads.net/@sneakerfan/post/"+hit, mentions[0].URL)
	require.Equal(t, "positive", mentions[0].Sentiment)
}
