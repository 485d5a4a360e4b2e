package bluesky

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/relais/relais/internal/network"
)

// maxURIsPerGetPosts is app.bsky.feed.getPosts's limit on uris per call.
const maxURIsPerGetPosts = 25

// maxNotificationPages bounds one Mentions poll, so a long-idle channel does
// not page through months of notifications.
const maxNotificationPages = 10

// profileBasic is the author of a post view.
type profileBasic struct {
	DID         string `json:"did"`
	Handle      string `json:"handle"`
	DisplayName string `json:"displayName"`
}

// postView is app.bsky.feed.defs#postView, as far as relais reads it.
type postView struct {
	URI    string       `json:"uri"`
	CID    string       `json:"cid"`
	Author profileBasic `json:"author"`
	Record struct {
		Text      string    `json:"text"`
		CreatedAt string    `json:"createdAt"`
		Langs     []string  `json:"langs"`
		Reply     *replyRef `json:"reply"`
	} `json:"record"`
	ReplyCount  *int64 `json:"replyCount"`
	RepostCount *int64 `json:"repostCount"`
	LikeCount   *int64 `json:"likeCount"`
	QuoteCount  *int64 `json:"quoteCount"`
	IndexedAt   string `json:"indexedAt"`
}

// getPosts reads post views, 25 URIs per call.
func (c *Connector) getPosts(ctx context.Context, uris []string) ([]postView, error) {
	var all []postView
	for start := 0; start < len(uris); start += maxURIsPerGetPosts {
		end := min(start+maxURIsPerGetPosts, len(uris))
		var out struct {
			Posts []postView `json:"posts"`
		}
		err := c.cl.do(ctx, call{method: http.MethodGet, nsid: "app.bsky.feed.getPosts", auth: true, appView: true,
			query: url.Values{"uris": uris[start:end]}}, &out)
		if err != nil {
			return all, err
		}
		all = append(all, out.Posts...)
	}
	return all, nil
}

// PostMetrics reads likes, reposts, replies and quotes of posts by at:// URI.
// Bluesky reports no views, so Views is -1; posts the AppView does not return
// (deleted, taken down) are absent from the map.
func (c *Connector) PostMetrics(ctx context.Context, remoteIDs []string) (map[string]network.PostMetrics, error) {
	posts, err := c.getPosts(ctx, remoteIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[string]network.PostMetrics, len(posts))
	for _, p := range posts {
		out[p.URI] = network.PostMetrics{
			Likes: count(p.LikeCount), Reposts: count(p.RepostCount), Replies: count(p.ReplyCount),
			Quotes: count(p.QuoteCount), Views: -1,
		}
	}
	return out, nil
}

func count(p *int64) int64 {
	if p == nil {
		return -1
	}
	return *p
}

// Followers reads the account's follower count from its profile.
func (c *Connector) Followers(ctx context.Context) (int64, error) {
	st, err := c.AccountStats(ctx)
	return st.Followers, err
}

// AccountStats reads the followers, follows and posts counts of the
// account's profile (AppView); a count it leaves out is -1.
func (c *Connector) AccountStats(ctx context.Context) (network.AccountStats, error) {
	var out struct {
		FollowersCount *int64 `json:"followersCount"`
		FollowsCount   *int64 `json:"followsCount"`
		PostsCount     *int64 `json:"postsCount"`
	}
	err := c.cl.do(ctx, call{method: http.MethodGet, nsid: "app.bsky.actor.getProfile", auth: true, appView: true,
		query: url.Values{"actor": {c.DID()}}}, &out)
	if err != nil {
		return network.AccountStats{}, err
	}
	return network.AccountStats{Followers: count(out.FollowersCount), Following: count(out.FollowsCount), Posts: count(out.PostsCount)}, nil
}

// threadNode is one node of getPostThread's tree; nodes of other types
// (notFoundPost, blockedPost) have no post and are skipped.
type threadNode struct {
	Type    string       `json:"$type"`
	Post    *postView    `json:"post"`
	Replies []threadNode `json:"replies"`
}

// Comments reads the replies under a post, six levels deep, flattened in
// thread order (each reply after its parent).
func (c *Connector) Comments(ctx context.Context, remoteID string) ([]network.Comment, error) {
	var out struct {
		Thread threadNode `json:"thread"`
	}
	err := c.cl.do(ctx, call{method: http.MethodGet, nsid: "app.bsky.feed.getPostThread", auth: true, appView: true,
		query: url.Values{"uri": {remoteID}, "depth": {"6"}, "parentHeight": {"0"}}}, &out)
	if err != nil {
		return nil, err
	}
	var comments []network.Comment
	var walk func(n threadNode)
	walk = func(n threadNode) {
		for _, r := range n.Replies {
			if r.Post == nil {
				continue
			}
			comments = append(comments, commentOf(*r.Post))
			walk(r)
		}
	}
	walk(out.Thread)
	return comments, nil
}

// commentOf turns a post view into an inbox comment.
func commentOf(p postView) network.Comment {
	cm := network.Comment{
		RemoteID: p.URI, AuthorID: p.Author.DID, AuthorName: p.Author.Handle,
		Text: p.Record.Text, URL: postURL(p.Author.Handle, p.URI), AuthorHandle: p.Author.Handle,
	}
	if p.Author.DisplayName != "" {
		cm.AuthorName = p.Author.DisplayName + " (@" + p.Author.Handle + ")"
	}
	if len(p.Record.Langs) > 0 {
		cm.Language = p.Record.Langs[0]
	}
	if p.Record.Reply != nil {
		cm.ParentID, cm.RootID = p.Record.Reply.Parent.URI, p.Record.Reply.Root.URI
	}
	cm.CreatedAt = parseTime(p.Record.CreatedAt)
	if cm.CreatedAt.IsZero() {
		cm.CreatedAt = parseTime(p.IndexedAt)
	}
	return cm
}

func postURL(handle, uri string) string {
	_, _, rkey, err := parseATURI(uri)
	if err != nil || handle == "" {
		return ""
	}
	return "https://bsky.app/profile/" + handle + "/post/" + rkey
}

func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// notification is one item of app.bsky.notification.listNotifications.
type notification struct {
	URI       string          `json:"uri"`
	CID       string          `json:"cid"`
	Author    profileBasic    `json:"author"`
	Reason    string          `json:"reason"`
	Record    json.RawMessage `json:"record"`
	IndexedAt string          `json:"indexedAt"`
}

// Mentions reads mentions and replies newer than cursor (the indexedAt of the
// newest one seen, as returned by the previous call; empty: the latest page)
// and returns them with the cursor to pass next time.
func (c *Connector) Mentions(ctx context.Context, cursor string) ([]network.Comment, string, error) {
	since := parseTime(cursor)
	next := cursor
	var out []network.Comment
	page := ""
	for range maxNotificationPages {
		q := url.Values{"limit": {"50"}, "reasons": {"mention", "reply"}}
		if page != "" {
			q.Set("cursor", page)
		}
		var resp struct {
			Notifications []notification `json:"notifications"`
			Cursor        string         `json:"cursor"`
		}
		err := c.cl.do(ctx, call{method: http.MethodGet, nsid: "app.bsky.notification.listNotifications", auth: true, appView: true, query: q}, &resp)
		if err != nil {
			return out, cursor, err
		}
		reachedOld := false
		for _, n := range resp.Notifications {
			at := parseTime(n.IndexedAt)
			if !since.IsZero() && !at.After(since) {
				reachedOld = true
				continue
			}
			if n.Reason != "mention" && n.Reason != "reply" {
				continue
			}
			if at.After(parseTime(next)) {
				next = at.Format(time.RFC3339Nano)
			}
			out = append(out, notificationComment(n))
		}
		// Without a previous cursor one page is enough: it starts the watermark.
		if reachedOld || since.IsZero() || resp.Cursor == "" || len(resp.Notifications) == 0 {
			break
		}
		page = resp.Cursor
	}
	return out, next, nil
}

func notificationComment(n notification) network.Comment {
	p := postView{URI: n.URI, CID: n.CID, Author: n.Author, IndexedAt: n.IndexedAt}
	_ = json.Unmarshal(n.Record, &p.Record)
	cm := commentOf(p)
	cm.Kind = n.Reason
	return cm
}

// Search finds public posts matching query, newest first; cursor pages on.
func (c *Connector) Search(ctx context.Context, query string, cursor string) ([]network.Comment, string, error) {
	q := url.Values{"q": {query}, "sort": {"latest"}, "limit": {"50"}}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	var resp struct {
		Posts  []postView `json:"posts"`
		Cursor string     `json:"cursor"`
	}
	err := c.cl.do(ctx, call{method: http.MethodGet, nsid: "app.bsky.feed.searchPosts", auth: true, appView: true, query: q}, &resp)
	if err != nil {
		return nil, cursor, err
	}
	out := make([]network.Comment, 0, len(resp.Posts))
	for _, p := range resp.Posts {
		out = append(out, commentOf(p))
	}
	return out, resp.Cursor, nil
}
