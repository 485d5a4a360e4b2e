// Package vimeotest is a contract-faithful fake of the Vimeo API 3.4 for
// connector tests, on real loopback HTTP: the OAuth authorize page and
// token endpoint (Basic auth), /me, video creation with the tus approach
// and its upload link (HEAD for the offset, PATCH with Upload-Offset,
// 409 on a wrong offset), video resources with stats, delete, comments and
// replies. It checks the version in Accept, validates privacy like Vimeo,
// sends X-RateLimit-Limit/Remaining/Reset on every answer and 429 past the
// limit, records requests and can be switched into failures per route.
package vimeotest

import (
	"encoding/json"
	"github.com/relais/relais/internal/network/fakerec"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options configures a fake.
type Options struct {
	Now func() time.Time
	// ClientID and ClientSecret are the registered app (defaults "fake-vimeo-client", "fake-vimeo-secret").
	ClientID, ClientSecret string
	// RateLimit is the calls per window of 15 minutes (default 250).
	RateLimit int
	// Plan is the account's membership (default "plus"); on "basic" stats.plays is null.
	Plan string
}

// FaultKind is a failure the fake can be switched into.
type FaultKind string

// The faults.
const (
	Invalid        FaultKind = "invalid"
	Unauthorized   FaultKind = "unauthorized"
	RateLimited    FaultKind = "rate_limited"
	ServerError    FaultKind = "server_error"
	CommitThenFail FaultKind = "commit_then_fail"
	CommitThenDrop FaultKind = "commit_then_drop"
	Drop           FaultKind = "drop"
	// Interrupt (on "PATCH /tus/:id") keeps half the chunk, then drops the connection.
	Interrupt FaultKind = "interrupt"
)

// Fault switches a route ("POST /me/videos", "PATCH /tus/:id") into a failure for its next Times calls (default 1).
type Fault struct {
	Route string
	Kind  FaultKind
	Times int
}

// Request is one recorded request (upload bodies only by length).
type Request struct {
	Method, Path string
	Query        url.Values
	Header       http.Header
	Body         []byte
	Length       int
}

// Video is a video on the fake.
type Video struct {
	ID, Name, Description, View, Embed, Password string
	Size                                         int
	Received                                     []byte
	Created                                      time.Time
	Plays, Likes                                 int64
	Deleted                                      bool
}

// Comment is a comment on the fake.
type Comment struct {
	ID, VideoID, ParentID, UserURI, UserName, Text string
	Created                                        time.Time
}

// UserURI is the fake account.
const UserURI = "/users/4242"

// Server is the fake.
type Server struct {
	URL  string
	opts Options
	srv  *httptest.Server

	mu       sync.Mutex
	token    string
	codes    map[string]string
	videos   []*Video
	comments []*Comment
	faults   fakerec.Faults[FaultKind]
	requests []Request
	used     int
	reset    time.Time
	nextID   int
}

// New starts a fake with one account and its token.
func New(t testing.TB, o Options) *Server {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ClientID == "" {
		o.ClientID = "fake-vimeo-client"
	}
	if o.ClientSecret == "" {
		o.ClientSecret = "fake-vimeo-secret"
	}
	if o.RateLimit == 0 {
		o.RateLimit = 250
	}
	if o.Plan == "" {
		o.Plan = "plus"
	}
	s := &Server{opts: o, token: "vimeo-" + randomString(), codes: map[string]string{}, nextID: 900000000}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Token is the account's access token.
func (s *Server) Token() string { return s.token }

// ClientID and ClientSecret are the registered app.
func (s *Server) ClientID() string     { return s.opts.ClientID }
func (s *Server) ClientSecret() string { return s.opts.ClientSecret }

// Inject adds a fault.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.Add(f.Route, f.Kind, f.Times)
}

// Clear removes the faults still pending.
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

// Count returns how many requests a route ("POST /me/videos") received.
func (s *Server) Count(route string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method+" "+routeOf(r.Path) == route {
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

// SetStats sets a video's plays and likes.
func (s *Server) SetStats(id string, plays, likes int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v := s.video(id); v != nil {
		v.Plays, v.Likes = plays, likes
	}
}

// AddComment makes another user comment under a video or reply to a comment.
func (s *Server) AddComment(videoID, parentID, name, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addComment(videoID, parentID, "/users/"+strconv.Itoa(len(name)*1000+len(s.comments)), name, text).ID
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

func (s *Server) addComment(videoID, parentID, userURI, name, text string) *Comment {
	s.nextID++
	c := &Comment{ID: strconv.Itoa(s.nextID), VideoID: videoID, ParentID: parentID, UserURI: userURI, UserName: name, Text: text,
		Created: s.opts.Now().UTC().Truncate(time.Second)}
	s.comments = append(s.comments, c)
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

func randomString() string { return fakerec.RandomString(12) }

// routeOf turns a path into its route (numeric ids and tus ids as :id).
func routeOf(p string) string {
	parts := strings.Split(p, "/")
	for i, x := range parts {
		if i > 1 && x != "" && (strings.Trim(x, "0123456789") == "" || (i == 2 && parts[1] == "tus")) {
			parts[i] = ":id"
		}
	}
	return strings.Join(parts, "/")
}

func vimeoError(w http.ResponseWriter, status int, msg, dev string, code int) {
	writeJSON(w, status, map[string]any{"error": msg, "link": nil, "developer_message": dev, "error_code": code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/vnd.vimeo.video+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func drop(w http.ResponseWriter) { fakerec.DropConn(w) }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	route := r.Method + " " + routeOf(r.URL.Path)
	s.mu.Lock()
	rec := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Length: len(body)}
	if !strings.HasPrefix(r.URL.Path, "/tus/") {
		rec.Body = body
	}
	s.requests = append(s.requests, rec)
	fault := s.faults.Take(route)
	// The rate window: every answer carries the headers; past the limit, 429.
	now := s.opts.Now()
	if !now.Before(s.reset) {
		s.used, s.reset = 0, now.Add(15*time.Minute)
	}
	s.used++
	limited := s.used > s.opts.RateLimit || fault == RateLimited
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.opts.RateLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(s.opts.RateLimit-s.used, 0)))
	h.Set("X-RateLimit-Reset", s.reset.UTC().Format("2006-01-02T15:04:05+00:00"))
	h.Set("X-Request-Id", "req-"+randomString()[:6])
	s.mu.Unlock()
	switch {
	case limited:
		w.Header().Set("X-RateLimit-Remaining", "0")
		vimeoError(w, 429, "You have exceeded the rate limit for this endpoint. Try again later.", "Too many API requests.", 9000)
		return
	case fault == Invalid:
		vimeoError(w, 400, "The parameters passed to this API endpoint did not pass Vimeo's validation.", "Invalid parameters.", 2204)
		return
	case fault == Unauthorized:
		vimeoError(w, 401, "A valid user token must be passed.", "The token is invalid or was revoked.", 8003)
		return
	case fault == ServerError:
		vimeoError(w, 503, "Vimeo is having trouble.", "Service unavailable.", 0)
		return
	case fault == Drop:
		drop(w)
		return
	case fault == Interrupt:
		s.interrupt(r, body)
		drop(w)
		return
	}
	rw := &fakerec.Muted{ResponseWriter: w, Mute: fault == CommitThenFail || fault == CommitThenDrop}
	s.route(rw, r, route, body)
	switch fault {
	case CommitThenFail:
		vimeoError(w, 500, "Something went wrong.", "Internal error.", 0)
	case CommitThenDrop:
		drop(w)
	}
}
