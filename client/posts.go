package client

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Label tags a post ("theme" = "launch").
type Label struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// MediaRef points at a media library item or a public URL.
type MediaRef struct {
	MediaID int64  `json:"media_id,omitempty"`
	URL     string `json:"url,omitempty"`
}

// VariantInput is a post's content for one channel; empty fields use the post's.
type VariantInput struct {
	ChannelID    int64             `json:"channel_id"`
	Text         string            `json:"text,omitempty"`
	Link         string            `json:"link,omitempty"`
	Media        []MediaRef        `json:"media,omitempty"`
	ThreadParts  []string          `json:"thread_parts,omitempty"`
	FirstComment string            `json:"first_comment,omitempty"`
	Options      map[string]string `json:"options,omitempty"`
	SplitThread  bool              `json:"split_thread,omitempty"`
}

// PostInput is a post to create or replace.
type PostInput struct {
	Text   string     `json:"text"`
	Link   string     `json:"link,omitempty"`
	Media  []MediaRef `json:"media,omitempty"`
	Labels []Label    `json:"labels,omitempty"`
	// Language is "auto" (detected from the text when publishing) or a
	// language code (en, fr, de …) sent to the networks.
	Language string         `json:"language,omitempty"`
	Timezone string         `json:"timezone,omitempty"`
	Variants []VariantInput `json:"variants,omitempty"`
}

// Attempt is one remote call of a publication's attempt log.
type Attempt struct {
	StartedAt  time.Time `json:"started_at"`
	LatencyMS  int64     `json:"latency_ms"`
	Outcome    string    `json:"outcome"`
	Class      string    `json:"class,omitempty"`
	HTTPStatus int       `json:"http_status,omitempty"`
	Message    string    `json:"message,omitempty"`
}

// Publication is a variant's publishing state.
type Publication struct {
	ID           int64      `json:"id"`
	State        string     `json:"state"`
	DueAt        time.Time  `json:"due_at"`
	Attempts     int        `json:"attempts"`
	RemoteID     string     `json:"remote_id,omitempty"`
	URL          string     `json:"url,omitempty"`
	ErrorClass   string     `json:"error_class,omitempty"`
	ErrorMessage string     `json:"error_message,omitempty"`
	HoldReason   string     `json:"hold_reason,omitempty"`
	PublishedAt  *time.Time `json:"published_at,omitempty"`
	Log          []Attempt  `json:"log"`
}

// Variant is a post's content and publication on one channel.
type Variant struct {
	ID          int64        `json:"id"`
	ChannelID   int64        `json:"channel_id"`
	Network     string       `json:"network"`
	Handle      string       `json:"handle"`
	Text        string       `json:"text,omitempty"`
	Link        string       `json:"link,omitempty"`
	ThreadParts []string     `json:"thread_parts"`
	Publication *Publication `json:"publication,omitempty"`
}

// Post is a post with its variants.
type Post struct {
	ID          int64      `json:"id"`
	State       string     `json:"state"`
	Text        string     `json:"text"`
	Link        string     `json:"link,omitempty"`
	ScheduledAt *time.Time `json:"scheduled_at,omitempty"`
	Timezone    string     `json:"timezone"`
	Labels      []Label    `json:"labels"`
	Language    string     `json:"language,omitempty"`
	Variants    []Variant  `json:"variants"`
}

// CreatePost validates and saves a post (a draft).
func (c *Client) CreatePost(ctx context.Context, in PostInput) (Post, error) {
	var out Post
	err := c.Do(ctx, http.MethodPost, "/posts", in, &out)
	return out, err
}

// Post reads one post with its publications and attempt logs.
func (c *Client) Post(ctx context.Context, id int64) (Post, error) {
	var out Post
	err := c.Do(ctx, http.MethodGet, fmt.Sprintf("/posts/%d", id), nil, &out)
	return out, err
}

// SchedulePost schedules a post at a moment, in an IANA time zone (empty: the post's).
func (c *Client) SchedulePost(ctx context.Context, id int64, at time.Time, tz string) (Post, error) {
	var out Post
	err := c.Do(ctx, http.MethodPost, fmt.Sprintf("/posts/%d/schedule", id), map[string]any{"at": at, "timezone": tz}, &out)
	return out, err
}

// PublishNow schedules a post for this moment.
func (c *Client) PublishNow(ctx context.Context, id int64) (Post, error) {
	var out Post
	err := c.Do(ctx, http.MethodPost, fmt.Sprintf("/posts/%d/publish-now", id), nil, &out)
	return out, err
}

// CancelPost cancels what of a post is not yet in flight.
func (c *Client) CancelPost(ctx context.Context, id int64) (Post, error) {
	var out struct {
		Post Post `json:"post"`
	}
	err := c.Do(ctx, http.MethodPost, fmt.Sprintf("/posts/%d/cancel", id), nil, &out)
	return out.Post, err
}

// RetryPublication queues a failed or needs_review publication again.
func (c *Client) RetryPublication(ctx context.Context, postID, publicationID int64) (Post, error) {
	var out Post
	err := c.Do(ctx, http.MethodPost, fmt.Sprintf("/posts/%d/publications/%d/retry", postID, publicationID), nil, &out)
	return out, err
}

// RemoteDeletion is what a network did with a post's published copy.
type RemoteDeletion struct {
	PublicationID int64  `json:"publication_id"`
	ChannelID     int64  `json:"channel_id"`
	Network       string `json:"network"`
	// Outcome is "deleted" or "delete_failed".
	Outcome string `json:"outcome"`
	Message string `json:"message,omitempty"`
}

// DeleteReport is the answer to DeletePost.
type DeleteReport struct {
	// Removed is true when the post is gone from relais.
	Removed bool             `json:"removed"`
	Remote  []RemoteDeletion `json:"remote"`
}

// DeletePost deletes a post; with remote, its published copies are deleted on
// their networks first, and the post stays in relais if one of them fails.
func (c *Client) DeletePost(ctx context.Context, id int64, remote bool) (DeleteReport, error) {
	var out DeleteReport
	err := c.Do(ctx, http.MethodDelete, fmt.Sprintf("/posts/%d?remote=%t", id, remote), nil, &out)
	return out, err
}
