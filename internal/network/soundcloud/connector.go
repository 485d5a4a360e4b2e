package soundcloud

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/network"
)

// Connector publishes to and reads from one SoundCloud account.
type Connector struct {
	api *api
	// lookups bounds looking for a track whose upload ended without an answer.
	lookups int

	mu     sync.Mutex
	userID string
}

var (
	_ network.Connector          = (*Connector)(nil)
	_ network.MetricsReader      = (*Connector)(nil)
	_ network.AccountStatsReader = (*Connector)(nil)
	_ network.CommentReader      = (*Connector)(nil)
	_ network.Replier            = (*Connector)(nil)
	_ network.ReplyFinder        = (*Connector)(nil)
)

// Kind names the network.
func (c *Connector) Kind() network.Kind { return Kind }

// RateLimit returns the latest rate-limit report.
func (c *Connector) RateLimit() network.RateLimit { return c.api.RateLimit() }

// TokenExpiry is when the access token expires if nothing can renew it.
func (c *Connector) TokenExpiry() time.Time { return c.api.Tok.Deadline() }

// user is /me or a comment's author.
type user struct {
	ID             int64  `json:"id"`
	Username       string `json:"username"`
	Permalink      string `json:"permalink"`
	PermalinkURL   string `json:"permalink_url"`
	FullName       string `json:"full_name"`
	AvatarURL      string `json:"avatar_url"`
	FollowersCount int64  `json:"followers_count"`
	FollowingCount int64  `json:"followings_count"`
	TrackCount     int64  `json:"track_count"`
}

func (u user) account() network.Account {
	name := u.FullName
	if name == "" {
		name = u.Username
	}
	return network.Account{RemoteID: strconv.FormatInt(u.ID, 10), Handle: u.Permalink, DisplayName: name, URL: u.PermalinkURL, AvatarURL: u.AvatarURL}
}

func (c *Connector) me(ctx context.Context) (user, error) {
	var u user
	if err := c.api.do(ctx, request{Method: http.MethodGet, Path: "/me"}, &u); err != nil {
		return user{}, fmt.Errorf("soundcloud: me: %w", err)
	}
	if u.ID == 0 {
		return user{}, &network.Error{Class: network.Unknown, Network: Kind, Message: "/me answered without a user"}
	}
	c.mu.Lock()
	c.userID = strconv.FormatInt(u.ID, 10)
	c.mu.Unlock()
	return u, nil
}

func (c *Connector) self(ctx context.Context) (string, error) {
	c.mu.Lock()
	id := c.userID
	c.mu.Unlock()
	if id != "" {
		return id, nil
	}
	u, err := c.me(ctx)
	return strconv.FormatInt(u.ID, 10), err
}

// Identify returns the account behind the token (GET /me).
func (c *Connector) Identify(ctx context.Context) (network.Account, error) {
	u, err := c.me(ctx)
	if err != nil {
		return network.Account{}, err
	}
	return u.account(), nil
}

// track is a track as the API returns it.
type track struct {
	ID             int64  `json:"id"`
	Title          string `json:"title"`
	PermalinkURL   string `json:"permalink_url"`
	State          string `json:"state"`
	Sharing        string `json:"sharing"`
	CreatedAt      string `json:"created_at"`
	PlaybackCount  *int64 `json:"playback_count"`
	FavoritingsCnt *int64 `json:"favoritings_count"`
	LikesCount     *int64 `json:"likes_count"`
	RepostsCount   *int64 `json:"reposts_count"`
	CommentCount   *int64 `json:"comment_count"`
	TagList        string `json:"tag_list"`
	Downloadable   any    `json:"downloadable"`
	License        string `json:"license"`
}

// SoundCloud limits the API does not state (unconfirmed: the upload page's).
const (
	maxTitle = 100
	// MaxAudioBytes is the largest audio file SoundCloud takes (Upload Requirements: 4 GB).
	MaxAudioBytes int64 = 4 << 30
	// MaxArtworkBytes bounds the artwork image (unconfirmed: the upload page says 2 MB? relais keeps the library's 20 MB cap lower).
	MaxArtworkBytes int64 = 20 << 20
)

func invalid(format string, a ...any) error {
	return &network.Error{Class: network.InvalidContent, Network: Kind, Message: fmt.Sprintf(format, a...)}
}

// upload is what POST /tracks sends.
type upload struct {
	fields  [][2]string
	audio   network.Media
	artwork *network.Media
	title   string
}

// build reads the part and options: one audio file (required), at most one
// image as the artwork, the title (option, else the text's first line), the
// text as the description, tags, sharing, downloadable, license.
func build(p network.Part, o map[string]string) (upload, error) {
	var u upload
	audio := 0
	for i, m := range p.Media {
		switch {
		case strings.HasPrefix(m.MIME, "audio/"):
			audio++
			u.audio = m
		case strings.HasPrefix(m.MIME, "image/") && u.artwork == nil:
			m := m
			u.artwork = &m
		default:
			return u, invalid("media %d is %s; a SoundCloud track takes one audio file and at most one image as its artwork", i+1, m.MIME)
		}
	}
	if audio != 1 {
		return u, invalid("a SoundCloud track needs exactly one audio file; this post has %d", audio)
	}
	if len(u.audio.Data) == 0 {
		return u, &network.Error{Class: network.Permanent, Network: Kind, Message: "the audio file has no bytes to upload"}
	}
	if int64(len(u.audio.Data)) > MaxAudioBytes {
		return u, invalid("the audio file is %d bytes; SoundCloud takes files up to 4 GB", len(u.audio.Data))
	}
	title := strings.TrimSpace(o["title"])
	desc := p.Text
	if p.Link != "" && !strings.Contains(desc, p.Link) {
		desc = strings.TrimSpace(desc + "\n\n" + p.Link)
	}
	if title == "" {
		first, _, _ := strings.Cut(strings.TrimSpace(p.Text), "\n")
		title = strings.TrimSpace(first)
	}
	if title == "" {
		return u, invalid("a SoundCloud track needs a title: set the title option or start the text with it")
	}
	if n := utf8.RuneCountInString(title); n > maxTitle {
		return u, invalid("the title is %d characters; SoundCloud allows %d", n, maxTitle)
	}
	u.title = title
	add := func(k, v string) { u.fields = append(u.fields, [2]string{"track[" + k + "]", v}) }
	add("title", title)
	if strings.TrimSpace(desc) != "" {
		add("description", desc)
	}
	if tags := TagList(o["tags"]); tags != "" {
		add("tag_list", tags)
	}
	sharing := strings.TrimSpace(o["sharing"])
	if sharing == "" {
		sharing = "public"
	}
	if sharing != "public" && sharing != "private" {
		return u, invalid("sharing must be public or private; got %q", sharing)
	}
	add("sharing", sharing)
	if d := strings.TrimSpace(o["downloadable"]); d != "" {
		if d != "true" && d != "false" {
			return u, invalid("downloadable must be true or false; got %q", d)
		}
		add("downloadable", d)
	}
	if l := strings.TrimSpace(o["license"]); l != "" {
		if !licenses[l] {
			return u, invalid("license %q is not one SoundCloud knows (all-rights-reserved, no-rights-reserved, cc-by, cc-by-nc, cc-by-nd, cc-by-sa, cc-by-nc-nd, cc-by-nc-sa)", l)
		}
		add("license", l)
	}
	return u, nil
}

var licenses = map[string]bool{"no-rights-reserved": true, "all-rights-reserved": true, "cc-by": true, "cc-by-nc": true, "cc-by-nd": true,
	"cc-by-sa": true, "cc-by-nc-nd": true, "cc-by-nc-sa": true}

// TagList turns comma-separated tags into SoundCloud's tag_list: separated
// by spaces, a tag with a space in double quotes, # and quotes dropped.
func TagList(s string) string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "#"))
		t = strings.Join(strings.Fields(strings.ReplaceAll(t, `"`, "")), " ")
		if t == "" {
			continue
		}
		if strings.Contains(t, " ") {
			t = `"` + t + `"`
		}
		out = append(out, t)
	}
	return strings.Join(out, " ")
}

func (u upload) encode() ([]byte, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range u.fields {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			return nil, "", err
		}
	}
	file := func(name string, m network.Media) error {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, name, "upload"+ext(m.MIME)))
		h.Set("Content-Type", m.MIME)
		w, err := mw.CreatePart(h)
		if err != nil {
			return err
		}
		_, err = w.Write(m.Data)
		return err
	}
	if err := file("track[asset_data]", u.audio); err != nil {
		return nil, "", err
	}
	if u.artwork != nil {
		if err := file("track[artwork_data]", *u.artwork); err != nil {
			return nil, "", err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), mw.FormDataContentType(), nil
}

func ext(mime string) string {
	switch mime {
	case "audio/mpeg":
		return ".mp3"
	case "audio/wav", "audio/x-wav":
		return ".wav"
	case "audio/flac":
		return ".flac"
	case "audio/ogg":
		return ".ogg"
	case "audio/aiff", "audio/x-aiff":
		return ".aiff"
	case "audio/mp4", "audio/x-m4a", "audio/aac":
		return ".m4a"
	case "image/png":
		return ".png"
	default:
		return ".jpg"
	}
}

// Publish uploads the track (POST /tracks, multipart); the first comment is
// posted on it at 0:00. SoundCloud has no idempotency key: when the upload
// ends without a clear answer, the account's recent tracks are searched for
// one with the same title made since the upload started before anything is
// retried; a failed lookup leaves the outcome unknown (needs review).
func (c *Connector) Publish(ctx context.Context, req network.PublishRequest) (network.PublishResult, error) {
	res := network.PublishResult{Parts: append([]network.RemotePost(nil), req.Done...)}
	if err := network.CheckParts(Kind, req); err != nil {
		return res, err
	}
	if len(req.Parts) > 1 {
		return res, invalid("SoundCloud has no threads; a track is one part, this post has %d", len(req.Parts))
	}
	if len(req.Done) == 0 {
		u, err := build(req.Parts[0], req.Options)
		if err != nil {
			return res, err
		}
		rp, err := c.create(ctx, u)
		if err != nil {
			return res, fmt.Errorf("soundcloud: upload: %w", err)
		}
		res.Parts = append(res.Parts, rp)
	}
	if strings.TrimSpace(req.FirstComment) != "" {
		rp, err := c.comment(ctx, res.Parts[0].ID, req.FirstComment, 0)
		if err != nil {
			return res, fmt.Errorf("soundcloud: first comment: %w", err)
		}
		res.FirstComment = &rp
	}
	return res, nil
}

func (c *Connector) create(ctx context.Context, u upload) (network.RemotePost, error) {
	body, ctype, err := u.encode()
	if err != nil {
		return network.RemotePost{}, err
	}
	var t track
	started := c.api.now()
	err = c.api.do(ctx, request{Method: http.MethodPost, Path: "/tracks", Body: body, ContentType: ctype}, &t)
	if err == nil && t.ID != 0 {
		return trackPost(t, false), nil
	}
	if err == nil {
		err = &network.Error{Class: network.Unknown, Network: Kind, Status: http.StatusCreated, Message: "SoundCloud answered without a track id"}
	}
	if !outcomeUnknown(err) {
		return network.RemotePost{}, err
	}
	found, lerr := c.findRecent(ctx, u.title, started)
	if lerr != nil {
		return network.RemotePost{}, fmt.Errorf("%w (and looking for the track failed: %v)", err, lerr)
	}
	if found != nil {
		return trackPost(*found, true), nil
	}
	var ne *network.Error
	if errors.As(err, &ne) {
		ne.Class = network.Retryable
		ne.Message = strings.TrimSpace(ne.Message + " (the track is not on the account: safe to retry)")
	}
	return network.RemotePost{}, err
}

func trackPost(t track, reconciled bool) network.RemotePost {
	rp := network.RemotePost{ID: strconv.FormatInt(t.ID, 10), URL: t.PermalinkURL, Extra: map[string]string{"state": t.State}}
	if reconciled {
		rp.Extra["reconciled"] = "true"
	}
	return rp
}

func outcomeUnknown(err error) bool {
	var ne *network.Error
	if !errors.As(err, &ne) {
		return true
	}
	return ne.Class == network.Unknown || (ne.Class == network.Retryable && ne.Status >= 500)
}

// createdAt reads SoundCloud's "2006/01/02 15:04:05 +0000" or RFC 3339 times.
func createdAt(s string) time.Time {
	for _, layout := range []string{"2006/01/02 15:04:05 -0700", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// findRecent looks among the account's latest tracks for one titled title
// made since started.
func (c *Connector) findRecent(ctx context.Context, title string, started time.Time) (*track, error) {
	for i := 0; i < max(c.lookups, 1); i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(time.Duration(i) * 500 * time.Millisecond):
			}
		}
		var page struct {
			Collection []track `json:"collection"`
		}
		q := url.Values{"limit": {"20"}, "linked_partitioning": {"true"}}
		if err := c.api.do(ctx, request{Method: http.MethodGet, Path: "/me/tracks", Query: q}, &page); err != nil {
			return nil, err
		}
		for _, t := range page.Collection {
			if t.Title == title && !createdAt(t.CreatedAt).Before(started.Add(-time.Minute)) {
				t := t
				return &t, nil
			}
		}
	}
	return nil, nil
}

// Delete removes a track; a track already gone counts as deleted.
func (c *Connector) Delete(ctx context.Context, remoteID string) error {
	err := c.api.do(ctx, request{Method: http.MethodDelete, Path: "/tracks/" + url.PathEscape(remoteID)}, nil)
	if err != nil && !errors.Is(err, network.ErrNotFound) {
		return fmt.Errorf("soundcloud: delete %s: %w", remoteID, err)
	}
	return nil
}
