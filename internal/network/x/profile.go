package x

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/network"
)

var _ network.ProfileReader = (*Connector)(nil)

// PublicProfile reads another account: its counts (GET
// /2/users/by/username/:username with public_metrics) and its latest posts
// with their public metrics (GET /2/users/:id/tweets, 5 to 100). Both need
// the Basic tier or pay-per-use credits; the free tier answers 403.
func (c *Connector) PublicProfile(ctx context.Context, handle string, posts int) (network.PublicProfile, error) {
	handle = strings.TrimPrefix(strings.TrimSpace(handle), "@")
	if handle == "" || len(handle) > 15 || strings.Trim(handle, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != "" {
		return network.PublicProfile{}, fmt.Errorf("x: %q is not a username (1 to 15 letters, digits or _)", handle)
	}
	var u struct {
		Data struct {
			ID              string `json:"id"`
			Name            string `json:"name"`
			Username        string `json:"username"`
			Description     string `json:"description"`
			ProfileImageURL string `json:"profile_image_url"`
			PublicMetrics   struct {
				Followers int64 `json:"followers_count"`
				Following int64 `json:"following_count"`
				Tweets    int64 `json:"tweet_count"`
			} `json:"public_metrics"`
		} `json:"data"`
	}
	q := url.Values{"user.fields": {"public_metrics,description,profile_image_url"}}
	if err := c.api.do(ctx, request{method: http.MethodGet, path: "/2/users/by/username/" + url.PathEscape(handle), query: q}, &u); err != nil {
		return network.PublicProfile{}, fmt.Errorf("x: profile of %s: %w", handle, err)
	}
	d := u.Data
	if d.ID == "" {
		return network.PublicProfile{}, fmt.Errorf("x: no account named %s: %w", handle, network.ErrNotFound)
	}
	out := network.PublicProfile{ID: d.ID, Handle: d.Username, Name: d.Name, Bio: d.Description, AvatarURL: d.ProfileImageURL,
		URL: "https://x.com/" + d.Username, Followers: d.PublicMetrics.Followers, Following: d.PublicMetrics.Following, Posts: d.PublicMetrics.Tweets}
	if posts <= 0 {
		return out, nil
	}
	tq := url.Values{"max_results": {strconv.Itoa(min(max(posts, 5), 100))}, "tweet.fields": {"created_at,public_metrics"}, "exclude": {"retweets,replies"}}
	var p page
	if err := c.api.do(ctx, request{method: http.MethodGet, path: "/2/users/" + d.ID + "/tweets", query: tq}, &p); err != nil {
		return out, fmt.Errorf("x: posts of %s: %w", handle, err)
	}
	for i, t := range p.Data {
		if i >= posts {
			break
		}
		pp := network.PublicPost{ID: t.ID, URL: "https://x.com/" + d.Username + "/status/" + t.ID, Text: html.UnescapeString(t.Text), At: t.CreatedAt,
			Likes: -1, Comments: -1, Shares: -1, Views: -1}
		if m := t.PublicMetrics; m != nil {
			pp.Likes, pp.Comments, pp.Shares = m.LikeCount, m.ReplyCount, m.RetweetCount+m.QuoteCount
			if m.ImpressionCount != nil {
				pp.Views = *m.ImpressionCount
			}
		}
		out.Recent = append(out.Recent, pp)
	}
	return out, nil
}
