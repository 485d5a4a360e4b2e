package tumblr

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
)

// post is a post as the /posts listings return it in NPF.
type post struct {
	ID           string  `json:"id_string"`
	Timestamp    int64   `json:"timestamp"`
	State        string  `json:"state"`
	ParentPostID string  `json:"parent_post_id"`
	Content      []block `json:"content"`
	NoteCount    int64   `json:"note_count"`
}

// ContentKey is what identifies a post's own content for the lookup after
// an unknown outcome: its text blocks and the kinds and order of its other
// blocks (Tumblr rewrites URLs and media, not the text).
func ContentKey(blocks []block) string {
	var b strings.Builder
	for _, bl := range blocks {
		b.WriteString(bl.Type)
		b.WriteByte(':')
		if bl.Type == "text" {
			b.WriteString(strings.Join(strings.Fields(bl.Text), " "))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// findRecent looks for a post of the blog, made since started in the
// state asked, with the same content and parent. It asks a few times,
// since a new post takes a moment to be listed.
func (c *Connector) findRecent(ctx context.Context, body npfPost, started time.Time) (string, error) {
	tail := "/posts"
	switch body.State {
	case "queue":
		tail = "/posts/queue"
	case "draft":
		tail = "/posts/draft"
	}
	want := ContentKey(body.Content)
	since := started.Add(-time.Minute).Unix()
	for i := 0; i < max(c.lookups, 1); i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
				return "", ctx.Err()
			case <-time.After(time.Duration(i) * 500 * time.Millisecond):
			}
		}
		var r struct {
			Posts []post `json:"posts"`
		}
		if err := c.api.do(ctx, request{Method: http.MethodGet, Path: c.path(tail), Query: url.Values{"npf": {"true"}, "limit": {"20"}}}, &r); err != nil {
			return "", err
		}
		for _, p := range r.Posts {
			if p.Timestamp != 0 && p.Timestamp < since {
				continue
			}
			if p.ParentPostID == body.ParentPostID && ContentKey(p.Content) == want {
				return p.ID, nil
			}
		}
	}
	return "", nil
}

// note is one note of a post (notes endpoint).
type note struct {
	Type      string `json:"type"`
	Timestamp int64  `json:"timestamp"`
	BlogName  string `json:"blog_name"`
	BlogUUID  string `json:"blog_uuid"`
	BlogURL   string `json:"blog_url"`
	PostID    string `json:"post_id"`
	ReplyText string `json:"reply_text"`
	AddedText string `json:"added_text"`
}

// notesPage is the notes answer in conversation mode.
type notesPage struct {
	Notes        []note `json:"notes"`
	TotalNotes   int64  `json:"total_notes"`
	TotalLikes   int64  `json:"total_likes"`
	TotalReblogs int64  `json:"total_reblogs"`
	Links        struct {
		Next struct {
			QueryParams map[string]any `json:"query_params"`
		} `json:"next"`
	} `json:"_links"`
}

// notePages bounds one Comments or PostMetrics call.
const notePages = 10

// conversation reads a post's replies and commented reblogs (mode
// conversation, newest first), following before_timestamp, with the totals.
func (c *Connector) conversation(ctx context.Context, id string) ([]note, notesPage, error) {
	var all []note
	var first notesPage
	before := ""
	for i := range notePages {
		q := url.Values{"id": {id}, "mode": {"conversation"}}
		if before != "" {
			q.Set("before_timestamp", before)
		}
		var p notesPage
		if err := c.api.do(ctx, request{Method: http.MethodGet, Path: c.path("/notes"), Query: q}, &p); err != nil {
			return all, first, err
		}
		if i == 0 {
			first = p
		}
		all = append(all, p.Notes...)
		next, ok := p.Links.Next.QueryParams["before_timestamp"]
		if !ok || len(p.Notes) == 0 {
			break
		}
		before = fmt.Sprint(next)
	}
	return all, first, nil
}

// Comments returns the replies to a post (notes of type reply) and the
// reblogs that added text (as quotes). Tumblr's API reads replies but has
// no endpoint to write one, so the inbox cannot answer on Tumblr.
func (c *Connector) Comments(ctx context.Context, remoteID string) ([]network.Comment, error) {
	notes, _, err := c.conversation(ctx, remoteID)
	if err != nil {
		return nil, fmt.Errorf("tumblr: notes of %s: %w", remoteID, err)
	}
	var out []network.Comment
	for _, n := range notes {
		if n.BlogUUID != "" && n.BlogUUID == c.blogUUID {
			continue
		}
		cm := network.Comment{ParentID: remoteID, RootID: remoteID, AuthorID: n.BlogUUID, AuthorName: n.BlogName, AuthorHandle: n.BlogName,
			CreatedAt: time.Unix(n.Timestamp, 0).UTC()}
		switch {
		case n.Type == "reply" && strings.TrimSpace(n.ReplyText) != "":
			cm.Kind, cm.Text = "comment", n.ReplyText
			cm.RemoteID = "reply:" + remoteID + ":" + n.BlogUUID + ":" + strconv.FormatInt(n.Timestamp, 10)
			cm.URL = c.PostURL(remoteID)
		case n.Type == "reblog" && strings.TrimSpace(n.AddedText) != "" && n.PostID != "":
			cm.Kind, cm.Text, cm.RemoteID = "quote", n.AddedText, n.PostID
			cm.URL = "https://www.tumblr.com/" + n.BlogName + "/" + n.PostID
		default:
			continue
		}
		out = append(out, cm)
	}
	// Notes come newest first; hand them oldest first.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// PostMetrics reads each post's notes in conversation mode: likes and
// reblogs from the totals, replies and commented reblogs (quotes) counted.
// Tumblr reports no views to apps.
func (c *Connector) PostMetrics(ctx context.Context, remoteIDs []string) (map[string]network.PostMetrics, error) {
	out := make(map[string]network.PostMetrics, len(remoteIDs))
	for _, id := range remoteIDs {
		notes, p, err := c.conversation(ctx, id)
		if err != nil {
			if network.ClassOf(err) == network.Permanent {
				continue // a post gone or not readable: left out
			}
			return out, fmt.Errorf("tumblr: metrics of %s: %w", id, err)
		}
		m := network.PostMetrics{Likes: p.TotalLikes, Reposts: p.TotalReblogs, Views: -1}
		for _, n := range notes {
			switch {
			case n.Type == "reply":
				m.Replies++
			case n.Type == "reblog" && n.AddedText != "":
				m.Quotes++
			}
		}
		out[id] = m
	}
	return out, nil
}

// Followers reads the blog's follower total (GET /v2/blog/{blog}/followers).
func (c *Connector) Followers(ctx context.Context) (int64, error) {
	var r struct {
		TotalUsers int64 `json:"total_users"`
	}
	if err := c.api.do(ctx, request{Method: http.MethodGet, Path: c.path("/followers"), Query: url.Values{"limit": {"1"}}}, &r); err != nil {
		return 0, fmt.Errorf("tumblr: followers: %w", err)
	}
	return r.TotalUsers, nil
}

// AccountStats reads the blog's followers and its post count (blog info);
// Tumblr gives no following count for a blog.
func (c *Connector) AccountStats(ctx context.Context) (network.AccountStats, error) {
	f, err := c.Followers(ctx)
	if err != nil {
		return network.AccountStats{}, err
	}
	var r struct {
		Blog blogInfo `json:"blog"`
	}
	if err := c.api.do(ctx, request{Method: http.MethodGet, Path: c.path("/info")}, &r); err != nil {
		return network.AccountStats{}, fmt.Errorf("tumblr: blog info: %w", err)
	}
	return network.AccountStats{Followers: f, Following: -1, Posts: r.Blog.Posts}, nil
}
