package meta

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/valid"
)

// FacebookProvider connects Facebook Pages through Facebook Login for Business.
type FacebookProvider struct {
	// App overrides the configured Meta app (tests).
	App *App
}

var _ network.OAuthProvider = FacebookProvider{}

func appOf(a *App) App {
	if a != nil {
		return *a
	}
	return Configured()
}

// Kind names the network.
func (FacebookProvider) Kind() network.Kind { return network.Facebook }

// Fields lists the connect form.
func (FacebookProvider) Fields() []network.Field {
	return []network.Field{
		{Name: "page", Label: "Page", Help: "The Page's name or id, when your account manages several Pages"},
		{Name: "access_token", Label: "Access token", Secret: true, Help: "A Page or user access token; leave empty to sign in with Facebook"},
	}
}

// AuthorizeURL sends the browser to the Facebook Login dialog.
func (p FacebookProvider) AuthorizeURL(_ context.Context, _ network.Env, input map[string]string, redirectURI, state string) (string, map[string]string, error) {
	a := appOf(p.App)
	if a.ID == "" || a.Secret == "" {
		return "", nil, notConfigured("page", "Meta", "RELAIS_META_APP_ID, RELAIS_META_APP_SECRET")
	}
	return facebookDialog(a, FacebookScopes, redirectURI, state), map[string]string{"page": strings.TrimSpace(input["page"])}, nil
}

// Exchange trades the code for a long-lived user token and takes the Page's token.
func (p FacebookProvider) Exchange(ctx context.Context, env network.Env, keep map[string]string, redirectURI, code string) (network.Account, network.Stored, error) {
	a := appOf(p.App)
	user, err := facebookUserToken(ctx, env, a, network.Facebook, redirectURI, code)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	return connectPage(ctx, env, a, user, keep["page"])
}

// Connect checks a pasted Page or user token.
func (p FacebookProvider) Connect(ctx context.Context, env network.Env, input map[string]string) (network.Account, network.Stored, error) {
	tok := strings.TrimSpace(input["access_token"])
	if tok == "" {
		return network.Account{}, network.Stored{}, valid.Errorf("access_token", "required", "Access token is required when not signing in with Facebook")
	}
	return connectPage(ctx, env, appOf(p.App), tok, strings.TrimSpace(input["page"]))
}

type fbPage struct {
	ID                       string `json:"id"`
	Name                     string `json:"name"`
	AccessToken              string `json:"access_token"`
	Link                     string `json:"link"`
	FollowersCount           int64  `json:"followers_count"`
	InstagramBusinessAccount *struct {
		ID string `json:"id"`
	} `json:"instagram_business_account"`
}

// pages lists the Pages a user token manages, with their Page tokens (which
// do not expire when taken with a long-lived user token).
func pages(ctx context.Context, c client) ([]fbPage, error) {
	var out []fbPage
	q := url.Values{"fields": {"id,name,access_token,instagram_business_account"}, "limit": {"100"}}
	err := eachPage(ctx, c, "me/accounts", q, func(p fbPage) { out = append(out, p) })
	return out, err
}

// isNodeTypeError reports a "nonexisting field" answer: the token is a Page token, not a user token.
func isNodeTypeError(err error) bool {
	var ne *network.Error
	return errors.As(err, &ne) && strings.HasPrefix(ne.Code, "100") && ne.Status != 404
}

// pickPage chooses the Page named by want (name or id), or the only one.
func pickPage(list []fbPage, want, field string, ok func(fbPage) bool) (fbPage, error) {
	var names []string
	var fit []fbPage
	for _, pg := range list {
		if ok != nil && !ok(pg) {
			continue
		}
		names = append(names, pg.Name)
		if want == "" || pg.ID == want || strings.EqualFold(pg.Name, want) {
			fit = append(fit, pg)
		}
	}
	switch {
	case len(names) == 0:
		return fbPage{}, valid.Errorf(field, "no_page", "This Facebook account manages no Page relais can use; create one or ask for a role on it")
	case len(fit) == 1:
		return fit[0], nil
	case want == "":
		return fbPage{}, valid.Errorf(field, "several_pages", "This account manages %d Pages (%s); enter the one to connect", len(names), strings.Join(names, ", ")).WithArgs(len(names), strings.Join(names, ", "))
	}
	return fbPage{}, valid.Errorf(field, "unknown_page", "No Page named %q among %s", want, strings.Join(names, ", ")).WithArgs(want, strings.Join(names, ", "))
}

func connectPage(ctx context.Context, env network.Env, a App, tok, want string) (network.Account, network.Stored, error) {
	c := client{env: env, kind: network.Facebook, base: a.endpoints().Graph + "/" + GraphVersion, token: tok}
	list, err := pages(ctx, c)
	userToken := tok
	var pg fbPage
	switch {
	case isNodeTypeError(err):
		// A Page token: it acts as the Page itself.
		userToken = ""
		if err := c.get(ctx, "me", url.Values{"fields": {"id,name,link"}}, &pg); err != nil {
			return network.Account{}, network.Stored{}, fmt.Errorf("facebook: read the Page: %w", err)
		}
		pg.AccessToken = tok
	case err != nil:
		return network.Account{}, network.Stored{}, fmt.Errorf("facebook: list Pages: %w", err)
	default:
		if pg, err = pickPage(list, want, "page", nil); err != nil {
			return network.Account{}, network.Stored{}, err
		}
	}
	conn := &Facebook{c: client{env: env, kind: network.Facebook, base: c.base, token: pg.AccessToken, usage: &usageState{}}, pageID: pg.ID}
	acct, err := conn.Identify(ctx)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	secrets := map[string]string{"access_token": pg.AccessToken}
	if userToken != "" {
		secrets["user_token"] = userToken
	}
	return acct, network.Stored{Settings: map[string]string{"page_id": pg.ID, "name": acct.DisplayName}, Secrets: secrets}, nil
}

// Open builds a connector from what was stored.
func (p FacebookProvider) Open(env network.Env, s network.Stored) (network.Connector, error) {
	env.HTTP = env.Client()
	tok, page := s.Secrets["access_token"], s.Settings["page_id"]
	if tok == "" || page == "" {
		return nil, errors.New("facebook: stored channel has no Page token or id")
	}
	return &Facebook{c: client{env: env, kind: network.Facebook, base: appOf(p.App).endpoints().Graph + "/" + GraphVersion, token: tok, usage: &usageState{}}, pageID: page}, nil
}

// Facebook publishes to and reads from one Facebook Page with its Page token.
type Facebook struct {
	c      client
	pageID string
}

var (
	_ network.Connector     = (*Facebook)(nil)
	_ network.Editor        = (*Facebook)(nil)
	_ network.MetricsReader = (*Facebook)(nil)
	_ network.CommentReader = (*Facebook)(nil)
	_ network.Replier       = (*Facebook)(nil)
	_ network.CommentHider  = (*Facebook)(nil)
	_ network.MentionReader = (*Facebook)(nil)
	_ network.HealthChecker = (*Facebook)(nil)
)

// Kind names the network.
func (f *Facebook) Kind() network.Kind { return network.Facebook }

// RateLimit is the latest normalised usage Meta reported.
func (f *Facebook) RateLimit() network.RateLimit { return f.c.usage.RateLimit() }

// Identify reads the Page.
func (f *Facebook) Identify(ctx context.Context) (network.Account, error) {
	var pg struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Link     string `json:"link"`
		Username string `json:"username"`
	}
	if err := f.c.get(ctx, f.pageID, url.Values{"fields": {"id,name,link,username"}}, &pg); err != nil {
		return network.Account{}, fmt.Errorf("facebook: read Page: %w", err)
	}
	handle := pg.Name
	if pg.Username != "" {
		handle = "@" + pg.Username
	}
	if pg.Link == "" {
		pg.Link = "https://www.facebook.com/" + pg.ID
	}
	return network.Account{RemoteID: pg.ID, Handle: handle, DisplayName: pg.Name, URL: pg.Link,
		AvatarURL: f.c.base + "/" + pg.ID + "/picture"}, nil
}

// Check reads the Page with its token (a revoked token answers code 190).
func (f *Facebook) Check(ctx context.Context) error {
	_, err := f.Identify(ctx)
	return err
}

// Publish posts one Page post: text and link on the feed, one photo with its
// caption, several photos staged unpublished then attached to one feed post,
// a video (file_url), with option "fb_type": "reel" a Reel (start,
// upload by URL, finish), or with "fb_type": "story" a Page story (one photo
// staged unpublished then /photo_stories, or one video through /video_stories). Option "scheduled_at" (unix seconds, 10 minutes to
// 75 days ahead) schedules it natively on Facebook. The Graph API has no
// idempotency key: a retry after an Unknown failure may post twice
// (networks.md §1.5), so the engine sends it to review instead.
func (f *Facebook) Publish(ctx context.Context, req network.PublishRequest) (network.PublishResult, error) {
	res := network.PublishResult{Parts: append([]network.RemotePost(nil), req.Done...)}
	switch {
	case len(req.Parts) == 0:
		return res, &network.Error{Class: network.InvalidContent, Network: network.Facebook, Message: "a post needs at least one part"}
	case len(req.Parts) > 1:
		return res, &network.Error{Class: network.InvalidContent, Network: network.Facebook, Message: "Facebook Pages have no threads; this post has " + strconv.Itoa(len(req.Parts)) + " parts"}
	case req.Options["fb_type"] == "story" && strings.TrimSpace(req.FirstComment) != "":
		return res, &network.Error{Class: network.InvalidContent, Network: network.Facebook, Message: "a Facebook story cannot have a first comment"}
	case req.Options["scheduled_at"] != "" && strings.TrimSpace(req.FirstComment) != "":
		return res, &network.Error{Class: network.InvalidContent, Network: network.Facebook, Message: "a post Facebook schedules itself cannot have a first comment yet; let relais schedule it instead"}
	}
	if len(req.Done) == 0 {
		rp, err := f.publishPart(ctx, req.Parts[0], req.Options)
		if err != nil {
			return res, fmt.Errorf("facebook: publish: %w", err)
		}
		res.Parts = append(res.Parts, rp)
	}
	if strings.TrimSpace(req.FirstComment) != "" {
		rp, err := f.Reply(ctx, res.Parts[0].ID, req.FirstComment)
		if err != nil {
			return res, fmt.Errorf("facebook: first comment: %w", err)
		}
		res.FirstComment = &rp
	}
	return res, nil
}

func (f *Facebook) publishPart(ctx context.Context, p network.Part, opts map[string]string) (network.RemotePost, error) {
	form := url.Values{}
	if at := opts["scheduled_at"]; at != "" {
		form.Set("published", "false")
		form.Set("scheduled_publish_time", at)
	}
	var videos, photos []network.Media
	for _, m := range p.Media {
		if m.URL == "" {
			return network.RemotePost{}, &network.Error{Class: network.InvalidContent, Network: network.Facebook,
				Message: "Facebook fetches media from a public URL and this attachment has none: set RELAIS_BASE_URL to an address reachable from the internet"}
		}
		if strings.HasPrefix(m.MIME, "video/") {
			videos = append(videos, m)
		} else {
			photos = append(photos, m)
		}
	}
	switch {
	case opts["fb_type"] == "story":
		return f.story(ctx, photos, videos, form.Get("published") == "false")
	case len(videos) > 1 || len(videos) == 1 && len(photos) > 0:
		return network.RemotePost{}, &network.Error{Class: network.InvalidContent, Network: network.Facebook, Message: "a Facebook Page post holds one video alone, or photos"}
	case len(videos) == 1 && opts["fb_type"] == "reel":
		return f.reel(ctx, videos[0], network.TextAsSent(network.Facebook, p))
	case len(videos) == 1:
		form.Set("file_url", videos[0].URL)
		form.Set("description", network.TextAsSent(network.Facebook, p))
		var out struct {
			ID string `json:"id"`
		}
		if err := f.c.post(ctx, f.pageID+"/videos", form, &out); err != nil {
			return network.RemotePost{}, err
		}
		return network.RemotePost{ID: f.pageID + "_" + out.ID, URL: "https://www.facebook.com/" + f.pageID + "/videos/" + out.ID, Extra: map[string]string{"video_id": out.ID}}, nil
	case len(photos) == 1 && form.Get("published") == "":
		form.Set("url", photos[0].URL)
		form.Set("caption", network.TextAsSent(network.Facebook, p))
		if photos[0].AltText != "" {
			form.Set("alt_text_custom", photos[0].AltText)
		}
		var out struct {
			ID     string `json:"id"`
			PostID string `json:"post_id"`
		}
		if err := f.c.post(ctx, f.pageID+"/photos", form, &out); err != nil {
			return network.RemotePost{}, err
		}
		return f.remote(ctx, out.PostID), nil
	}
	for i, ph := range photos {
		staged := url.Values{"url": {ph.URL}, "published": {"false"}}
		if ph.AltText != "" {
			staged.Set("alt_text_custom", ph.AltText)
		}
		if form.Get("published") == "false" {
			// Photos of a scheduled post are staged as temporary (docs: "temporary=true").
			staged.Set("temporary", "true")
		}
		var out struct {
			ID string `json:"id"`
		}
		if err := f.c.post(ctx, f.pageID+"/photos", staged, &out); err != nil {
			return network.RemotePost{}, fmt.Errorf("photo %d of %d: %w", i+1, len(photos), err)
		}
		form.Set(fmt.Sprintf("attached_media[%d]", i), `{"media_fbid":"`+out.ID+`"}`)
	}
	// Without media the link becomes the post's card; with photos it goes in
	// the text (network.TextAsSent, as the composer counts it).
	if text := network.TextAsSent(network.Facebook, p); text != "" {
		form.Set("message", text)
	}
	if p.Link != "" && len(photos) == 0 {
		form.Set("link", p.Link)
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := f.c.post(ctx, f.pageID+"/feed", form, &out); err != nil {
		return network.RemotePost{}, err
	}
	return f.remote(ctx, out.ID), nil
}

// reel publishes a video as a Reel: start gives a video id and an upload
// URL (rupload.facebook.com), which fetches the file from file_url; finish
// publishes it. https://developers.facebook.com/docs/video-api/guides/reels-publishing
func (f *Facebook) reel(ctx context.Context, v network.Media, text string) (network.RemotePost, error) {
	videoID, postID, err := f.videoPhases(ctx, "video_reels", "Reel", v, url.Values{"video_state": {"PUBLISHED"}, "description": {text}})
	if err != nil {
		return network.RemotePost{}, err
	}
	return network.RemotePost{ID: postID, URL: "https://www.facebook.com/reel/" + videoID, Extra: map[string]string{"video_id": videoID}}, nil
}

// videoPhases runs the start → upload by URL → finish phases of the Reels
// and video-stories edges and returns the video id and the post id.
func (f *Facebook) videoPhases(ctx context.Context, edge, what string, v network.Media, finish url.Values) (videoID, postID string, _ error) {
	var start struct {
		VideoID   string `json:"video_id"`
		UploadURL string `json:"upload_url"`
	}
	if err := f.c.post(ctx, f.pageID+"/"+edge, url.Values{"upload_phase": {"start"}}, &start); err != nil {
		return "", "", err
	}
	if start.VideoID == "" || start.UploadURL == "" {
		return "", "", &network.Error{Class: network.Permanent, Network: network.Facebook, Message: "the " + what + " upload did not start (no video id or upload URL)"}
	}
	up := f.c
	up.base = ""
	if err := up.upload(ctx, start.UploadURL, http.Header{"file_url": {v.URL}}); err != nil {
		return "", "", fmt.Errorf("upload the %s: %w", what, err)
	}
	var done struct {
		Success bool   `json:"success"`
		PostID  string `json:"post_id"`
	}
	form := url.Values{"upload_phase": {"finish"}, "video_id": {start.VideoID}}
	for k, vs := range finish {
		form[k] = vs
	}
	if err := f.c.post(ctx, f.pageID+"/"+edge, form, &done); err != nil {
		return "", "", err
	}
	if done.PostID == "" {
		done.PostID = f.pageID + "_" + start.VideoID
	}
	return start.VideoID, done.PostID, nil
}

// story publishes a Page story: one photo (uploaded unpublished, then
// /photo_stories) or one video (/video_stories: start, upload by URL,
// finish). Stories have no caption and cannot be scheduled by Facebook.
// https://developers.facebook.com/docs/page-stories-api
func (f *Facebook) story(ctx context.Context, photos, videos []network.Media, scheduled bool) (network.RemotePost, error) {
	switch {
	case scheduled:
		return network.RemotePost{}, &network.Error{Class: network.InvalidContent, Network: network.Facebook, Message: "Facebook cannot schedule a story itself; let relais schedule it instead"}
	case len(photos)+len(videos) != 1:
		return network.RemotePost{}, &network.Error{Class: network.InvalidContent, Network: network.Facebook,
			Message: fmt.Sprintf("a Facebook story holds exactly 1 photo or video; this post has %d", len(photos)+len(videos))}
	case len(videos) == 1:
		videoID, postID, err := f.videoPhases(ctx, "video_stories", "video story", videos[0], nil)
		if err != nil {
			return network.RemotePost{}, err
		}
		return network.RemotePost{ID: postID, URL: "https://www.facebook.com/stories/" + f.pageID, Extra: map[string]string{"video_id": videoID, "story": "video"}}, nil
	}
	var photo struct {
		ID string `json:"id"`
	}
	if err := f.c.post(ctx, f.pageID+"/photos", url.Values{"url": {photos[0].URL}, "published": {"false"}}, &photo); err != nil {
		return network.RemotePost{}, fmt.Errorf("stage the story photo: %w", err)
	}
	var done struct {
		Success bool   `json:"success"`
		PostID  string `json:"post_id"`
	}
	if err := f.c.post(ctx, f.pageID+"/photo_stories", url.Values{"photo_id": {photo.ID}}, &done); err != nil {
		return network.RemotePost{}, err
	}
	if done.PostID == "" {
		return network.RemotePost{}, &network.Error{Class: network.Unknown, Network: network.Facebook, Message: "Facebook accepted the story but returned no post id"}
	}
	return network.RemotePost{ID: done.PostID, URL: "https://www.facebook.com/stories/" + f.pageID, Extra: map[string]string{"photo_id": photo.ID, "story": "photo"}}, nil
}

// remote builds a RemotePost, with its permalink when Meta gives it.
func (f *Facebook) remote(ctx context.Context, id string) network.RemotePost {
	var p struct {
		PermalinkURL string `json:"permalink_url"`
	}
	if err := f.c.get(ctx, id, url.Values{"fields": {"permalink_url"}}, &p); err != nil || p.PermalinkURL == "" {
		p.PermalinkURL = "https://www.facebook.com/" + id
	}
	return network.RemotePost{ID: id, URL: p.PermalinkURL}
}

// Edit changes a Page post's message.
func (f *Facebook) Edit(ctx context.Context, remoteID string, part network.Part) error {
	if err := f.c.post(ctx, remoteID, url.Values{"message": {part.Text}}, nil); err != nil {
		return fmt.Errorf("facebook: edit %s: %w", remoteID, err)
	}
	return nil
}

// Delete removes a post, or a comment; one already gone counts as deleted.
func (f *Facebook) Delete(ctx context.Context, remoteID string) error {
	return f.c.remove(ctx, remoteID)
}

// DeleteComment removes a comment (pages_manage_engagement).
func (f *Facebook) DeleteComment(ctx context.Context, remoteID string) error {
	return f.Delete(ctx, remoteID)
}

// PostMetrics reads reactions, comments and shares (post fields) and views
// (post_media_view insight, read_insights). Impressions are gone since
// 2025-11-15; Quotes do not exist on Facebook (-1).
func (f *Facebook) PostMetrics(ctx context.Context, remoteIDs []string) (map[string]network.PostMetrics, error) {
	return metricsOf(ctx, network.Facebook, remoteIDs, func(id string) (network.PostMetrics, error) {
		var p struct {
			Shares struct {
				Count int64 `json:"count"`
			} `json:"shares"`
			Reactions struct {
				Summary struct {
					TotalCount int64 `json:"total_count"`
				} `json:"summary"`
			} `json:"reactions"`
			Comments struct {
				Summary struct {
					TotalCount int64 `json:"total_count"`
				} `json:"summary"`
			} `json:"comments"`
		}
		if err := f.c.get(ctx, id, url.Values{"fields": {"shares,reactions.summary(total_count).limit(0),comments.summary(true).limit(0)"}}, &p); err != nil {
			return network.PostMetrics{}, err
		}
		m := network.PostMetrics{Likes: p.Reactions.Summary.TotalCount, Replies: p.Comments.Summary.TotalCount, Reposts: p.Shares.Count, Quotes: -1, Views: -1}
		if v, err := insights(ctx, f.c, id+"/insights", []string{"post_media_view"}, nil); err == nil {
			m.Views = v["post_media_view"]
		}
		return m, nil
	})
}

// Insights reads the Page's current metrics (page_media_view,
// page_total_media_view_unique, page_follows, page_post_engagements) for period day, week or days_28.
func (f *Facebook) Insights(ctx context.Context, period string) (map[string]int64, error) {
	return insights(ctx, f.c, f.pageID+"/insights", []string{"page_media_view", "page_total_media_view_unique", "page_follows", "page_post_engagements"}, url.Values{"period": {period}})
}

// Followers reads the Page's followers_count (page_fans is gone).
func (f *Facebook) Followers(ctx context.Context) (int64, error) {
	var p struct {
		FollowersCount int64 `json:"followers_count"`
	}
	if err := f.c.get(ctx, f.pageID, url.Values{"fields": {"followers_count"}}, &p); err != nil {
		return 0, fmt.Errorf("facebook: followers: %w", err)
	}
	return p.FollowersCount, nil
}

type fbComment struct {
	ID          string `json:"id"`
	Message     string `json:"message"`
	CreatedTime string `json:"created_time"`
	From        struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"from"`
	Parent struct {
		ID string `json:"id"`
	} `json:"parent"`
	PermalinkURL string `json:"permalink_url"`
}

// Comments reads every comment under a post (filter=stream: replies too), leaving out the Page's own.
func (f *Facebook) Comments(ctx context.Context, remoteID string) ([]network.Comment, error) {
	q := url.Values{"filter": {"stream"}, "order": {"chronological"}, "limit": {"100"}, "fields": {"id,message,created_time,from,parent,permalink_url"}}
	var out []network.Comment
	err := eachPage(ctx, f.c, remoteID+"/comments", q, func(c fbComment) {
		if c.From.ID == f.pageID {
			return
		}
		cm := network.Comment{RemoteID: c.ID, ParentID: remoteID, RootID: remoteID, AuthorID: c.From.ID, AuthorName: c.From.Name,
			Text: c.Message, URL: c.PermalinkURL, CreatedAt: parseGraphTime(c.CreatedTime)}
		if c.Parent.ID != "" {
			cm.ParentID = c.Parent.ID
		}
		out = append(out, cm)
	})
	if err != nil {
		return out, fmt.Errorf("facebook: comments of %s: %w", remoteID, err)
	}
	return out, nil
}

// Reply answers a post or a comment as the Page.
func (f *Facebook) Reply(ctx context.Context, parentRemoteID, text string) (network.RemotePost, error) {
	var out struct {
		ID string `json:"id"`
	}
	if err := f.c.post(ctx, parentRemoteID+"/comments", url.Values{"message": {text}}, &out); err != nil {
		return network.RemotePost{}, fmt.Errorf("facebook: reply to %s: %w", parentRemoteID, err)
	}
	return network.RemotePost{ID: out.ID, URL: "https://www.facebook.com/" + out.ID}, nil
}

// HideComment hides a comment from everyone but its author and their friends.
func (f *Facebook) HideComment(ctx context.Context, remoteID string) error {
	return f.c.setFlag(ctx, remoteID, "is_hidden", true)
}

// UnhideComment shows a hidden comment again.
func (f *Facebook) UnhideComment(ctx context.Context, remoteID string) error {
	return f.c.setFlag(ctx, remoteID, "is_hidden", false)
}

// Mentions reads posts that tag the Page (/{page}/tagged) newer than the
// cursor (a unix time); the mention webhook delivers them in real time.
func (f *Facebook) Mentions(ctx context.Context, cursor string) ([]network.Comment, string, error) {
	q := url.Values{"fields": {"id,message,created_time,from,permalink_url"}, "limit": {"50"}}
	return since(ctx, f.c, f.pageID+"/tagged", q, cursor, func(c fbComment) network.Comment {
		return network.Comment{RemoteID: c.ID, RootID: c.ID, AuthorID: c.From.ID, AuthorName: c.From.Name, Text: c.Message, URL: c.PermalinkURL, CreatedAt: parseGraphTime(c.CreatedTime)}
	})
}

func parseGraphTime(s string) time.Time {
	t, err := time.Parse(graphTime, s)
	if err != nil {
		t, _ = time.Parse(time.RFC3339, s)
	}
	return t.UTC()
}
