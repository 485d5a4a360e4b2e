package bluesky

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/network"
)

var _ network.ProfileReader = (*Connector)(nil)

// maxProfilePosts bounds the posts a profile read fetches (one page).
const maxProfilePosts = 50

// PublicProfile reads another account through the AppView: getProfile, the
// author feed without replies, and the replies under each post that has
// some (getPostThread, one level).
func (c *Connector) PublicProfile(ctx context.Context, handle string, posts int) (network.PublicProfile, error) {
	actor := strings.TrimPrefix(strings.TrimSpace(handle), "@")
	var pr struct {
		DID            string `json:"did"`
		Handle         string `json:"handle"`
		DisplayName    string `json:"displayName"`
		Description    string `json:"description"`
		Avatar         string `json:"avatar"`
		FollowersCount *int64 `json:"followersCount"`
		FollowsCount   *int64 `json:"followsCount"`
		PostsCount     *int64 `json:"postsCount"`
	}
	if err := c.cl.do(ctx, call{method: http.MethodGet, nsid: "app.bsky.actor.getProfile", auth: true, appView: true,
		query: url.Values{"actor": {actor}}}, &pr); err != nil {
		return network.PublicProfile{}, fmt.Errorf("bluesky: profile of %s: %w", handle, err)
	}
	p := network.PublicProfile{ID: pr.DID, Handle: pr.Handle, Name: pr.DisplayName, Bio: pr.Description, AvatarURL: pr.Avatar,
		URL: "https://bsky.app/profile/" + pr.Handle, Followers: count(pr.FollowersCount), Following: count(pr.FollowsCount), Posts: count(pr.PostsCount)}
	if posts <= 0 {
		return p, nil
	}
	var feed struct {
		Feed []struct {
			Post postView `json:"post"`
		} `json:"feed"`
	}
	if err := c.cl.do(ctx, call{method: http.MethodGet, nsid: "app.bsky.feed.getAuthorFeed", auth: true, appView: true,
		query: url.Values{"actor": {pr.DID}, "limit": {strconv.Itoa(min(posts, maxProfilePosts))}, "filter": {"posts_no_replies"}}}, &feed); err != nil {
		return p, fmt.Errorf("bluesky: posts of %s: %w", handle, err)
	}
	for _, it := range feed.Feed {
		v := it.Post
		if v.Author.DID != pr.DID { // a repost of someone else's post
			continue
		}
		pp := network.PublicPost{ID: v.URI, URL: postURL(v.Author.Handle, v.URI), Text: v.Record.Text, At: parseTime(v.Record.CreatedAt),
			Likes: count(v.LikeCount), Comments: count(v.ReplyCount), Shares: count(v.RepostCount), Views: -1}
		if q := count(v.QuoteCount); q > 0 && pp.Shares >= 0 {
			pp.Shares += q
		}
		if pp.Comments > 0 {
			replies, err := c.Comments(ctx, v.URI)
			if err != nil {
				return p, err
			}
			for _, r := range replies {
				if r.AuthorID != pr.DID {
					pp.Replies = append(pp.Replies, r)
				}
			}
		}
		p.Recent = append(p.Recent, pp)
	}
	return p, nil
}
