// Package youtubetest is a contract-faithful fake of the YouTube Data API v3,
// the YouTube Analytics API v2 and Google's OAuth 2.0 endpoints for
// connector tests, on real loopback HTTP: the consent page and token
// endpoint (PKCE, refresh tokens that stop working after 7 days of test
// clock in "Testing" mode, invalid_grant), channels.list, the resumable
// upload (sessions, 256 KiB chunks, 308 Resume Incomplete with Range, the
// bytes */N status query, interrupted chunks), videos.list statistics and
// delete, thumbnails.set, playlistItems.insert, comment threads, replies,
// moderation and analytics reports. It validates metadata like YouTube
// (title 100 characters without < or >, description 5,000 bytes, tags 500,
// publishAt needs private), counts quota units per Pacific day and answers
// 403 quotaExceeded past the budget, answers Google's error shapes, records
// requests and can be switched into failures per route.
package youtubetest

import (
	"encoding/json"
	"fmt"
	"github.com/relais/relais/internal/network/fakerec"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// Options configures a fake.
type Options struct {
	// Now is the fake's clock (default time.Now): token expiry, refresh-token
	// expiry in Testing mode and the quota day follow it.
	Now func() time.Time
	// ClientID and ClientSecret are the registered Google client (defaults "fake-client.apps.googleusercontent.com", "fake-secret").
	ClientID, ClientSecret string
	// TokenLifetime is the access token's life (default 1 h, like Google).
	TokenLifetime time.Duration
	// Testing makes refresh tokens expire 7 days after they were issued, like
	// an app whose consent screen is in "Testing".
	Testing bool
	// DailyUnits is the project's quota (default 10,000); UploadsPerDay the
	// videos.insert bucket and SearchesPerDay the search.list bucket (default
	// 100 calls each).
	DailyUnits, UploadsPerDay, SearchesPerDay int
	// NoChannel makes the Google account have no YouTube channel.
	NoChannel bool
}

// FaultKind is a failure the fake can be switched into.
type FaultKind string

// The faults.
const (
	// Invalid answers 400 badRequest.
	Invalid FaultKind = "invalid"
	// Unauthorized answers 401 in Google's shape.
	Unauthorized FaultKind = "unauthorized"
	// QuotaExceeded answers 403 quotaExceeded.
	QuotaExceeded FaultKind = "quota_exceeded"
	// Forbidden answers 403 insufficientPermissions.
	Forbidden FaultKind = "forbidden"
	// ServerError answers 503 without doing anything.
	ServerError FaultKind = "server_error"
	// CommitThenFail does the work, then answers 500.
	CommitThenFail FaultKind = "commit_then_fail"
	// CommitThenDrop does the work, then drops the connection.
	CommitThenDrop FaultKind = "commit_then_drop"
	// Drop drops the connection without doing anything.
	Drop FaultKind = "drop"
	// Interrupt (on "PUT /upload/youtube/v3/videos") keeps the first 256 KiB
	// of the chunk, then drops the connection: an upload cut mid-chunk.
	Interrupt FaultKind = "interrupt"
	// Expire (on the session PUT) makes the session gone: 404 from then on.
	Expire FaultKind = "expire"
)

// Fault switches a route ("POST /youtube/v3/comments") into a failure for its next Times calls (default 1).
type Fault struct {
	Route string
	Kind  FaultKind
	Times int
}

// Request is one recorded request (upload bodies are not kept, only their length).
type Request struct {
	Method, Path string
	Query        url.Values
	Header       http.Header
	Body         []byte
	Length       int
}

// Video is a video on the fake.
type Video struct {
	ID, Title, Description, CategoryID, Privacy, PublishAt string
	Tags                                                   []string
	MadeForKids                                            bool
	Size                                                   int
	Thumbnail                                              []byte
	Views, Likes, Comments, Shares                         int64
	CommentsDisabled, Deleted                              bool
}

// Comment is a comment on the fake.
type Comment struct {
	ID, VideoID, ParentID, AuthorID, AuthorName, Text string
	Moderation                                        string
	PublishedAt                                       time.Time
}

type session struct {
	meta     map[string]any
	size     int
	received []byte
	mime     string
	done     string
	gone     bool
}

type token struct {
	expires time.Time
}

// Server is the fake.
type Server struct {
	URL  string
	opts Options
	srv  *httptest.Server

	mu        sync.Mutex
	access    map[string]token
	refresh   map[string]time.Time // refresh token → issued at
	codes     map[string][2]string // code → {challenge, redirect}
	sessions  map[string]*session
	videos    []*Video
	comments  []*Comment
	playlist  map[string][]string
	faults    fakerec.Faults[FaultKind]
	requests  []Request
	units     int
	uploads   int
	searches  int
	quotaDay  string
	nextID    int
	defaultTk string
	defaultRt string
	subs      int64
	others    []*OtherChannel
}

// OtherChannel is another creator's channel the fake serves to
// channels.list (forHandle, id), its uploads playlist ("UU…") to
// playlistItems.list and its videos to videos.list (an influencer).
type OtherChannel struct {
	ID, Handle, Title, Description string
	Subscribers                    int64
	HiddenSubscribers              bool
	Videos                         []OtherVideo
}

// OtherVideo is one upload of an OtherChannel, newest first.
type OtherVideo struct {
	ID, Title, Description string
	PublishedAt            time.Time
	Views, Likes, Comments int64
}

// AddChannel makes another channel known to the fake.
func (s *Server) AddChannel(c OtherChannel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.others = append(s.others, &c)
}

// uploadsOf is a channel's uploads playlist id, as YouTube derives it.
func uploadsOf(channelID string) string { return "UU" + strings.TrimPrefix(channelID, "UC") }

// ChannelID is the fake channel's id.
const ChannelID = "UCrelaisFakeChannel000001"

// New starts a fake with one channel and a token pair for it.
func New(t testing.TB, o Options) *Server {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ClientID == "" {
		o.ClientID = "fake-client.apps.googleusercontent.com"
	}
	if o.ClientSecret == "" {
		o.ClientSecret = "fake-secret"
	}
	if o.TokenLifetime == 0 {
		o.TokenLifetime = time.Hour
	}
	if o.DailyUnits == 0 {
		o.DailyUnits = 10_000
	}
	if o.UploadsPerDay == 0 {
		o.UploadsPerDay = 100
	}
	if o.SearchesPerDay == 0 {
		o.SearchesPerDay = 100
	}
	s := &Server{opts: o, access: map[string]token{}, refresh: map[string]time.Time{}, codes: map[string][2]string{},
		sessions: map[string]*session{}, playlist: map[string][]string{"PLrelais": nil}, subs: 1234}
	s.defaultTk, s.defaultRt = s.issue(true)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// ClientID and ClientSecret are the registered Google client.
func (s *Server) ClientID() string     { return s.opts.ClientID }
func (s *Server) ClientSecret() string { return s.opts.ClientSecret }

// Tokens returns the channel's first access and refresh tokens.
func (s *Server) Tokens() (access, refresh string) { return s.defaultTk, s.defaultRt }

// Expire makes every access token expired (refresh tokens stay valid).
func (s *Server) Expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.access {
		s.access[k] = token{expires: s.opts.Now().Add(-time.Second)}
	}
}

// RevokeRefresh makes every refresh token invalid (the user removed the app).
func (s *Server) RevokeRefresh() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh = map[string]time.Time{}
}

// Inject adds a fault.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.Add(f.Route, f.Kind, f.Times)
}

// Clear removes every fault still pending.
func (s *Server) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.Clear()
}

// Requests returns the recorded requests.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns how many requests a route ("POST /upload/youtube/v3/videos") received.
func (s *Server) Count(route string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method+" "+r.Path == route {
			n++
		}
	}
	return n
}

// Videos returns the videos not deleted, oldest first.
func (s *Server) Videos() []Video {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Video
	for _, v := range s.videos {
		if !v.Deleted {
			out = append(out, *v)
		}
	}
	return out
}

// Video returns one video.
func (s *Server) Video(id string) (Video, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v := s.video(id); v != nil {
		return *v, true
	}
	return Video{}, false
}

// Playlist returns the video ids of a playlist.
func (s *Server) Playlist(id string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.playlist[id]...)
}

// Comment returns one comment.
func (s *Server) Comment(id string) (Comment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.comments {
		if c.ID == id {
			return *c, true
		}
	}
	return Comment{}, false
}

// Units returns the quota units and uploads counted today.
func (s *Server) Units() (units, uploads int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.units, s.uploads
}

// SetStatistics sets a video's counts.
func (s *Server) SetStatistics(id string, views, likes, shares int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v := s.video(id); v != nil {
		v.Views, v.Likes, v.Shares = views, likes, shares
	}
}

// DisableComments turns a video's comments off.
func (s *Server) DisableComments(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v := s.video(id); v != nil {
		v.CommentsDisabled = true
	}
}

// AddComment makes another channel comment under a video, or reply to a
// top-level comment (parentID), and returns the comment's id.
func (s *Server) AddComment(videoID, parentID, author, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addComment(videoID, parentID, "UC"+author, author, text).ID
}

func (s *Server) addComment(videoID, parentID, authorID, author, text string) *Comment {
	s.nextID++
	id := fmt.Sprintf("Ugz%05dAaBbCc", s.nextID)
	if parentID != "" {
		id = parentID + "." + fmt.Sprintf("AZ%05d", s.nextID)
	}
	c := &Comment{ID: id, VideoID: videoID, ParentID: parentID, AuthorID: authorID, AuthorName: author, Text: text, Moderation: "published",
		PublishedAt: s.opts.Now().UTC().Truncate(time.Second).Add(time.Duration(s.nextID) * time.Millisecond)}
	s.comments = append(s.comments, c)
	if v := s.video(videoID); v != nil {
		v.Comments++
	}
	return c
}

func (s *Server) video(id string) *Video {
	for _, v := range s.videos {
		if v.ID == id && !v.Deleted {
			return v
		}
	}
	return nil
}

func (s *Server) issue(withRefresh bool) (string, string) {
	a := "ya29." + randomString()
	s.access[a] = token{expires: s.opts.Now().Add(s.opts.TokenLifetime)}
	if !withRefresh {
		return a, ""
	}
	r := "1//" + randomString()
	s.refresh[r] = s.opts.Now()
	return a, r
}

func randomString() string { return fakerec.RandomString(18) }

// googleError writes Google's error shape.
func googleError(w http.ResponseWriter, status int, reason, domain, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{
		"code": status, "message": msg,
		"errors": []any{map[string]string{"message": msg, "domain": domain, "reason": reason}},
		"status": map[int]string{400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 500: "INTERNAL", 503: "UNAVAILABLE"}[status],
	}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func drop(w http.ResponseWriter) { fakerec.DropConn(w) }

func runes(s string) int { return utf8.RuneCountInString(s) }

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func strs(v any) []string {
	var out []string
	if a, ok := v.([]any); ok {
		for _, x := range a {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func obj(m map[string]any, k string) map[string]any {
	o, _ := m[k].(map[string]any)
	if o == nil {
		return map[string]any{}
	}
	return o
}

func lower(s string) string { return strings.ToLower(s) }
