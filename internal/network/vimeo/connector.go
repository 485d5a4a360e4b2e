package vimeo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
)

// DefaultChunkSize is the tus PATCH size.
const DefaultChunkSize = 8 << 20

// Privacy views relais offers (privacy.view), the first being the default.
var Views = []string{"anybody", "unlisted", "password", "nobody", "disable"}

// Embeds relais offers (privacy.embed).
var Embeds = []string{"public", "private", "whitelist"}

// PostOptions are the Vimeo choices of a video beyond its description (the
// post's text) and file, read by Publish from PublishRequest.Options.
func PostOptions() []network.Field {
	return []network.Field{
		{Name: "title", Label: "Title", MaxLength: MaxTitle, Help: "At most 128 characters; empty: the first line of the text"},
		{Name: "privacy_view", Label: "Who can watch", Type: network.FieldChoice, Options: Views},
		{Name: "password", Label: "Password", Help: "Needed when only people with the password can watch"},
		{Name: "privacy_embed", Label: "Where it can be embedded", Type: network.FieldChoice, Options: Embeds},
	}
}

// MaxTitle is the longest video name relais sends (Vimeo's web form stops at 128).
const MaxTitle = 128

// Connector publishes to and reads from one Vimeo account.
type Connector struct {
	api *api
	// log keeps each publication's progress as a publish checkpoint.
	log *network.Progress[state]
	// mu guards userURI ("/users/123"), learnt from /me.
	mu          sync.Mutex
	userURI     string
	chunkSize   int
	resumeTries int
}

var (
	_ network.Connector          = (*Connector)(nil)
	_ network.MetricsReader      = (*Connector)(nil)
	_ network.AccountStatsReader = (*Connector)(nil)
	_ network.CommentReader      = (*Connector)(nil)
	_ network.Replier            = (*Connector)(nil)
)

// Kind names the network.
func (c *Connector) Kind() network.Kind { return network.Vimeo }

// RateLimit returns the latest X-RateLimit-* report, normalised.
func (c *Connector) RateLimit() network.RateLimit { return c.api.RateLimit() }

type user struct {
	URI      string `json:"uri"`
	Name     string `json:"name"`
	Link     string `json:"link"`
	Account  string `json:"account"`
	Pictures struct {
		BaseLink string `json:"base_link"`
	} `json:"pictures"`
	Metadata struct {
		Connections struct {
			Followers struct {
				Total int64 `json:"total"`
			} `json:"followers"`
			Following struct {
				Total int64 `json:"total"`
			} `json:"following"`
			Videos struct {
				Total int64 `json:"total"`
			} `json:"videos"`
		} `json:"connections"`
	} `json:"metadata"`
}

func (c *Connector) me(ctx context.Context) (user, error) {
	var u user
	if err := c.api.do(ctx, request{verb: http.MethodGet, url: c.api.path("/me")}, &u); err != nil {
		return u, fmt.Errorf("vimeo: /me: %w", err)
	}
	c.mu.Lock()
	c.userURI = u.URI
	c.mu.Unlock()
	return u, nil
}

// Identify returns the account behind the token; its plan (user.account)
// decides whether statistics are available (see docs/channels.md).
func (c *Connector) Identify(ctx context.Context) (network.Account, error) {
	u, err := c.me(ctx)
	if err != nil {
		return network.Account{}, err
	}
	handle := strings.TrimPrefix(u.Link, "https://vimeo.com/")
	if handle == "" || strings.Contains(handle, "/") {
		handle = u.Name
	}
	return network.Account{RemoteID: strings.TrimPrefix(u.URI, "/users/"), Handle: handle, DisplayName: u.Name, URL: u.Link, AvatarURL: u.Pictures.BaseLink}, nil
}

// Followers reads the account's followers.
func (c *Connector) Followers(ctx context.Context) (int64, error) {
	s, err := c.AccountStats(ctx)
	return s.Followers, err
}

// AccountStats reads followers, following and videos from /me.
func (c *Connector) AccountStats(ctx context.Context) (network.AccountStats, error) {
	u, err := c.me(ctx)
	if err != nil {
		return network.AccountStats{}, err
	}
	m := u.Metadata.Connections
	return network.AccountStats{Followers: m.Followers.Total, Following: m.Following.Total, Posts: m.Videos.Total}, nil
}

// state is one publication's progress, kept as a publish checkpoint.
type state struct {
	// Creating is when the create call was about to be sent (set before it).
	Creating time.Time `json:"t,omitempty"`
	Video    string    `json:"v,omitempty"`
	Link     string    `json:"l,omitempty"`
	Upload   string    `json:"u,omitempty"`
	Size     int       `json:"n,omitempty"`
	Done     bool      `json:"d,omitempty"`
	Comment  string    `json:"c,omitempty"`
}

// videoResource is a /videos/{id} resource.
type videoResource struct {
	URI         string `json:"uri"`
	Name        string `json:"name"`
	Link        string `json:"link"`
	CreatedTime string `json:"created_time"`
	Upload      struct {
		Approach   string `json:"approach"`
		UploadLink string `json:"upload_link"`
		Size       int    `json:"size"`
		Status     string `json:"status"`
	} `json:"upload"`
	Stats struct {
		Plays *int64 `json:"plays"`
	} `json:"stats"`
	Metadata struct {
		Connections struct {
			Comments struct {
				Total int64 `json:"total"`
			} `json:"comments"`
			Likes struct {
				Total int64 `json:"total"`
			} `json:"likes"`
		} `json:"connections"`
	} `json:"metadata"`
}

func (v videoResource) id() string { return strings.TrimPrefix(v.URI, "/videos/") }

// body builds the create call's JSON from the text and options.
func body(text string, o map[string]string, size int) (map[string]any, string, error) {
	invalid := func(format string, a ...any) (map[string]any, string, error) {
		return nil, "", &network.Error{Class: network.InvalidContent, Network: network.Vimeo, Message: fmt.Sprintf(format, a...)}
	}
	title := strings.TrimSpace(o["title"])
	if title == "" {
		for _, line := range strings.Split(text, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				title = line
				break
			}
		}
		if r := []rune(title); len(r) > MaxTitle {
			title = strings.TrimSpace(string(r[:MaxTitle-1])) + "…"
		}
	}
	if title == "" {
		return invalid("a Vimeo video needs a title: set the title option or write a first line")
	}
	if n := len([]rune(title)); n > MaxTitle {
		return invalid("Vimeo allows %d characters in the title; this one has %d", MaxTitle, n)
	}
	view := strings.TrimSpace(o["privacy_view"])
	if view == "" {
		view = "anybody"
	}
	if !contains(Views, view) {
		return invalid("privacy_view must be one of %s; got %q", strings.Join(Views, ", "), view)
	}
	privacy := map[string]any{"view": view}
	b := map[string]any{"upload": map[string]any{"approach": "tus", "size": strconv.Itoa(size)}, "name": title, "description": text, "privacy": privacy}
	if view == "password" {
		if o["password"] == "" {
			return invalid("privacy_view password needs the password option")
		}
		b["password"] = o["password"]
	}
	if e := strings.TrimSpace(o["privacy_embed"]); e != "" {
		if !contains(Embeds, e) {
			return invalid("privacy_embed must be one of %s; got %q", strings.Join(Embeds, ", "), e)
		}
		privacy["embed"] = e
	}
	return b, title, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Publish uploads the part's video with tus and posts the first comment.
// The create call makes the video before any byte is sent, so the moment
// it is about to be sent is recorded first, and the video and its upload
// link as soon as they are known; a retry (even after a crash) resumes the
// upload with HEAD + PATCH, or, when the create call's answer was lost,
// finds the video it made among the account's newest before making one.
func (c *Connector) Publish(ctx context.Context, req network.PublishRequest) (network.PublishResult, error) {
	res := network.PublishResult{Parts: append([]network.RemotePost(nil), req.Done...)}
	if err := network.CheckParts(network.Vimeo, req); err != nil {
		return res, err
	}
	if len(req.Parts) > 1 {
		return res, &network.Error{Class: network.InvalidContent, Network: network.Vimeo, Message: "Vimeo has no threads: a post is one video"}
	}
	if len(req.Done) == 1 {
		return res, nil
	}
	part := req.Parts[0]
	if len(part.Media) != 1 || !strings.HasPrefix(part.Media[0].MIME, "video/") {
		return res, &network.Error{Class: network.InvalidContent, Network: network.Vimeo, Message: "a Vimeo post needs one video"}
	}
	m := part.Media[0]
	text := network.TextAsSent(network.Vimeo, part)
	b, title, err := body(text, req.Options, len(m.Data))
	if err != nil {
		return res, err
	}
	key := req.IdempotencyKey
	st, err := c.log.Load(ctx, key)
	if err != nil {
		return res, err
	}
	if st.Video == "" && !st.Creating.IsZero() {
		// The create call may have made a video whose answer was lost.
		v, found, err := c.findCreated(ctx, title, st.Creating)
		if err != nil {
			return res, err
		}
		if found {
			st = state{Video: v.id(), Link: v.Link, Upload: v.Upload.UploadLink, Size: len(m.Data), Done: v.Upload.Status == "complete"}
			if err := c.log.Save(ctx, key, st); err != nil {
				return res, err
			}
		}
	}
	if st.Video == "" {
		st = state{Creating: c.api.now()}
		if err := c.log.Save(ctx, key, st); err != nil {
			return res, err
		}
		var v videoResource
		if err := c.api.do(ctx, request{verb: http.MethodPost, url: c.api.path("/me/videos"), json: b}, &v); err != nil {
			return res, fmt.Errorf("vimeo: create video: %w", err)
		}
		st = state{Video: v.id(), Link: v.Link, Upload: v.Upload.UploadLink, Size: len(m.Data)}
		if err := c.log.Save(ctx, key, st); err != nil {
			return res, err
		}
	}
	if !st.Done {
		if err := c.tus(ctx, st.Upload, m.Data); err != nil {
			return res, fmt.Errorf("vimeo: upload: %w", err)
		}
		st.Done = true
		if err := c.log.Save(ctx, key, st); err != nil {
			return res, err
		}
	}
	res.Parts = append(res.Parts, network.RemotePost{ID: st.Video, URL: st.Link})
	if fc := strings.TrimSpace(req.FirstComment); fc != "" {
		if st.Comment == "" {
			rp, err := c.comment(ctx, "/videos/"+st.Video+"/comments", fc)
			if err != nil {
				return res, fmt.Errorf("vimeo: first comment: %w", err)
			}
			st.Comment = rp.ID
			if err := c.log.Save(ctx, key, st); err != nil {
				return res, err
			}
		}
		res.FirstComment = &network.RemotePost{ID: st.Comment, URL: st.Link}
	}
	return res, nil
}

// findCreated looks among the account's newest videos for one named title
// created since the create call was about to be sent.
func (c *Connector) findCreated(ctx context.Context, title string, since time.Time) (videoResource, bool, error) {
	var r struct {
		Data []videoResource `json:"data"`
	}
	q := url.Values{"sort": {"date"}, "direction": {"desc"}, "per_page": {"10"}, "fields": {"uri,name,link,created_time,upload"}}
	if err := c.api.do(ctx, request{verb: http.MethodGet, url: c.api.path("/me/videos"), query: q}, &r); err != nil {
		return videoResource{}, false, fmt.Errorf("vimeo: look for the video made by the last attempt: %w", err)
	}
	for _, v := range r.Data {
		t, _ := time.Parse(time.RFC3339, v.CreatedTime)
		if v.Name == title && !t.Before(since.Add(-time.Minute)) {
			return v, true, nil
		}
	}
	return videoResource{}, false, nil
}

// tus sends data to the upload link from the offset Vimeo has (HEAD), in
// PATCH chunks, asking again after an interrupted chunk.
func (c *Connector) tus(ctx context.Context, link string, data []byte) error {
	tusHeader := func(h http.Header) http.Header {
		h.Set("Tus-Resumable", "1.0.0")
		return h
	}
	head := func() (int, error) {
		status, h, b, err := c.api.send(ctx, request{verb: http.MethodHead, url: link, header: tusHeader(http.Header{}), noAuth: true})
		if err != nil {
			return 0, err
		}
		if status != http.StatusOK && status != http.StatusNoContent {
			return 0, apiError(status, h, b, c.api.now())
		}
		return strconv.Atoi(h.Get("Upload-Offset"))
	}
	offset, err := head()
	if err != nil {
		return err
	}
	tries := 0
	for offset < len(data) {
		end := min(offset+max(c.chunkSize, 1), len(data))
		status, h, b, err := c.api.send(ctx, request{verb: http.MethodPatch, url: link, body: data[offset:end], contentType: "application/offset+octet-stream",
			header: tusHeader(http.Header{"Upload-Offset": {strconv.Itoa(offset)}}), noAuth: true})
		if err == nil && status == http.StatusNoContent {
			if n, perr := strconv.Atoi(h.Get("Upload-Offset")); perr == nil && n > offset {
				offset, tries = n, 0
				continue
			}
		}
		if err == nil && status < 500 && status != http.StatusConflict {
			return apiError(status, h, b, c.api.now())
		}
		tries++
		if tries > c.resumeTries {
			if err == nil {
				err = apiError(status, h, b, c.api.now())
			}
			var ne *network.Error
			if errors.As(err, &ne) && ne.Class == network.Unknown {
				ne.Class = network.Retryable
			}
			return fmt.Errorf("%w (the upload is kept: the next attempt resumes it)", err)
		}
		if n, herr := head(); herr == nil {
			offset = n
		}
	}
	return nil
}

// Delete removes a video; a video already gone counts as deleted.
func (c *Connector) Delete(ctx context.Context, remoteID string) error {
	err := c.api.do(ctx, request{verb: http.MethodDelete, url: c.api.path("/videos/" + url.PathEscape(remoteID))}, nil)
	if err != nil && !errors.Is(err, network.ErrNotFound) {
		return fmt.Errorf("vimeo: delete %s: %w", remoteID, err)
	}
	return nil
}

// commentResource is a Vimeo comment.
type commentResource struct {
	URI       string `json:"uri"`
	Text      string `json:"text"`
	CreatedOn string `json:"created_on"`
	Link      string `json:"link"`
	User      user   `json:"user"`
	Metadata  struct {
		Connections struct {
			Replies struct {
				URI   string `json:"uri"`
				Total int    `json:"total"`
			} `json:"replies"`
		} `json:"connections"`
	} `json:"metadata"`
}

// commentID is a comment's id: the part of its URI after the video,
// "123/comments/456" for a comment, ".../replies/789" kept whole for replies.
func commentID(uri string) string { return strings.TrimPrefix(uri, "/videos/") }

func (c *Connector) list(ctx context.Context, path string) ([]commentResource, error) {
	var r struct {
		Data []commentResource `json:"data"`
	}
	err := c.api.do(ctx, request{verb: http.MethodGet, url: c.api.path(path), query: url.Values{"per_page": {"100"}, "direction": {"desc"}}}, &r)
	return r.Data, err
}

// Comments reads the comments under a video and their replies, the
// account's own left out.
func (c *Connector) Comments(ctx context.Context, remoteID string) ([]network.Comment, error) {
	c.mu.Lock()
	self := c.userURI
	c.mu.Unlock()
	top, err := c.list(ctx, "/videos/"+url.PathEscape(remoteID)+"/comments")
	if err != nil {
		return nil, fmt.Errorf("vimeo: comments of %s: %w", remoteID, err)
	}
	var out []network.Comment
	add := func(cm commentResource, id, parent, kind string) {
		if cm.User.URI == self && self != "" {
			return
		}
		t, _ := time.Parse(time.RFC3339, cm.CreatedOn)
		out = append(out, network.Comment{RemoteID: id, ParentID: parent, RootID: remoteID, AuthorID: strings.TrimPrefix(cm.User.URI, "/users/"),
			AuthorName: cm.User.Name, Kind: kind, Text: cm.Text, URL: cm.Link, CreatedAt: t})
	}
	for _, cm := range top {
		add(cm, commentID(cm.URI), remoteID, "comment")
		if cm.Metadata.Connections.Replies.Total > 0 {
			replies, err := c.list(ctx, cm.Metadata.Connections.Replies.URI)
			if err != nil {
				return out, fmt.Errorf("vimeo: replies of %s: %w", cm.URI, err)
			}
			for _, r := range replies {
				// A reply's id keeps its thread, so that answering it answers the thread.
				add(r, commentID(cm.URI)+"/replies/"+r.URI[strings.LastIndexByte(r.URI, '/')+1:], commentID(cm.URI), "reply")
			}
		}
	}
	return out, nil
}

func (c *Connector) comment(ctx context.Context, path, text string) (network.RemotePost, error) {
	var r commentResource
	if err := c.api.do(ctx, request{verb: http.MethodPost, url: c.api.path(path), json: map[string]string{"text": text}}, &r); err != nil {
		return network.RemotePost{}, err
	}
	return network.RemotePost{ID: commentID(r.URI), URL: r.Link}, nil
}

// Reply answers a comment ("VIDEO/comments/ID"; a reply's id answers its
// thread, Vimeo's replies being one level deep) or, given a video id, adds
// a comment under the video.
func (c *Connector) Reply(ctx context.Context, parentRemoteID, text string) (network.RemotePost, error) {
	path := "/videos/" + parentRemoteID + "/comments"
	if i := strings.Index(parentRemoteID, "/comments/"); i >= 0 {
		top := parentRemoteID
		if j := strings.Index(top, "/replies/"); j >= 0 {
			top = top[:j]
		}
		path = "/videos/" + top + "/replies"
	}
	rp, err := c.comment(ctx, path, text)
	if err != nil {
		return rp, fmt.Errorf("vimeo: reply to %s: %w", parentRemoteID, err)
	}
	return rp, nil
}

// PostMetrics reads videos' plays, likes and comments from the video
// resource; plays are reported only where the owner's plan shows them
// (stats.plays null: -1).
func (c *Connector) PostMetrics(ctx context.Context, remoteIDs []string) (map[string]network.PostMetrics, error) {
	out := map[string]network.PostMetrics{}
	for _, id := range remoteIDs {
		var v videoResource
		q := url.Values{"fields": {"uri,stats.plays,metadata.connections.comments.total,metadata.connections.likes.total"}}
		err := c.api.do(ctx, request{verb: http.MethodGet, url: c.api.path("/videos/" + url.PathEscape(id)), query: q}, &v)
		if errors.Is(err, network.ErrNotFound) {
			continue
		}
		if err != nil {
			return out, fmt.Errorf("vimeo: statistics of %s: %w", id, err)
		}
		m := network.PostMetrics{Likes: v.Metadata.Connections.Likes.Total, Replies: v.Metadata.Connections.Comments.Total, Views: -1, Reposts: -1, Quotes: -1}
		if v.Stats.Plays != nil {
			m.Views = *v.Stats.Plays
		}
		out[id] = m
	}
	return out, nil
}
