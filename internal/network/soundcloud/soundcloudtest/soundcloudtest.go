// Package soundcloudtest is a contract-faithful fake of the SoundCloud API
// for connector tests, on real loopback HTTP: OAuth 2.1 (authorize page
// that requires PKCE S256, token endpoint with single-use refresh tokens),
// /me and /me/tracks, track upload (multipart track[...] fields, the audio
// in track[asset_data] and the artwork in track[artwork_data]), track
// lookup and delete, comments (paged with linked_partitioning and
// next_href; posting with body and timestamp). It checks the
// "Authorization: OAuth" header, validates input like SoundCloud (title,
// audio type, sharing, license), answers errors as {"code","message",
// "link","status","errors"}, records requests and can be switched into
// failures per route.
package soundcloudtest

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/network/oauthtok/fakeauth"
)

// Options configures a fake.
type Options struct {
	Now                    func() time.Time
	ClientID, ClientSecret string
	// TokenLifetime is the access token's life (default an hour).
	TokenLifetime time.Duration
}

// The faults.
const (
	Invalid        = fakeauth.Invalid
	Unauthorized   = fakeauth.Unauthorized
	Forbidden      = fakeauth.Forbidden
	RateLimited    = fakeauth.RateLimited
	ServerError    = fakeauth.ServerError
	CommitThenFail = fakeauth.CommitThenFail
	CommitThenDrop = fakeauth.CommitThenDrop
	Drop           = fakeauth.Drop
)

// Fault is a failure for a route ("POST /tracks").
type Fault = fakeauth.Fault

// Track is a track on the fake.
type Track struct {
	ID                                   int64
	UserID                               int64
	Title, Description, TagList, Sharing string
	License                              string
	Downloadable                         bool
	AudioMIME, ArtworkMIME               string
	AudioSize                            int
	CreatedAt                            time.Time
	Plays, Likes, Reposts                int64
	Comments                             []Comment
	Deleted                              bool
}

// Comment is a comment on the fake.
type Comment struct {
	ID, UserID int64
	Username   string
	Body       string
	Position   int64
	CreatedAt  time.Time
}

// Server is the fake.
type Server struct {
	*fakeauth.Base
	URL    string
	opts   Options
	srv    *httptest.Server
	self   int64
	tracks []*Track
	nextID int64
	// Followers is the account's follower count.
	followers int64
}

// New starts a fake with one account (relaisfake, id 1001).
func New(t testing.TB, o Options) *Server {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ClientID == "" {
		o.ClientID = "fake-client"
	}
	if o.ClientSecret == "" {
		o.ClientSecret = "fake-secret"
	}
	if o.TokenLifetime == 0 {
		o.TokenLifetime = time.Hour
	}
	s := &Server{
		Base: fakeauth.NewBase(fakeauth.Config{Now: o.Now, ClientID: o.ClientID, ClientSecret: o.ClientSecret, SecretInForm: true, PKCE: true,
			TokenLifetime: o.TokenLifetime, Scope: ""}, "1001"),
		opts: o, self: 1001, nextID: 1500000000, followers: 64,
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Tracks returns the tracks not deleted, oldest first.
func (s *Server) Tracks() []Track {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	var out []Track
	for _, t := range s.tracks {
		if !t.Deleted {
			out = append(out, *t)
		}
	}
	return out
}

// Track returns one track.
func (s *Server) Track(id string) (Track, bool) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	t := s.find(id)
	if t == nil {
		return Track{}, false
	}
	return *t, true
}

// AddComment makes another user comment on a track at a position (ms).
func (s *Server) AddComment(trackID, username, body string, position int64) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if t := s.find(trackID); t != nil {
		s.nextID++
		t.Comments = append(t.Comments, Comment{ID: s.nextID, UserID: 2000 + int64(len(username)), Username: username, Body: body, Position: position, CreatedAt: s.opts.Now()})
	}
}

// SetCounts sets a track's plays, likes and reposts.
func (s *Server) SetCounts(trackID string, plays, likes, reposts int64) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if t := s.find(trackID); t != nil {
		t.Plays, t.Likes, t.Reposts = plays, likes, reposts
	}
}

// SetFollowers sets the account's followers.
func (s *Server) SetFollowers(n int64) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.followers = n
}

func (s *Server) find(id string) *Track {
	for _, t := range s.tracks {
		if strconv.FormatInt(t.ID, 10) == id && !t.Deleted {
			return t
		}
	}
	return nil
}

// RouteOf turns a path into its route (numeric ids become :id).
func RouteOf(p string) string {
	parts := strings.Split(p, "/")
	for i, seg := range parts {
		if seg != "" && strings.Trim(seg, "0123456789") == "" {
			parts[i] = ":id"
		}
	}
	return strings.Join(parts, "/")
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body := fakeauth.ReadAll(r)
	route := RouteOf(r.URL.Path)
	s.Serve(w, r, route, body, fail, func(w http.ResponseWriter) { s.route(w, r, r.Method+" "+route, body) })
}

// errorJSON answers SoundCloud's error shape.
func errorJSON(w http.ResponseWriter, status int, msg string) {
	fakeauth.WriteJSON(w, status, map[string]any{"code": status, "message": msg, "link": "https://developers.soundcloud.com/docs/api/explorer/open-api",
		"status": fmt.Sprintf("%d - %s", status, http.StatusText(status)), "errors": []any{map[string]string{"error_message": msg}}, "error": nil})
}

func fail(w http.ResponseWriter, k fakeauth.FaultKind) {
	switch k {
	case Invalid:
		errorJSON(w, 422, "track[title] is missing")
	case Unauthorized:
		errorJSON(w, 401, "invalid_token")
	case Forbidden:
		errorJSON(w, 403, "Forbidden")
	case RateLimited:
		w.Header().Set("Retry-After", "600")
		errorJSON(w, 429, "Too Many Requests")
	default:
		errorJSON(w, 503, "Service Unavailable")
	}
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, route string, body []byte) {
	switch route {
	case "GET /authorize":
		s.Authorize(w, r)
		return
	case "POST /oauth/token":
		s.Token(w, r, body)
		return
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "OAuth ") {
		errorJSON(w, 401, "the Authorization header must be \"OAuth ACCESS_TOKEN\"")
		return
	}
	if _, ok := s.Bearer(r); !ok {
		errorJSON(w, 401, "invalid_token")
		return
	}
	parts := strings.Split(r.URL.Path, "/")
	id := ""
	if len(parts) > 2 {
		id = parts[2]
	}
	switch route {
	case "GET /me":
		s.Mu.Lock()
		n := int64(0)
		for _, t := range s.tracks {
			if !t.Deleted {
				n++
			}
		}
		out := map[string]any{"id": s.self, "kind": "user", "username": "Relais Fake", "permalink": "relaisfake", "permalink_url": "https://soundcloud.com/relaisfake",
			"full_name": "Relais Fake", "avatar_url": "https://i1.sndcdn.com/avatars-relaisfake-large.jpg", "followers_count": s.followers, "followings_count": 5, "track_count": n}
		s.Mu.Unlock()
		fakeauth.WriteJSON(w, 200, out)
	case "GET /me/tracks":
		s.Mu.Lock()
		var out []map[string]any
		for i := len(s.tracks) - 1; i >= 0 && len(out) < 20; i-- {
			if !s.tracks[i].Deleted {
				out = append(out, s.trackJSON(s.tracks[i]))
			}
		}
		s.Mu.Unlock()
		fakeauth.WriteJSON(w, 200, map[string]any{"collection": out, "next_href": nil})
	case "POST /tracks":
		s.upload(w, r, body)
	case "GET /tracks/:id":
		s.Mu.Lock()
		defer s.Mu.Unlock()
		t := s.find(id)
		if t == nil {
			errorJSON(w, 404, "Not Found")
			return
		}
		fakeauth.WriteJSON(w, 200, s.trackJSON(t))
	case "DELETE /tracks/:id":
		s.Mu.Lock()
		defer s.Mu.Unlock()
		t := s.find(id)
		if t == nil {
			errorJSON(w, 404, "Not Found")
			return
		}
		t.Deleted = true
		fakeauth.WriteJSON(w, 200, map[string]any{})
	case "GET /tracks/:id/comments":
		s.listComments(w, r, id)
	case "POST /tracks/:id/comments":
		s.postComment(w, r, id, body)
	default:
		errorJSON(w, 404, "Not Found")
	}
}

func (s *Server) trackJSON(t *Track) map[string]any {
	return map[string]any{"id": t.ID, "kind": "track", "title": t.Title, "description": t.Description, "tag_list": t.TagList, "sharing": t.Sharing,
		"license": t.License, "downloadable": t.Downloadable, "state": "finished", "user_id": t.UserID,
		"permalink_url": fmt.Sprintf("https://soundcloud.com/relaisfake/track-%d", t.ID), "created_at": t.CreatedAt.UTC().Format("2006/01/02 15:04:05 +0000"),
		"playback_count": t.Plays, "favoritings_count": t.Likes, "reposts_count": t.Reposts, "comment_count": len(t.Comments)}
}

var licenses = map[string]bool{"": true, "no-rights-reserved": true, "all-rights-reserved": true, "cc-by": true, "cc-by-nc": true, "cc-by-nd": true,
	"cc-by-sa": true, "cc-by-nc-nd": true, "cc-by-nc-sa": true}

func (s *Server) upload(w http.ResponseWriter, r *http.Request, body []byte) {
	ctype, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ctype != "multipart/form-data" {
		errorJSON(w, 400, "uploads must be multipart/form-data")
		return
	}
	t := &Track{Sharing: "public", Downloadable: true, UserID: s.self, CreatedAt: s.opts.Now()}
	mr := multipart.NewReader(strings.NewReader(string(body)), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		data, _ := io.ReadAll(p)
		switch p.FormName() {
		case "track[title]":
			t.Title = string(data)
		case "track[description]":
			t.Description = string(data)
		case "track[tag_list]":
			t.TagList = string(data)
		case "track[sharing]":
			t.Sharing = string(data)
		case "track[license]":
			t.License = string(data)
		case "track[downloadable]":
			t.Downloadable = string(data) == "true"
		case "track[asset_data]":
			t.AudioMIME, t.AudioSize = p.Header.Get("Content-Type"), len(data)
		case "track[artwork_data]":
			t.ArtworkMIME = p.Header.Get("Content-Type")
		default:
			errorJSON(w, 422, "unknown field "+p.FormName())
			return
		}
	}
	switch {
	case strings.TrimSpace(t.Title) == "":
		errorJSON(w, 422, "track[title] is missing")
	case len([]rune(t.Title)) > 100:
		errorJSON(w, 422, "track[title] is too long")
	case t.AudioSize == 0 || !strings.HasPrefix(t.AudioMIME, "audio/"):
		errorJSON(w, 422, "track[asset_data] must be an audio file")
	case t.ArtworkMIME != "" && !strings.HasPrefix(t.ArtworkMIME, "image/"):
		errorJSON(w, 422, "track[artwork_data] must be an image")
	case t.Sharing != "public" && t.Sharing != "private":
		errorJSON(w, 422, "track[sharing] must be public or private")
	case !licenses[t.License]:
		errorJSON(w, 422, "track[license] is invalid")
	default:
		s.Mu.Lock()
		s.nextID += 7
		t.ID = s.nextID
		s.tracks = append(s.tracks, t)
		out := s.trackJSON(t)
		out["state"] = "processing"
		s.Mu.Unlock()
		fakeauth.WriteJSON(w, 201, out)
	}
}

// commentPage is how many comments one page holds.
const commentPage = 2

func (s *Server) listComments(w http.ResponseWriter, r *http.Request, id string) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	t := s.find(id)
	if t == nil {
		errorJSON(w, 404, "Not Found")
		return
	}
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	// Newest first, like SoundCloud.
	var list []Comment
	for i := len(t.Comments) - 1; i >= 0; i-- {
		list = append(list, t.Comments[i])
	}
	end := min(offset+commentPage, len(list))
	var out []map[string]any
	for _, c := range list[min(offset, len(list)):end] {
		out = append(out, map[string]any{"id": c.ID, "kind": "comment", "body": c.Body, "timestamp": c.Position, "track_id": t.ID, "user_id": c.UserID,
			"created_at": c.CreatedAt.UTC().Format("2006/01/02 15:04:05 +0000"),
			"user":       map[string]any{"id": c.UserID, "username": c.Username, "permalink": strings.ToLower(c.Username), "permalink_url": "https://soundcloud.com/" + strings.ToLower(c.Username)}})
	}
	resp := map[string]any{"collection": out, "next_href": nil}
	if end < len(list) {
		resp["next_href"] = fmt.Sprintf("%s/tracks/%s/comments?limit=%d&linked_partitioning=true&offset=%d", s.URL, id, commentPage, end)
	}
	fakeauth.WriteJSON(w, 200, resp)
}

func (s *Server) postComment(w http.ResponseWriter, r *http.Request, id string, body []byte) {
	var in struct {
		Comment struct {
			Body      string `json:"body"`
			Timestamp *int64 `json:"timestamp"`
		} `json:"comment"`
	}
	if err := json.Unmarshal(body, &in); err != nil || strings.TrimSpace(in.Comment.Body) == "" {
		errorJSON(w, 422, "comment[body] is missing")
		return
	}
	s.Mu.Lock()
	defer s.Mu.Unlock()
	t := s.find(id)
	if t == nil {
		errorJSON(w, 404, "Not Found")
		return
	}
	pos := int64(0)
	if in.Comment.Timestamp != nil {
		pos = *in.Comment.Timestamp
	}
	s.nextID++
	c := Comment{ID: s.nextID, UserID: s.self, Username: "Relais Fake", Body: in.Comment.Body, Position: pos, CreatedAt: s.opts.Now()}
	t.Comments = append(t.Comments, c)
	fakeauth.WriteJSON(w, 201, map[string]any{"id": c.ID, "kind": "comment", "body": c.Body, "timestamp": c.Position, "track_id": t.ID, "user_id": c.UserID,
		"created_at": c.CreatedAt.UTC().Format("2006/01/02 15:04:05 +0000")})
}
