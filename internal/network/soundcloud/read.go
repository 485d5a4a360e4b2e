package soundcloud

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/network"
)

// comment is a comment as the API returns it; Timestamp is its position
// in the track in milliseconds.
type comment struct {
	ID        int64  `json:"id"`
	Body      string `json:"body"`
	CreatedAt string `json:"created_at"`
	Timestamp any    `json:"timestamp"`
	TrackID   int64  `json:"track_id"`
	User      user   `json:"user"`
	UserID    int64  `json:"user_id"`
}

func (c comment) position() int64 {
	switch v := c.Timestamp.(type) {
	case float64:
		return int64(v)
	case string:
		n, _ := strconv.ParseInt(v, 10, 64)
		return n
	}
	return 0
}

// CommentRef is the inbox's id of a comment: the track, the comment and
// its position in the track, so a reply lands on the same track at the same moment.
func CommentRef(trackID, commentID, positionMS int64) string {
	return fmt.Sprintf("%d:%d:%d", trackID, commentID, positionMS)
}

// ParseRef reads a CommentRef, or a bare track id (position 0).
func ParseRef(s string) (trackID string, positionMS int64, ok bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 1 && len(parts) != 3 {
		return "", 0, false
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" || len(p) > 19 {
			return "", 0, false
		}
	}
	if len(parts) == 3 {
		positionMS, _ = strconv.ParseInt(parts[2], 10, 64)
	}
	return parts[0], positionMS, true
}

// commentPages bounds one Comments call.
const commentPages = 10

func (c *Connector) comments(ctx context.Context, trackID string) ([]comment, error) {
	var all []comment
	next := "/tracks/" + url.PathEscape(trackID) + "/comments"
	q := url.Values{"limit": {"50"}, "linked_partitioning": {"true"}}
	for range commentPages {
		var page struct {
			Collection []comment `json:"collection"`
			NextHref   string    `json:"next_href"`
		}
		if err := c.api.do(ctx, request{Method: http.MethodGet, Path: next, Query: q}, &page); err != nil {
			return all, err
		}
		all = append(all, page.Collection...)
		if page.NextHref == "" {
			break
		}
		next, q = page.NextHref, nil
	}
	return all, nil
}

// Comments returns the comments on a track by others, oldest first.
func (c *Connector) Comments(ctx context.Context, remoteID string) ([]network.Comment, error) {
	self, err := c.self(ctx)
	if err != nil {
		return nil, fmt.Errorf("soundcloud: comments of %s: %w", remoteID, err)
	}
	list, err := c.comments(ctx, remoteID)
	if err != nil {
		return nil, fmt.Errorf("soundcloud: comments of %s: %w", remoteID, err)
	}
	tid, _ := strconv.ParseInt(remoteID, 10, 64)
	var out []network.Comment
	for i := len(list) - 1; i >= 0; i-- {
		cm := list[i]
		uid := cm.UserID
		if uid == 0 {
			uid = cm.User.ID
		}
		if strconv.FormatInt(uid, 10) == self {
			continue
		}
		name := cm.User.FullName
		if name == "" {
			name = cm.User.Username
		}
		out = append(out, network.Comment{
			RemoteID: CommentRef(tid, cm.ID, cm.position()), ParentID: remoteID, RootID: remoteID,
			AuthorID: strconv.FormatInt(uid, 10), AuthorName: name, AuthorHandle: cm.User.Permalink, Kind: "comment",
			Text: cm.Body, URL: cm.User.PermalinkURL, CreatedAt: createdAt(cm.CreatedAt),
		})
	}
	return out, nil
}

// Reply answers a comment with a comment on the same track at the same
// position (POST /tracks/{id}/comments with body and timestamp); a track id
// as the parent comments at 0:00.
func (c *Connector) Reply(ctx context.Context, parentRemoteID, text string) (network.RemotePost, error) {
	trackID, pos, ok := ParseRef(parentRemoteID)
	if !ok {
		return network.RemotePost{}, &network.Error{Class: network.Permanent, Network: Kind, Message: fmt.Sprintf("%q is neither a track nor a comment of SoundCloud", parentRemoteID)}
	}
	rp, err := c.comment(ctx, trackID, text, pos)
	if err != nil {
		return rp, fmt.Errorf("soundcloud: reply to %s: %w", parentRemoteID, err)
	}
	return rp, nil
}

// maxComment is the longest comment (unconfirmed: the player's limit).
const maxComment = 1000

func (c *Connector) comment(ctx context.Context, trackID, text string, positionMS int64) (network.RemotePost, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return network.RemotePost{}, invalid("a comment needs text")
	}
	if n := len([]rune(text)); n > maxComment {
		return network.RemotePost{}, invalid("the comment is %d characters; SoundCloud allows %d", n, maxComment)
	}
	var cm comment
	body := map[string]any{"comment": map[string]any{"body": text, "timestamp": positionMS}}
	if err := c.api.do(ctx, request{Method: http.MethodPost, Path: "/tracks/" + url.PathEscape(trackID) + "/comments", JSON: body}, &cm); err != nil {
		return network.RemotePost{}, err
	}
	tid, _ := strconv.ParseInt(trackID, 10, 64)
	return network.RemotePost{ID: CommentRef(tid, cm.ID, cm.position())}, nil
}

// FindReply looks for the account's comment on the parent's track whose
// text contains text (after a crash between recording a reply and hearing
// SoundCloud's answer).
func (c *Connector) FindReply(ctx context.Context, parentRemoteID, text string) (network.RemotePost, bool, error) {
	trackID, _, ok := ParseRef(parentRemoteID)
	if !ok {
		return network.RemotePost{}, false, nil
	}
	self, err := c.self(ctx)
	if err != nil {
		return network.RemotePost{}, false, err
	}
	list, err := c.comments(ctx, trackID)
	if err != nil {
		return network.RemotePost{}, false, err
	}
	tid, _ := strconv.ParseInt(trackID, 10, 64)
	for _, cm := range list {
		uid := cm.UserID
		if uid == 0 {
			uid = cm.User.ID
		}
		if strconv.FormatInt(uid, 10) == self && strings.Contains(cm.Body, strings.TrimSpace(text)) {
			return network.RemotePost{ID: CommentRef(tid, cm.ID, cm.position())}, true, nil
		}
	}
	return network.RemotePost{}, false, nil
}

func count(p *int64) int64 {
	if p == nil {
		return -1
	}
	return *p
}

// PostMetrics reads each track's counts (GET /tracks/{id}): plays as views,
// likes (favoritings), reposts and comments; tracks gone are left out.
func (c *Connector) PostMetrics(ctx context.Context, remoteIDs []string) (map[string]network.PostMetrics, error) {
	out := make(map[string]network.PostMetrics, len(remoteIDs))
	for _, id := range remoteIDs {
		var t track
		if err := c.api.do(ctx, request{Method: http.MethodGet, Path: "/tracks/" + url.PathEscape(id)}, &t); err != nil {
			if network.ClassOf(err) == network.Permanent {
				continue
			}
			return out, fmt.Errorf("soundcloud: metrics of %s: %w", id, err)
		}
		likes := t.FavoritingsCnt
		if likes == nil {
			likes = t.LikesCount
		}
		out[id] = network.PostMetrics{Likes: count(likes), Reposts: count(t.RepostsCount), Replies: count(t.CommentCount), Quotes: -1, Views: count(t.PlaybackCount)}
	}
	return out, nil
}

// Followers reads the account's followers_count.
func (c *Connector) Followers(ctx context.Context) (int64, error) {
	u, err := c.me(ctx)
	return u.FollowersCount, err
}

// AccountStats reads followers, followings and tracks from /me.
func (c *Connector) AccountStats(ctx context.Context) (network.AccountStats, error) {
	u, err := c.me(ctx)
	if err != nil {
		return network.AccountStats{}, err
	}
	return network.AccountStats{Followers: u.FollowersCount, Following: u.FollowingCount, Posts: u.TrackCount}, nil
}
