// Package snapchattest is a fake of the Snapchat Public Profile API for
// connector tests, on real loopback HTTP: OAuth 2 (authorize page, token
// endpoint with refresh tokens), the signed-in user's Public Profile, media
// containers created with a base64 AES-256 key and IV, the multipart
// upload (INIT, ADD parts of at most 32 MB, FINALIZE) whose ciphertext the
// fake DECRYPTS with that key and IV and checks (whole blocks, PKCS#7
// padding, a JPEG, PNG or MP4 inside), media status polled from PENDING to
// READY, Stories, Saved Stories and Spotlights, and their stats. Errors are
// the Marketing API's {"request_status":"ERROR",…}; requests are recorded
// and routes can be switched into failures.
package snapchattest

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"sort"
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
	// ProcessingPolls is how many status checks answer PENDING before READY.
	ProcessingPolls int
	// NoProfile makes the account one without a Public Profile.
	NoProfile bool
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

// Fault is a failure for a route ("POST /v1/public_profiles/:id/stories").
type Fault = fakeauth.Fault

// Media is a media container on the fake.
type Media struct {
	ID, Type, Name string
	Key, IV        []byte
	Parts          map[int][]byte
	UploadID       string
	Finalized      bool
	// Plain is the decrypted file, set at FINALIZE.
	Plain     []byte
	pollsLeft int
	Status    string
}

// Post is a Story, Saved Story or Spotlight on the fake.
type Post struct {
	ID, Placement, MediaID, Title, Description, Locale string
	Views                                              int64
}

// ProfileID is the fake's Public Profile id.
const ProfileID = "2f4a6b8c-1d3e-4f5a-9b7c-0d1e2f3a4b5c"

// Server is the fake.
type Server struct {
	*fakeauth.Base
	URL         string
	opts        Options
	srv         *httptest.Server
	media       map[string]*Media
	posts       []*Post
	next        int
	subscribers int64
}

// New starts a fake with one Public Profile (relaisfake).
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
	s := &Server{
		Base: fakeauth.NewBase(fakeauth.Config{Now: o.Now, ClientID: o.ClientID, ClientSecret: o.ClientSecret, SecretInForm: true,
			TokenLifetime: 30 * time.Minute, Scope: "snapchat-profile-api"}, "relaisfake"),
		opts: o, media: map[string]*Media{}, subscribers: 1234,
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Posts returns the posts, oldest first.
func (s *Server) Posts() []Post {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	var out []Post
	for _, p := range s.posts {
		out = append(out, *p)
	}
	return out
}

// Media returns a media container.
func (s *Server) Media(id string) (Media, bool) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	m, ok := s.media[id]
	if !ok {
		return Media{}, false
	}
	return *m, true
}

// SetViews sets a post's views.
func (s *Server) SetViews(id string, n int64) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	for _, p := range s.posts {
		if p.ID == id {
			p.Views = n
		}
	}
}

// RouteOf turns a path into its route: the profile and media ids become :id.
func RouteOf(p string) string {
	parts := strings.Split(p, "/")
	for i := range parts {
		if i > 0 && (parts[i-1] == "public_profiles" || parts[i-1] == "media" || parts[i-1] == "stories" || parts[i-1] == "spotlights" || parts[i-1] == "saved_stories") && parts[i] != "" {
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

func errorJSON(w http.ResponseWriter, status int, code, msg string) {
	fakeauth.WriteJSON(w, status, map[string]any{"request_status": "ERROR", "request_id": "req-" + fakeauth.Random()[:8],
		"debug_message": msg, "display_message": msg, "error_code": code})
}

func fail(w http.ResponseWriter, k fakeauth.FaultKind) {
	switch k {
	case Invalid:
		errorJSON(w, 400, "E1001", "The request is invalid")
	case Unauthorized:
		errorJSON(w, 401, "E3003", "Unauthorized")
	case Forbidden:
		errorJSON(w, 403, "E3002", "This app is not allowlisted for the Public Profile API")
	case RateLimited:
		w.Header().Set("Retry-After", "90")
		errorJSON(w, 429, "E1010", "Too many requests")
	default:
		errorJSON(w, 503, "E2001", "Service unavailable")
	}
}

func ok(w http.ResponseWriter, status int, v map[string]any) {
	v["request_status"] = "SUCCESS"
	v["request_id"] = "req-" + fakeauth.Random()[:8]
	fakeauth.WriteJSON(w, status, v)
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, route string, body []byte) {
	switch route {
	case "GET /login/oauth2/authorize":
		s.Authorize(w, r)
		return
	case "POST /login/oauth2/access_token":
		s.Token(w, r, body)
		return
	}
	if _, authed := s.Bearer(r); !authed {
		errorJSON(w, 401, "E3003", "Unauthorized")
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) >= 3 && parts[1] == "public_profiles" && parts[2] != ProfileID {
		errorJSON(w, 404, "E1004", "profile not found")
		return
	}
	switch route {
	case "GET /v1/me/public_profile":
		if s.opts.NoProfile {
			ok(w, 200, map[string]any{"public_profiles": []any{}})
			return
		}
		s.Mu.Lock()
		n := s.subscribers
		s.Mu.Unlock()
		ok(w, 200, map[string]any{"public_profiles": []any{map[string]any{"sub_request_status": "SUCCESS", "public_profile": map[string]any{
			"id": ProfileID, "display_name": "Relais Fake", "snap_user_name": "relaisfake", "subscriber_count": n, "profile_type": "PUBLIC_PROFILE",
			"logo_urls": map[string]string{"original_logo_url": "https://cf-st.sc-cdn.net/relaisfake.png"}}}}})
	case "POST /v1/public_profiles/:id/media":
		s.createMedia(w, body)
	case "GET /v1/public_profiles/:id/media/:id":
		s.status(w, parts[len(parts)-1])
	case "POST /v1/public_profiles/:id/media/:id/multipart-upload-v2":
		s.multipart(w, r, parts[4], body)
	case "POST /v1/public_profiles/:id/stories", "POST /v1/public_profiles/:id/saved_stories", "POST /v1/public_profiles/:id/spotlights":
		s.post(w, parts[3], body)
	case "DELETE /v1/public_profiles/:id/saved_stories/:id":
		s.Mu.Lock()
		defer s.Mu.Unlock()
		for i, p := range s.posts {
			if p.ID == parts[4] && p.Placement == "saved_story" {
				s.posts = append(s.posts[:i], s.posts[i+1:]...)
				ok(w, 200, map[string]any{})
				return
			}
		}
		errorJSON(w, 404, "E1004", "saved story not found")
	case "GET /v1/public_profiles/:id/stories/:id/stats", "GET /v1/public_profiles/:id/spotlights/:id/stats", "GET /v1/public_profiles/:id/saved_stories/:id/stats":
		s.Mu.Lock()
		defer s.Mu.Unlock()
		for _, p := range s.posts {
			if p.ID == parts[4] {
				ok(w, 200, map[string]any{"stats": map[string]any{"views": p.Views, "screenshots": 0, "shares": 2}})
				return
			}
		}
		errorJSON(w, 404, "E1004", "not found")
	default:
		errorJSON(w, 404, "E1004", "Not found")
	}
}

func (s *Server) createMedia(w http.ResponseWriter, body []byte) {
	var in struct {
		Media []struct {
			Type, Name, Key, IV string
		} `json:"media"`
	}
	if err := json.Unmarshal(body, &in); err != nil || len(in.Media) != 1 {
		errorJSON(w, 400, "E1001", "media must hold one item")
		return
	}
	m := in.Media[0]
	key, kerr := base64.StdEncoding.DecodeString(m.Key)
	iv, ierr := base64.StdEncoding.DecodeString(m.IV)
	switch {
	case m.Type != "IMAGE" && m.Type != "VIDEO":
		errorJSON(w, 400, "E1001", "type must be IMAGE or VIDEO")
		return
	case m.Name == "":
		errorJSON(w, 400, "E1001", "name is required")
		return
	case kerr != nil || len(key) != 32:
		errorJSON(w, 400, "E1001", "key must be 32 bytes, base64 encoded")
		return
	case ierr != nil || len(iv) != 16:
		errorJSON(w, 400, "E1001", "iv must be 16 bytes, base64 encoded")
		return
	}
	s.Mu.Lock()
	s.next++
	id := fmt.Sprintf("9c0d%04d-aaaa-4bbb-8ccc-%012d", s.next, s.next)
	s.media[id] = &Media{ID: id, Type: m.Type, Name: m.Name, Key: key, IV: iv, Parts: map[int][]byte{}, Status: "PENDING_UPLOAD", pollsLeft: s.opts.ProcessingPolls}
	s.Mu.Unlock()
	ok(w, 200, map[string]any{"media": []any{map[string]any{"sub_request_status": "SUCCESS", "media": map[string]any{"id": id, "type": m.Type, "name": m.Name, "media_status": "PENDING_UPLOAD"}}}})
}

func (s *Server) status(w http.ResponseWriter, id string) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	m, found := s.media[id]
	if !found {
		errorJSON(w, 404, "E1004", "media not found")
		return
	}
	if m.Finalized && m.Status == "PENDING" {
		if m.pollsLeft > 0 {
			m.pollsLeft--
		} else {
			m.Status = "READY"
		}
	}
	ok(w, 200, map[string]any{"media": []any{map[string]any{"sub_request_status": "SUCCESS", "media": map[string]any{"id": id, "media_status": m.Status}}}})
}

func (s *Server) multipart(w http.ResponseWriter, r *http.Request, id string, body []byte) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	m, found := s.media[id]
	if !found {
		errorJSON(w, 404, "E1004", "media not found")
		return
	}
	switch r.URL.Query().Get("action") {
	case "INIT":
		var in struct {
			FileName      string `json:"file_name"`
			FileSize      int    `json:"file_size"`
			NumberOfParts int    `json:"number_of_parts"`
		}
		if err := json.Unmarshal(body, &in); err != nil || in.FileSize <= 0 || in.NumberOfParts <= 0 || in.FileSize%aes.BlockSize != 0 {
			errorJSON(w, 400, "E1001", "file_size and number_of_parts are required; an encrypted file is whole AES blocks")
			return
		}
		m.UploadID = "up-" + fakeauth.Random()[:10]
		base := r.URL.Path
		ok(w, 200, map[string]any{"upload_id": m.UploadID, "add_path": base + "?action=ADD", "finalize_path": base + "?action=FINALIZE"})
	case "ADD":
		ctype, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ctype != "multipart/form-data" {
			errorJSON(w, 400, "E1001", "parts are multipart/form-data")
			return
		}
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		fields := map[string]string{}
		var file []byte
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			b, _ := io.ReadAll(p)
			if p.FormName() == "file" {
				file = b
			} else {
				fields[p.FormName()] = string(b)
			}
		}
		n, _ := strconv.Atoi(fields["part_number"])
		switch {
		case fields["upload_id"] != m.UploadID || m.UploadID == "":
			errorJSON(w, 400, "E1001", "unknown upload_id")
		case n < 1 || len(file) == 0:
			errorJSON(w, 400, "E1001", "part_number and file are required")
		case len(file) > 32<<20:
			errorJSON(w, 400, "E1001", "a part is at most 32 MB")
		default:
			m.Parts[n] = file
			ok(w, 200, map[string]any{})
		}
	case "FINALIZE":
		var in struct {
			UploadID string `json:"upload_id"`
		}
		_ = json.Unmarshal(body, &in)
		if in.UploadID != m.UploadID || len(m.Parts) == 0 {
			errorJSON(w, 400, "E1001", "unknown upload_id or no parts")
			return
		}
		var nums []int
		for n := range m.Parts {
			nums = append(nums, n)
		}
		sort.Ints(nums)
		var enc []byte
		for i, n := range nums {
			if n != i+1 {
				errorJSON(w, 400, "E1001", fmt.Sprintf("part %d is missing", i+1))
				return
			}
			enc = append(enc, m.Parts[n]...)
		}
		plain, err := decrypt(enc, m.Key, m.IV)
		if err != nil {
			errorJSON(w, 400, "E1002", "the media could not be decrypted with its key and iv: "+err.Error())
			return
		}
		if kind := sniff(plain); kind != m.Type {
			errorJSON(w, 400, "E1002", fmt.Sprintf("the decrypted media is not a %s", m.Type))
			return
		}
		m.Plain, m.Finalized, m.Status = plain, true, "PENDING"
		ok(w, 200, map[string]any{})
	default:
		errorJSON(w, 400, "E1001", "action must be INIT, ADD or FINALIZE")
	}
}

func decrypt(data, key, iv []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if len(data)%aes.BlockSize != 0 || len(data) == 0 {
		return nil, errors.New("not whole blocks")
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, data)
	pad := int(out[len(out)-1])
	if pad == 0 || pad > aes.BlockSize {
		return nil, errors.New("bad padding")
	}
	for _, b := range out[len(out)-pad:] {
		if int(b) != pad {
			return nil, errors.New("bad padding")
		}
	}
	return out[:len(out)-pad], nil
}

// sniff says whether plain is an IMAGE (JPEG, PNG) or a VIDEO (MP4).
func sniff(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}), bytes.HasPrefix(b, []byte("\x89PNG")):
		return "IMAGE"
	case len(b) > 8 && string(b[4:8]) == "ftyp":
		return "VIDEO"
	}
	return ""
}

func (s *Server) post(w http.ResponseWriter, kind string, body []byte) {
	var in struct {
		MediaID      string `json:"media_id"`
		Description  string `json:"description"`
		Locale       string `json:"locale"`
		SavedStories []struct {
			SnapSources []struct {
				MediaID string `json:"media_id"`
			} `json:"snap_sources"`
			Title string `json:"title"`
		} `json:"saved_stories"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		errorJSON(w, 400, "E1001", "invalid JSON")
		return
	}
	p := &Post{MediaID: in.MediaID, Description: in.Description, Locale: in.Locale}
	switch kind {
	case "stories":
		p.Placement = "story"
	case "spotlights":
		p.Placement = "spotlight"
	case "saved_stories":
		p.Placement = "saved_story"
		if len(in.SavedStories) != 1 || len(in.SavedStories[0].SnapSources) != 1 || in.SavedStories[0].Title == "" {
			errorJSON(w, 400, "E1001", "a saved story needs one snap source and a title")
			return
		}
		p.MediaID, p.Title = in.SavedStories[0].SnapSources[0].MediaID, in.SavedStories[0].Title
	}
	s.Mu.Lock()
	defer s.Mu.Unlock()
	m, found := s.media[p.MediaID]
	switch {
	case !found:
		errorJSON(w, 400, "E1001", "media_id is unknown")
		return
	case m.Status != "READY":
		errorJSON(w, 400, "E1001", "the media is not ready: "+m.Status)
		return
	case p.Placement == "spotlight" && m.Type != "VIDEO":
		errorJSON(w, 400, "E1001", "Spotlight takes videos only")
		return
	}
	s.next++
	p.ID = fmt.Sprintf("5a1b%04d-cccc-4ddd-8eee-%012d", s.next, s.next)
	s.posts = append(s.posts, p)
	entity := map[string]any{"id": p.ID, "media_id": p.MediaID}
	key := map[string]string{"story": "story", "spotlight": "spotlight", "saved_story": "saved_story"}[p.Placement]
	ok(w, 200, map[string]any{kind: []any{map[string]any{"sub_request_status": "SUCCESS", key: entity}}})
}
