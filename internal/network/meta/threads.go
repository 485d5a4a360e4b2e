package meta

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/valid"
)

// ReplyControls are the values Threads accepts for who may reply.
var ReplyControls = []string{"everyone", "accounts_you_follow", "mentioned_only", "parent_post_author_only", "followers_only"}

// ThreadsProvider connects Threads accounts.
type ThreadsProvider struct {
	// App overrides the configured Meta app (tests).
	App *App
}

var _ network.OAuthProvider = ThreadsProvider{}

// Kind names the network.
func (ThreadsProvider) Kind() network.Kind { return network.Threads }

// Fields lists the connect form.
func (ThreadsProvider) Fields() []network.Field {
	return []network.Field{
		{Name: "access_token", Label: "Access token", Secret: true, Help: "A long-lived Threads token; leave empty to sign in with Threads"},
	}
}

// AuthorizeURL sends the browser to the Threads authorization window.
func (p ThreadsProvider) AuthorizeURL(_ context.Context, _ network.Env, _ map[string]string, redirectURI, state string) (string, map[string]string, error) {
	a := appOf(p.App)
	if a.ThreadsID == "" || a.ThreadsSecret == "" {
		return "", nil, notConfigured("access_token", "Threads", "RELAIS_THREADS_APP_ID, RELAIS_THREADS_APP_SECRET")
	}
	return authorizeURL(a.endpoints().ThreadsAuth+"/oauth/authorize", url.Values{
		"client_id": {a.ThreadsID}, "redirect_uri": {redirectURI}, "response_type": {"code"}, "state": {state},
		"scope": {strings.Join(ThreadsScopes, ",")},
	}), map[string]string{}, nil
}

// Exchange trades the code for a short-lived token, then a 60-day one.
func (p ThreadsProvider) Exchange(ctx context.Context, env network.Env, _ map[string]string, redirectURI, code string) (network.Account, network.Stored, error) {
	a := appOf(p.App)
	ep := a.endpoints()
	c := client{env: env, kind: network.Threads, base: ep.Threads}
	var short tokenAnswer
	form := url.Values{"client_id": {a.ThreadsID}, "client_secret": {a.ThreadsSecret}, "grant_type": {"authorization_code"}, "redirect_uri": {redirectURI}, "code": {code}}
	if err := c.post(ctx, "oauth/access_token", form, &short); err != nil {
		return network.Account{}, network.Stored{}, fmt.Errorf("threads: exchange code: %w", exchangeFailed(err))
	}
	tok, _ := short.token()
	var long tokenAnswer
	if err := c.get(ctx, "access_token", url.Values{"grant_type": {"th_exchange_token"}, "client_secret": {a.ThreadsSecret}, "access_token": {tok}}, &long); err != nil {
		return network.Account{}, network.Stored{}, fmt.Errorf("threads: long-lived token: %w", exchangeFailed(err))
	}
	return connectThreads(ctx, env, a, long.AccessToken, expiresAt(env.Clock(), long.ExpiresIn))
}

// Connect checks a pasted long-lived token.
func (p ThreadsProvider) Connect(ctx context.Context, env network.Env, input map[string]string) (network.Account, network.Stored, error) {
	tok := strings.TrimSpace(input["access_token"])
	if tok == "" {
		return network.Account{}, network.Stored{}, valid.Errorf("access_token", "required", "Access token is required when not signing in with Threads")
	}
	return connectThreads(ctx, env, appOf(p.App), tok, "")
}

func connectThreads(ctx context.Context, env network.Env, a App, tok, expires string) (network.Account, network.Stored, error) {
	c := client{env: env, kind: network.Threads, base: a.endpoints().Threads + "/" + ThreadsVersion, token: tok, usage: &usageState{}}
	var me struct {
		ID string `json:"id"`
	}
	if err := c.get(ctx, "me", url.Values{"fields": {"id"}}, &me); err != nil {
		return network.Account{}, network.Stored{}, fmt.Errorf("threads: read account: %w", err)
	}
	t := &Threads{mediaAccount: mediaAccount{c: c, id: me.ID}}
	acct, err := t.Identify(ctx)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	return acct, network.Stored{
		Settings: map[string]string{"user_id": me.ID, "username": t.username},
		Secrets:  map[string]string{"access_token": tok, "expires_at": expires},
	}, nil
}

// Open builds a connector from what was stored.
func (p ThreadsProvider) Open(env network.Env, s network.Stored) (network.Connector, error) {
	env.HTTP = env.Client()
	tok, id := s.Secrets["access_token"], s.Settings["user_id"]
	if tok == "" || id == "" {
		return nil, errors.New("threads: stored channel has no token or user id")
	}
	ep := appOf(p.App).endpoints()
	return &Threads{mediaAccount: mediaAccount{
		c:  client{env: env, kind: network.Threads, base: ep.Threads + "/" + ThreadsVersion, token: tok, usage: &usageState{}},
		id: id,
		box: &tokenBox{r: refresher{env: env, base: ep.Threads, grant: "th_refresh_token", kind: network.Threads},
			token: tok, expires: parseTime(s.Secrets["expires_at"]), secrets: s.Secrets},
		pollEvery: 2 * time.Second, maxPolls: 150, log: &containerLog{env: env, kind: network.Threads},
	}, username: s.Settings["username"]}, nil
}

// Threads publishes to and reads from one Threads account.
type Threads struct {
	mediaAccount
	username string
}

var (
	_ network.Connector     = (*Threads)(nil)
	_ network.MetricsReader = (*Threads)(nil)
	_ network.CommentReader = (*Threads)(nil)
	_ network.Replier       = (*Threads)(nil)
	_ network.CommentHider  = (*Threads)(nil)
	_ network.MentionReader = (*Threads)(nil)
	_ network.Searcher      = (*Threads)(nil)
	_ network.HealthChecker = (*Threads)(nil)
)

// Kind names the network.
func (t *Threads) Kind() network.Kind { return network.Threads }

// Identify reads the account.
func (t *Threads) Identify(ctx context.Context) (network.Account, error) {
	var u struct {
		Username string `json:"username"`
		Name     string `json:"name"`
		Picture  string `json:"threads_profile_picture_url"`
	}
	if err := t.c.get(ctx, t.id, url.Values{"fields": {"id,username,name,threads_profile_picture_url"}}, &u); err != nil {
		return network.Account{}, fmt.Errorf("threads: read account: %w", err)
	}
	t.username = u.Username
	return network.Account{RemoteID: t.id, Handle: "@" + u.Username, DisplayName: u.Name,
		URL: "https://www.threads.net/@" + u.Username, AvatarURL: u.Picture}, nil
}

// Check renews the token once it is due (at least 24 hours old, under 30 days left), then reads the account.
func (t *Threads) Check(ctx context.Context) error {
	if err := t.fresh(ctx); err != nil {
		return err
	}
	_, err := t.Identify(ctx)
	return err
}

func (t *Threads) flow() flow {
	return flow{c: t.c, account: t.id, createEdge: "threads", publishEdge: "threads_publish", statusField: "status",
		textField: "text", listEdge: "threads", pollEvery: t.pollEvery, maxPolls: t.maxPolls, log: t.log}
}

// Publish posts a thread: the first part, then each next part as a reply to
// the one before, then the first comment as a reply to the first part. Each
// part is a text, an image, a video or a carousel of 2–20 items. Options:
// "reply_control" (ReplyControls), "quote" (a post id to quote), "topic_tag".
// Exactly once per part, as Instagram: recorded containers are resumed and
// recent posts searched before a new container is made.
func (t *Threads) Publish(ctx context.Context, req network.PublishRequest) (network.PublishResult, error) {
	res := network.PublishResult{Parts: append([]network.RemotePost(nil), req.Done...)}
	if err := t.fresh(ctx); err != nil {
		return res, err
	}
	switch {
	case len(req.Parts) == 0:
		return res, &network.Error{Class: network.InvalidContent, Network: network.Threads, Message: "a post needs at least one part"}
	case len(req.Done) > len(req.Parts):
		return res, &network.Error{Class: network.Permanent, Network: network.Threads, Message: fmt.Sprintf("%d parts recorded as done, but the post has only %d", len(req.Done), len(req.Parts))}
	}
	if rc := req.Options["reply_control"]; rc != "" && !contains(ReplyControls, rc) {
		return res, valid.Errorf("reply_control", "choice", "Threads reply control must be one of %s", strings.Join(ReplyControls, ", "))
	}
	parent := ""
	if n := len(req.Done); n > 0 {
		parent = req.Done[n-1].ID
	}
	for i := len(req.Done); i < len(req.Parts); i++ {
		opts := map[string]string{"reply_control": req.Options["reply_control"]}
		if i == 0 {
			opts["quote_post_id"], opts["topic_tag"] = req.Options["quote"], req.Options["topic_tag"]
		}
		id, err := t.post(ctx, req.Parts[i], parent, opts, keyOf(req.IdempotencyKey, strconv.Itoa(i)), req.CreatedAt)
		if err != nil {
			return res, fmt.Errorf("threads: publish part %d of %d: %w", i+1, len(req.Parts), err)
		}
		res.Parts = append(res.Parts, t.remote(ctx, id))
		parent = id
	}
	if strings.TrimSpace(req.FirstComment) != "" {
		id, err := t.post(ctx, network.Part{Text: req.FirstComment}, res.Parts[0].ID, nil, keyOf(req.IdempotencyKey, "comment"), req.CreatedAt)
		if err != nil {
			return res, fmt.Errorf("threads: first reply: %w", err)
		}
		rp := t.remote(ctx, id)
		res.FirstComment = &rp
	}
	return res, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func keyOf(key, suffix string) string {
	if key == "" {
		return ""
	}
	return key + "-" + suffix
}

// post publishes one Threads post (a reply when replyTo is set).
func (t *Threads) post(ctx context.Context, p network.Part, replyTo string, opts map[string]string, key string, since time.Time) (string, error) {
	if len(p.Media) > 20 {
		return "", &network.Error{Class: network.InvalidContent, Network: network.Threads, Message: fmt.Sprintf("Threads allows 20 items per carousel; this part has %d", len(p.Media))}
	}
	for _, m := range p.Media {
		if m.URL == "" {
			return "", &network.Error{Class: network.InvalidContent, Network: network.Threads,
				Message: "Threads fetches media from a public URL and this attachment has none: set RELAIS_BASE_URL to an address reachable from the internet"}
		}
	}
	f := t.flow()
	rec, err := f.log.get(ctx, key)
	if err != nil {
		return "", err
	}
	if rec.media == "" && rec.container == "" {
		if err := quota(ctx, t.c, t.id+"/threads_publishing_limit", "quota_usage,config,reply_quota_usage,reply_config", replyTo != ""); err != nil {
			return "", err
		}
	}
	text := network.TextAsSent(network.Threads, p)
	make := func(ctx context.Context) (string, error) {
		v := url.Values{}
		if text != "" {
			v.Set("text", text)
		}
		if replyTo != "" {
			v.Set("reply_to_id", replyTo)
		}
		for k, val := range opts {
			if val != "" {
				v.Set(k, val)
			}
		}
		switch len(p.Media) {
		case 0:
			v.Set("media_type", "TEXT")
		case 1:
			threadsMedia(v, p.Media[0])
		default:
			var children []string
			for i, m := range p.Media {
				item := url.Values{"is_carousel_item": {"true"}}
				threadsMedia(item, m)
				id, err := t.container(ctx, "threads", item)
				if err == nil {
					err = f.wait(ctx, id)
				}
				if err != nil {
					return "", fmt.Errorf("carousel item %d of %d: %w", i+1, len(p.Media), err)
				}
				children = append(children, id)
			}
			v.Set("media_type", "CAROUSEL")
			v.Set("children", strings.Join(children, ","))
		}
		return t.container(ctx, "threads", v)
	}
	return f.run(ctx, step{key: key, make: make, text: text, since: since, parent: replyTo, findable: text != "" && !since.IsZero()})
}

func threadsMedia(v url.Values, m network.Media) {
	if strings.HasPrefix(m.MIME, "video/") {
		v.Set("media_type", "VIDEO")
		v.Set("video_url", m.URL)
	} else {
		v.Set("media_type", "IMAGE")
		v.Set("image_url", m.URL)
	}
	if m.AltText != "" {
		v.Set("alt_text", m.AltText)
	}
}

// PostMetrics reads views, likes, replies, reposts and quotes (threads_manage_insights).
func (t *Threads) PostMetrics(ctx context.Context, remoteIDs []string) (map[string]network.PostMetrics, error) {
	return metricsOf(ctx, network.Threads, remoteIDs, func(id string) (network.PostMetrics, error) {
		v, err := t.Insights(ctx, id)
		return network.PostMetrics{Likes: v["likes"], Reposts: v["reposts"], Replies: v["replies"], Quotes: v["quotes"], Views: v["views"]}, err
	})
}

// Insights reads one post's views, likes, replies, reposts, quotes and shares.
func (t *Threads) Insights(ctx context.Context, id string) (map[string]int64, error) {
	return insights(ctx, t.c, id+"/insights", []string{"views", "likes", "replies", "reposts", "quotes", "shares"}, nil)
}

// AccountInsights reads the account's totals: views, likes, replies,
// reposts, quotes, clicks and followers_count (threads_manage_insights).
func (t *Threads) AccountInsights(ctx context.Context) (map[string]int64, error) {
	return insights(ctx, t.c, t.id+"/threads_insights", []string{"views", "likes", "replies", "reposts", "quotes", "clicks", "followers_count"}, nil)
}

// Followers reads followers_count from the account's insights.
func (t *Threads) Followers(ctx context.Context) (int64, error) {
	v, err := insights(ctx, t.c, t.id+"/threads_insights", []string{"followers_count"}, nil)
	if err != nil {
		return 0, fmt.Errorf("threads: followers: %w", err)
	}
	return v["followers_count"], nil
}

type thPost struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	Username  string `json:"username"`
	Timestamp string `json:"timestamp"`
	Permalink string `json:"permalink"`
	RepliedTo struct {
		ID string `json:"id"`
	} `json:"replied_to"`
}

// comment is a post by someone else as an inbox item of its own.
func (p thPost) comment() network.Comment {
	return network.Comment{RemoteID: p.ID, RootID: p.ID, AuthorName: "@" + p.Username, Text: p.Text, URL: p.Permalink, CreatedAt: parseGraphTime(p.Timestamp)}
}

// Comments reads the whole conversation under a post (every depth), leaving out the account's own replies.
func (t *Threads) Comments(ctx context.Context, remoteID string) ([]network.Comment, error) {
	q := url.Values{"fields": {"id,text,username,timestamp,permalink,replied_to,hide_status"}, "reverse": {"false"}, "limit": {"50"}}
	var out []network.Comment
	err := eachPage(ctx, t.c, remoteID+"/conversation", q, func(p thPost) {
		if t.username != "" && p.Username == t.username {
			return
		}
		cm := network.Comment{RemoteID: p.ID, ParentID: p.RepliedTo.ID, RootID: remoteID, AuthorName: "@" + p.Username,
			Text: p.Text, URL: p.Permalink, CreatedAt: parseGraphTime(p.Timestamp)}
		if cm.ParentID == "" {
			cm.ParentID = remoteID
		}
		out = append(out, cm)
	})
	if err != nil {
		return out, fmt.Errorf("threads: replies to %s: %w", remoteID, err)
	}
	return out, nil
}

// Reply answers a post or a reply with a text reply (reply_to_id).
func (t *Threads) Reply(ctx context.Context, parentRemoteID, text string) (network.RemotePost, error) {
	if err := t.fresh(ctx); err != nil {
		return network.RemotePost{}, err
	}
	id, err := t.post(ctx, network.Part{Text: text}, parentRemoteID, nil, "", time.Time{})
	if err != nil {
		return network.RemotePost{}, fmt.Errorf("threads: reply to %s: %w", parentRemoteID, err)
	}
	return t.remote(ctx, id), nil
}

// HideComment hides a reply to one of the account's posts (manage_reply).
func (t *Threads) HideComment(ctx context.Context, remoteID string) error {
	return t.c.setFlag(ctx, remoteID+"/manage_reply", "hide", true)
}

// UnhideComment shows a hidden reply again.
func (t *Threads) UnhideComment(ctx context.Context, remoteID string) error {
	return t.c.setFlag(ctx, remoteID+"/manage_reply", "hide", false)
}

// Mentions reads posts mentioning the account newer than the cursor (unix time).
func (t *Threads) Mentions(ctx context.Context, cursor string) ([]network.Comment, string, error) {
	q := url.Values{"fields": {"id,text,username,timestamp,permalink"}, "limit": {"50"}}
	return since(ctx, t.c, t.id+"/mentions", q, cursor, thPost.comment)
}

// Search finds recent public posts with a keyword (threads_keyword_search);
// a query starting with # searches the topic tag. The cursor is the page cursor.
func (t *Threads) Search(ctx context.Context, query, cursor string) ([]network.Comment, string, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, "", valid.Errorf("query", "required", "Threads search needs a keyword")
	}
	q := url.Values{"q": {strings.TrimPrefix(query, "#")}, "search_type": {"RECENT"}, "fields": {"id,text,username,timestamp,permalink"}, "limit": {"50"}}
	if strings.HasPrefix(query, "#") {
		q.Set("search_mode", "TAG")
	}
	if cursor != "" {
		q.Set("after", cursor)
	}
	list, next, err := onePage[thPost](ctx, t.c, "keyword_search", q)
	if err != nil {
		return nil, cursor, fmt.Errorf("threads: search: %w", err)
	}
	out := make([]network.Comment, 0, len(list))
	for _, p := range list {
		out = append(out, p.comment())
	}
	return out, next, nil
}
