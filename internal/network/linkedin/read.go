package linkedin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
)

// comment is one element of /rest/socialActions/{urn}/comments.
type comment struct {
	URN     string `json:"$URN"`
	ID      string `json:"id"`
	Actor   string `json:"actor"`
	Object  string `json:"object"`
	Message struct {
		Text string `json:"text"`
	} `json:"message"`
	Created struct {
		Time int64 `json:"time"`
	} `json:"created"`
	ParentComment string `json:"parentComment"`
}

func (c *Connector) comments(ctx context.Context, target string) ([]comment, error) {
	var r struct {
		Elements []comment `json:"elements"`
	}
	_, err := c.api.do(ctx, request{method: http.MethodGet, path: "/rest/socialActions/" + EscapeURN(target) + "/comments", rawQuery: "count=100"}, &r)
	return r.Elements, err
}

// Comments reads the comments under a post (and the replies to them, which
// LinkedIn lists under each comment's URN, one level deep).
func (c *Connector) Comments(ctx context.Context, remoteID string) ([]network.Comment, error) {
	top, err := c.comments(ctx, remoteID)
	if err != nil {
		return nil, fmt.Errorf("linkedin: comments of %s: %w", remoteID, err)
	}
	var out []network.Comment
	for _, cm := range top {
		out = append(out, toComment(cm, remoteID, remoteID))
		replies, err := c.comments(ctx, cm.URN)
		if err != nil && !errors.Is(err, network.ErrNotFound) {
			return out, fmt.Errorf("linkedin: replies to %s: %w", cm.URN, err)
		}
		for _, r := range replies {
			out = append(out, toComment(r, cm.URN, remoteID))
		}
	}
	return out, nil
}

func toComment(cm comment, parent, root string) network.Comment {
	if cm.ParentComment != "" {
		parent = cm.ParentComment
	}
	return network.Comment{
		RemoteID: cm.URN, ParentID: parent, RootID: root, AuthorID: cm.Actor, AuthorName: cm.Actor, Kind: "comment",
		Text: cm.Message.Text, URL: PostURL(root), CreatedAt: time.UnixMilli(cm.Created.Time).UTC(),
	}
}

// commentTarget splits a parent into the post the comment goes under and,
// for a comment URN (urn:li:comment:(urn:li:activity:1,2)), the parent comment.
func commentTarget(parent string) (object, parentComment string) {
	const p = "urn:li:comment:("
	if strings.HasPrefix(parent, p) {
		inner := strings.TrimSuffix(strings.TrimPrefix(parent, p), ")")
		if i := strings.LastIndexByte(inner, ','); i > 0 {
			return inner[:i], parent
		}
	}
	return parent, ""
}

// Reply comments on a post, or answers a comment, as the channel's author.
// A comment has no idempotency key either; the inbox asks FindReply first
// after an interrupted reply.
func (c *Connector) Reply(ctx context.Context, parentRemoteID, text string) (network.RemotePost, error) {
	object, parent := commentTarget(parentRemoteID)
	body := map[string]any{"actor": c.author, "object": object, "message": map[string]string{"text": text}}
	if parent != "" {
		body["parentComment"] = parent
	}
	var r comment
	ans, err := c.api.do(ctx, request{method: http.MethodPost, path: "/rest/socialActions/" + EscapeURN(parentRemoteID) + "/comments", json: body}, &r)
	if err != nil {
		return network.RemotePost{}, fmt.Errorf("linkedin: comment on %s: %w", parentRemoteID, err)
	}
	id := r.URN
	if id == "" {
		id = ans.header.Get("x-restli-id")
	}
	if id == "" {
		return network.RemotePost{}, &network.Error{Class: network.Unknown, Network: network.LinkedIn, Message: "LinkedIn answered without the comment's id"}
	}
	return network.RemotePost{ID: id, URL: PostURL(object)}, nil
}

// FindReply looks for the author's comment containing text under parentRemoteID.
func (c *Connector) FindReply(ctx context.Context, parentRemoteID, text string) (network.RemotePost, bool, error) {
	list, err := c.comments(ctx, parentRemoteID)
	if err != nil {
		return network.RemotePost{}, false, fmt.Errorf("linkedin: comments of %s: %w", parentRemoteID, err)
	}
	object, _ := commentTarget(parentRemoteID)
	for _, cm := range list {
		if cm.Actor == c.author && strings.Contains(cm.Message.Text, strings.TrimSpace(text)) {
			return network.RemotePost{ID: cm.URN, URL: PostURL(object)}, true, nil
		}
	}
	return network.RemotePost{}, false, nil
}

// socialMetadata is a post's reactions and comment counts.
type socialMetadata struct {
	ReactionSummaries map[string]struct {
		Count int64 `json:"count"`
	} `json:"reactionSummaries"`
	CommentSummary struct {
		Count int64 `json:"count"`
	} `json:"commentSummary"`
}

// Reactions returns a post's reaction counts by type (LIKE, PRAISE, EMPATHY…) and comments.
func (c *Connector) Reactions(ctx context.Context, urn string) (map[string]int64, int64, error) {
	var m socialMetadata
	if _, err := c.api.do(ctx, request{method: http.MethodGet, path: "/rest/socialMetadata/" + EscapeURN(urn)}, &m); err != nil {
		return nil, 0, fmt.Errorf("linkedin: reactions of %s: %w", urn, err)
	}
	out := map[string]int64{}
	for k, v := range m.ReactionSummaries {
		out[k] = v.Count
	}
	return out, m.CommentSummary.Count, nil
}

// PostMetrics reads each post's reactions and comments (socialMetadata);
// for an organization, its share statistics add impressions and reshares.
func (c *Connector) PostMetrics(ctx context.Context, remoteIDs []string) (map[string]network.PostMetrics, error) {
	out := map[string]network.PostMetrics{}
	for _, id := range remoteIDs {
		reactions, comments, err := c.Reactions(ctx, id)
		if errors.Is(err, network.ErrNotFound) {
			continue
		}
		if err != nil {
			return out, err
		}
		var likes int64
		for _, n := range reactions {
			likes += n
		}
		out[id] = network.PostMetrics{Likes: likes, Replies: comments, Reposts: -1, Quotes: -1, Views: -1}
	}
	if c.as != AsOrganization || len(out) == 0 {
		return out, nil
	}
	var shares, ugc []string
	for id := range out {
		if strings.HasPrefix(id, "urn:li:ugcPost:") {
			ugc = append(ugc, EscapeURN(id))
		} else {
			shares = append(shares, EscapeURN(id))
		}
	}
	q := "q=organizationalEntity&organizationalEntity=" + EscapeURN(c.author)
	if len(shares) > 0 {
		q += "&shares=List(" + strings.Join(shares, ",") + ")"
	}
	if len(ugc) > 0 {
		q += "&ugcPosts=List(" + strings.Join(ugc, ",") + ")"
	}
	var r struct {
		Elements []struct {
			Share                string `json:"share"`
			UGCPost              string `json:"ugcPost"`
			TotalShareStatistics struct {
				ImpressionCount int64 `json:"impressionCount"`
				ShareCount      int64 `json:"shareCount"`
				LikeCount       int64 `json:"likeCount"`
				CommentCount    int64 `json:"commentCount"`
			} `json:"totalShareStatistics"`
		} `json:"elements"`
	}
	if _, err := c.api.do(ctx, request{method: http.MethodGet, path: "/rest/organizationalEntityShareStatistics", rawQuery: q}, &r); err != nil {
		return out, fmt.Errorf("linkedin: share statistics: %w", err)
	}
	for _, e := range r.Elements {
		id := e.Share + e.UGCPost
		m, ok := out[id]
		if !ok {
			continue
		}
		m.Views, m.Reposts = e.TotalShareStatistics.ImpressionCount, e.TotalShareStatistics.ShareCount
		out[id] = m
	}
	return out, nil
}

// Followers is an organization's follower count (networkSizes); LinkedIn
// does not tell a member's followers to apps (-1).
func (c *Connector) Followers(ctx context.Context) (int64, error) {
	if c.as != AsOrganization {
		return -1, nil
	}
	var r struct {
		FirstDegreeSize int64 `json:"firstDegreeSize"`
	}
	if _, err := c.api.do(ctx, request{method: http.MethodGet, path: "/rest/networkSizes/" + EscapeURN(c.author), rawQuery: "edgeType=COMPANY_FOLLOWED_BY_MEMBER"}, &r); err != nil {
		return 0, fmt.Errorf("linkedin: followers: %w", err)
	}
	return r.FirstDegreeSize, nil
}

// FollowerGains reads an organization's organic and paid follower gains per
// day between from and to (organizationalEntityFollowerStatistics).
func (c *Connector) FollowerGains(ctx context.Context, from, to time.Time) (organic, paid int64, err error) {
	if c.as != AsOrganization {
		return 0, 0, &network.Error{Class: network.Permanent, Network: network.LinkedIn, Message: "follower statistics are for organization pages"}
	}
	q := fmt.Sprintf("q=organizationalEntity&organizationalEntity=%s&timeIntervals=(timeRange:(start:%d,end:%d),timeGranularityType:DAY)", EscapeURN(c.author), from.UnixMilli(), to.UnixMilli())
	var r struct {
		Elements []struct {
			FollowerGains struct {
				OrganicFollowerGain int64 `json:"organicFollowerGain"`
				PaidFollowerGain    int64 `json:"paidFollowerGain"`
			} `json:"followerGains"`
		} `json:"elements"`
	}
	if _, err := c.api.do(ctx, request{method: http.MethodGet, path: "/rest/organizationalEntityFollowerStatistics", rawQuery: q}, &r); err != nil {
		return 0, 0, fmt.Errorf("linkedin: follower statistics: %w", err)
	}
	for _, e := range r.Elements {
		organic += e.FollowerGains.OrganicFollowerGain
		paid += e.FollowerGains.PaidFollowerGain
	}
	return organic, paid, nil
}

// AccountStats gives the followers (organizations) for the daily snapshot.
func (c *Connector) AccountStats(ctx context.Context) (network.AccountStats, error) {
	f, err := c.Followers(ctx)
	return network.AccountStats{Followers: f, Following: -1, Posts: -1}, err
}
