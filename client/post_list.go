package client

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// PostListItem is a post as the listing shows it.
type PostListItem struct {
	ID          int64      `json:"id"`
	State       string     `json:"state"`
	Text        string     `json:"text"`
	ScheduledAt *time.Time `json:"scheduled_at,omitempty"`
	Timezone    string     `json:"timezone"`
	Labels      []Label    `json:"labels"`
	ChannelIDs  []int64    `json:"channel_ids"`
}

// PostFilter narrows a listing or an export; zero values mean no restriction.
type PostFilter struct {
	// From and To bound the scheduled time (To exclusive).
	From, To time.Time
	// Channels keeps posts on one of these channels.
	Channels []int64
	// Labels keeps posts carrying every one of these labels ("key=value").
	Labels []string
	// States keeps posts in one of these states.
	States []string
}

func (f PostFilter) values() url.Values {
	v := url.Values{}
	if !f.From.IsZero() {
		v.Set("from", f.From.UTC().Format(time.RFC3339))
	}
	if !f.To.IsZero() {
		v.Set("to", f.To.UTC().Format(time.RFC3339))
	}
	for _, c := range f.Channels {
		v.Add("channel", strconv.FormatInt(c, 10))
	}
	for _, l := range f.Labels {
		v.Add("label", l)
	}
	for _, s := range f.States {
		v.Add("state", s)
	}
	return v
}

// PostPage is one page of a listing.
type PostPage struct {
	Posts []PostListItem `json:"posts"`
	// NextCursor continues the listing; empty after the last page.
	NextCursor string `json:"next_cursor"`
}

// ListPosts returns one page of posts by scheduled time (unscheduled last):
// up to limit (0: the server's default, 1,000; at most 5,000) after cursor
// ("": the first page).
func (c *Client) ListPosts(ctx context.Context, f PostFilter, limit int, cursor string) (PostPage, error) {
	v := f.values()
	if limit > 0 {
		v.Set("limit", strconv.Itoa(limit))
	}
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	var out PostPage
	err := c.Do(ctx, http.MethodGet, "/posts?"+v.Encode(), nil, &out)
	return out, err
}

// EachPost calls fn for every post of the filter, following the pages of
// limit posts (0: the server's default); it stops at fn's first error.
func (c *Client) EachPost(ctx context.Context, f PostFilter, limit int, fn func(PostListItem) error) error {
	cursor := ""
	for {
		page, err := c.ListPosts(ctx, f, limit, cursor)
		if err != nil {
			return err
		}
		for _, p := range page.Posts {
			if err := fn(p); err != nil {
				return err
			}
		}
		if page.NextCursor == "" {
			return nil
		}
		cursor = page.NextCursor
	}
}

// ExportPosts writes every post of the filter to w as "csv" or "json", as the
// server streams it.
func (c *Client) ExportPosts(ctx context.Context, f PostFilter, format string, w io.Writer) error {
	v := f.values()
	v.Set("format", format)
	resp, err := c.send(ctx, http.MethodGet, "/posts/export?"+v.Encode(), nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(w, resp.Body); err != nil {
		return fmt.Errorf("relais API: export: %w", err)
	}
	return nil
}
