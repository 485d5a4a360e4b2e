package tiktok

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/checkpoint"
)

// Chunk rules of FILE_UPLOAD (networks.md §14, TikTok's media transfer
// guide): chunks of 5 to 64 MB, the last one holding the remainder (up to
// 128 MB); a video under 5 MB goes whole; at most 1,000 chunks.
const (
	MinChunk         = 5 << 20
	MaxChunk         = 64 << 20
	MaxLastChunk     = 128 << 20
	MaxChunks        = 1000
	DefaultChunkSize = 10 << 20
)

// Publish statuses of /v2/post/publish/status/fetch/.
const (
	StatusProcessingUpload   = "PROCESSING_UPLOAD"
	StatusProcessingDownload = "PROCESSING_DOWNLOAD"
	StatusSendToInbox        = "SEND_TO_USER_INBOX"
	StatusComplete           = "PUBLISH_COMPLETE"
	StatusFailed             = "FAILED"
)

// Connector publishes to and reads from one TikTok creator account.
type Connector struct {
	api  *api
	keep *network.Tokens
	log  *checkpoint.Log

	mu       sync.Mutex
	username string
	// mem keeps checkpoints when the host has none (tests, the CLI).
	memMu  sync.Mutex
	mem    map[string]string
	openID string
	// chunkSize is the FILE_UPLOAD chunk size (between MinChunk and MaxChunk).
	chunkSize int
	// pollEvery and maxPolls bound the status polling (30 requests a minute per token).
	pollEvery time.Duration
	maxPolls  int
}

var (
	_ network.Connector          = (*Connector)(nil)
	_ network.MetricsReader      = (*Connector)(nil)
	_ network.AccountStatsReader = (*Connector)(nil)
	_ network.LimitsRefresher    = (*Connector)(nil)
	_ network.TokenExpirer       = (*Connector)(nil)
)

// Kind names the network.
func (c *Connector) Kind() network.Kind { return network.TikTok }

// RateLimit returns the latest exhausted window, normalised.
func (c *Connector) RateLimit() network.RateLimit { return c.api.RateLimit() }

// TokenExpiry is when the token expires if nothing can renew it.
func (c *Connector) TokenExpiry() time.Time {
	return c.keep.Deadline()
}

// userInfo is /v2/user/info/'s user.
type userInfo struct {
	OpenID         string `json:"open_id"`
	UnionID        string `json:"union_id"`
	AvatarURL      string `json:"avatar_url"`
	DisplayName    string `json:"display_name"`
	Username       string `json:"username"`
	ProfileLink    string `json:"profile_deep_link"`
	FollowerCount  int64  `json:"follower_count"`
	FollowingCount int64  `json:"following_count"`
	VideoCount     int64  `json:"video_count"`
}

func (c *Connector) user(ctx context.Context) (userInfo, error) {
	var r struct {
		User userInfo `json:"user"`
	}
	q := url.Values{"fields": {"open_id,union_id,avatar_url,display_name,username,profile_deep_link,follower_count,following_count,video_count"}}
	if err := c.api.call(ctx, http.MethodGet, "/v2/user/info/", q, nil, &r); err != nil {
		return userInfo{}, fmt.Errorf("tiktok: user info: %w", err)
	}
	if r.User.OpenID == "" {
		return userInfo{}, &network.Error{Class: network.Unknown, Network: network.TikTok, Message: "user info answered without an open_id"}
	}
	c.mu.Lock()
	c.openID = r.User.OpenID
	if r.User.Username != "" {
		c.username = r.User.Username
	}
	c.mu.Unlock()
	return r.User, nil
}

// Identify returns the account behind the token.
func (c *Connector) Identify(ctx context.Context) (network.Account, error) {
	u, err := c.user(ctx)
	if err != nil {
		return network.Account{}, err
	}
	a := network.Account{RemoteID: u.OpenID, DisplayName: u.DisplayName, AvatarURL: u.AvatarURL, URL: u.ProfileLink}
	if u.Username != "" {
		a.Handle = "@" + u.Username
		a.URL = "https://www.tiktok.com/@" + u.Username
	}
	return a, nil
}

// Followers reads the account's follower_count.
func (c *Connector) Followers(ctx context.Context) (int64, error) {
	u, err := c.user(ctx)
	return u.FollowerCount, err
}

// AccountStats reads followers, following and videos in one call.
func (c *Connector) AccountStats(ctx context.Context) (network.AccountStats, error) {
	u, err := c.user(ctx)
	if err != nil {
		return network.AccountStats{}, err
	}
	return network.AccountStats{Followers: u.FollowerCount, Following: u.FollowingCount, Posts: u.VideoCount}, nil
}

// CreatorInfo queries what the creator may post now (privacy levels, the
// switches they turned off, the longest video).
func (c *Connector) CreatorInfo(ctx context.Context) (creatorInfo, error) {
	var ci creatorInfo
	if err := c.api.call(ctx, http.MethodPost, "/v2/post/publish/creator_info/query/", nil, struct{}{}, &ci); err != nil {
		return ci, fmt.Errorf("tiktok: creator info: %w", err)
	}
	return ci, nil
}

// RefreshLimits re-reads the creator info (a channel check runs it).
func (c *Connector) RefreshLimits(ctx context.Context) (network.Limits, error) {
	ci, err := c.CreatorInfo(ctx)
	if err != nil {
		return network.DefaultLimits[network.TikTok], err
	}
	return ci.limits(), nil
}

// Delete is not offered by TikTok's public API.
func (c *Connector) Delete(context.Context, string) error {
	return &network.Error{Class: network.Permanent, Network: network.TikTok, Code: "unsupported", Message: "TikTok's API cannot delete posts: delete it in the TikTok app"}
}

// PostMetrics reads view, like, comment and share counts through
// /v2/video/query/ (20 ids a call). Ids that are still publish ids (private
// posts TikTok gives no post id for) are left out.
func (c *Connector) PostMetrics(ctx context.Context, ids []string) (map[string]network.PostMetrics, error) {
	out := map[string]network.PostMetrics{}
	var videos []string
	for _, id := range ids {
		if !strings.HasPrefix(id, "v_") && id != "" {
			videos = append(videos, id)
		}
	}
	for start := 0; start < len(videos); start += 20 {
		batch := videos[start:min(start+20, len(videos))]
		var r struct {
			Videos []struct {
				ID           string `json:"id"`
				ViewCount    int64  `json:"view_count"`
				LikeCount    int64  `json:"like_count"`
				CommentCount int64  `json:"comment_count"`
				ShareCount   int64  `json:"share_count"`
			} `json:"videos"`
		}
		q := url.Values{"fields": {"id,title,view_count,like_count,comment_count,share_count"}}
		body := map[string]any{"filters": map[string]any{"video_ids": batch}}
		if err := c.api.call(ctx, http.MethodPost, "/v2/video/query/", q, body, &r); err != nil {
			return out, fmt.Errorf("tiktok: video query: %w", err)
		}
		for _, v := range r.Videos {
			out[v.ID] = network.PostMetrics{Likes: v.LikeCount, Replies: v.CommentCount, Reposts: v.ShareCount, Views: v.ViewCount, Quotes: -1}
		}
	}
	return out, nil
}

// Publish posts one video (FILE_UPLOAD in chunks, or PULL_FROM_URL when the
// operator verified the media domain) or 1 to 35 photos (PULL_FROM_URL), on
// the profile or to the creator's inbox, then polls the status until TikTok
// has published it. The publish_id is recorded before the upload and the
// polling: a retry of the same publication polls it instead of posting again.
func (c *Connector) Publish(ctx context.Context, req network.PublishRequest) (network.PublishResult, error) {
	res := network.PublishResult{Parts: append([]network.RemotePost(nil), req.Done...)}
	if err := network.CheckParts(network.TikTok, req); err != nil {
		return res, err
	}
	if len(req.Done) > 0 {
		return res, nil
	}
	if len(req.Parts) > 1 {
		return res, invalid("TikTok posts have one part; got %d", len(req.Parts))
	}
	key := "tiktok:" + req.IdempotencyKey
	if rec, err := c.checkpoint(ctx, req.IdempotencyKey, key); err != nil {
		return res, err
	} else if rec.publishID != "" {
		rp, err := c.resume(ctx, req.Parts[0], rec, req.IdempotencyKey)
		if err == nil {
			res.Parts = append(res.Parts, rp)
			return res, nil
		}
		return res, err
	} else if rec.sent && rec.pull {
		// TikTok may be publishing what an earlier attempt asked it to
		// fetch, and nothing tells its publish_id: a person must look.
		return res, &network.Error{Class: network.Unknown, Network: network.TikTok, Code: "init_outcome_unknown",
			Message: "an earlier attempt asked TikTok to fetch the media and its answer was lost: check the TikTok profile before publishing again"}
	}
	part := req.Parts[0]
	ci, err := c.CreatorInfo(ctx)
	if err != nil {
		return res, err
	}
	ch, err := choices(req.Options, ci)
	if err != nil {
		return res, err
	}
	kind, err := mediaKind(part.Media)
	if err != nil {
		return res, err
	}
	pull := kind == "photo" || (c.api.app.PullFromURL && part.Media[0].URL != "")
	if err := c.setCheckpoint(ctx, req.IdempotencyKey, key, record{sent: true, pull: pull}); err != nil {
		return res, err
	}
	var rec record
	if kind == "photo" {
		rec, err = c.initPhoto(ctx, part, ch)
	} else {
		rec, err = c.initVideo(ctx, part, ch)
	}
	if err != nil {
		if !mayHaveTakenEffect(err) {
			// TikTok refused the init: nothing to look for.
			_ = c.setCheckpoint(ctx, req.IdempotencyKey, key, record{})
		}
		return res, err
	}
	if err := c.setCheckpoint(ctx, req.IdempotencyKey, key, rec); err != nil {
		return res, err
	}
	rp, err := c.resume(ctx, part, rec, req.IdempotencyKey)
	if err != nil {
		return res, err
	}
	res.Parts = append(res.Parts, rp)
	return res, nil
}

// mayHaveTakenEffect reports whether a failed init may still have started a publish.
func mayHaveTakenEffect(err error) bool {
	var ne *network.Error
	if !errors.As(err, &ne) {
		return true
	}
	return ne.Class == network.Unknown || (ne.Status >= 500 && ne.Code != "rate_limit_exceeded")
}

func invalid(format string, a ...any) *network.Error {
	return &network.Error{Class: network.InvalidContent, Network: network.TikTok, Message: fmt.Sprintf(format, a...)}
}

// mediaKind says whether the attachments make a video post or a photo post.
func mediaKind(media []network.Media) (string, error) {
	if len(media) == 0 {
		return "", invalid("a TikTok post needs a video or 1 to 35 photos")
	}
	videos := 0
	for _, m := range media {
		if strings.HasPrefix(m.MIME, "video/") {
			videos++
		}
	}
	switch {
	case videos == 1 && len(media) == 1:
		return "video", nil
	case videos > 0:
		return "", invalid("a TikTok post carries one video alone, or photos; got %d attachments with %d videos", len(media), videos)
	case len(media) > 35:
		return "", invalid("a TikTok photo post has at most 35 photos; got %d", len(media))
	}
	return "photo", nil
}

// record is what a publication keeps durably: its publish_id and, for
// FILE_UPLOAD, where to send the bytes (an upload cut short by a crash
// resumes there).
type record struct {
	publishID, uploadURL string
	inbox                bool
	// sent marks an init call sent without its answer recorded yet; pull
	// says it asked TikTok to fetch the media (which may publish it).
	sent, pull bool
}

func (r record) String() string {
	if r.publishID == "" && r.sent {
		if r.pull {
			return "sent|pull"
		}
		return "sent|upload"
	}
	mode := "direct"
	if r.inbox {
		mode = "inbox"
	}
	return r.publishID + "|" + mode + "|" + r.uploadURL
}

func parseRecord(s string) record {
	if how, ok := strings.CutPrefix(s, "sent|"); ok {
		return record{sent: true, pull: how == "pull"}
	}
	id, rest, _ := strings.Cut(s, "|")
	mode, up, _ := strings.Cut(rest, "|")
	return record{publishID: id, uploadURL: up, inbox: mode == "inbox"}
}

func (c *Connector) checkpoint(ctx context.Context, idem, key string) (record, error) {
	if idem == "" {
		return record{}, nil
	}
	v, err := c.log.Get(ctx, key)
	return parseRecord(v), err
}

func (c *Connector) setCheckpoint(ctx context.Context, idem, key string, r record) error {
	if idem == "" {
		return nil
	}
	v := ""
	if r.publishID != "" || r.sent {
		v = r.String()
	}
	return c.log.Set(ctx, key, v)
}

// postInfo is the post_info of a video init.
type postInfo struct {
	Title                 string `json:"title,omitempty"`
	Description           string `json:"description,omitempty"`
	PrivacyLevel          string `json:"privacy_level,omitempty"`
	DisableDuet           bool   `json:"disable_duet"`
	DisableComment        bool   `json:"disable_comment"`
	DisableStitch         bool   `json:"disable_stitch"`
	VideoCoverTimestampMs int    `json:"video_cover_timestamp_ms,omitempty"`
	BrandContentToggle    bool   `json:"brand_content_toggle"`
	BrandOrganicToggle    bool   `json:"brand_organic_toggle"`
	IsAIGC                bool   `json:"is_aigc,omitempty"`
	AutoAddMusic          bool   `json:"auto_add_music,omitempty"`
}

// ChunkPlan returns the chunk size and count TikTok accepts for a video of
// size bytes, preferring chunk: a video under MinChunk goes whole; the last
// chunk takes the remainder.
func ChunkPlan(size, chunk int) (chunkSize, count int, err error) {
	if size <= 0 {
		return 0, 0, invalid("the video is empty")
	}
	if size < MinChunk {
		return size, 1, nil
	}
	chunk = max(MinChunk, min(chunk, MaxChunk))
	if size <= chunk {
		return size, 1, nil
	}
	count = size / chunk
	if count > MaxChunks {
		chunk = (size + MaxChunks - 1) / MaxChunks
		if chunk > MaxChunk {
			return 0, 0, invalid("the video is %d bytes; TikTok accepts at most %d chunks of %d bytes", size, MaxChunks, MaxChunk)
		}
		count = size / chunk
	}
	if last := size - (count-1)*chunk; last > MaxLastChunk {
		return 0, 0, invalid("the last chunk would be %d bytes; TikTok allows %d", last, MaxLastChunk)
	}
	return chunk, count, nil
}

func (c *Connector) initVideo(ctx context.Context, p network.Part, ch postChoices) (record, error) {
	m := p.Media[0]
	source := map[string]any{}
	pull := c.api.app.PullFromURL && m.URL != ""
	if pull {
		source["source"], source["video_url"] = "PULL_FROM_URL", m.URL
	} else {
		if len(m.Data) == 0 {
			return record{}, &network.Error{Class: network.Permanent, Network: network.TikTok, Message: "TikTok needs the video's bytes; this attachment has none"}
		}
		size, count, err := ChunkPlan(len(m.Data), c.chunkSize)
		if err != nil {
			return record{}, err
		}
		source["source"], source["video_size"], source["chunk_size"], source["total_chunk_count"] = "FILE_UPLOAD", len(m.Data), size, count
	}
	path := "/v2/post/publish/video/init/"
	body := map[string]any{"source_info": source}
	if ch.inbox {
		path = "/v2/post/publish/inbox/video/init/"
	} else {
		body["post_info"] = postInfo{
			Title: network.TextAsSent(network.TikTok, p), PrivacyLevel: ch.privacy,
			DisableComment: !ch.comment, DisableDuet: !ch.duet, DisableStitch: !ch.stitch,
			BrandContentToggle: ch.brandedContent, BrandOrganicToggle: ch.yourBrand, IsAIGC: ch.aigc,
		}
	}
	var r struct {
		PublishID string `json:"publish_id"`
		UploadURL string `json:"upload_url"`
	}
	if err := c.api.call(ctx, http.MethodPost, path, nil, body, &r); err != nil {
		if !pull && network.ClassOf(err) == network.Unknown {
			// Nothing was uploaded under a publish_id that was never heard:
			// TikTok cannot publish it, so initialising again is safe.
			var ne *network.Error
			if errors.As(err, &ne) {
				ne.Class = network.Retryable
			}
		}
		return record{}, fmt.Errorf("tiktok: init video: %w", err)
	}
	if r.PublishID == "" {
		return record{}, &network.Error{Class: network.Unknown, Network: network.TikTok, Message: "the init answered without a publish_id"}
	}
	return record{publishID: r.PublishID, uploadURL: r.UploadURL, inbox: ch.inbox}, nil
}

func (c *Connector) initPhoto(ctx context.Context, p network.Part, ch postChoices) (record, error) {
	var urls []string
	for i, m := range p.Media {
		if m.URL == "" {
			return record{}, &network.Error{Class: network.Permanent, Network: network.TikTok, Message: fmt.Sprintf("photo %d has no public URL: TikTok pulls photos from a verified domain", i+1)}
		}
		urls = append(urls, m.URL)
	}
	mode := "DIRECT_POST"
	info := postInfo{Title: ch.photoTitle, Description: network.TextAsSent(network.TikTok, p), DisableComment: !ch.comment,
		BrandContentToggle: ch.brandedContent, BrandOrganicToggle: ch.yourBrand, AutoAddMusic: true}
	if ch.inbox {
		mode = "MEDIA_UPLOAD"
	} else {
		info.PrivacyLevel = ch.privacy
	}
	body := map[string]any{
		"post_info":   info,
		"source_info": map[string]any{"source": "PULL_FROM_URL", "photo_cover_index": 0, "photo_images": urls},
		"post_mode":   mode, "media_type": "PHOTO",
	}
	var r struct {
		PublishID string `json:"publish_id"`
	}
	if err := c.api.call(ctx, http.MethodPost, "/v2/post/publish/content/init/", nil, body, &r); err != nil {
		return record{}, fmt.Errorf("tiktok: init photo post: %w", err)
	}
	if r.PublishID == "" {
		return record{}, &network.Error{Class: network.Unknown, Network: network.TikTok, Message: "the init answered without a publish_id"}
	}
	return record{publishID: r.PublishID, inbox: ch.inbox}, nil
}

// publishStatus is /v2/post/publish/status/fetch/'s data.
type publishStatus struct {
	Status          string  `json:"status"`
	FailReason      string  `json:"fail_reason"`
	PostIDs         []int64 `json:"publicaly_available_post_id"`
	UploadedBytes   int64   `json:"uploaded_bytes"`
	DownloadedBytes int64   `json:"downloaded_bytes"`
}

func (c *Connector) status(ctx context.Context, publishID string) (publishStatus, error) {
	var st publishStatus
	if err := c.api.call(ctx, http.MethodPost, "/v2/post/publish/status/fetch/", nil, map[string]string{"publish_id": publishID}, &st); err != nil {
		return st, fmt.Errorf("tiktok: publish status: %w", err)
	}
	return st, nil
}

// resume takes a recorded publish_id to its end: sends the bytes when
// TikTok still waits for them, then polls.
func (c *Connector) resume(ctx context.Context, p network.Part, rec record, idem string) (network.RemotePost, error) {
	st, err := c.status(ctx, rec.publishID)
	if err != nil {
		return network.RemotePost{}, err
	}
	if st.Status == StatusProcessingUpload && rec.uploadURL != "" && len(p.Media) == 1 && int(st.UploadedBytes) < len(p.Media[0].Data) {
		if err := c.upload(ctx, rec.uploadURL, p.Media[0]); err != nil {
			return network.RemotePost{}, err
		}
		if st, err = c.status(ctx, rec.publishID); err != nil {
			return network.RemotePost{}, err
		}
	}
	for polls := 0; ; polls++ {
		switch st.Status {
		case StatusComplete:
			return c.remote(rec, st), nil
		case StatusSendToInbox:
			if rec.inbox {
				return c.remote(rec, st), nil
			}
		case StatusFailed:
			// A failed publish_id is over: a retry starts anew.
			_ = c.setCheckpoint(ctx, idem, "tiktok:"+idem, record{})
			return network.RemotePost{}, failReason(st.FailReason, c.api.now())
		}
		if polls >= c.maxPolls {
			return network.RemotePost{}, &network.Error{Class: network.Retryable, Network: network.TikTok, Code: st.Status,
				Message: fmt.Sprintf("publish %s is still %s after %d checks; a retry keeps polling it", rec.publishID, st.Status, polls)}
		}
		select {
		case <-ctx.Done():
			return network.RemotePost{}, network.TransportError(network.TikTok, ctx.Err())
		case <-time.After(c.pollEvery):
		}
		if st, err = c.status(ctx, rec.publishID); err != nil {
			return network.RemotePost{}, err
		}
	}
}

func (c *Connector) remote(rec record, st publishStatus) network.RemotePost {
	rp := network.RemotePost{ID: rec.publishID, Extra: map[string]string{"publish_id": rec.publishID, "status": st.Status}}
	if len(st.PostIDs) > 0 {
		rp.ID = strconv.FormatInt(st.PostIDs[0], 10)
		c.mu.Lock()
		name := c.username
		c.mu.Unlock()
		if name != "" {
			rp.URL = "https://www.tiktok.com/@" + name + "/video/" + rp.ID
		}
	}
	return rp
}

// failReason maps a FAILED status's fail_reason onto the typed classes.
func failReason(reason string, now time.Time) error {
	ne := &network.Error{Network: network.TikTok, Code: reason, Message: "TikTok could not publish the post: " + reason}
	switch reason {
	case "internal":
		ne.Class = network.Retryable
	case "video_pull_failed", "photo_pull_failed":
		ne.Class = network.Retryable
		ne.Message += " (TikTok could not fetch the media from its URL: the domain must be verified with TikTok and reachable)"
	default:
		ne.Class = classOf(reason, 0)
		if ne.Class == network.Permanent && !strings.HasPrefix(reason, "spam_risk") && reason != "publish_cancelled" && reason != "auth_removed" {
			ne.Class = network.InvalidContent
		}
		if reason == "spam_risk_too_many_posts" {
			ne.RetryAfter = now.Add(24 * time.Hour)
		}
	}
	return ne
}

// upload PUTs the video in the planned chunks with Content-Range.
func (c *Connector) upload(ctx context.Context, uploadURL string, m network.Media) error {
	size, count, err := ChunkPlan(len(m.Data), c.chunkSize)
	if err != nil {
		return err
	}
	mime := m.MIME
	if mime == "" {
		mime = "video/mp4"
	}
	for i := 0; i < count; i++ {
		from := i * size
		to := from + size
		if i == count-1 {
			to = len(m.Data)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, uploadURL, bytes.NewReader(m.Data[from:to]))
		if err != nil {
			return fmt.Errorf("tiktok: build upload: %w", err)
		}
		req.Header.Set("Content-Type", mime)
		req.Header.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", from, to-1, len(m.Data)))
		status, b, err := c.api.roundTrip(req)
		if err != nil {
			return fmt.Errorf("tiktok: upload chunk %d of %d: %w", i+1, count, err)
		}
		if status != http.StatusCreated && status != http.StatusPartialContent && status != http.StatusOK {
			return fmt.Errorf("tiktok: upload chunk %d of %d: %w", i+1, count, apiError(status, b, c.api.now()))
		}
	}
	return nil
}
