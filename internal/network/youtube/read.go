package youtube

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

// commentResource is a comments resource (top level or reply).
type commentResource struct {
	ID      string `json:"id"`
	Snippet struct {
		VideoID           string `json:"videoId"`
		ParentID          string `json:"parentId"`
		TextDisplay       string `json:"textDisplay"`
		TextOriginal      string `json:"textOriginal"`
		AuthorDisplayName string `json:"authorDisplayName"`
		AuthorChannelURL  string `json:"authorChannelUrl"`
		AuthorChannelID   struct {
			Value string `json:"value"`
		} `json:"authorChannelId"`
		PublishedAt string `json:"publishedAt"`
	} `json:"snippet"`
}

// thread is a commentThreads resource.
type thread struct {
	ID      string `json:"id"`
	Snippet struct {
		VideoID         string          `json:"videoId"`
		TopLevelComment commentResource `json:"topLevelComment"`
	} `json:"snippet"`
	Replies struct {
		Comments []commentResource `json:"comments"`
	} `json:"replies"`
}

func (r commentResource) toComment(videoID, root string) network.Comment {
	text := r.Snippet.TextOriginal
	if text == "" {
		text = r.Snippet.TextDisplay
	}
	created, _ := time.Parse(time.RFC3339, r.Snippet.PublishedAt)
	c := network.Comment{
		RemoteID: r.ID, ParentID: r.Snippet.ParentID, RootID: root, AuthorID: r.Snippet.AuthorChannelID.Value,
		AuthorName: r.Snippet.AuthorDisplayName, Kind: "comment", Text: text, URL: commentURL(videoID, r.ID), CreatedAt: created,
	}
	if h := r.Snippet.AuthorChannelURL; strings.Contains(h, "/@") {
		c.AuthorHandle = h[strings.Index(h, "/@")+1:]
	}
	if c.ParentID != "" {
		c.Kind = "reply"
	} else {
		c.ParentID = videoID
	}
	return c
}

// flatten turns threads into comments, the account's own left out.
func (c *Connector) flatten(threads []thread, self string) []network.Comment {
	var out []network.Comment
	for _, t := range threads {
		v := t.Snippet.VideoID
		if tl := t.Snippet.TopLevelComment; tl.Snippet.AuthorChannelID.Value != self {
			out = append(out, tl.toComment(v, v))
		}
		for _, r := range t.Replies.Comments {
			if r.Snippet.AuthorChannelID.Value != self {
				out = append(out, r.toComment(v, v))
			}
		}
	}
	return out
}

func (c *Connector) threads(ctx context.Context, q url.Values) ([]thread, error) {
	var r struct {
		Items []thread `json:"items"`
	}
	q.Set("part", "snippet,replies")
	q.Set("order", "time")
	q.Set("textFormat", "plainText")
	q.Set("maxResults", "100")
	err := c.api.do(ctx, request{method: "commentThreads.list", verb: http.MethodGet, url: c.api.app.dataURL("/commentThreads"), query: q}, &r)
	return r.Items, err
}

// Comments reads the comment threads under a video, newest first
// (commentThreads.list; a video with comments disabled has none).
func (c *Connector) Comments(ctx context.Context, remoteID string) ([]network.Comment, error) {
	self, err := c.self(ctx)
	if err != nil {
		return nil, err
	}
	ts, err := c.threads(ctx, url.Values{"videoId": {remoteID}})
	if err != nil {
		if network.ClassOf(err) == network.InvalidContent {
			return nil, nil
		}
		return nil, fmt.Errorf("youtube: comments of %s: %w", remoteID, err)
	}
	return c.flatten(ts, self), nil
}

// Mentions reads the newest comments on all the channel's videos
// (commentThreads.list allThreadsRelatedToChannelId); the cursor is the
// newest publishedAt seen, and only newer comments are returned.
func (c *Connector) Mentions(ctx context.Context, cursor string) ([]network.Comment, string, error) {
	self, err := c.self(ctx)
	if err != nil {
		return nil, cursor, err
	}
	ts, err := c.threads(ctx, url.Values{"allThreadsRelatedToChannelId": {self}})
	if err != nil {
		return nil, cursor, fmt.Errorf("youtube: channel comments: %w", err)
	}
	since, _ := time.Parse(time.RFC3339, cursor)
	next := since
	var out []network.Comment
	for _, cm := range c.flatten(ts, self) {
		if !cm.CreatedAt.After(since) {
			continue
		}
		out = append(out, cm)
		if cm.CreatedAt.After(next) {
			next = cm.CreatedAt
		}
	}
	if next.IsZero() {
		return out, cursor, nil
	}
	return out, next.UTC().Format(time.RFC3339), nil
}

// topLevel is the thread a comment belongs to: a reply's id is "PARENT.REPLY".
func topLevel(id string) string {
	if i := strings.IndexByte(id, '.'); i > 0 {
		return id[:i]
	}
	return id
}

// Reply answers a comment (comments.insert under its thread; YouTube
// threads are one level deep, so a reply to a reply joins its thread).
func (c *Connector) Reply(ctx context.Context, parentRemoteID, text string) (network.RemotePost, error) {
	var r commentResource
	body := map[string]any{"snippet": map[string]string{"parentId": topLevel(parentRemoteID), "textOriginal": text}}
	err := c.api.do(ctx, request{method: "comments.insert", verb: http.MethodPost, url: c.api.app.dataURL("/comments"), query: url.Values{"part": {"snippet"}}, json: body}, &r)
	if err != nil {
		return network.RemotePost{}, fmt.Errorf("youtube: reply to %s: %w", parentRemoteID, err)
	}
	return network.RemotePost{ID: r.ID, URL: commentURL(r.Snippet.VideoID, r.ID)}, nil
}

// FindReply looks among the replies of a comment's thread for the
// channel's own reply holding text (comments.list parentId).
func (c *Connector) FindReply(ctx context.Context, parentRemoteID, text string) (network.RemotePost, bool, error) {
	self, err := c.self(ctx)
	if err != nil {
		return network.RemotePost{}, false, err
	}
	var r struct {
		Items []commentResource `json:"items"`
	}
	q := url.Values{"part": {"snippet"}, "parentId": {topLevel(parentRemoteID)}, "maxResults": {"100"}, "textFormat": {"plainText"}}
	if err := c.api.do(ctx, request{method: "comments.list", verb: http.MethodGet, url: c.api.app.dataURL("/comments"), query: q}, &r); err != nil {
		return network.RemotePost{}, false, fmt.Errorf("youtube: replies of %s: %w", parentRemoteID, err)
	}
	for _, cm := range r.Items {
		if cm.Snippet.AuthorChannelID.Value == self && strings.Contains(cm.Snippet.TextOriginal, strings.TrimSpace(text)) {
			return network.RemotePost{ID: cm.ID, URL: commentURL(cm.Snippet.VideoID, cm.ID)}, true, nil
		}
	}
	return network.RemotePost{}, false, nil
}

// comment posts a top-level comment under a video (commentThreads.insert),
// unless the channel's own comment with that text is there already (an
// earlier attempt posted it but did not record it).
func (c *Connector) comment(ctx context.Context, videoID, text string) (string, error) {
	self, err := c.self(ctx)
	if err != nil {
		return "", err
	}
	ts, err := c.threads(ctx, url.Values{"videoId": {videoID}})
	if err != nil {
		return "", err
	}
	for _, t := range ts {
		if tl := t.Snippet.TopLevelComment; tl.Snippet.AuthorChannelID.Value == self && strings.TrimSpace(tl.Snippet.TextOriginal) == strings.TrimSpace(text) {
			return t.ID, nil
		}
	}
	var r thread
	body := map[string]any{"snippet": map[string]any{"channelId": self, "videoId": videoID,
		"topLevelComment": map[string]any{"snippet": map[string]string{"textOriginal": text}}}}
	err = c.api.do(ctx, request{method: "commentThreads.insert", verb: http.MethodPost, url: c.api.app.dataURL("/commentThreads"), query: url.Values{"part": {"snippet"}}, json: body}, &r)
	if err != nil {
		return "", err
	}
	return r.ID, nil
}

// HideComment holds a comment for review, which hides it from the public
// (comments.setModerationStatus moderationStatus=heldForReview; the video
// must be the channel's).
func (c *Connector) HideComment(ctx context.Context, remoteID string) error {
	q := url.Values{"id": {remoteID}, "moderationStatus": {"heldForReview"}}
	err := c.api.do(ctx, request{method: "comments.setModerationStatus", verb: http.MethodPost, url: c.api.app.dataURL("/comments/setModerationStatus"), query: q}, nil)
	if err != nil {
		return fmt.Errorf("youtube: hide %s: %w", remoteID, err)
	}
	return nil
}

func count(s string) int64 {
	if s == "" {
		return -1
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// PostMetrics reads videos' views, likes and comments (videos.list
// part=statistics, 50 ids a call) and, from YouTube Analytics, their shares
// as reposts (-1 when the analytics scope is missing).
func (c *Connector) PostMetrics(ctx context.Context, remoteIDs []string) (map[string]network.PostMetrics, error) {
	out := map[string]network.PostMetrics{}
	for start := 0; start < len(remoteIDs); start += 50 {
		ids := remoteIDs[start:min(start+50, len(remoteIDs))]
		var r struct {
			Items []video `json:"items"`
		}
		q := url.Values{"part": {"statistics"}, "id": {strings.Join(ids, ",")}}
		if err := c.api.do(ctx, request{method: "videos.list", verb: http.MethodGet, url: c.api.app.dataURL("/videos"), query: q}, &r); err != nil {
			return out, fmt.Errorf("youtube: statistics: %w", err)
		}
		for _, v := range r.Items {
			out[v.ID] = network.PostMetrics{Views: count(v.Statistics.ViewCount), Likes: count(v.Statistics.LikeCount), Replies: count(v.Statistics.CommentCount), Reposts: -1, Quotes: -1}
		}
	}
	for id, m := range out {
		rep, err := c.Report(ctx, id, time.Time{}, time.Time{})
		if err == nil {
			m.Reposts = rep.Shares
			out[id] = m
		}
	}
	return out, nil
}

// Followers reads the channel's subscriber count (-1 when hidden).
func (c *Connector) Followers(ctx context.Context) (int64, error) {
	s, err := c.AccountStats(ctx)
	return s.Followers, err
}

// AccountStats reads the channel's subscribers and videos (channels.list
// part=statistics); YouTube has no "following".
func (c *Connector) AccountStats(ctx context.Context) (network.AccountStats, error) {
	ch, err := c.mine(ctx)
	if err != nil {
		return network.AccountStats{}, err
	}
	st := network.AccountStats{Followers: count(ch.Statistics.SubscriberCount), Following: -1, Posts: count(ch.Statistics.VideoCount)}
	if ch.Statistics.HiddenSubscriberCount {
		st.Followers = -1
	}
	return st, nil
}

// ReportMetrics are the YouTube Analytics metrics relais reads.
const ReportMetrics = "views,estimatedMinutesWatched,likes,comments,shares,subscribersGained"

// Report is a YouTube Analytics report's totals.
type Report struct {
	Views, EstimatedMinutesWatched, Likes, Comments, Shares, SubscribersGained int64
}

// Report reads the Analytics totals of one video (videoID "") or the whole
// channel between start and end (zero: the channel's creation to today).
func (c *Connector) Report(ctx context.Context, videoID string, start, end time.Time) (Report, error) {
	if start.IsZero() {
		start = time.Date(2005, 2, 14, 0, 0, 0, 0, time.UTC)
	}
	if end.IsZero() {
		end = c.api.now()
	}
	q := url.Values{"ids": {"channel==MINE"}, "metrics": {ReportMetrics}, "startDate": {start.Format("2006-01-02")}, "endDate": {end.Format("2006-01-02")}}
	if videoID != "" {
		q.Set("filters", "video=="+videoID)
	}
	var r struct {
		ColumnHeaders []struct {
			Name string `json:"name"`
		} `json:"columnHeaders"`
		Rows [][]float64 `json:"rows"`
	}
	if err := c.api.do(ctx, request{verb: http.MethodGet, url: c.api.app.analyticsURL(), query: q}, &r); err != nil {
		return Report{}, fmt.Errorf("youtube: analytics report: %w", err)
	}
	var rep Report
	fields := map[string]*int64{"views": &rep.Views, "estimatedMinutesWatched": &rep.EstimatedMinutesWatched, "likes": &rep.Likes,
		"comments": &rep.Comments, "shares": &rep.Shares, "subscribersGained": &rep.SubscribersGained}
	for _, row := range r.Rows {
		for i, h := range r.ColumnHeaders {
			if p, ok := fields[h.Name]; ok && i < len(row) {
				*p += int64(row[i])
			}
		}
	}
	return rep, nil
}
