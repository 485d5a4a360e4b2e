// Package tiktoktest is a contract-faithful fake of TikTok's Content Posting
// API for connector tests, on real loopback HTTP: the Login Kit authorize
// page and token endpoint (PKCE S256, refresh tokens), user info, creator
// info, direct and inbox video init (FILE_UPLOAD with TikTok's chunk
// arithmetic, PULL_FROM_URL from a verified prefix), chunk PUTs with
// Content-Range, photo init, status fetch moving through the processing
// states to PUBLISH_COMPLETE or FAILED, and the video query. It answers
// TikTok's envelope ({"data":…,"error":{"code","message","log_id"}}),
// refuses public posts from an unaudited client, rate limits the 7th init
// within a minute, records requests and can be switched into failures per
// route.
package tiktoktest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/relais/relais/internal/network/fakerec"
)

// Options configures a fake.
type Options struct {
	// Now is the fake's clock (default time.Now).
	Now func() time.Time
	// ClientKey and ClientSecret are the registered app (defaults "fake-key", "fake-secret").
	ClientKey, ClientSecret string
	// Audited lets the client post publicly; an unaudited one may post SELF_ONLY only.
	Audited bool
	// PrivacyLevels offered to the creator (default all four).
	PrivacyLevels []string
	// CommentDisabled, DuetDisabled, StitchDisabled are the creator's settings.
	CommentDisabled, DuetDisabled, StitchDisabled bool
	// MaxDuration is max_video_post_duration_sec (default 600).
	MaxDuration int
	// ProcessingPolls is how many status checks answer processing after the
	// bytes are in (default 1).
	ProcessingPolls int
	// FailReason, when set, ends every publish FAILED with it.
	FailReason string
	// VerifiedPrefix is the URL prefix PULL_FROM_URL accepts (empty: any).
	VerifiedPrefix string
	// TokenLifetime is the access token's life (default 24 h).
	TokenLifetime time.Duration
}

// FaultKind is a failure the fake can be switched into.
type FaultKind = fakerec.FaultKind

// The faults.
const (
	Invalid      FaultKind = "invalid_params"
	TokenInvalid FaultKind = "access_token_invalid"
	RateLimited  FaultKind = "rate_limit_exceeded"
	SpamRisk     FaultKind = "spam_risk_too_many_posts"
	ServerError  FaultKind = "internal_error"
	// CommitThenFail does the work, then answers 500.
	CommitThenFail FaultKind = "commit_then_fail"
	// Drop drops the connection without doing anything.
	Drop FaultKind = "drop"
)

// Fault switches a route ("POST /v2/post/publish/video/init/") into a failure for its next Times calls (default 1).
type Fault = fakerec.Fault

// Request is one recorded request.
type Request = fakerec.Request

// Publish is one publish_id on the fake.
type Publish struct {
	ID, Kind, Source, Mode string // Kind: video or photo; Mode: direct or inbox
	Title, Description     string
	Privacy                string
	DisableComment         bool
	DisableDuet            bool
	DisableStitch          bool
	BrandContent           bool
	BrandOrganic           bool
	Size, ChunkSize        int
	Chunks                 int
	Received               []byte
	URLs                   []string
	Status                 string
	FailReason             string
	PostID                 int64
	pollsLeft              int
}

// Video is a published video's counts.
type Video struct {
	ID                             int64
	Views, Likes, Comments, Shares int64
}

// Server is the fake.
type Server struct {
	URL  string
	opts Options
	srv  *httptest.Server
	// Recorder records requests (Requests, Count) and takes faults (Inject).
	fakerec.Recorder

	mu        sync.Mutex
	access    map[string]time.Time
	refresh   map[string]bool
	codes     map[string]string // code → challenge
	publishes map[string]*Publish
	order     []string
	videos    map[int64]*Video
	inits     []time.Time
	nextID    int64
	tk, rt    string
}

// OpenID is the fake creator's open_id.
const OpenID = "-000OpenIdFakeCreator"

// Username is the fake creator's username.
const Username = "relais.fake"

// New starts a fake with one creator and a token pair.
func New(t testing.TB, o Options) *Server {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ClientKey == "" {
		o.ClientKey = "fake-key"
	}
	if o.ClientSecret == "" {
		o.ClientSecret = "fake-secret"
	}
	if len(o.PrivacyLevels) == 0 {
		o.PrivacyLevels = []string{"PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"}
	}
	if o.MaxDuration == 0 {
		o.MaxDuration = 600
	}
	if o.ProcessingPolls == 0 {
		o.ProcessingPolls = 1
	}
	if o.TokenLifetime == 0 {
		o.TokenLifetime = 24 * time.Hour
	}
	s := &Server{opts: o, access: map[string]time.Time{}, refresh: map[string]bool{}, codes: map[string]string{},
		publishes: map[string]*Publish{}, videos: map[int64]*Video{}, nextID: 7_300_000_000_000_000_000}
	s.tk, s.rt = s.issue()
	s.RouteOf = routeOf
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// ClientKey is the registered app's key.
func (s *Server) ClientKey() string { return s.opts.ClientKey }

// ClientSecret is the registered app's secret.
func (s *Server) ClientSecret() string { return s.opts.ClientSecret }

// Tokens returns the first access and refresh tokens.
func (s *Server) Tokens() (string, string) { return s.tk, s.rt }

// Expire makes every access token expired.
func (s *Server) Expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.access {
		s.access[k] = s.opts.Now().Add(-time.Second)
	}
}

// Publishes returns every publish_id, oldest first.
func (s *Server) Publishes() []Publish {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Publish
	for _, id := range s.order {
		out = append(out, *s.publishes[id])
	}
	return out
}

// SetCounts sets a published video's counts.
func (s *Server) SetCounts(id int64, views, likes, comments, shares int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.videos[id] = &Video{ID: id, Views: views, Likes: likes, Comments: comments, Shares: shares}
}

func (s *Server) issue() (string, string) {
	a, r := "act."+fakerec.RandomString(18), "rft."+fakerec.RandomString(18)
	s.access[a] = s.opts.Now().Add(s.opts.TokenLifetime)
	s.refresh[r] = true
	return a, r
}

func routeOf(p string) string {
	if strings.HasPrefix(p, "/upload/") {
		return "/upload/:id"
	}
	return p
}

// reply writes TikTok's envelope.
func reply(w http.ResponseWriter, status int, data any, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if data == nil {
		data = map[string]any{}
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"data": data, "error": map[string]string{"code": code, "message": message, "log_id": "202612061700000000" + fakerec.RandomString(18)[:6]}})
}

func ok(w http.ResponseWriter, data any) { reply(w, 200, data, "ok", "") }

func fail(w http.ResponseWriter, status int, code, message string) {
	reply(w, status, nil, code, message)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 200<<20))
	// Chunk bytes are kept on the publish or media, not in the log.
	route, fault := s.Record(r, body, !strings.HasPrefix(r.URL.Path, "/upload/"))
	switch fault {
	case Invalid:
		fail(w, 400, "invalid_params", "The request parameters are invalid.")
		return
	case TokenInvalid:
		fail(w, 401, "access_token_invalid", "The access token is invalid or not found in the request.")
		return
	case RateLimited:
		fail(w, 429, "rate_limit_exceeded", "API rate limit was exceeded.")
		return
	case SpamRisk:
		fail(w, 403, "spam_risk_too_many_posts", "The daily post cap from the API is reached for the current user.")
		return
	case ServerError:
		fail(w, 500, "internal_error", "Something went wrong. Please try again later.")
		return
	case Drop:
		fakerec.DropConn(w)
		return
	}
	if fault == CommitThenFail {
		s.route(&fakerec.Discard{}, r, route, body)
		fail(w, 500, "internal_error", "Something went wrong. Please try again later.")
		return
	}
	s.route(w, r, route, body)
}

// authorized checks the bearer token.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	exp, found := s.access[tok]
	s.mu.Unlock()
	if !found || !s.opts.Now().Before(exp) {
		fail(w, 401, "access_token_invalid", "The access token is invalid or not found in the request.")
		return false
	}
	return true
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, route string, body []byte) {
	switch route {
	case "GET /v2/auth/authorize/":
		s.authorize(w, r)
		return
	case "POST /v2/oauth/token/":
		s.token(w, r, body)
		return
	case "PUT /upload/:id":
		s.chunk(w, r, body)
		return
	}
	if !s.authorized(w, r) {
		return
	}
	switch route {
	case "GET /v2/user/info/":
		s.userInfo(w, r)
	case "POST /v2/post/publish/creator_info/query/":
		ok(w, map[string]any{
			"creator_avatar_url": "https://p16.tiktokcdn.example/avatar.jpeg", "creator_username": Username, "creator_nickname": "Relais Fake",
			"privacy_level_options": s.opts.PrivacyLevels, "comment_disabled": s.opts.CommentDisabled, "duet_disabled": s.opts.DuetDisabled,
			"stitch_disabled": s.opts.StitchDisabled, "max_video_post_duration_sec": s.opts.MaxDuration,
		})
	case "POST /v2/post/publish/video/init/", "POST /v2/post/publish/inbox/video/init/":
		s.initVideo(w, r, body, strings.Contains(route, "/inbox/"))
	case "POST /v2/post/publish/content/init/":
		s.initPhoto(w, body)
	case "POST /v2/post/publish/status/fetch/":
		s.status(w, body)
	case "POST /v2/video/query/":
		s.query(w, body)
	default:
		fail(w, 404, "invalid_params", "Unknown endpoint "+route)
	}
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_key") != s.opts.ClientKey || q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
		http.Error(w, "invalid authorize request", http.StatusBadRequest)
		return
	}
	if !strings.Contains(q.Get("scope"), "video.publish") {
		http.Error(w, "scope must include video.publish", http.StatusBadRequest)
		return
	}
	code := "code." + fakerec.RandomString(18)
	s.mu.Lock()
	s.codes[code] = q.Get("code_challenge")
	s.mu.Unlock()
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil {
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	}
	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", q.Get("state"))
	bq.Set("scopes", q.Get("scope"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func oauthError(w http.ResponseWriter, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc, "log_id": "20261206" + fakerec.RandomString(18)[:8]})
}

func (s *Server) token(w http.ResponseWriter, r *http.Request, body []byte) {
	form, _ := url.ParseQuery(string(body))
	if form.Get("client_key") != s.opts.ClientKey || form.Get("client_secret") != s.opts.ClientSecret {
		oauthError(w, "invalid_client", "Client key or secret is incorrect.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch form.Get("grant_type") {
	case "authorization_code":
		challenge, found := s.codes[form.Get("code")]
		delete(s.codes, form.Get("code"))
		sum := sha256.Sum256([]byte(form.Get("code_verifier")))
		if !found || base64.RawURLEncoding.EncodeToString(sum[:]) != challenge {
			oauthError(w, "invalid_grant", "Authorization code is expired.")
			return
		}
	case "refresh_token":
		if !s.refresh[form.Get("refresh_token")] {
			oauthError(w, "invalid_grant", "Refresh token is invalid or expired.")
			return
		}
		delete(s.refresh, form.Get("refresh_token"))
	default:
		oauthError(w, "invalid_request", "grant_type is invalid")
		return
	}
	a, rt := s.issue()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": a, "expires_in": int(s.opts.TokenLifetime / time.Second), "open_id": OpenID,
		"refresh_token": rt, "refresh_expires_in": 31536000, "scope": "user.info.basic,video.publish", "token_type": "Bearer"})
}

func (s *Server) userInfo(w http.ResponseWriter, r *http.Request) {
	all := map[string]any{"open_id": OpenID, "union_id": "union-fake", "avatar_url": "https://p16.tiktokcdn.example/avatar.jpeg",
		"display_name": "Relais Fake", "username": Username, "profile_deep_link": "https://vm.tiktok.com/fake", "follower_count": 1234,
		"following_count": 56, "video_count": 78}
	user := map[string]any{}
	for _, f := range strings.Split(r.URL.Query().Get("fields"), ",") {
		v, known := all[f]
		if !known {
			fail(w, 400, "invalid_params", "Invalid field: "+f)
			return
		}
		user[f] = v
	}
	ok(w, map[string]any{"user": user})
}

type initBody struct {
	PostInfo *struct {
		Title          string `json:"title"`
		Description    string `json:"description"`
		PrivacyLevel   string `json:"privacy_level"`
		DisableDuet    bool   `json:"disable_duet"`
		DisableComment bool   `json:"disable_comment"`
		DisableStitch  bool   `json:"disable_stitch"`
		BrandContent   bool   `json:"brand_content_toggle"`
		BrandOrganic   bool   `json:"brand_organic_toggle"`
	} `json:"post_info"`
	SourceInfo struct {
		Source          string   `json:"source"`
		VideoSize       int      `json:"video_size"`
		ChunkSize       int      `json:"chunk_size"`
		TotalChunkCount int      `json:"total_chunk_count"`
		VideoURL        string   `json:"video_url"`
		PhotoImages     []string `json:"photo_images"`
	} `json:"source_info"`
	PostMode  string `json:"post_mode"`
	MediaType string `json:"media_type"`
}

// limited answers rate_limit_exceeded past 6 inits a minute per token.
func (s *Server) limited(w http.ResponseWriter) bool {
	now := s.opts.Now()
	var recent []time.Time
	for _, t := range s.inits {
		if now.Sub(t) < time.Minute {
			recent = append(recent, t)
		}
	}
	s.inits = recent
	if len(recent) >= 6 {
		fail(w, 429, "rate_limit_exceeded", "API rate limit was exceeded.")
		return true
	}
	s.inits = append(s.inits, now)
	return false
}

// checkPost validates post_info like TikTok: title length, privacy against the offered options and the audit.
func (s *Server) checkPost(w http.ResponseWriter, b initBody, titleMax int) bool {
	if b.PostInfo == nil {
		fail(w, 400, "invalid_params", "post_info is required")
		return false
	}
	if n := len(utf16.Encode([]rune(b.PostInfo.Title))); n > titleMax {
		fail(w, 400, "invalid_params", fmt.Sprintf("title is longer than %d UTF-16 runes", titleMax))
		return false
	}
	if !slices.Contains(s.opts.PrivacyLevels, b.PostInfo.PrivacyLevel) {
		fail(w, 400, "privacy_level_option_mismatch", "privacy_level is not one of the creator's options")
		return false
	}
	if !s.opts.Audited && b.PostInfo.PrivacyLevel != "SELF_ONLY" {
		fail(w, 403, "unaudited_client_can_only_post_to_private_accounts", "Unaudited clients can only post to private accounts.")
		return false
	}
	if b.PostInfo.BrandContent && b.PostInfo.PrivacyLevel == "SELF_ONLY" {
		fail(w, 400, "invalid_params", "Branded content cannot be private.")
		return false
	}
	if (s.opts.CommentDisabled && !b.PostInfo.DisableComment) || (s.opts.DuetDisabled && !b.PostInfo.DisableDuet) || (s.opts.StitchDisabled && !b.PostInfo.DisableStitch) {
		fail(w, 400, "invalid_params", "The creator turned comments, duets or stitches off.")
		return false
	}
	return true
}

func (s *Server) initVideo(w http.ResponseWriter, r *http.Request, body []byte, inbox bool) {
	var b initBody
	if err := json.Unmarshal(body, &b); err != nil {
		fail(w, 400, "invalid_params", "Invalid JSON body")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.limited(w) {
		return
	}
	p := &Publish{Kind: "video", Source: b.SourceInfo.Source, Mode: "direct"}
	if inbox {
		p.Mode = "inbox"
		if b.PostInfo != nil {
			fail(w, 400, "invalid_params", "post_info is not accepted for inbox uploads")
			return
		}
	} else {
		if !s.checkPost(w, b, 2200) {
			return
		}
		pi := b.PostInfo
		p.Title, p.Privacy, p.DisableComment, p.DisableDuet, p.DisableStitch, p.BrandContent, p.BrandOrganic =
			pi.Title, pi.PrivacyLevel, pi.DisableComment, pi.DisableDuet, pi.DisableStitch, pi.BrandContent, pi.BrandOrganic
	}
	si := b.SourceInfo
	switch si.Source {
	case "FILE_UPLOAD":
		if msg := chunkError(si.VideoSize, si.ChunkSize, si.TotalChunkCount); msg != "" {
			fail(w, 400, "invalid_params", msg)
			return
		}
		p.Size, p.ChunkSize, p.Chunks, p.Status = si.VideoSize, si.ChunkSize, si.TotalChunkCount, "PROCESSING_UPLOAD"
	case "PULL_FROM_URL":
		if !s.verified(si.VideoURL) {
			fail(w, 403, "url_ownership_unverified", "The domain or URL prefix of video_url is not verified.")
			return
		}
		p.URLs, p.Status, p.pollsLeft = []string{si.VideoURL}, "PROCESSING_DOWNLOAD", s.opts.ProcessingPolls
	default:
		fail(w, 400, "invalid_params", "source must be FILE_UPLOAD or PULL_FROM_URL")
		return
	}
	id := s.add(p)
	data := map[string]any{"publish_id": id}
	if si.Source == "FILE_UPLOAD" {
		data["upload_url"] = s.URL + "/upload/" + id + "?upload_id=" + fakerec.RandomString(18)
	}
	ok(w, data)
}

// chunkError checks TikTok's chunk arithmetic.
func chunkError(size, chunk, count int) string {
	switch {
	case size <= 0:
		return "video_size is required"
	case size < 5<<20:
		if chunk != size || count != 1 {
			return "a video under 5 MB must be uploaded whole: chunk_size = video_size, total_chunk_count = 1"
		}
	case chunk < 5<<20 || chunk > 64<<20:
		return "chunk_size must be between 5 MB and 64 MB"
	case count != size/chunk:
		return fmt.Sprintf("total_chunk_count must be %d (video_size / chunk_size, rounded down)", size/chunk)
	case count > 1000:
		return "total_chunk_count must be at most 1000"
	case size-(count-1)*chunk > 128<<20:
		return "the last chunk must be at most 128 MB"
	}
	return ""
}

func (s *Server) verified(u string) bool {
	return u != "" && (s.opts.VerifiedPrefix == "" || strings.HasPrefix(u, s.opts.VerifiedPrefix))
}

func (s *Server) add(p *Publish) string {
	s.nextID++
	p.ID = "v_pub_file~v2-1." + strconv.FormatInt(s.nextID, 10)
	s.publishes[p.ID] = p
	s.order = append(s.order, p.ID)
	return p.ID
}

func (s *Server) initPhoto(w http.ResponseWriter, body []byte) {
	var b initBody
	if err := json.Unmarshal(body, &b); err != nil || b.MediaType != "PHOTO" {
		fail(w, 400, "invalid_params", "media_type must be PHOTO")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.limited(w) {
		return
	}
	p := &Publish{Kind: "photo", Source: b.SourceInfo.Source, Mode: "direct"}
	switch b.PostMode {
	case "DIRECT_POST":
		if !s.checkPost(w, b, 90) {
			return
		}
		if n := len(utf16.Encode([]rune(b.PostInfo.Description))); n > 4000 {
			fail(w, 400, "invalid_params", "description is longer than 4000 UTF-16 runes")
			return
		}
		p.Privacy = b.PostInfo.PrivacyLevel
	case "MEDIA_UPLOAD":
		p.Mode = "inbox"
	default:
		fail(w, 400, "invalid_params", "post_mode must be DIRECT_POST or MEDIA_UPLOAD")
		return
	}
	if b.PostInfo != nil {
		p.Title, p.Description, p.DisableComment, p.BrandContent, p.BrandOrganic = b.PostInfo.Title, b.PostInfo.Description, b.PostInfo.DisableComment, b.PostInfo.BrandContent, b.PostInfo.BrandOrganic
	}
	if b.SourceInfo.Source != "PULL_FROM_URL" || len(b.SourceInfo.PhotoImages) == 0 || len(b.SourceInfo.PhotoImages) > 35 {
		fail(w, 400, "invalid_params", "photo posts pull 1 to 35 photo_images from URLs")
		return
	}
	for _, u := range b.SourceInfo.PhotoImages {
		if !s.verified(u) {
			fail(w, 403, "url_ownership_unverified", "The domain or URL prefix of a photo is not verified.")
			return
		}
	}
	p.URLs, p.Status, p.pollsLeft = b.SourceInfo.PhotoImages, "PROCESSING_DOWNLOAD", s.opts.ProcessingPolls
	ok(w, map[string]any{"publish_id": s.add(p)})
}

func (s *Server) chunk(w http.ResponseWriter, r *http.Request, body []byte) {
	id := strings.TrimPrefix(r.URL.Path, "/upload/")
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.publishes[id]
	if p == nil || p.Source != "FILE_UPLOAD" {
		http.Error(w, "unknown upload", http.StatusNotFound)
		return
	}
	var from, to, total int
	if _, err := fmt.Sscanf(r.Header.Get("Content-Range"), "bytes %d-%d/%d", &from, &to, &total); err != nil || total != p.Size || to-from+1 != len(body) {
		http.Error(w, "bad Content-Range", http.StatusRequestedRangeNotSatisfiable)
		return
	}
	last := from/p.ChunkSize == p.Chunks-1
	if from%p.ChunkSize != 0 || (!last && len(body) != p.ChunkSize) || (last && to != total-1) {
		http.Error(w, "chunk does not follow chunk_size", http.StatusRequestedRangeNotSatisfiable)
		return
	}
	if from != len(p.Received) {
		if from < len(p.Received) && from+len(body) <= len(p.Received) {
			w.WriteHeader(http.StatusPartialContent) // a chunk sent again
			return
		}
		http.Error(w, "chunks must come in order", http.StatusRequestedRangeNotSatisfiable)
		return
	}
	p.Received = append(p.Received, body...)
	if len(p.Received) < p.Size {
		w.WriteHeader(http.StatusPartialContent)
		return
	}
	p.Status, p.pollsLeft = "PROCESSING_UPLOAD", s.opts.ProcessingPolls
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) status(w http.ResponseWriter, body []byte) {
	var b struct {
		PublishID string `json:"publish_id"`
	}
	_ = json.Unmarshal(body, &b)
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.publishes[b.PublishID]
	if p == nil {
		fail(w, 400, "invalid_publish_id", "publish_id does not exist")
		return
	}
	done := p.Source != "FILE_UPLOAD" || len(p.Received) == p.Size
	if done && p.Status != "PUBLISH_COMPLETE" && p.Status != "FAILED" && p.Status != "SEND_TO_USER_INBOX" {
		if p.pollsLeft > 0 {
			p.pollsLeft--
		} else {
			s.finish(p)
		}
	}
	data := map[string]any{"status": p.Status, "uploaded_bytes": len(p.Received)}
	if p.FailReason != "" {
		data["fail_reason"] = p.FailReason
	}
	if p.PostID != 0 {
		data["publicaly_available_post_id"] = []int64{p.PostID}
	}
	ok(w, data)
}

func (s *Server) finish(p *Publish) {
	switch {
	case s.opts.FailReason != "":
		p.Status, p.FailReason = "FAILED", s.opts.FailReason
	case p.Mode == "inbox":
		p.Status = "SEND_TO_USER_INBOX"
	default:
		p.Status = "PUBLISH_COMPLETE"
		if p.Privacy != "SELF_ONLY" {
			s.nextID++
			p.PostID = s.nextID
			s.videos[p.PostID] = &Video{ID: p.PostID}
		}
	}
}

func (s *Server) query(w http.ResponseWriter, body []byte) {
	var b struct {
		Filters struct {
			VideoIDs []string `json:"video_ids"`
		} `json:"filters"`
	}
	if err := json.Unmarshal(body, &b); err != nil || len(b.Filters.VideoIDs) == 0 || len(b.Filters.VideoIDs) > 20 {
		fail(w, 400, "invalid_params", "filters.video_ids must hold 1 to 20 ids")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	videos := []map[string]any{}
	for _, id := range b.Filters.VideoIDs {
		n, _ := strconv.ParseInt(id, 10, 64)
		if v := s.videos[n]; v != nil {
			videos = append(videos, map[string]any{"id": id, "title": "", "view_count": v.Views, "like_count": v.Likes, "comment_count": v.Comments, "share_count": v.Shares})
		}
	}
	ok(w, map[string]any{"videos": videos, "cursor": 0, "has_more": false})
}
