package x

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
)

// tweet is a post object as the v2 lookups return it.
type tweet struct {
	ID              string    `json:"id"`
	Text            string    `json:"text"`
	AuthorID        string    `json:"author_id"`
	ConversationID  string    `json:"conversation_id"`
	Lang            string    `json:"lang"`
	CreatedAt       time.Time `json:"created_at"`
	ReferencedTweet []struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	} `json:"referenced_tweets"`
	PublicMetrics *struct {
		RetweetCount    int64  `json:"retweet_count"`
		ReplyCount      int64  `json:"reply_count"`
		LikeCount       int64  `json:"like_count"`
		QuoteCount      int64  `json:"quote_count"`
		ImpressionCount *int64 `json:"impression_count"`
	} `json:"public_metrics"`
}

func (t tweet) repliedTo() string {
	for _, r := range t.ReferencedTweet {
		if r.Type == "replied_to" {
			return r.ID
		}
	}
	return ""
}

// page is a list answer: data, the expanded authors, paging meta and partial errors.
type page struct {
	Data     []tweet `json:"data"`
	Includes struct {
		Users []user `json:"users"`
	} `json:"includes"`
	Meta struct {
		NewestID   string `json:"newest_id"`
		NextToken  string `json:"next_token"`
		ResultSize int    `json:"result_count"`
	} `json:"meta"`
	Errors []struct {
		Value        string `json:"value"`
		ResourceID   string `json:"resource_id"`
		ResourceType string `json:"resource_type"`
		Title        string `json:"title"`
		Detail       string `json:"detail"`
		Type         string `json:"type"`
	} `json:"errors"`
}

// listFields asks for what a Comment needs.
func listFields(q url.Values) url.Values {
	q.Set("tweet.fields", "author_id,conversation_id,created_at,lang,referenced_tweets")
	q.Set("expansions", "author_id")
	q.Set("user.fields", "username,name")
	return q
}

func (p page) comments(skipAuthor string) []network.Comment {
	names := map[string]user{}
	for _, u := range p.Includes.Users {
		names[u.ID] = u
	}
	out := make([]network.Comment, 0, len(p.Data))
	for _, t := range p.Data {
		if skipAuthor != "" && t.AuthorID == skipAuthor {
			continue
		}
		u := names[t.AuthorID]
		name := u.Name
		if name == "" && u.Username != "" {
			name = "@" + u.Username
		}
		link := "https://x.com/i/web/status/" + t.ID
		if u.Username != "" {
			link = "https://x.com/" + u.Username + "/status/" + t.ID
		}
		lang := t.Lang
		if lang == "und" || lang == "zxx" || lang == "qme" || lang == "qht" {
			lang = ""
		}
		out = append(out, network.Comment{
			RemoteID: t.ID, ParentID: t.repliedTo(), RootID: t.ConversationID, AuthorID: t.AuthorID,
			AuthorName: name, AuthorFollowers: u.PublicMetrics.FollowersCount, Text: html.UnescapeString(t.Text), Language: lang, URL: link, CreatedAt: t.CreatedAt,
		})
	}
	return out
}

// readPages bounds one Mentions or Comments call.
const readPages = 10

// Comments returns the replies in a post's conversation by others, through
// recent search (conversation_id:, the last 7 days; needs the Basic tier).
func (c *Connector) Comments(ctx context.Context, remoteID string) ([]network.Comment, error) {
	uid, err := c.self(ctx)
	if err != nil {
		return nil, fmt.Errorf("x: comments of %s: %w", remoteID, err)
	}
	var out []network.Comment
	next := ""
	for range readPages {
		q := listFields(url.Values{"query": {"conversation_id:" + remoteID}, "max_results": {"100"}})
		if next != "" {
			q.Set("next_token", next)
		}
		var p page
		if err := c.api.do(ctx, request{method: http.MethodGet, path: "/2/tweets/search/recent", query: q}, &p); err != nil {
			return out, fmt.Errorf("x: comments of %s: %w", remoteID, err)
		}
		out = append(out, p.comments(uid)...)
		if next = p.Meta.NextToken; next == "" {
			break
		}
	}
	return out, nil
}

// Mentions returns posts mentioning the account newer than cursor (a post
// id, since_id), oldest first, and the newest id as the next cursor.
func (c *Connector) Mentions(ctx context.Context, cursor string) ([]network.Comment, string, error) {
	uid, err := c.self(ctx)
	if err != nil {
		return nil, cursor, err
	}
	var all []network.Comment
	newest, next := cursor, ""
	for range readPages {
		q := listFields(url.Values{"max_results": {"100"}})
		if cursor != "" {
			q.Set("since_id", cursor)
		}
		if next != "" {
			q.Set("pagination_token", next)
		}
		var p page
		if err := c.api.do(ctx, request{method: http.MethodGet, path: "/2/users/" + url.PathEscape(uid) + "/mentions", query: q}, &p); err != nil {
			return nil, cursor, fmt.Errorf("x: mentions: %w", err)
		}
		if network.NewerID(p.Meta.NewestID, newest) {
			newest = p.Meta.NewestID
		}
		all = append(all, p.comments("")...)
		if next = p.Meta.NextToken; next == "" || cursor == "" {
			break
		}
	}
	// Pages come newest first; hand them oldest first.
	for i, j := 0, len(all)-1; i < j; i, j = i+1, j-1 {
		all[i], all[j] = all[j], all[i]
	}
	return all, newest, nil
}

// Search finds recent public posts (the last 7 days; needs the Basic tier);
// the cursor is X's next_token.
func (c *Connector) Search(ctx context.Context, query, cursor string) ([]network.Comment, string, error) {
	q := listFields(url.Values{"query": {query}, "max_results": {"100"}})
	q.Set("user.fields", "username,name,public_metrics") // the authors' reach
	if cursor != "" {
		q.Set("next_token", cursor)
	}
	var p page
	if err := c.api.do(ctx, request{method: http.MethodGet, path: "/2/tweets/search/recent", query: q}, &p); err != nil {
		return nil, cursor, fmt.Errorf("x: search: %w", err)
	}
	return p.comments(""), p.Meta.NextToken, nil
}

// PostMetrics reads public_metrics of up to 100 posts per call; posts that
// are gone come back as partial errors and are left out.
func (c *Connector) PostMetrics(ctx context.Context, remoteIDs []string) (map[string]network.PostMetrics, error) {
	out := make(map[string]network.PostMetrics, len(remoteIDs))
	for start := 0; start < len(remoteIDs); start += 100 {
		ids := remoteIDs[start:min(start+100, len(remoteIDs))]
		var p page
		q := url.Values{"ids": {strings.Join(ids, ",")}, "tweet.fields": {"public_metrics"}}
		if err := c.api.do(ctx, request{method: http.MethodGet, path: "/2/tweets", query: q}, &p); err != nil {
			return out, fmt.Errorf("x: metrics: %w", err)
		}
		for _, t := range p.Data {
			if t.PublicMetrics == nil {
				continue
			}
			m := t.PublicMetrics
			views := int64(-1)
			if m.ImpressionCount != nil {
				views = *m.ImpressionCount
			}
			out[t.ID] = network.PostMetrics{Likes: m.LikeCount, Reposts: m.RetweetCount, Replies: m.ReplyCount, Quotes: m.QuoteCount, Views: views}
		}
	}
	return out, nil
}

// NormalizeText makes a post's text comparable with what X returns for it:
// entities decoded, every URL one token (X shortens them to t.co links),
// runs of white space one space.
func NormalizeText(s string) string {
	s = html.UnescapeString(s)
	f := strings.Fields(s)
	for i, w := range f {
		if strings.HasPrefix(w, "http://") || strings.HasPrefix(w, "https://") {
			f[i] = "\x00url"
		}
	}
	return strings.Join(f, " ")
}

// SameText reports whether got (normalised, as X returned it) is the post
// with text want: equal, after leading reply @names, or with the media
// link X appends.
func SameText(want, got string) bool {
	for {
		if got == want || got == want+" \x00url" || (want == "" && got == "\x00url") {
			return true
		}
		// A reply's text may start with the @names X adds for the people answered.
		if !strings.HasPrefix(got, "@") || strings.HasPrefix(want, "@") {
			return false
		}
		_, got, _ = strings.Cut(got, " ")
	}
}
