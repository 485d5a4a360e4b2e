// Package tumblrtest is a contract-faithful fake of the Tumblr API v2 for
// connector tests, on real loopback HTTP: OAuth 2 (authorize page, token
// endpoint with the client secret in the form, rotating refresh tokens
// granted only with offline_access), user/info with the account's blogs,
// blog info, NPF posts (JSON or multipart with the media parts matched by
// identifier; text, image, video and link blocks; link and mention
// formatting; tags; states published, queue, draft, private; reblogs with
// parent and reblog key), post fetch, edit and delete, the listings of
// published, queued and draft posts, notes (conversation mode with totals)
// and followers. It answers in the meta/response/errors envelope, sends
// X-Ratelimit-Perhour-* and -Perday-* headers, enforces the daily caps of
// 250 posts and 250 images (403 with subcodes 8023 and 8004), records
// requests and can be switched into failures per route.
package tumblrtest

import (
	"encoding/json"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/network/oauthtok/fakeauth"
)

// Options configures a fake.
type Options struct {
	// Now is the fake's clock (default time.Now).
	Now func() time.Time
	// ClientID and ClientSecret are the registered app (defaults "fake-client", "fake-secret").
	ClientID, ClientSecret string
	// TokenLifetime is the access token's life (default 42 minutes, Tumblr's 2,520 s).
	TokenLifetime time.Duration
	// DailyPosts and DailyImages are the per-user daily caps (default 250 each).
	DailyPosts, DailyImages int
	// HourlyCalls is the per-consumer hourly call limit (default 1,000).
	HourlyCalls int
}

// The faults (answered in Tumblr's envelope).
const (
	Invalid        = fakeauth.Invalid
	Unauthorized   = fakeauth.Unauthorized
	Forbidden      = fakeauth.Forbidden
	RateLimited    = fakeauth.RateLimited
	ServerError    = fakeauth.ServerError
	CommitThenFail = fakeauth.CommitThenFail
	CommitThenDrop = fakeauth.CommitThenDrop
	Drop           = fakeauth.Drop
	// DailyPostCap answers 403 with subcode 8023.
	DailyPostCap fakeauth.FaultKind = "daily_post_cap"
)

// Fault is a failure for a route ("POST /v2/blog/:blog/posts").
type Fault = fakeauth.Fault

// Block is one NPF content block as the fake stored it.
type Block struct {
	Type       string           `json:"type"`
	Text       string           `json:"text,omitempty"`
	Formatting []map[string]any `json:"formatting,omitempty"`
	Media      json.RawMessage  `json:"media,omitempty"`
	AltText    string           `json:"alt_text,omitempty"`
	URL        string           `json:"url,omitempty"`
}

// Upload is a file received in a multipart post.
type Upload struct {
	Identifier, MIME string
	Size             int
}

// Post is a post on the fake.
type Post struct {
	ID, Blog, BlogUUID, State string
	Content                   []Block
	Tags                      []string
	ParentBlogUUID            string
	ParentPostID              string
	ReblogKey                 string
	Uploads                   []Upload
	Timestamp                 int64
	Notes                     []Note
	Deleted                   bool
	Edited                    int
}

// Note is a note on a post.
type Note struct {
	Type, BlogName, BlogUUID, ReplyText, AddedText, PostID string
	Timestamp                                              int64
}

// Blog is a blog on the fake.
type Blog struct {
	Name, UUID, Title string
	Primary, Own      bool
	Followers         int64
}

// Server is the fake.
type Server struct {
	*fakeauth.Base
	URL  string
	opts Options
	srv  *httptest.Server

	blogs    []*Blog
	posts    []*Post
	nextID   int64
	perDay   map[string]int // "posts" / "images" → count today
	dayStart time.Time
	hourly   int
	hourEnds time.Time
}

// New starts a fake with an account owning two blogs: relaisfake (primary) and relaisart.
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
		o.TokenLifetime = 2520 * time.Second
	}
	if o.DailyPosts == 0 {
		o.DailyPosts = 250
	}
	if o.DailyImages == 0 {
		o.DailyImages = 250
	}
	if o.HourlyCalls == 0 {
		o.HourlyCalls = 1000
	}
	s := &Server{
		Base: fakeauth.NewBase(fakeauth.Config{Now: o.Now, ClientID: o.ClientID, ClientSecret: o.ClientSecret, SecretInForm: true,
			RefreshScope: "offline_access", TokenLifetime: o.TokenLifetime, Scope: "basic write offline_access"}, "relaisfake"),
		opts: o, nextID: 760000000000000000, perDay: map[string]int{},
		blogs: []*Blog{
			{Name: "relaisfake", UUID: "t:relaisFakeUUID01", Title: "Relais Fake", Primary: true, Own: true, Followers: 128},
			{Name: "relaisart", UUID: "t:relaisArtUUID002", Title: "Relais Art", Own: true, Followers: 7},
			{Name: "friend", UUID: "t:friendUUID000003", Title: "A Friend", Followers: 3},
		},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Posts returns the posts not deleted, oldest first.
func (s *Server) Posts() []Post {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	var out []Post
	for _, p := range s.posts {
		if !p.Deleted {
			out = append(out, *p)
		}
	}
	return out
}

// Post returns one post.
func (s *Server) Post(id string) (Post, bool) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	p := s.find(id)
	if p == nil {
		return Post{}, false
	}
	return *p, true
}

// AddPost makes blog post a text and returns its id (a post to reblog, or to receive notes).
func (s *Server) AddPost(blog, text string) string {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	b := s.blog(blog)
	return s.create(b, "published", []Block{{Type: "text", Text: text}}).ID
}

// AddNote adds a note to a post: "like", "reblog" (addedText may be empty) or "reply".
func (s *Server) AddNote(postID, kind, blogName, text string) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	p := s.find(postID)
	if p == nil {
		return
	}
	b := s.blog(blogName)
	s.nextID += 3
	n := Note{Type: kind, BlogName: b.Name, BlogUUID: b.UUID, Timestamp: s.opts.Now().Unix() + int64(len(p.Notes))}
	switch kind {
	case "reply":
		n.ReplyText = text
	case "reblog":
		n.AddedText, n.PostID = text, strconv.FormatInt(s.nextID, 10)
	}
	p.Notes = append(p.Notes, n)
}

// SetFollowers sets a blog's follower total.
func (s *Server) SetFollowers(blog string, n int64) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.blog(blog).Followers = n
}

// blog returns the blog named name, creating another person's blog on first use.
func (s *Server) blog(name string) *Blog {
	for _, b := range s.blogs {
		if b.Name == name || b.UUID == name || b.Name+".tumblr.com" == name {
			return b
		}
	}
	b := &Blog{Name: name, UUID: "t:" + name + "UUID", Title: name}
	s.blogs = append(s.blogs, b)
	return b
}

func (s *Server) findBlog(name string) *Blog {
	for _, b := range s.blogs {
		if b.Name == name || b.UUID == name || b.Name+".tumblr.com" == name {
			return b
		}
	}
	return nil
}

func (s *Server) find(id string) *Post {
	for _, p := range s.posts {
		if p.ID == id && !p.Deleted {
			return p
		}
	}
	return nil
}

func (s *Server) create(b *Blog, state string, content []Block) *Post {
	s.nextID += 1 + s.nextID%5
	p := &Post{ID: strconv.FormatInt(s.nextID, 10), Blog: b.Name, BlogUUID: b.UUID, State: state, Content: content, Timestamp: s.opts.Now().Unix()}
	s.posts = append(s.posts, p)
	return p
}

// RouteOf turns a path into its route: the blog identifier becomes :blog, numeric ids :id.
func RouteOf(p string) string {
	parts := strings.Split(p, "/")
	for i, seg := range parts {
		switch {
		case i == 3 && len(parts) > 3 && parts[2] == "blog":
			parts[i] = ":blog"
		case i > 3 && seg != "" && strings.Trim(seg, "0123456789") == "":
			parts[i] = ":id"
		}
	}
	return strings.Join(parts, "/")
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body := fakeauth.ReadAll(r)
	route := RouteOf(r.URL.Path)
	s.Serve(w, r, route, body, s.fault, func(w http.ResponseWriter) { s.route(w, r, r.Method+" "+route, body) })
}

// envelope answers Tumblr's {meta, response}.
func envelope(w http.ResponseWriter, status int, response any) {
	fakeauth.WriteJSON(w, status, map[string]any{"meta": map[string]any{"status": status, "msg": http.StatusText(status)}, "response": response})
}

// fail answers Tumblr's error envelope with one error.
func fail(w http.ResponseWriter, status, code int, title string) {
	e := map[string]any{"title": title, "detail": title}
	if code != 0 {
		e["code"] = code
	}
	fakeauth.WriteJSON(w, status, map[string]any{"meta": map[string]any{"status": status, "msg": http.StatusText(status)}, "response": []any{}, "errors": []any{e}})
}

func (s *Server) fault(w http.ResponseWriter, k fakeauth.FaultKind) {
	switch k {
	case Invalid:
		fail(w, 400, 8001, "'content' must be an array'")
	case Unauthorized:
		fail(w, 401, 0, "Unauthorized")
	case Forbidden:
		fail(w, 403, 0, "Forbidden")
	case RateLimited:
		w.Header().Set("X-Ratelimit-Perhour-Limit", strconv.Itoa(s.opts.HourlyCalls))
		w.Header().Set("X-Ratelimit-Perhour-Remaining", "0")
		w.Header().Set("X-Ratelimit-Perhour-Reset", "1800")
		fail(w, 429, 0, "Limit Exceeded")
	case DailyPostCap:
		fail(w, 403, 8023, "You have reached your daily posting limit.")
	default:
		fail(w, 503, 0, "Service Unavailable")
	}
}

// countCall counts a call against the hourly and daily windows and sets the headers; false when exhausted.
func (s *Server) countCall(w http.ResponseWriter) bool {
	now := s.opts.Now()
	s.Mu.Lock()
	if !now.Before(s.hourEnds) {
		s.hourly, s.hourEnds = 0, now.Add(time.Hour)
	}
	s.rollDay(now)
	s.hourly++
	rem, reset := s.opts.HourlyCalls-s.hourly, s.hourEnds.Sub(now)
	dayRem, dayReset := 5000-s.perDay["calls"]-1, s.dayStart.Add(24*time.Hour).Sub(now)
	s.perDay["calls"]++
	s.Mu.Unlock()
	h := w.Header()
	h.Set("X-Ratelimit-Perhour-Limit", strconv.Itoa(s.opts.HourlyCalls))
	h.Set("X-Ratelimit-Perhour-Remaining", strconv.Itoa(max(rem, 0)))
	h.Set("X-Ratelimit-Perhour-Reset", strconv.Itoa(int(reset/time.Second)))
	h.Set("X-Ratelimit-Perday-Limit", "5000")
	h.Set("X-Ratelimit-Perday-Remaining", strconv.Itoa(max(dayRem, 0)))
	h.Set("X-Ratelimit-Perday-Reset", strconv.Itoa(int(dayReset/time.Second)))
	if rem < 0 {
		fail(w, 429, 0, "Limit Exceeded")
		return false
	}
	return true
}

func (s *Server) rollDay(now time.Time) {
	y, m, d := now.UTC().Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if !day.Equal(s.dayStart) {
		s.dayStart = day
		clear(s.perDay)
	}
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, route string, body []byte) {
	switch route {
	case "GET /oauth2/authorize":
		s.Authorize(w, r)
		return
	case "POST /v2/oauth2/token":
		s.Token(w, r, body)
		return
	}
	if _, ok := s.Bearer(r); !ok {
		fail(w, 401, 0, "Unauthorized")
		return
	}
	if !s.countCall(w) {
		return
	}
	parts := strings.Split(r.URL.Path, "/")
	var b *Blog
	if len(parts) > 3 && parts[2] == "blog" {
		s.Mu.Lock()
		b = s.findBlog(parts[3])
		s.Mu.Unlock()
		if b == nil {
			fail(w, 404, 0, "Not Found")
			return
		}
	}
	id := parts[len(parts)-1]
	switch route {
	case "GET /v2/user/info":
		s.userInfo(w)
	case "GET /v2/blog/:blog/info":
		s.Mu.Lock()
		n := int64(0)
		for _, p := range s.posts {
			if p.Blog == b.Name && !p.Deleted && p.State == "published" {
				n++
			}
		}
		info := map[string]any{"name": b.Name, "uuid": b.UUID, "title": b.Title, "url": "https://" + b.Name + ".tumblr.com/", "posts": n}
		s.Mu.Unlock()
		envelope(w, 200, map[string]any{"blog": info})
	case "POST /v2/blog/:blog/posts":
		s.createPost(w, r, b, body)
	case "PUT /v2/blog/:blog/posts/:id":
		s.editPost(w, r, b, id, body)
	case "GET /v2/blog/:blog/posts/:id":
		s.getPost(w, b, id)
	case "GET /v2/blog/:blog/posts":
		s.list(w, b, "published")
	case "GET /v2/blog/:blog/posts/queue":
		s.list(w, b, "queue")
	case "GET /v2/blog/:blog/posts/draft":
		s.list(w, b, "draft")
	case "POST /v2/blog/:blog/post/delete":
		s.deletePost(w, r, b, body)
	case "GET /v2/blog/:blog/notes":
		s.notes(w, r, b)
	case "GET /v2/blog/:blog/followers":
		if !b.Own {
			fail(w, 403, 0, "Forbidden")
			return
		}
		s.Mu.Lock()
		n := b.Followers
		s.Mu.Unlock()
		envelope(w, 200, map[string]any{"total_users": n, "users": []any{}})
	default:
		fail(w, 404, 0, "Not Found")
	}
}

func (s *Server) userInfo(w http.ResponseWriter) {
	s.Mu.Lock()
	var blogs []map[string]any
	for _, b := range s.blogs {
		if b.Own {
			blogs = append(blogs, map[string]any{"name": b.Name, "uuid": b.UUID, "title": b.Title, "url": "https://" + b.Name + ".tumblr.com/",
				"primary": b.Primary, "followers": b.Followers, "type": "public", "admin": true})
		}
	}
	s.Mu.Unlock()
	envelope(w, 200, map[string]any{"user": map[string]any{"name": "relaisfake", "following": 12, "likes": 3, "default_post_format": "html", "blogs": blogs}})
}

// npfBody is what a create or edit request carries.
type npfBody struct {
	Content             *[]Block `json:"content"`
	State               string   `json:"state"`
	Tags                string   `json:"tags"`
	ParentTumblelogUUID string   `json:"parent_tumblelog_uuid"`
	ParentPostID        string   `json:"parent_post_id"`
	ReblogKey           string   `json:"reblog_key"`
}

// readBody parses JSON or multipart (a "json" part first, files by identifier).
func readBody(r *http.Request, body []byte) (npfBody, map[string]Upload, string) {
	var nb npfBody
	files := map[string]Upload{}
	ctype, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ctype {
	case "application/json":
		if err := json.Unmarshal(body, &nb); err != nil {
			return nb, nil, "the body is not valid JSON"
		}
	case "multipart/form-data":
		mr := multipart.NewReader(strings.NewReader(string(body)), params["boundary"])
		first := true
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			var buf strings.Builder
			n := 0
			tmp := make([]byte, 32<<10)
			for {
				k, err := p.Read(tmp)
				n += k
				if first {
					buf.Write(tmp[:k])
				}
				if err != nil {
					break
				}
			}
			if first {
				if p.FormName() != "json" {
					return nb, nil, "the first part of a multipart post must be the JSON"
				}
				if err := json.Unmarshal([]byte(buf.String()), &nb); err != nil {
					return nb, nil, "the json part is not valid JSON"
				}
				first = false
				continue
			}
			files[p.FormName()] = Upload{Identifier: p.FormName(), MIME: p.Header.Get("Content-Type"), Size: n}
		}
		if first {
			return nb, nil, "the multipart post has no json part"
		}
	default:
		return nb, nil, "Content-Type must be application/json or multipart/form-data"
	}
	return nb, files, ""
}

// check validates content blocks like Tumblr (npf-spec.md limits) and returns the uploads used.
func (s *Server) check(content []Block, files map[string]Upload) ([]Upload, int, string) {
	var used []Upload
	images, videos, links := 0, 0, 0
	for i, bl := range content {
		switch bl.Type {
		case "text":
			n := utf8.RuneCountInString(bl.Text)
			if n == 0 || n > 4096 {
				return nil, 8001, fmt.Sprintf("content[%d]: a text block has 1 to 4096 characters", i)
			}
			for _, f := range bl.Formatting {
				start, _ := f["start"].(float64)
				end, _ := f["end"].(float64)
				if start < 0 || end <= start || int(end) > n {
					return nil, 8001, fmt.Sprintf("content[%d]: formatting out of range", i)
				}
				switch f["type"] {
				case "link":
					if u, _ := f["url"].(string); !strings.HasPrefix(u, "http") {
						return nil, 8001, fmt.Sprintf("content[%d]: a link needs a url", i)
					}
				case "mention":
					blog, _ := f["blog"].(map[string]any)
					uuid, _ := blog["uuid"].(string)
					if s.findBlog(uuid) == nil || !strings.HasPrefix(uuid, "t:") {
						return nil, 8001, fmt.Sprintf("content[%d]: a mention needs a known blog uuid", i)
					}
				}
			}
		case "image", "video":
			var objs []map[string]any
			if bl.Type == "image" {
				images++
				_ = json.Unmarshal(bl.Media, &objs)
			} else {
				videos++
				var one map[string]any
				_ = json.Unmarshal(bl.Media, &one)
				objs = append(objs, one)
			}
			for _, o := range objs {
				idf, _ := o["identifier"].(string)
				f, ok := files[idf]
				if !ok {
					return nil, 8001, fmt.Sprintf("content[%d]: no uploaded part named %q", i, idf)
				}
				if !strings.HasPrefix(f.MIME, bl.Type+"/") {
					return nil, 8005, fmt.Sprintf("content[%d]: %s is not an accepted %s format", i, f.MIME, bl.Type)
				}
				used = append(used, f)
			}
		case "link":
			links++
			if !strings.HasPrefix(bl.URL, "http") {
				return nil, 8001, fmt.Sprintf("content[%d]: a link block needs a url", i)
			}
		default:
			return nil, 8001, fmt.Sprintf("content[%d]: unknown block type %q", i, bl.Type)
		}
	}
	if images > 30 || videos > 1 || links > 10 {
		return nil, 8001, "too many image, video or link blocks"
	}
	return used, 0, ""
}

var states = map[string]bool{"": true, "published": true, "queue": true, "draft": true, "private": true}

func (s *Server) createPost(w http.ResponseWriter, r *http.Request, b *Blog, body []byte) {
	nb, files, msg := readBody(r, body)
	if msg != "" {
		fail(w, 400, 8001, msg)
		return
	}
	if nb.Content == nil {
		fail(w, 400, 8001, "'content' must be an array'")
		return
	}
	if !states[nb.State] {
		fail(w, 400, 8001, "invalid state")
		return
	}
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if !b.Own {
		fail(w, 403, 0, "You cannot post to this blog")
		return
	}
	used, code, msg := s.check(*nb.Content, files)
	if msg != "" {
		fail(w, 400, code, msg)
		return
	}
	reblog := nb.ParentPostID != "" || nb.ParentTumblelogUUID != "" || nb.ReblogKey != ""
	if reblog {
		parent := s.find(nb.ParentPostID)
		if parent == nil || parent.BlogUUID != nb.ParentTumblelogUUID || nb.ReblogKey != reblogKey(parent.ID) {
			fail(w, 400, 8002, "The reblog parent post is invalid or cannot be found.")
			return
		}
		for _, bl := range *nb.Content {
			if bl.Type == "video" {
				fail(w, 403, 8008, "You cannot upload a video in a reblog.")
				return
			}
		}
	} else if len(*nb.Content) == 0 {
		fail(w, 400, 8001, "a new post needs content")
		return
	}
	s.rollDay(s.opts.Now())
	state := nb.State
	if state == "" {
		state = "published"
	}
	if state == "published" || state == "private" {
		if s.perDay["posts"] >= s.opts.DailyPosts {
			fail(w, 403, 8023, "You have reached your daily posting limit.")
			return
		}
	}
	images := 0
	for _, u := range used {
		if strings.HasPrefix(u.MIME, "image/") {
			images++
		}
	}
	if s.perDay["images"]+images > s.opts.DailyImages {
		fail(w, 403, 8004, "You cannot upload more media today.")
		return
	}
	if state == "published" || state == "private" {
		s.perDay["posts"]++
	}
	s.perDay["images"] += images
	p := s.create(b, state, *nb.Content)
	p.Tags = splitTags(nb.Tags)
	p.Uploads = used
	p.ParentBlogUUID, p.ParentPostID, p.ReblogKey = nb.ParentTumblelogUUID, nb.ParentPostID, nb.ReblogKey
	envelope(w, 201, map[string]any{"id": p.ID})
}

func splitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// reblogKey is the fake's reblog key of a post.
func reblogKey(id string) string { return "rk-" + id }

func (s *Server) postJSON(p *Post) map[string]any {
	state := p.State
	if state == "queue" {
		state = "queued"
	}
	out := map[string]any{"object_type": "post", "type": "blocks", "id": p.ID, "id_string": p.ID, "tumblelog_uuid": p.BlogUUID,
		"blog_name": p.Blog, "reblog_key": reblogKey(p.ID), "content": p.Content, "layout": []any{}, "state": state,
		"tags": append([]string{}, p.Tags...), "timestamp": p.Timestamp, "note_count": len(p.Notes)}
	if p.ParentPostID != "" {
		out["parent_post_id"], out["parent_tumblelog_uuid"] = p.ParentPostID, p.ParentBlogUUID
	}
	return out
}

func (s *Server) getPost(w http.ResponseWriter, b *Blog, id string) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	p := s.find(id)
	if p == nil || p.BlogUUID != b.UUID {
		fail(w, 404, 0, "Not Found")
		return
	}
	envelope(w, 200, s.postJSON(p))
}

func (s *Server) editPost(w http.ResponseWriter, r *http.Request, b *Blog, id string, body []byte) {
	nb, files, msg := readBody(r, body)
	if msg != "" || nb.Content == nil {
		fail(w, 400, 8001, "'content' must be an array'")
		return
	}
	s.Mu.Lock()
	defer s.Mu.Unlock()
	p := s.find(id)
	if p == nil || p.BlogUUID != b.UUID {
		fail(w, 404, 0, "Not Found")
		return
	}
	if _, code, msg := s.check(*nb.Content, files); msg != "" {
		fail(w, 400, code, msg)
		return
	}
	p.Content, p.Tags = *nb.Content, splitTags(nb.Tags)
	if nb.State != "" {
		p.State = nb.State
	}
	p.Edited++
	envelope(w, 200, map[string]any{"id": p.ID})
}

func (s *Server) list(w http.ResponseWriter, b *Blog, state string) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	var out []map[string]any
	for i := len(s.posts) - 1; i >= 0 && len(out) < 20; i-- {
		p := s.posts[i]
		if p.Blog == b.Name && !p.Deleted && p.State == state {
			out = append(out, s.postJSON(p))
		}
	}
	envelope(w, 200, map[string]any{"posts": out, "total_posts": len(out)})
}

func (s *Server) deletePost(w http.ResponseWriter, r *http.Request, b *Blog, body []byte) {
	var id string
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		q, _ := url.ParseQuery(string(body))
		id = q.Get("id")
	}
	s.Mu.Lock()
	defer s.Mu.Unlock()
	p := s.find(id)
	if p == nil || p.BlogUUID != b.UUID {
		fail(w, 404, 0, "Not Found")
		return
	}
	p.Deleted = true
	envelope(w, 200, []any{})
}

// notePage is how many notes one notes answer holds.
const notePage = 2

func (s *Server) notes(w http.ResponseWriter, r *http.Request, b *Blog) {
	q := r.URL.Query()
	s.Mu.Lock()
	defer s.Mu.Unlock()
	p := s.find(q.Get("id"))
	if p == nil || p.BlogUUID != b.UUID {
		fail(w, 404, 0, "Not Found")
		return
	}
	mode := q.Get("mode")
	if mode == "" {
		mode = "all"
	}
	if mode != "all" && mode != "likes" && mode != "conversation" && mode != "rollup" && mode != "reblogs_with_tags" {
		fail(w, 400, 0, "invalid mode")
		return
	}
	notes := append([]Note(nil), p.Notes...)
	sort.SliceStable(notes, func(i, j int) bool { return notes[i].Timestamp > notes[j].Timestamp })
	var likes, reblogs int
	var conv []Note
	for _, n := range notes {
		switch n.Type {
		case "like":
			likes++
		case "reblog":
			reblogs++
		}
		if mode != "conversation" || n.Type == "reply" || (n.Type == "reblog" && n.AddedText != "") {
			conv = append(conv, n)
		}
	}
	if bt := q.Get("before_timestamp"); bt != "" {
		before, _ := strconv.ParseInt(bt, 10, 64)
		var rest []Note
		for _, n := range conv {
			if n.Timestamp < before {
				rest = append(rest, n)
			}
		}
		conv = rest
	}
	page := conv[:min(notePage, len(conv))]
	var out []map[string]any
	for _, n := range page {
		m := map[string]any{"type": n.Type, "timestamp": n.Timestamp, "blog_name": n.BlogName, "blog_uuid": n.BlogUUID,
			"blog_url": "https://" + n.BlogName + ".tumblr.com/", "followed": false, "avatar_shape": "square"}
		if n.ReplyText != "" {
			m["reply_text"] = n.ReplyText
		}
		if n.Type == "reblog" {
			m["post_id"], m["reblog_parent_blog_name"] = n.PostID, p.Blog
			if n.AddedText != "" {
				m["added_text"] = n.AddedText
			}
		}
		out = append(out, m)
	}
	resp := map[string]any{"notes": out, "total_notes": len(notes)}
	if mode == "conversation" {
		resp["total_likes"], resp["total_reblogs"] = likes, reblogs
	}
	if len(conv) > len(page) {
		last := page[len(page)-1].Timestamp
		resp["_links"] = map[string]any{"next": map[string]any{"href": fmt.Sprintf("/v2/blog/%s/notes?id=%s&mode=%s&before_timestamp=%d", b.Name, p.ID, mode, last),
			"method": "GET", "query_params": map[string]any{"id": p.ID, "mode": mode, "before_timestamp": strconv.FormatInt(last, 10)}}}
	}
	envelope(w, 200, resp)
}
