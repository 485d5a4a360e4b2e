package youtube

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/relais/relais/internal/network"
)

// DefaultChunkSize is the upload chunk: a multiple of 256 KiB, as the
// resumable protocol requires of every chunk but the last.
const DefaultChunkSize = 8 << 20

// chunkUnit is the granularity of chunks.
const chunkUnit = 256 << 10

// Connector publishes to and reads from one YouTube channel.
type Connector struct {
	api *api
	// log keeps each publication's progress as a publish checkpoint.
	log *network.Progress[progressState]
	// mu guards channelID, learnt from channels.list while other calls run.
	mu        sync.Mutex
	channelID string
	// chunkSize is the upload chunk (a multiple of 256 KiB); resumeTries
	// bounds asking the session for its offset after an interrupted chunk.
	chunkSize   int
	resumeTries int
}

var (
	_ network.Connector          = (*Connector)(nil)
	_ network.MetricsReader      = (*Connector)(nil)
	_ network.AccountStatsReader = (*Connector)(nil)
	_ network.CommentReader      = (*Connector)(nil)
	_ network.Replier            = (*Connector)(nil)
	_ network.ReplyFinder        = (*Connector)(nil)
	_ network.MentionReader      = (*Connector)(nil)
	_ network.CommentHider       = (*Connector)(nil)
	_ network.TokenExpirer       = (*Connector)(nil)
)

// Kind names the network.
func (c *Connector) Kind() network.Kind { return network.YouTube }

// RateLimit returns the project's quota as a normalised rate limit.
func (c *Connector) RateLimit() network.RateLimit { return c.api.RateLimit() }

// QuotaUsage returns the project's quota use today.
func (c *Connector) QuotaUsage() Usage { return c.api.quota.Usage(c.api.now()) }

// channel is a channels.list item.
type channel struct {
	ID      string `json:"id"`
	Snippet struct {
		Title      string `json:"title"`
		CustomURL  string `json:"customUrl"`
		Thumbnails map[string]struct {
			URL string `json:"url"`
		} `json:"thumbnails"`
	} `json:"snippet"`
	Statistics struct {
		SubscriberCount       string `json:"subscriberCount"`
		HiddenSubscriberCount bool   `json:"hiddenSubscriberCount"`
		VideoCount            string `json:"videoCount"`
		ViewCount             string `json:"viewCount"`
	} `json:"statistics"`
}

func (c *Connector) mine(ctx context.Context) (channel, error) {
	var r struct {
		Items []channel `json:"items"`
	}
	err := c.api.do(ctx, request{method: "channels.list", verb: http.MethodGet, url: c.api.app.dataURL("/channels"),
		query: url.Values{"part": {"snippet,statistics"}, "mine": {"true"}}}, &r)
	if err != nil {
		return channel{}, fmt.Errorf("youtube: channels.list: %w", err)
	}
	if len(r.Items) == 0 {
		return channel{}, &network.Error{Class: network.Permanent, Network: network.YouTube, Message: "this Google account has no YouTube channel; create one on youtube.com first"}
	}
	c.mu.Lock()
	c.channelID = r.Items[0].ID
	c.mu.Unlock()
	return r.Items[0], nil
}

// self returns the channel id, asking channels.list the first time.
func (c *Connector) self(ctx context.Context) (string, error) {
	c.mu.Lock()
	id := c.channelID
	c.mu.Unlock()
	if id != "" {
		return id, nil
	}
	ch, err := c.mine(ctx)
	return ch.ID, err
}

// Identify returns the channel behind the token.
func (c *Connector) Identify(ctx context.Context) (network.Account, error) {
	ch, err := c.mine(ctx)
	if err != nil {
		return network.Account{}, err
	}
	a := network.Account{RemoteID: ch.ID, Handle: ch.Snippet.CustomURL, DisplayName: ch.Snippet.Title, URL: "https://www.youtube.com/channel/" + ch.ID}
	if a.Handle == "" {
		a.Handle = ch.Snippet.Title
	} else {
		a.URL = "https://www.youtube.com/" + ch.Snippet.CustomURL
	}
	for _, size := range []string{"default", "medium", "high"} {
		if t, ok := ch.Snippet.Thumbnails[size]; ok {
			a.AvatarURL = t.URL
			break
		}
	}
	return a, nil
}

// progressState is what one publication has done so far, kept as a publish
// checkpoint: the upload session (recorded before the first byte), the
// video once uploaded, and the follow-up steps.
type progressState struct {
	Session   string `json:"s,omitempty"`
	Size      int    `json:"n,omitempty"`
	Video     string `json:"v,omitempty"`
	Thumbnail bool   `json:"t,omitempty"`
	Playlist  string `json:"p,omitempty"`
	Comment   string `json:"c,omitempty"`
}

// Publish uploads the part's video with the resumable protocol, then sets
// the thumbnail (an image attached beside the video), adds the video to the
// playlist option's playlist, and posts the first comment. Every step is
// recorded as a checkpoint under the publication's idempotency key, so a
// retry (even after a crash) resumes the same upload session and skips the
// steps done: there is never a second video.
func (c *Connector) Publish(ctx context.Context, req network.PublishRequest) (network.PublishResult, error) {
	res := network.PublishResult{Parts: append([]network.RemotePost(nil), req.Done...)}
	if err := network.CheckParts(network.YouTube, req); err != nil {
		return res, err
	}
	if len(req.Parts) > 1 {
		return res, &network.Error{Class: network.InvalidContent, Network: network.YouTube, Message: "YouTube has no threads: a post is one video"}
	}
	if len(req.Done) == 1 {
		return res, nil
	}
	part := req.Parts[0]
	video, thumb, err := splitMedia(part.Media)
	if err != nil {
		return res, err
	}
	text := network.TextAsSent(network.YouTube, part)
	meta, err := Metadata(text, req.Options, c.api.now())
	if err != nil {
		return res, err
	}
	key := req.IdempotencyKey
	st, err := c.log.Load(ctx, key)
	if err != nil {
		return res, err
	}
	if st.Video == "" {
		id, err := c.upload(ctx, key, &st, meta, video)
		if err != nil {
			return res, fmt.Errorf("youtube: upload: %w", err)
		}
		st.Video = id
		if err := c.log.Save(ctx, key, st); err != nil {
			return res, err
		}
	}
	rp := network.RemotePost{ID: st.Video, URL: "https://www.youtube.com/watch?v=" + st.Video}
	if IsShort(video.Width, video.Height, 0) {
		rp.Extra = map[string]string{"short": "true"}
	}
	if thumb != nil && !st.Thumbnail {
		if err := c.setThumbnail(ctx, st.Video, *thumb); err != nil {
			return res, fmt.Errorf("youtube: thumbnail of %s: %w", st.Video, err)
		}
		st.Thumbnail = true
		if err := c.log.Save(ctx, key, st); err != nil {
			return res, err
		}
	}
	if pl := strings.TrimSpace(req.Options["playlist_id"]); pl != "" && st.Playlist == "" {
		id, err := c.addToPlaylist(ctx, pl, st.Video)
		if err != nil {
			return res, fmt.Errorf("youtube: add %s to playlist %s: %w", st.Video, pl, err)
		}
		st.Playlist = id
		if err := c.log.Save(ctx, key, st); err != nil {
			return res, err
		}
	}
	res.Parts = append(res.Parts, rp)
	if fc := strings.TrimSpace(req.FirstComment); fc != "" {
		if st.Comment == "" {
			id, err := c.comment(ctx, st.Video, fc)
			if err != nil {
				return res, fmt.Errorf("youtube: first comment: %w", err)
			}
			st.Comment = id
			if err := c.log.Save(ctx, key, st); err != nil {
				return res, err
			}
		}
		res.FirstComment = &network.RemotePost{ID: st.Comment, URL: commentURL(st.Video, st.Comment)}
	}
	return res, nil
}

// splitMedia finds the video (exactly one) and the optional thumbnail image.
func splitMedia(media []network.Media) (network.Media, *network.Media, error) {
	var video, thumb *network.Media
	for i := range media {
		m := &media[i]
		switch {
		case strings.HasPrefix(m.MIME, "video/"):
			if video != nil {
				return network.Media{}, nil, &network.Error{Class: network.InvalidContent, Network: network.YouTube, Message: "a YouTube post carries one video"}
			}
			video = m
		case m.MIME == "image/jpeg" || m.MIME == "image/png":
			if thumb != nil {
				return network.Media{}, nil, &network.Error{Class: network.InvalidContent, Network: network.YouTube, Message: "a YouTube post carries at most one image, its thumbnail"}
			}
			thumb = m
		default:
			return network.Media{}, nil, &network.Error{Class: network.InvalidContent, Network: network.YouTube, Message: fmt.Sprintf("YouTube takes a video and a JPEG or PNG thumbnail; got %s", m.MIME)}
		}
	}
	if video == nil {
		return network.Media{}, nil, &network.Error{Class: network.InvalidContent, Network: network.YouTube, Message: "a YouTube post needs a video"}
	}
	if thumb != nil && len(thumb.Data) > 2<<20 {
		return network.Media{}, nil, &network.Error{Class: network.InvalidContent, Network: network.YouTube, Message: fmt.Sprintf("YouTube allows 2 MB for a thumbnail; this one has %d bytes", len(thumb.Data))}
	}
	return *video, thumb, nil
}

func commentURL(videoID, commentID string) string {
	return "https://www.youtube.com/watch?v=" + videoID + "&lc=" + commentID
}

// video is a videos.insert answer or videos.list item.
type video struct {
	ID         string `json:"id"`
	Statistics struct {
		ViewCount    string `json:"viewCount"`
		LikeCount    string `json:"likeCount"`
		CommentCount string `json:"commentCount"`
	} `json:"statistics"`
}

// upload runs the resumable protocol: it starts a session (recorded in st
// before any byte is sent) or resumes the recorded one, then sends the
// bytes from the offset YouTube has, in chunks.
func (c *Connector) upload(ctx context.Context, key string, st *progressState, meta videoMeta, m network.Media) (string, error) {
	size := len(m.Data)
	offset := 0
	if st.Session != "" && st.Size == size {
		off, id, gone, err := c.queryOffset(ctx, st.Session, size)
		switch {
		case err != nil:
			return "", err
		case id != "":
			return id, nil
		case !gone:
			offset = off
		default:
			// The session expired unfinished (404): YouTube has no video from it.
			st.Session = ""
		}
	} else {
		st.Session = ""
	}
	if st.Session == "" {
		session, err := c.startSession(ctx, meta, m)
		if err != nil {
			return "", err
		}
		st.Session, st.Size = session, size
		if err := c.log.Save(ctx, key, *st); err != nil {
			return "", err
		}
	}
	tries := 0
	for {
		end := min(offset+c.chunk(), size)
		status, h, b, err := c.api.call(ctx, request{verb: http.MethodPut, url: st.Session, body: m.Data[offset:end], contentType: m.MIME,
			header: http.Header{"Content-Range": {fmt.Sprintf("bytes %d-%d/%d", offset, end-1, size)}}})
		if err == nil {
			switch {
			case status == http.StatusOK || status == http.StatusCreated:
				return videoID(status, b)
			case status == http.StatusPermanentRedirect:
				offset = nextOffset(h)
				tries = 0
				continue
			case status < 500 && status != http.StatusNotFound:
				return "", c.api.fail("", status, h, b)
			}
		}
		// An interrupted chunk or a 5xx: ask the session where it stands.
		tries++
		if tries > c.resumeTries {
			if err == nil {
				err = c.api.fail("", status, h, b)
			}
			return "", fmt.Errorf("%w (the upload session is kept: the next attempt resumes it)", asRetryable(err))
		}
		off, id, gone, qerr := c.queryOffset(ctx, st.Session, size)
		switch {
		case qerr != nil:
			continue
		case id != "":
			return id, nil
		case gone:
			st.Session = ""
			_ = c.log.Save(ctx, key, *st)
			return "", &network.Error{Class: network.Retryable, Network: network.YouTube, Status: http.StatusNotFound, Message: "the upload session expired before the video was complete; the next attempt starts a new one"}
		}
		offset = off
	}
}

func (c *Connector) chunk() int {
	n := c.chunkSize
	if n < chunkUnit {
		n = chunkUnit
	}
	return n - n%chunkUnit
}

// asRetryable makes an interrupted upload retryable: the session is
// recorded, so the next attempt resumes it without a second video.
func asRetryable(err error) error {
	var ne *network.Error
	if errors.As(err, &ne) && (ne.Class == network.Unknown || ne.Status >= 500 || ne.Status == 0) {
		ne.Class = network.Retryable
	}
	return err
}

// startSession asks for an upload session with the video's metadata
// (videos.insert, counted in its own bucket) and returns its URI.
func (c *Connector) startSession(ctx context.Context, meta videoMeta, m network.Media) (string, error) {
	if err := c.api.quota.Take("videos.insert", c.api.now()); err != nil {
		return "", err
	}
	status, h, b, err := c.api.call(ctx, request{verb: http.MethodPost, url: c.api.app.uploadURL("/videos"),
		query: url.Values{"uploadType": {"resumable"}, "part": {"snippet,status"}}, json: meta,
		header: http.Header{"X-Upload-Content-Length": {strconv.Itoa(len(m.Data))}, "X-Upload-Content-Type": {m.MIME}}})
	if err != nil {
		// Starting a session makes no video: a retry is safe.
		return "", asRetryable(err)
	}
	if status != http.StatusOK && status != http.StatusCreated {
		return "", c.api.fail("videos.insert", status, h, b)
	}
	loc := h.Get("Location")
	if loc == "" {
		return "", &network.Error{Class: network.Retryable, Network: network.YouTube, Status: status, Message: "YouTube started an upload without a session URI"}
	}
	return loc, nil
}

// queryOffset asks a session how many bytes it has (PUT with
// Content-Range: bytes */size): 308 with or without Range (offset), 200 or
// 201 (done: the video id), 404 or 410 (gone: the session expired).
func (c *Connector) queryOffset(ctx context.Context, session string, size int) (offset int, id string, gone bool, err error) {
	status, h, b, err := c.api.call(ctx, request{verb: http.MethodPut, url: session, header: http.Header{"Content-Range": {fmt.Sprintf("bytes */%d", size)}}})
	if err != nil {
		return 0, "", false, err
	}
	switch {
	case status == http.StatusPermanentRedirect:
		return nextOffset(h), "", false, nil
	case status == http.StatusOK || status == http.StatusCreated:
		id, err := videoID(status, b)
		return 0, id, false, err
	case status == http.StatusNotFound || status == http.StatusGone:
		return 0, "", true, nil
	}
	return 0, "", false, c.api.fail("", status, h, b)
}

// nextOffset reads a 308's Range ("bytes=0-524287"): the next byte to send;
// no Range means nothing was received.
func nextOffset(h http.Header) int {
	r := strings.TrimSpace(h.Get("Range"))
	if r == "" {
		return 0
	}
	_, last, ok := strings.Cut(strings.TrimPrefix(r, "bytes="), "-")
	n, err := strconv.Atoi(last)
	if !ok || err != nil || n < 0 {
		return 0
	}
	return n + 1
}

func videoID(status int, b []byte) (string, error) {
	var v video
	if err := json.Unmarshal(b, &v); err != nil || v.ID == "" {
		return "", &network.Error{Class: network.Unknown, Network: network.YouTube, Status: status, Message: "YouTube finished the upload without a video id"}
	}
	return v.ID, nil
}

// setThumbnail uploads the thumbnail image (thumbnails.set; needs a verified channel).
func (c *Connector) setThumbnail(ctx context.Context, videoID string, m network.Media) error {
	return c.api.do(ctx, request{method: "thumbnails.set", verb: http.MethodPost, url: c.api.app.uploadURL("/thumbnails/set"),
		query: url.Values{"videoId": {videoID}, "uploadType": {"media"}}, body: m.Data, contentType: m.MIME}, nil)
}

// addToPlaylist inserts the video at the end of a playlist
// (playlistItems.insert), unless it is there already (playlistItems.list
// with videoId: an earlier attempt inserted it but did not record it).
func (c *Connector) addToPlaylist(ctx context.Context, playlistID, videoID string) (string, error) {
	var r struct {
		ID    string `json:"id"`
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	err := c.api.do(ctx, request{method: "playlistItems.list", verb: http.MethodGet, url: c.api.app.dataURL("/playlistItems"),
		query: url.Values{"part": {"id"}, "playlistId": {playlistID}, "videoId": {videoID}}}, &r)
	if err != nil {
		return "", err
	}
	if len(r.Items) > 0 {
		return r.Items[0].ID, nil
	}
	body := map[string]any{"snippet": map[string]any{"playlistId": playlistID, "resourceId": map[string]string{"kind": "youtube#video", "videoId": videoID}}}
	err = c.api.do(ctx, request{method: "playlistItems.insert", verb: http.MethodPost, url: c.api.app.dataURL("/playlistItems"),
		query: url.Values{"part": {"snippet"}}, json: body}, &r)
	if err == nil && r.ID == "" {
		r.ID = "added"
	}
	return r.ID, err
}

// Delete removes a video; a video already gone counts as deleted.
func (c *Connector) Delete(ctx context.Context, remoteID string) error {
	err := c.api.do(ctx, request{method: "videos.delete", verb: http.MethodDelete, url: c.api.app.dataURL("/videos"), query: url.Values{"id": {remoteID}}}, nil)
	if err != nil && !errors.Is(err, network.ErrNotFound) {
		return fmt.Errorf("youtube: delete %s: %w", remoteID, err)
	}
	return nil
}
