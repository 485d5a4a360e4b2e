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

// Instagram logins.
const (
	// LoginFacebook reaches accounts linked to a Page (graph.facebook.com); it
	// is needed for hashtag search, business discovery and mentions.
	LoginFacebook = "facebook"
	// LoginInstagram reaches professional accounts without a Page (graph.instagram.com).
	LoginInstagram = "instagram"
)

// InstagramProvider connects Instagram professional accounts.
type InstagramProvider struct {
	// App overrides the configured Meta app (tests).
	App *App
}

var _ network.OAuthProvider = InstagramProvider{}

// Kind names the network.
func (InstagramProvider) Kind() network.Kind { return network.Instagram }

// Fields lists the connect form.
func (InstagramProvider) Fields() []network.Field {
	return []network.Field{
		{Name: "login", Label: "Sign in with", Type: network.FieldChoice, Options: []string{LoginFacebook, LoginInstagram},
			Help: "Facebook for accounts linked to a Page (needed for hashtags, competitors and mentions); Instagram for accounts without a Page"},
		{Name: "account", Label: "Account", Help: "The Instagram username, when your Pages link several accounts"},
		{Name: "access_token", Label: "Access token", Secret: true, Help: "Leave empty to sign in instead"},
	}
}

func loginOf(s string) (string, error) {
	switch s = strings.TrimSpace(s); s {
	case "", LoginFacebook:
		return LoginFacebook, nil
	case LoginInstagram:
		return LoginInstagram, nil
	}
	return "", valid.Errorf("login", "choice", "Sign in with must be facebook or instagram, not %q", s)
}

// AuthorizeURL sends the browser to Facebook Login or Instagram Login.
func (p InstagramProvider) AuthorizeURL(_ context.Context, _ network.Env, input map[string]string, redirectURI, state string) (string, map[string]string, error) {
	a := appOf(p.App)
	login, err := loginOf(input["login"])
	if err != nil {
		return "", nil, err
	}
	keep := map[string]string{"login": login, "account": strings.TrimPrefix(strings.TrimSpace(input["account"]), "@")}
	if login == LoginFacebook {
		if a.ID == "" || a.Secret == "" {
			return "", nil, notConfigured("login", "Meta", "RELAIS_META_APP_ID, RELAIS_META_APP_SECRET")
		}
		return facebookDialog(a, InstagramFacebookScopes, redirectURI, state), keep, nil
	}
	if a.InstagramID == "" || a.InstagramSecret == "" {
		return "", nil, notConfigured("login", "Instagram", "RELAIS_INSTAGRAM_APP_ID, RELAIS_INSTAGRAM_APP_SECRET")
	}
	return authorizeURL(a.endpoints().InstagramAuth+"/oauth/authorize", url.Values{
		"client_id": {a.InstagramID}, "redirect_uri": {redirectURI}, "response_type": {"code"}, "state": {state},
		"scope": {strings.Join(InstagramScopes, ",")},
	}), keep, nil
}

// Exchange finishes either login.
func (p InstagramProvider) Exchange(ctx context.Context, env network.Env, keep map[string]string, redirectURI, code string) (network.Account, network.Stored, error) {
	a := appOf(p.App)
	if keep["login"] == LoginInstagram {
		ep := a.endpoints()
		c := client{env: env, kind: network.Instagram, base: ep.InstagramAPI}
		var short tokenAnswer
		form := url.Values{"client_id": {a.InstagramID}, "client_secret": {a.InstagramSecret}, "grant_type": {"authorization_code"}, "redirect_uri": {redirectURI}, "code": {code}}
		if err := c.post(ctx, "oauth/access_token", form, &short); err != nil {
			return network.Account{}, network.Stored{}, fmt.Errorf("instagram: exchange code: %w", exchangeFailed(err))
		}
		tok, _ := short.token()
		g := client{env: env, kind: network.Instagram, base: ep.InstagramGraph}
		var long tokenAnswer
		if err := g.get(ctx, "access_token", url.Values{"grant_type": {"ig_exchange_token"}, "client_secret": {a.InstagramSecret}, "access_token": {tok}}, &long); err != nil {
			return network.Account{}, network.Stored{}, fmt.Errorf("instagram: long-lived token: %w", exchangeFailed(err))
		}
		return connectInstagramLogin(ctx, env, a, long.AccessToken, expiresAt(env.Clock(), long.ExpiresIn))
	}
	user, err := facebookUserToken(ctx, env, a, network.Instagram, redirectURI, code)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	return connectInstagramFacebook(ctx, env, a, user, keep["account"])
}

// Connect checks a pasted token of the chosen login.
func (p InstagramProvider) Connect(ctx context.Context, env network.Env, input map[string]string) (network.Account, network.Stored, error) {
	login, err := loginOf(input["login"])
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	tok := strings.TrimSpace(input["access_token"])
	if tok == "" {
		return network.Account{}, network.Stored{}, valid.Errorf("access_token", "required", "Access token is required when not signing in")
	}
	if login == LoginInstagram {
		return connectInstagramLogin(ctx, env, appOf(p.App), tok, "")
	}
	return connectInstagramFacebook(ctx, env, appOf(p.App), tok, strings.TrimPrefix(strings.TrimSpace(input["account"]), "@"))
}

func connectInstagramLogin(ctx context.Context, env network.Env, a App, tok, expires string) (network.Account, network.Stored, error) {
	c := client{env: env, kind: network.Instagram, base: a.endpoints().InstagramGraph + "/" + GraphVersion, token: tok}
	var me struct {
		UserID any `json:"user_id"`
	}
	if err := c.get(ctx, "me", url.Values{"fields": {"user_id,username"}}, &me); err != nil {
		return network.Account{}, network.Stored{}, fmt.Errorf("instagram: read account: %w", err)
	}
	id := idString(me.UserID)
	if id == "" {
		return network.Account{}, network.Stored{}, errors.New("instagram: Meta answered without the account id")
	}
	conn := &Instagram{mediaAccount: mediaAccount{c: client{env: env, kind: network.Instagram, base: c.base, token: tok, usage: &usageState{}}, id: id}}
	acct, err := conn.Identify(ctx)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	return acct, network.Stored{
		Settings: map[string]string{"login": LoginInstagram, "ig_user_id": id, "username": strings.TrimPrefix(acct.Handle, "@")},
		Secrets:  map[string]string{"access_token": tok, "expires_at": expires},
	}, nil
}

func connectInstagramFacebook(ctx context.Context, env network.Env, a App, tok, want string) (network.Account, network.Stored, error) {
	base := a.endpoints().Graph + "/" + GraphVersion
	c := client{env: env, kind: network.Instagram, base: base, token: tok}
	list, err := pages(ctx, c)
	var pageToken, igID string
	switch {
	case isNodeTypeError(err):
		// A Page token: its linked Instagram account.
		var pg fbPage
		if err := c.get(ctx, "me", url.Values{"fields": {"id,name,instagram_business_account"}}, &pg); err != nil {
			return network.Account{}, network.Stored{}, fmt.Errorf("instagram: read the Page: %w", err)
		}
		if pg.InstagramBusinessAccount == nil {
			return network.Account{}, network.Stored{}, valid.Errorf("account", "no_account", "The Page %s has no Instagram professional account linked", pg.Name)
		}
		pageToken, igID = tok, pg.InstagramBusinessAccount.ID
	case err != nil:
		return network.Account{}, network.Stored{}, fmt.Errorf("instagram: list Pages: %w", err)
	default:
		var linked []fbPage
		names := map[string]string{}
		for _, pg := range list {
			if pg.InstagramBusinessAccount == nil {
				continue
			}
			var u struct {
				Username string `json:"username"`
			}
			if err := c.get(ctx, pg.InstagramBusinessAccount.ID, url.Values{"fields": {"username"}}, &u); err != nil {
				return network.Account{}, network.Stored{}, fmt.Errorf("instagram: read linked account: %w", err)
			}
			names[pg.ID] = u.Username
			pg.Name = u.Username
			linked = append(linked, pg)
		}
		pg, err := pickPage(linked, want, "account", nil)
		if err != nil {
			var ve *valid.Error
			if errors.As(err, &ve) && ve.Code == "no_page" {
				return network.Account{}, network.Stored{}, valid.Errorf("account", "no_account", "None of this account's Pages has an Instagram professional account linked; link one in the Page's settings, or sign in with Instagram")
			}
			return network.Account{}, network.Stored{}, err
		}
		pageToken, igID = pg.AccessToken, pg.InstagramBusinessAccount.ID
	}
	conn := &Instagram{mediaAccount: mediaAccount{c: client{env: env, kind: network.Instagram, base: base, token: pageToken, usage: &usageState{}}, id: igID}, facebook: true}
	acct, err := conn.Identify(ctx)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	return acct, network.Stored{
		Settings: map[string]string{"login": LoginFacebook, "ig_user_id": igID, "username": strings.TrimPrefix(acct.Handle, "@")},
		Secrets:  map[string]string{"access_token": pageToken},
	}, nil
}

// Open builds a connector from what was stored.
func (p InstagramProvider) Open(env network.Env, s network.Stored) (network.Connector, error) {
	env.HTTP = env.Client()
	tok, id := s.Secrets["access_token"], s.Settings["ig_user_id"]
	if tok == "" || id == "" {
		return nil, errors.New("instagram: stored channel has no token or account id")
	}
	ep := appOf(p.App).endpoints()
	conn := &Instagram{mediaAccount: mediaAccount{id: id, pollEvery: 3 * time.Second, maxPolls: 100, log: &containerLog{env: env, kind: network.Instagram}},
		username: s.Settings["username"], facebook: s.Settings["login"] != LoginInstagram}
	base := ep.Graph
	if !conn.facebook {
		base = ep.InstagramGraph
		conn.box = &tokenBox{r: refresher{env: env, base: ep.InstagramGraph, grant: "ig_refresh_token", kind: network.Instagram},
			token: tok, expires: parseTime(s.Secrets["expires_at"]), secrets: s.Secrets}
	}
	conn.c = client{env: env, kind: network.Instagram, base: base + "/" + GraphVersion, token: tok, usage: &usageState{}}
	return conn, nil
}

// Instagram publishes to and reads from one Instagram professional account.
type Instagram struct {
	mediaAccount
	username string
	// facebook is true for Facebook Login (Page token), false for Instagram Login.
	facebook bool
}

var (
	_ network.Connector     = (*Instagram)(nil)
	_ network.MetricsReader = (*Instagram)(nil)
	_ network.CommentReader = (*Instagram)(nil)
	_ network.Replier       = (*Instagram)(nil)
	_ network.CommentHider  = (*Instagram)(nil)
	_ network.MentionReader = (*Instagram)(nil)
	_ network.Searcher      = (*Instagram)(nil)
	_ network.HealthChecker = (*Instagram)(nil)
)

// Kind names the network.
func (g *Instagram) Kind() network.Kind { return network.Instagram }

// Identify reads the account.
func (g *Instagram) Identify(ctx context.Context) (network.Account, error) {
	var u struct {
		Username          string `json:"username"`
		Name              string `json:"name"`
		ProfilePictureURL string `json:"profile_picture_url"`
	}
	if err := g.c.get(ctx, g.id, url.Values{"fields": {"id,username,name,profile_picture_url"}}, &u); err != nil {
		return network.Account{}, fmt.Errorf("instagram: read account: %w", err)
	}
	g.username = u.Username
	return network.Account{RemoteID: g.id, Handle: "@" + u.Username, DisplayName: u.Name,
		URL: "https://www.instagram.com/" + u.Username + "/", AvatarURL: u.ProfilePictureURL}, nil
}

// Check renews an Instagram Login token when it is due, then reads the account.
func (g *Instagram) Check(ctx context.Context) error {
	if err := g.fresh(ctx); err != nil {
		return err
	}
	_, err := g.Identify(ctx)
	return err
}

func (g *Instagram) flow() flow {
	return flow{c: g.c, account: g.id, createEdge: "media", publishEdge: "media_publish", statusField: "status_code",
		textField: "caption", listEdge: "media", pollEvery: g.pollEvery, maxPolls: g.maxPolls, log: g.log}
}

// Publish posts an image, a video (as a Reel), a carousel of 2–10 images
// and videos, or (option "ig_type": "story") a story, through the container
// flow, then the first comment. The publishing quota is read before the
// container is made. Option "collaborators" invites up to 3 accounts
// (comma-separated usernames). Exactly once: a retry resumes the container
// it recorded, and looks for the caption among the account's recent media
// before making a new one.
func (g *Instagram) Publish(ctx context.Context, req network.PublishRequest) (network.PublishResult, error) {
	res := network.PublishResult{Parts: append([]network.RemotePost(nil), req.Done...)}
	if err := g.fresh(ctx); err != nil {
		return res, err
	}
	switch {
	case len(req.Parts) != 1:
		return res, &network.Error{Class: network.InvalidContent, Network: network.Instagram, Message: fmt.Sprintf("an Instagram post is one part; this one has %d", len(req.Parts))}
	case len(req.Parts[0].Media) == 0:
		return res, &network.Error{Class: network.InvalidContent, Network: network.Instagram, Message: "Instagram needs at least one image or video"}
	case req.Options["ig_type"] == "story" && strings.TrimSpace(req.FirstComment) != "":
		return res, &network.Error{Class: network.InvalidContent, Network: network.Instagram, Message: "Instagram stories take no comments; remove the first comment or publish to the feed"}
	case len(req.Parts[0].Media) > 10:
		return res, &network.Error{Class: network.InvalidContent, Network: network.Instagram, Message: fmt.Sprintf("Instagram allows 10 items per carousel; this post has %d", len(req.Parts[0].Media))}
	}
	for _, m := range req.Parts[0].Media {
		if m.URL == "" {
			return res, &network.Error{Class: network.InvalidContent, Network: network.Instagram,
				Message: "Instagram fetches media from a public URL and this attachment has none: set RELAIS_BASE_URL to an address reachable from the internet"}
		}
	}
	if len(req.Done) == 0 {
		id, err := g.publishPart(ctx, req)
		if err != nil {
			return res, fmt.Errorf("instagram: publish: %w", err)
		}
		res.Parts = append(res.Parts, g.remote(ctx, id))
	}
	if strings.TrimSpace(req.FirstComment) != "" {
		var out struct {
			ID string `json:"id"`
		}
		if err := g.c.post(ctx, res.Parts[0].ID+"/comments", url.Values{"message": {req.FirstComment}}, &out); err != nil {
			return res, fmt.Errorf("instagram: first comment: %w", err)
		}
		res.FirstComment = &network.RemotePost{ID: out.ID}
	}
	return res, nil
}

func (g *Instagram) publishPart(ctx context.Context, req network.PublishRequest) (string, error) {
	p := req.Parts[0]
	story := req.Options["ig_type"] == "story"
	if story && len(p.Media) != 1 {
		return "", &network.Error{Class: network.InvalidContent, Network: network.Instagram, Message: "an Instagram story holds exactly one image or video"}
	}
	f := g.flow()
	key := ""
	if req.IdempotencyKey != "" {
		key = req.IdempotencyKey + "-0"
	}
	rec, err := f.log.get(ctx, key)
	if err != nil {
		return "", err
	}
	if rec.media == "" && rec.container == "" {
		if err := quota(ctx, g.c, g.id+"/content_publishing_limit", "quota_usage,config", false); err != nil {
			return "", err
		}
	}
	// Instagram captions have no clickable links: a part's link is not sent
	// (network.TextAsSent, as the composer counts and previews it).
	caption := network.TextAsSent(network.Instagram, p)
	make := func(ctx context.Context) (string, error) {
		base := url.Values{}
		if !story {
			base.Set("caption", caption)
			if c := strings.TrimSpace(req.Options["collaborators"]); c != "" {
				var names []string
				for _, n := range strings.Split(c, ",") {
					names = append(names, strconv.Quote(strings.TrimPrefix(strings.TrimSpace(n), "@")))
				}
				base.Set("collaborators", "["+strings.Join(names, ",")+"]")
			}
		}
		if len(p.Media) == 1 {
			kind := "REELS"
			if story {
				kind = "STORIES"
			}
			setMedia(base, p.Media[0], kind)
			return g.container(ctx, "media", base)
		}
		var children []string
		for i, m := range p.Media {
			item := url.Values{"is_carousel_item": {"true"}}
			setMedia(item, m, "VIDEO")
			id, err := g.container(ctx, "media", item)
			if err != nil {
				return "", fmt.Errorf("carousel item %d of %d: %w", i+1, len(p.Media), err)
			}
			if err := f.wait(ctx, id); err != nil {
				return "", fmt.Errorf("carousel item %d of %d: %w", i+1, len(p.Media), err)
			}
			children = append(children, id)
		}
		base.Set("media_type", "CAROUSEL")
		base.Set("children", strings.Join(children, ","))
		return g.container(ctx, "media", base)
	}
	return f.run(ctx, step{key: key, make: make, text: caption, since: req.CreatedAt, findable: !story && caption != ""})
}

// setMedia sets image_url (with alt_text) or video_url and its media type.
func setMedia(v url.Values, m network.Media, videoType string) {
	if strings.HasPrefix(m.MIME, "video/") {
		v.Set("media_type", videoType)
		v.Set("video_url", m.URL)
		return
	}
	v.Set("image_url", m.URL)
	if videoType == "STORIES" {
		v.Set("media_type", "STORIES")
	}
	if m.AltText != "" {
		v.Set("alt_text", m.AltText)
	}
}

// DeleteComment removes a comment under the account's media. (Delete does
// the same; Instagram's API cannot delete published media, only the app can.)
func (g *Instagram) DeleteComment(ctx context.Context, remoteID string) error {
	return g.c.remove(ctx, remoteID)
}

// PostMetrics reads views, likes, comments and shares (instagram_manage_insights;
// impressions, plays and video_views are gone since 2025-04-21). Quotes do not exist (-1).
func (g *Instagram) PostMetrics(ctx context.Context, remoteIDs []string) (map[string]network.PostMetrics, error) {
	return metricsOf(ctx, network.Instagram, remoteIDs, func(id string) (network.PostMetrics, error) {
		v, err := g.Insights(ctx, id)
		return network.PostMetrics{Likes: v["likes"], Replies: v["comments"], Reposts: v["shares"], Quotes: -1, Views: v["views"]}, err
	})
}

// MediaMetrics are the insight names read per media.
var MediaMetrics = []string{"views", "reach", "likes", "comments", "shares", "saved", "total_interactions"}

// Insights reads one media's insights (views, reach, likes, comments, shares, saved, total_interactions).
func (g *Instagram) Insights(ctx context.Context, mediaID string) (map[string]int64, error) {
	return insights(ctx, g.c, mediaID+"/insights", MediaMetrics, nil)
}

// AccountInsights reads the account's totals for a period ("day", "week", "days_28"):
// views, reach, accounts_engaged, total_interactions, profile_views.
func (g *Instagram) AccountInsights(ctx context.Context, period string) (map[string]int64, error) {
	return insights(ctx, g.c, g.id+"/insights", []string{"views", "reach", "accounts_engaged", "total_interactions", "profile_views"},
		url.Values{"metric_type": {"total_value"}, "period": {period}})
}

// Followers reads followers_count.
func (g *Instagram) Followers(ctx context.Context) (int64, error) {
	var u struct {
		FollowersCount int64 `json:"followers_count"`
	}
	if err := g.c.get(ctx, g.id, url.Values{"fields": {"followers_count"}}, &u); err != nil {
		return 0, fmt.Errorf("instagram: followers: %w", err)
	}
	return u.FollowersCount, nil
}

type igComment struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	Username  string `json:"username"`
	Timestamp string `json:"timestamp"`
	Hidden    bool   `json:"hidden"`
	From      struct {
		ID       string `json:"id"`
		Username string `json:"username"`
	} `json:"from"`
}

// Comments reads the comments under a media and their replies, leaving out the account's own.
func (g *Instagram) Comments(ctx context.Context, remoteID string) ([]network.Comment, error) {
	fields := url.Values{"fields": {"id,text,username,timestamp,from,hidden"}, "limit": {"50"}}
	var top []igComment
	if err := eachPage(ctx, g.c, remoteID+"/comments", fields, func(c igComment) { top = append(top, c) }); err != nil {
		return nil, fmt.Errorf("instagram: comments of %s: %w", remoteID, err)
	}
	var out []network.Comment
	add := func(c igComment, parent string) {
		if c.From.ID == g.id {
			return
		}
		out = append(out, network.Comment{RemoteID: c.ID, ParentID: parent, RootID: remoteID, AuthorID: c.From.ID,
			AuthorName: "@" + c.Username, Text: c.Text, CreatedAt: parseGraphTime(c.Timestamp)})
	}
	for _, c := range top {
		add(c, remoteID)
		err := eachPage(ctx, g.c, c.ID+"/replies", fields, func(r igComment) { add(r, c.ID) })
		if err != nil {
			return out, fmt.Errorf("instagram: replies to %s: %w", c.ID, err)
		}
	}
	return out, nil
}

// Reply answers a comment (POST /{comment}/replies), or comments on a media
// when parentRemoteID is one (Meta answers code 100/33 to /replies on a media).
func (g *Instagram) Reply(ctx context.Context, parentRemoteID, text string) (network.RemotePost, error) {
	var out struct {
		ID string `json:"id"`
	}
	err := g.c.post(ctx, parentRemoteID+"/replies", url.Values{"message": {text}}, &out)
	if errors.Is(err, network.ErrNotFound) {
		err = g.c.post(ctx, parentRemoteID+"/comments", url.Values{"message": {text}}, &out)
	}
	if err != nil {
		return network.RemotePost{}, fmt.Errorf("instagram: reply to %s: %w", parentRemoteID, err)
	}
	return network.RemotePost{ID: out.ID}, nil
}

// HideComment hides a comment under the account's media.
func (g *Instagram) HideComment(ctx context.Context, remoteID string) error {
	return g.c.setFlag(ctx, remoteID, "hide", true)
}

// UnhideComment shows a hidden comment again.
func (g *Instagram) UnhideComment(ctx context.Context, remoteID string) error {
	return g.c.setFlag(ctx, remoteID, "hide", false)
}

// Mentions reads media that tag the account (/{ig-user}/tags, Facebook
// Login only) newer than the cursor (a unix time).
func (g *Instagram) Mentions(ctx context.Context, cursor string) ([]network.Comment, string, error) {
	if !g.facebook {
		return nil, cursor, nil
	}
	q := url.Values{"fields": {"id,caption,username,timestamp,permalink"}, "limit": {"50"}}
	return since(ctx, g.c, g.id+"/tags", q, cursor, func(m igMedia) network.Comment {
		return network.Comment{RemoteID: m.ID, RootID: m.ID, AuthorName: "@" + m.Username, Text: m.Caption, URL: m.Permalink, CreatedAt: parseGraphTime(m.Timestamp)}
	})
}

type igMedia struct {
	ID            string `json:"id"`
	Caption       string `json:"caption"`
	Username      string `json:"username"`
	Timestamp     string `json:"timestamp"`
	Permalink     string `json:"permalink"`
	MediaType     string `json:"media_type"`
	LikeCount     int64  `json:"like_count"`
	CommentsCount int64  `json:"comments_count"`
}

// Search reads a hashtag's recent media (ig_hashtag_search, then
// /{hashtag}/recent_media: the last 24 hours). An account may look up 30
// unique hashtags per 7 days; needs Facebook Login and Instagram Public
// Content Access. The cursor is the page cursor.
func (g *Instagram) Search(ctx context.Context, query, cursor string) ([]network.Comment, string, error) {
	if !g.facebook {
		return nil, "", &network.Error{Class: network.Permanent, Network: network.Instagram, Message: "hashtag search needs an account connected through Facebook Login"}
	}
	tag := strings.TrimPrefix(strings.TrimSpace(query), "#")
	if tag == "" || strings.ContainsAny(tag, " #") {
		return nil, "", valid.Errorf("query", "hashtag", "Instagram searches one hashtag at a time, like #mode")
	}
	var found struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := g.c.get(ctx, "ig_hashtag_search", url.Values{"user_id": {g.id}, "q": {tag}}, &found); err != nil {
		return nil, cursor, fmt.Errorf("instagram: hashtag %s: %w", tag, err)
	}
	if len(found.Data) == 0 {
		return nil, "", nil
	}
	q := url.Values{"user_id": {g.id}, "fields": {"id,caption,timestamp,permalink,media_type,like_count,comments_count"}, "limit": {"50"}}
	if cursor != "" {
		q.Set("after", cursor)
	}
	list, next, err := onePage[igMedia](ctx, g.c, found.Data[0].ID+"/recent_media", q)
	if err != nil {
		return nil, cursor, fmt.Errorf("instagram: hashtag %s: %w", tag, err)
	}
	out := make([]network.Comment, 0, len(list))
	for _, m := range list {
		out = append(out, network.Comment{RemoteID: m.ID, RootID: m.ID, Text: m.Caption, URL: m.Permalink, CreatedAt: parseGraphTime(m.Timestamp)})
	}
	return out, next, nil
}

// Profile is another professional account's public profile, from business discovery.
type Profile struct {
	ID             string   `json:"id"`
	Username       string   `json:"username"`
	Name           string   `json:"name"`
	Biography      string   `json:"biography"`
	FollowersCount int64    `json:"followers_count"`
	FollowsCount   int64    `json:"follows_count"`
	MediaCount     int64    `json:"media_count"`
	PictureURL     string   `json:"profile_picture_url"`
	Media          []IGPost `json:"media"`
}

// IGPost is one public media of a discovered account.
type IGPost struct {
	ID            string    `json:"id"`
	Caption       string    `json:"caption"`
	LikeCount     int64     `json:"like_count"`
	CommentsCount int64     `json:"comments_count"`
	Permalink     string    `json:"permalink"`
	MediaType     string    `json:"media_type"`
	Timestamp     time.Time `json:"timestamp"`
}

// BusinessDiscovery reads another Business or Creator account's public
// profile and recent media counts (competitors, influencers). It needs
// Facebook Login (instagram_basic, pages_read_engagement).
func (g *Instagram) BusinessDiscovery(ctx context.Context, username string) (Profile, error) {
	username = strings.TrimPrefix(strings.TrimSpace(username), "@")
	if !usernamePattern(username) {
		return Profile{}, valid.Errorf("username", "format", "%q is not an Instagram username (letters, digits, . and _, at most 30)", username)
	}
	if !g.facebook {
		return Profile{}, &network.Error{Class: network.Permanent, Network: network.Instagram, Message: "business discovery needs an account connected through Facebook Login"}
	}
	f := "business_discovery.username(" + username + "){id,username,name,biography,followers_count,follows_count,media_count,profile_picture_url,media.limit(12){id,caption,like_count,comments_count,timestamp,permalink,media_type}}"
	var ans struct {
		BD struct {
			Profile
			Media struct {
				Data []igMedia `json:"data"`
			} `json:"media"`
		} `json:"business_discovery"`
	}
	if err := g.c.get(ctx, g.id, url.Values{"fields": {f}}, &ans); err != nil {
		return Profile{}, fmt.Errorf("instagram: discover %s: %w", username, err)
	}
	p := ans.BD.Profile
	for _, m := range ans.BD.Media.Data {
		p.Media = append(p.Media, IGPost{ID: m.ID, Caption: m.Caption, LikeCount: m.LikeCount, CommentsCount: m.CommentsCount,
			Permalink: m.Permalink, MediaType: m.MediaType, Timestamp: parseGraphTime(m.Timestamp)})
	}
	return p, nil
}

// usernamePattern checks an Instagram username: 1–30 letters, digits, dots and underscores.
func usernamePattern(s string) bool {
	if s == "" || len(s) > 30 {
		return false
	}
	for _, r := range s {
		if !(r == '.' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
