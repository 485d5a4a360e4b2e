package pinterest

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/checkpoint"
)

// Connector publishes pins to and reads analytics of one Pinterest account.
type Connector struct {
	api  *api
	keep *network.Tokens
	log  *checkpoint.Log

	mu       sync.Mutex
	username string
	// pollEvery and maxPolls bound waiting for a video's processing.
	pollEvery time.Duration
	maxPolls  int
	// lookups and lookupEvery bound looking for a pin whose create call
	// ended without an answer.
	lookups     int
	lookupEvery time.Duration
}

var (
	_ network.Connector          = (*Connector)(nil)
	_ network.MetricsReader      = (*Connector)(nil)
	_ network.AccountStatsReader = (*Connector)(nil)
	_ network.TokenExpirer       = (*Connector)(nil)
)

// Kind names the network.
func (c *Connector) Kind() network.Kind { return network.Pinterest }

// RateLimit returns the latest rate-limit report.
func (c *Connector) RateLimit() network.RateLimit { return c.api.RateLimit() }

// TokenExpiry is when the token expires if nothing can renew it.
func (c *Connector) TokenExpiry() time.Time {
	return c.keep.Deadline()
}

// account is GET /v5/user_account.
type account struct {
	ID             string `json:"id"`
	Username       string `json:"username"`
	BusinessName   string `json:"business_name"`
	ProfileImage   string `json:"profile_image"`
	AccountType    string `json:"account_type"`
	FollowerCount  int64  `json:"follower_count"`
	FollowingCount int64  `json:"following_count"`
	PinCount       int64  `json:"pin_count"`
}

func (c *Connector) account(ctx context.Context) (account, error) {
	var a account
	if err := c.api.do(ctx, http.MethodGet, "/v5/user_account", nil, nil, &a); err != nil {
		return a, fmt.Errorf("pinterest: user account: %w", err)
	}
	if a.Username == "" {
		return a, &network.Error{Class: network.Unknown, Network: network.Pinterest, Message: "user_account answered without a username"}
	}
	c.mu.Lock()
	c.username = a.Username
	c.mu.Unlock()
	return a, nil
}

// Identify returns the account behind the token.
func (c *Connector) Identify(ctx context.Context) (network.Account, error) {
	a, err := c.account(ctx)
	if err != nil {
		return network.Account{}, err
	}
	id := a.ID
	if id == "" {
		id = a.Username
	}
	return network.Account{RemoteID: id, Handle: "@" + a.Username, DisplayName: a.BusinessName, URL: "https://www.pinterest.com/" + a.Username + "/", AvatarURL: a.ProfileImage}, nil
}

// Followers reads the account's follower_count.
func (c *Connector) Followers(ctx context.Context) (int64, error) {
	a, err := c.account(ctx)
	return a.FollowerCount, err
}

// AccountStats reads followers, following and pins in one call.
func (c *Connector) AccountStats(ctx context.Context) (network.AccountStats, error) {
	a, err := c.account(ctx)
	if err != nil {
		return network.AccountStats{}, err
	}
	return network.AccountStats{Followers: a.FollowerCount, Following: a.FollowingCount, Posts: a.PinCount}, nil
}

// Delete removes a pin; a pin already gone counts as deleted.
func (c *Connector) Delete(ctx context.Context, id string) error {
	err := c.api.do(ctx, http.MethodDelete, "/v5/pins/"+url.PathEscape(id), nil, nil, nil)
	if err != nil && !errors.Is(err, network.ErrNotFound) {
		return fmt.Errorf("pinterest: delete pin %s: %w", id, err)
	}
	return nil
}

// PinMetrics are the metrics relais reads for a pin (≤ 90 days back).
var PinMetrics = []string{"IMPRESSION", "SAVE", "PIN_CLICK", "OUTBOUND_CLICK", "VIDEO_MRC_VIEW"}

// analyticsWindow is Pinterest's furthest look back.
const analyticsWindow = 89 * 24 * time.Hour

// analytics is the answer of the analytics endpoints.
type analytics struct {
	All struct {
		Summary map[string]float64 `json:"summary_metrics"`
	} `json:"all"`
}

func summary(a analytics) map[string]int64 {
	out := map[string]int64{}
	for k, v := range a.All.Summary {
		out[k] = int64(v)
	}
	return out
}

func dates(from, to time.Time) url.Values {
	return url.Values{"start_date": {from.UTC().Format(time.DateOnly)}, "end_date": {to.UTC().Format(time.DateOnly)}}
}

// PinAnalytics reads a pin's summary metrics (IMPRESSION, SAVE, PIN_CLICK,
// OUTBOUND_CLICK, VIDEO_MRC_VIEW) between two days, at most 90 days back.
func (c *Connector) PinAnalytics(ctx context.Context, pinID string, from, to time.Time) (map[string]int64, error) {
	q := dates(from, to)
	q.Set("metric_types", strings.Join(PinMetrics, ","))
	q.Set("app_types", "ALL")
	var a analytics
	if err := c.api.do(ctx, http.MethodGet, "/v5/pins/"+url.PathEscape(pinID)+"/analytics", q, nil, &a); err != nil {
		return nil, fmt.Errorf("pinterest: pin %s analytics: %w", pinID, err)
	}
	return summary(a), nil
}

// AccountAnalytics reads the account's summary metrics (IMPRESSION,
// ENGAGEMENT, SAVE, PIN_CLICK, OUTBOUND_CLICK …) between two days.
func (c *Connector) AccountAnalytics(ctx context.Context, from, to time.Time) (map[string]int64, error) {
	var a analytics
	if err := c.api.do(ctx, http.MethodGet, "/v5/user_account/analytics", dates(from, to), nil, &a); err != nil {
		return nil, fmt.Errorf("pinterest: account analytics: %w", err)
	}
	return summary(a), nil
}

// PostMetrics reads each pin's last 90 days: impressions as views, saves as
// reposts; Pinterest has no likes, replies or quotes.
func (c *Connector) PostMetrics(ctx context.Context, ids []string) (map[string]network.PostMetrics, error) {
	out := map[string]network.PostMetrics{}
	to := c.api.now()
	for _, id := range ids {
		m, err := c.PinAnalytics(ctx, id, to.Add(-analyticsWindow), to)
		if errors.Is(err, network.ErrNotFound) {
			continue
		}
		if err != nil {
			return out, err
		}
		out[id] = network.PostMetrics{Views: m["IMPRESSION"], Reposts: m["SAVE"], Likes: -1, Replies: -1, Quotes: -1}
	}
	return out, nil
}

// pinBody is POST /v5/pins.
type pinBody struct {
	BoardID        string         `json:"board_id"`
	BoardSectionID string         `json:"board_section_id,omitempty"`
	Title          string         `json:"title,omitempty"`
	Description    string         `json:"description,omitempty"`
	Link           string         `json:"link,omitempty"`
	AltText        string         `json:"alt_text,omitempty"`
	MediaSource    map[string]any `json:"media_source"`
}

// pin is a pin as Pinterest answers it.
type pin struct {
	ID             string `json:"id"`
	CreatedAt      string `json:"created_at"`
	Title          string `json:"title"`
	Description    string `json:"description"`
	Link           string `json:"link"`
	BoardID        string `json:"board_id"`
	BoardSectionID string `json:"board_section_id"`
}

func pinURL(id string) string { return "https://www.pinterest.com/pin/" + id + "/" }

// Publish makes one pin: an image (by URL, or base64 when it has none), a
// carousel of 2 to 5 images (by URL), or a video (registered, uploaded,
// processed) with an attached image as its cover or a cover frame. The
// board comes from the board option; title, description (the text), link
// and alt text follow Pinterest's limits. Pinterest has no idempotency key:
// the moment of the create call is recorded first, and a retry (or a create
// that ended without an answer) looks for the pin on its board before
// sending it again.
func (c *Connector) Publish(ctx context.Context, req network.PublishRequest) (network.PublishResult, error) {
	res := network.PublishResult{Parts: append([]network.RemotePost(nil), req.Done...)}
	if err := network.CheckParts(network.Pinterest, req); err != nil {
		return res, err
	}
	if len(req.Done) > 0 {
		return res, nil
	}
	if len(req.Parts) > 1 {
		return res, invalid("a pin has one part; got %d", len(req.Parts))
	}
	p := req.Parts[0]
	ch, err := choices(req.Options)
	if err != nil {
		return res, err
	}
	body := pinBody{BoardID: ch.board, BoardSectionID: ch.section, Title: ch.title, Description: network.TextAsSent(network.Pinterest, p), Link: p.Link}
	if n := utf8.RuneCountInString(body.Description); n > MaxDescription {
		return res, invalid("the pin description is %d characters; Pinterest allows %d", n, MaxDescription)
	}
	if n := len(p.Link); n > MaxLink {
		return res, invalid("the link is %d characters; Pinterest allows %d", n, MaxLink)
	}
	key := "pinterest:" + req.IdempotencyKey
	rec := c.checkpoint(ctx, req.IdempotencyKey, key)
	if rec.pin != "" {
		res.Parts = append(res.Parts, network.RemotePost{ID: rec.pin, URL: pinURL(rec.pin)})
		return res, nil
	}
	if !rec.since.IsZero() {
		// A create was sent by an earlier attempt: is the pin there?
		id, found, err := c.findPin(ctx, body, rec.since, 1)
		if err != nil {
			return res, err
		}
		if found {
			_ = c.setCheckpoint(ctx, req.IdempotencyKey, key, record{pin: id})
			res.Parts = append(res.Parts, network.RemotePost{ID: id, URL: pinURL(id), Extra: map[string]string{"reconciled": "true"}})
			return res, nil
		}
	}
	if body.MediaSource, body.AltText, err = c.mediaSource(ctx, p.Media, ch, rec.media); err != nil {
		return res, err
	}
	if n := utf8.RuneCountInString(body.AltText); n > MaxAltText {
		return res, invalid("the alt text is %d characters; Pinterest allows %d", n, MaxAltText)
	}
	started := c.api.now()
	media := ""
	if body.MediaSource["source_type"] == "video_id" {
		media, _ = body.MediaSource["media_id"].(string)
	}
	if err := c.setCheckpoint(ctx, req.IdempotencyKey, key, record{since: started, media: media}); err != nil {
		return res, err
	}
	var created pin
	err = c.api.do(ctx, http.MethodPost, "/v5/pins", nil, body, &created)
	if err == nil && created.ID != "" {
		_ = c.setCheckpoint(ctx, req.IdempotencyKey, key, record{pin: created.ID})
		res.Parts = append(res.Parts, network.RemotePost{ID: created.ID, URL: pinURL(created.ID)})
		return res, nil
	}
	if err == nil {
		err = &network.Error{Class: network.Unknown, Network: network.Pinterest, Status: http.StatusCreated, Message: "Pinterest answered without a pin id"}
	}
	if !outcomeUnknown(err) {
		return res, fmt.Errorf("pinterest: create pin: %w", err)
	}
	id, found, lerr := c.findPin(ctx, body, started, c.lookups)
	if lerr != nil {
		return res, fmt.Errorf("pinterest: create pin: %w (and looking for the pin failed: %v)", err, lerr)
	}
	if found {
		_ = c.setCheckpoint(ctx, req.IdempotencyKey, key, record{pin: id})
		res.Parts = append(res.Parts, network.RemotePost{ID: id, URL: pinURL(id), Extra: map[string]string{"reconciled": "true"}})
		return res, nil
	}
	var ne *network.Error
	if errors.As(err, &ne) {
		ne.Class = network.Retryable
		ne.Message = strings.TrimSpace(ne.Message + " (the pin is not on the board: safe to retry)")
	}
	return res, fmt.Errorf("pinterest: create pin: %w", err)
}

// outcomeUnknown reports whether a failed create may have taken effect.
func outcomeUnknown(err error) bool {
	var ne *network.Error
	if !errors.As(err, &ne) {
		return true
	}
	return ne.Class == network.Unknown || (ne.Class == network.Retryable && ne.Status >= 500)
}

// findPin looks among the board's newest pins for one made since started
// with the same title, description, link and section.
func (c *Connector) findPin(ctx context.Context, b pinBody, since time.Time, tries int) (string, bool, error) {
	for i := 0; i < max(tries, 1); i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
				return "", false, ctx.Err()
			case <-time.After(c.lookupEvery):
			}
		}
		var r struct {
			Items []pin `json:"items"`
		}
		if err := c.api.do(ctx, http.MethodGet, "/v5/boards/"+url.PathEscape(b.BoardID)+"/pins", url.Values{"page_size": {"25"}}, nil, &r); err != nil {
			return "", false, err
		}
		for _, p := range r.Items {
			t, err := time.Parse(time.RFC3339, p.CreatedAt)
			if err != nil {
				t, err = time.Parse("2006-01-02T15:04:05", p.CreatedAt)
			}
			if err == nil && t.Before(since.Add(-time.Minute)) {
				continue
			}
			if p.Title == b.Title && strings.TrimSpace(p.Description) == strings.TrimSpace(b.Description) && p.Link == b.Link && (b.BoardSectionID == "" || p.BoardSectionID == b.BoardSectionID) {
				return p.ID, true, nil
			}
		}
	}
	return "", false, nil
}

// mediaSource builds the pin's media_source and alt text from the attachments.
func (c *Connector) mediaSource(ctx context.Context, media []network.Media, ch pinChoices, recordedMedia string) (map[string]any, string, error) {
	var images, videos []network.Media
	for _, m := range media {
		if strings.HasPrefix(m.MIME, "video/") {
			videos = append(videos, m)
		} else {
			images = append(images, m)
		}
	}
	switch {
	case len(videos) == 1 && len(images) <= 1:
		src := map[string]any{"source_type": "video_id"}
		if len(images) == 1 && images[0].URL != "" {
			src["cover_image_url"] = images[0].URL
		} else {
			src["cover_image_key_frame_time"] = ch.coverSeconds
		}
		id, err := c.video(ctx, videos[0], recordedMedia)
		if err != nil {
			return nil, "", err
		}
		src["media_id"] = id
		return src, videos[0].AltText, nil
	case len(videos) > 0:
		return nil, "", invalid("a video pin has one video (and at most one image, its cover); got %d videos and %d images", len(videos), len(images))
	case len(images) == 1:
		m := images[0]
		if m.URL != "" {
			return map[string]any{"source_type": "image_url", "url": m.URL}, m.AltText, nil
		}
		if len(m.Data) == 0 {
			return nil, "", &network.Error{Class: network.Permanent, Network: network.Pinterest, Message: "the image has neither a URL nor bytes"}
		}
		return map[string]any{"source_type": "image_base64", "content_type": m.MIME, "data": base64.StdEncoding.EncodeToString(m.Data)}, m.AltText, nil
	case len(images) >= 2 && len(images) <= MaxCarousel:
		var items []map[string]string
		for i, m := range images {
			if m.URL == "" {
				return nil, "", &network.Error{Class: network.Permanent, Network: network.Pinterest, Message: fmt.Sprintf("carousel image %d has no public URL", i+1)}
			}
			items = append(items, map[string]string{"url": m.URL})
		}
		return map[string]any{"source_type": "multiple_image_urls", "items": items, "index": 0}, images[0].AltText, nil
	case len(images) > MaxCarousel:
		return nil, "", invalid("a carousel pin has 2 to %d images; got %d", MaxCarousel, len(images))
	}
	return nil, "", invalid("a pin needs an image, 2 to 5 images or a video")
}

// mediaAnswer is POST /v5/media's and GET /v5/media/{id}'s answer.
type mediaAnswer struct {
	MediaID          string            `json:"media_id"`
	MediaType        string            `json:"media_type"`
	Status           string            `json:"status"`
	UploadURL        string            `json:"upload_url"`
	UploadParameters map[string]string `json:"upload_parameters"`
}

// video registers, uploads and waits for a video; a media an earlier
// attempt registered and Pinterest processed is used again.
func (c *Connector) video(ctx context.Context, m network.Media, recorded string) (string, error) {
	if recorded != "" {
		var st mediaAnswer
		if err := c.api.do(ctx, http.MethodGet, "/v5/media/"+url.PathEscape(recorded), nil, nil, &st); err == nil && st.Status == "succeeded" {
			return recorded, nil
		}
	}
	if len(m.Data) == 0 {
		return "", &network.Error{Class: network.Permanent, Network: network.Pinterest, Message: "Pinterest needs the video's bytes; this attachment has none"}
	}
	var reg mediaAnswer
	if err := c.api.do(ctx, http.MethodPost, "/v5/media", nil, map[string]string{"media_type": "video"}, &reg); err != nil {
		return "", fmt.Errorf("pinterest: register video: %w", err)
	}
	if reg.MediaID == "" || reg.UploadURL == "" {
		return "", &network.Error{Class: network.Retryable, Network: network.Pinterest, Message: "the video was registered without a media id or upload URL"}
	}
	if err := c.uploadVideo(ctx, reg, m); err != nil {
		return "", err
	}
	for polls := 0; ; polls++ {
		var st mediaAnswer
		if err := c.api.do(ctx, http.MethodGet, "/v5/media/"+url.PathEscape(reg.MediaID), nil, nil, &st); err != nil {
			return "", fmt.Errorf("pinterest: video status: %w", err)
		}
		switch st.Status {
		case "succeeded":
			return reg.MediaID, nil
		case "failed":
			return "", &network.Error{Class: network.InvalidContent, Network: network.Pinterest, Code: "media-processing-failed", Message: "Pinterest could not process the video (check its format, length of 4 s to 15 min and size)"}
		}
		if polls >= c.maxPolls {
			return "", &network.Error{Class: network.Retryable, Network: network.Pinterest, Message: fmt.Sprintf("video %s is still %s after %d checks", reg.MediaID, st.Status, polls)}
		}
		select {
		case <-ctx.Done():
			return "", network.TransportError(network.Pinterest, ctx.Err())
		case <-time.After(c.pollEvery):
		}
	}
}

// uploadVideo posts the bytes to the upload URL as a form: every upload
// parameter, then the file.
func (c *Connector) uploadVideo(ctx context.Context, reg mediaAnswer, m network.Media) error {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	keys := make([]string, 0, len(reg.UploadParameters))
	for k := range reg.UploadParameters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := mw.WriteField(k, reg.UploadParameters[k]); err != nil {
			return err
		}
	}
	fw, err := mw.CreateFormFile("file", "video")
	if err != nil {
		return err
	}
	_, _ = fw.Write(m.Data)
	if err := mw.Close(); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, reg.UploadURL, &buf)
	if err != nil {
		return fmt.Errorf("pinterest: build video upload: %w", err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	status, h, b, err := c.api.roundTrip(req)
	if err != nil {
		return fmt.Errorf("pinterest: upload video: %w", err)
	}
	if status < 200 || status > 299 {
		return fmt.Errorf("pinterest: upload video: %w", apiError(status, h, b, c.api.now()))
	}
	return nil
}

// record is what a publication keeps durably: the pin once made, else when
// its create call was sent and the video it carries.
type record struct {
	pin, media string
	since      time.Time
}

func (r record) String() string {
	if r.pin != "" {
		return "pin:" + r.pin
	}
	return "create:" + strconv.FormatInt(r.since.Unix(), 10) + "|" + r.media
}

func parseRecord(s string) record {
	if id, ok := strings.CutPrefix(s, "pin:"); ok {
		return record{pin: id}
	}
	if v, ok := strings.CutPrefix(s, "create:"); ok {
		at, media, _ := strings.Cut(v, "|")
		n, err := strconv.ParseInt(at, 10, 64)
		if err == nil {
			return record{since: time.Unix(n, 0), media: media}
		}
	}
	return record{}
}

func (c *Connector) checkpoint(ctx context.Context, idem, key string) record {
	if idem == "" {
		return record{}
	}
	v, err := c.log.Get(ctx, key)
	if err != nil {
		// Unknown: behave as if a create may have been sent.
		return record{since: c.api.now().Add(-24 * time.Hour)}
	}
	return parseRecord(v)
}

func (c *Connector) setCheckpoint(ctx context.Context, idem, key string, r record) error {
	if idem == "" {
		return nil
	}
	return c.log.Set(ctx, key, r.String())
}
