// Package linkedintest is a contract-faithful fake of LinkedIn's versioned
// REST API for connector tests, on real loopback HTTP: OAuth 2.0
// (/oauth/v2/authorization, /oauth/v2/accessToken with codes and refresh
// tokens), OpenID userinfo, organization ACLs and organizations, the Posts
// API (201 with an empty body and the id in x-restli-id), images and
// documents (initializeUpload, then a PUT), videos (initializeUpload with
// byte ranges, part PUTs answering ETags, finalizeUpload that must echo them
// in order, processing status), comments, social metadata, share
// statistics and network sizes. It requires both version headers and keeps
// a list of active versions (missing or sunset: 426 NONEXISTENT_VERSION),
// rejects commentary over 3,000 characters and unescaped reserved
// characters (stricter than LinkedIn, so escaping bugs fail tests), answers
// 429 without rate-limit headers, records requests and can be switched into
// failures per route.
package linkedintest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/internal/network/fakerec"
)

// Options configures a fake.
type Options struct {
	// Now is the fake's clock (default time.Now).
	Now func() time.Time
	// ClientID and ClientSecret are the registered app (defaults "li-client", "li-secret").
	ClientID, ClientSecret string
	// Versions are the active LinkedIn-Version values (default 202607 and 202610).
	Versions []string
	// Organizations the member administers (default one: "Relais Coop").
	Organizations []Organization
	// NoRefresh makes the token endpoint issue no refresh tokens (apps that
	// are not approved partners).
	NoRefresh bool
	// VideoPolls is how many status reads answer PROCESSING before AVAILABLE.
	VideoPolls int
	// PartSize is the video upload part size (default 4 MiB, like LinkedIn).
	PartSize int
}

// Organization is a page on the fake.
type Organization struct {
	ID         int64
	Name       string
	Vanity     string
	Followers  int64
	Impression int64
}

// FaultKind, Fault and Request are the fakes' common ones (fakerec).
type (
	FaultKind = fakerec.FaultKind
	Fault     = fakerec.Fault
	Request   = fakerec.Request
)

// The faults, in LinkedIn's shapes: Invalid 422, Unauthorized 401, Forbidden
// 403 ACCESS_DENIED, RateLimited 429 without rate-limit headers, ServerError
// 500, CommitThenFail 504 after the work, CommitThenDrop, Drop.
const (
	Invalid        = fakerec.Invalid
	Unauthorized   = fakerec.Unauthorized
	Forbidden      = fakerec.Forbidden
	RateLimited    = fakerec.RateLimited
	ServerError    = fakerec.ServerError
	CommitThenFail = fakerec.CommitThenFail
	CommitThenDrop = fakerec.CommitThenDrop
	Drop           = fakerec.Drop
)

// Post is a post on the fake.
type Post struct {
	ID, Author, Commentary, Visibility string
	Content                            map[string]any
	CreatedAt                          time.Time
	Reactions                          map[string]int64
	Deleted                            bool
}

// Comment is a comment on the fake.
type Comment struct {
	URN, Actor, Object, Parent, Text string
	CreatedAt                        time.Time
}

type asset struct {
	kind, owner string
	size        int
	parts       map[int][]byte
	etags       []string
	token       string
	finalized   bool
	uploaded    bool
	pollsLeft   int
}

// Server is the fake.
type Server struct {
	URL  string
	opts Options
	srv  *httptest.Server

	// Recorder records requests and holds faults (Inject, Requests, Count).
	fakerec.Recorder

	mu       sync.Mutex
	member   string
	access   map[string]time.Time
	refresh  map[string]bool
	codes    map[string]string
	posts    []*Post
	comments []*Comment
	assets   map[string]*asset
	seq      int64
	tok, rt  string
}

// MemberID is the fake member's id (urn:li:person:<id>).
const MemberID = "abc123XYZ"

// New starts a fake with one member administering the options' organizations.
func New(t testing.TB, o Options) *Server {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ClientID == "" {
		o.ClientID, o.ClientSecret = "li-client", "li-secret"
	}
	if len(o.Versions) == 0 {
		o.Versions = []string{"202607", "202610"}
	}
	if o.Organizations == nil {
		o.Organizations = []Organization{{ID: 2414183, Name: "Relais Coop", Vanity: "relais-coop", Followers: 1234, Impression: 900}}
	}
	if o.PartSize == 0 {
		o.PartSize = 4 << 20
	}
	s := &Server{opts: o, member: MemberID, access: map[string]time.Time{}, refresh: map[string]bool{}, codes: map[string]string{}, assets: map[string]*asset{}, seq: 7000000000000000000}
	s.tok, s.rt = s.issue()
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// App returns the registered client id and secret.
func (s *Server) App() (string, string) { return s.opts.ClientID, s.opts.ClientSecret }

// Tokens returns the member's first access and refresh tokens.
func (s *Server) Tokens() (string, string) { return s.tok, s.rt }

// Expire makes every access token expired.
func (s *Server) Expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.access {
		s.access[k] = s.opts.Now().Add(-time.Second)
	}
}

// Posts returns the posts not deleted, oldest first.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Post
	for _, p := range s.posts {
		if !p.Deleted {
			out = append(out, *p)
		}
	}
	return out
}

// Comments returns every comment, oldest first.
func (s *Server) Comments() []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Comment
	for _, c := range s.comments {
		out = append(out, *c)
	}
	return out
}

// AddComment makes someone comment on a post (or, with a comment URN as
// parent, answer a comment) and returns the comment's URN.
func (s *Server) AddComment(actor, parent, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addComment(actor, parent, text).URN
}

// React adds reactions of a type (LIKE, PRAISE…) to a post.
func (s *Server) React(urn, kind string, n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.posts {
		if p.ID == urn {
			if p.Reactions == nil {
				p.Reactions = map[string]int64{}
			}
			p.Reactions[kind] += n
		}
	}
}

func (s *Server) addComment(actor, parent, text string) *Comment {
	s.seq++
	object := parent
	if strings.HasPrefix(parent, "urn:li:comment:(") {
		inner := strings.TrimSuffix(strings.TrimPrefix(parent, "urn:li:comment:("), ")")
		object = inner[:strings.LastIndexByte(inner, ',')]
	}
	activity := "urn:li:activity:" + strings.TrimPrefix(strings.TrimPrefix(object, "urn:li:share:"), "urn:li:activity:")
	c := &Comment{URN: fmt.Sprintf("urn:li:comment:(%s,%d)", activity, s.seq), Actor: actor, Object: object, Text: text, CreatedAt: s.opts.Now()}
	if object != parent {
		c.Parent = parent
	}
	s.comments = append(s.comments, c)
	return c
}

func (s *Server) issue() (string, string) {
	a, r := "li-at-"+fakerec.Random(), ""
	s.access[a] = s.opts.Now().Add(60 * 24 * time.Hour)
	if !s.opts.NoRefresh {
		r = "li-rt-" + fakerec.Random()
		s.refresh[r] = true
	}
	return a, r
}

// routeOf turns a path into its route pattern (URNs and ids replaced by :id).
func routeOf(p string) string {
	parts := strings.Split(p, "/")
	for i, seg := range parts {
		if i >= 2 && seg != "" && (strings.HasPrefix(seg, "urn:") || strings.Trim(seg, "0123456789") == "") {
			parts[i] = ":id"
		}
	}
	return strings.Join(parts, "/")
}

// liError writes LinkedIn's error body.
func liError(w http.ResponseWriter, status, service int, code, msg string) {
	writeJSON(w, status, map[string]any{"status": status, "serviceErrorCode": service, "code": code, "message": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("x-li-uuid", "li-"+fakerec.Random())
	fakerec.JSON(w, status, v)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	route := r.Method + " " + routeOf(r.URL.Path)
	if a := r.URL.Query().Get("action"); a != "" {
		route += "?action=" + a
	}
	s.Serve(w, r, route, answerFault, func(w http.ResponseWriter, body []byte) { s.route(w, r, route, body) })
}

// answerFault writes a fault in LinkedIn's shape.
func answerFault(w http.ResponseWriter, kind FaultKind) {
	switch kind {
	case Invalid:
		liError(w, 422, 100, "UNPROCESSABLE_ENTITY", "Field Value validation failed in REQUEST_BODY")
	case Unauthorized:
		liError(w, 401, 65601, "REVOKED_ACCESS_TOKEN", "The token used in the request has been revoked by the user")
	case Forbidden:
		liError(w, 403, 100, "ACCESS_DENIED", "Not enough permissions to access: partnerApiPostsExternal.CREATE.20260701")
	case RateLimited:
		liError(w, 429, 101, "TOO_MANY_REQUESTS", "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.")
	case CommitThenFail:
		liError(w, 504, 0, "GATEWAY_TIMEOUT", "Gateway Timeout")
	default:
		liError(w, 500, 0, "INTERNAL_SERVER_ERROR", "Internal Server Error")
	}
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, route string, body []byte) {
	switch route {
	case "GET /oauth/v2/authorization":
		s.authorize(w, r)
		return
	case "POST /oauth/v2/accessToken":
		s.token(w, r, body)
		return
	}
	if !s.authenticate(w, r) {
		return
	}
	if strings.HasPrefix(r.URL.Path, "/upload/") {
		s.upload(w, r, body)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/rest/") && !s.versioned(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	switch route {
	case "GET /v2/userinfo":
		writeJSON(w, 200, map[string]any{"sub": s.member, "name": "Camille Relais", "given_name": "Camille", "family_name": "Relais", "picture": "https://media.licdn.example/camille.jpg", "email_verified": true})
	case "GET /rest/organizationAcls":
		var els []any
		for _, o := range s.opts.Organizations {
			els = append(els, map[string]any{"organization": fmt.Sprintf("urn:li:organization:%d", o.ID), "role": "ADMINISTRATOR", "state": "APPROVED", "roleAssignee": "urn:li:person:" + s.member})
		}
		writeJSON(w, 200, map[string]any{"elements": els, "paging": map[string]any{"count": 100, "start": 0, "total": len(els)}})
	case "GET /rest/organizations/:id":
		if o, ok := s.org("urn:li:organization:" + id); ok {
			writeJSON(w, 200, map[string]any{"id": o.ID, "localizedName": o.Name, "vanityName": o.Vanity})
			return
		}
		liError(w, 404, 0, "NOT_FOUND", "Organization not found")
	case "POST /rest/posts":
		s.createPost(w, body)
	case "GET /rest/posts":
		s.listPosts(w, r)
	case "DELETE /rest/posts/:id":
		for _, p := range s.posts {
			if p.ID == id && !p.Deleted {
				p.Deleted = true
				w.WriteHeader(204)
				return
			}
		}
		liError(w, 404, 0, "NOT_FOUND", "Post not found")
	case "POST /rest/images?action=initializeUpload", "POST /rest/documents?action=initializeUpload":
		kind := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/rest/"), "s")
		s.initSimple(w, r, kind, body)
	case "POST /rest/videos?action=initializeUpload":
		s.initVideo(w, r, body)
	case "POST /rest/videos?action=finalizeUpload":
		s.finalizeVideo(w, body)
	case "GET /rest/videos/:id":
		a, ok := s.assets[id]
		if !ok {
			liError(w, 404, 0, "NOT_FOUND", "Video not found")
			return
		}
		status := "WAITING_UPLOAD"
		if a.finalized {
			status = "AVAILABLE"
			if a.pollsLeft > 0 {
				a.pollsLeft--
				status = "PROCESSING"
			}
		}
		writeJSON(w, 200, map[string]any{"id": id, "status": status, "owner": a.owner})
	case "GET /rest/socialActions/:id/comments", "POST /rest/socialActions/:id/comments":
		target := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/rest/socialActions/"), "/comments")
		if r.Method == http.MethodGet {
			s.listComments(w, target)
		} else {
			s.createComment(w, target, body)
		}
	case "GET /rest/socialMetadata/:id":
		p := s.post(id)
		if p == nil {
			liError(w, 404, 0, "NOT_FOUND", "Entity not found")
			return
		}
		rs := map[string]any{}
		for k, n := range p.Reactions {
			rs[k] = map[string]any{"reactionType": k, "count": n}
		}
		var nc int
		for _, c := range s.comments {
			if c.Object == p.ID {
				nc++
			}
		}
		writeJSON(w, 200, map[string]any{"entity": p.ID, "reactionSummaries": rs, "commentSummary": map[string]any{"count": nc, "topLevelCount": nc}, "commentsState": "OPEN"})
	case "GET /rest/organizationalEntityShareStatistics":
		s.shareStats(w, r)
	case "GET /rest/networkSizes/:id":
		if o, ok := s.org(id); ok {
			writeJSON(w, 200, map[string]any{"firstDegreeSize": o.Followers})
			return
		}
		liError(w, 404, 0, "NOT_FOUND", "Entity not found")
	default:
		liError(w, 404, 0, "RESOURCE_NOT_FOUND", "No virtual resource found for "+route)
	}
}

func (s *Server) org(urn string) (Organization, bool) {
	for _, o := range s.opts.Organizations {
		if fmt.Sprintf("urn:li:organization:%d", o.ID) == urn {
			return o, true
		}
	}
	return Organization{}, false
}

func (s *Server) post(urn string) *Post {
	for _, p := range s.posts {
		if (p.ID == urn || "urn:li:activity:"+strings.TrimPrefix(p.ID, "urn:li:share:") == urn) && !p.Deleted {
			return p
		}
	}
	return nil
}

func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) bool {
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	exp, ok := s.access[tok]
	s.mu.Unlock()
	if !ok || !exp.After(s.opts.Now()) {
		liError(w, 401, 65600, "INVALID_ACCESS_TOKEN", "Invalid access token")
		return false
	}
	return true
}

// versioned checks both version headers like LinkedIn's versioned API.
func (s *Server) versioned(w http.ResponseWriter, r *http.Request) bool {
	v := r.Header.Get("LinkedIn-Version")
	if v == "" {
		liError(w, 400, 0, "VERSION_MISSING", "A version must be present. Please specify a version by adding the LinkedIn-Version header.")
		return false
	}
	active := false
	for _, a := range s.opts.Versions {
		active = active || a == v
	}
	if !active {
		liError(w, 426, 0, "NONEXISTENT_VERSION", fmt.Sprintf("Requested version %s is not active", v))
		return false
	}
	if r.Header.Get("X-Restli-Protocol-Version") != "2.0.0" {
		liError(w, 400, 0, "ILLEGAL_ARGUMENT", "X-Restli-Protocol-Version 2.0.0 is required")
		return false
	}
	return true
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != s.opts.ClientID || q.Get("redirect_uri") == "" || q.Get("response_type") != "code" {
		http.Error(w, "invalid authorization request", http.StatusBadRequest)
		return
	}
	code := "li-code-" + fakerec.Random()
	s.mu.Lock()
	s.codes[code] = q.Get("redirect_uri")
	s.mu.Unlock()
	fakerec.Consent(w, r, code, nil)
}

func (s *Server) token(w http.ResponseWriter, r *http.Request, body []byte) {
	f, _ := url.ParseQuery(string(body))
	oauthErr := func(code, desc string) {
		writeJSON(w, 400, map[string]any{"error": code, "error_description": desc})
	}
	if f.Get("client_id") != s.opts.ClientID || f.Get("client_secret") != s.opts.ClientSecret {
		writeJSON(w, 401, map[string]any{"error": "invalid_client", "error_description": "Client authentication failed"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch f.Get("grant_type") {
	case "authorization_code":
		redirect, ok := s.codes[f.Get("code")]
		if !ok || redirect != f.Get("redirect_uri") {
			oauthErr("invalid_request", "Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired.")
			return
		}
		delete(s.codes, f.Get("code"))
	case "refresh_token":
		if !s.refresh[f.Get("refresh_token")] {
			oauthErr("invalid_request", "The provided refresh token is invalid")
			return
		}
	default:
		oauthErr("unsupported_grant_type", "grant_type is not supported")
		return
	}
	a, rt := s.issue()
	if f.Get("grant_type") == "refresh_token" {
		// LinkedIn keeps the refresh token (and its 365-day life) on renewal.
		rt = f.Get("refresh_token")
	}
	ans := map[string]any{"access_token": a, "expires_in": 5183999, "scope": "openid,profile,w_member_social,w_organization_social,r_organization_social,rw_organization_admin"}
	if rt != "" {
		ans["refresh_token"], ans["refresh_token_expires_in"] = rt, 31535999
	}
	writeJSON(w, 200, ans)
}

// reservedUnescaped reports a reserved character of the little text format
// not preceded by a backslash (a # starting a hashtag is allowed).
func reservedUnescaped(s string) (rune, bool) {
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '\\' {
			i++
			continue
		}
		if r == '#' && i+1 < len(rs) && rs[i+1] != ' ' && rs[i+1] != '#' {
			continue
		}
		if strings.ContainsRune(`|{}@[]()<>#*_~`, r) {
			return r, true
		}
	}
	return 0, false
}

func (s *Server) createPost(w http.ResponseWriter, body []byte) {
	var b struct {
		Author         string         `json:"author"`
		Commentary     string         `json:"commentary"`
		Visibility     string         `json:"visibility"`
		LifecycleState string         `json:"lifecycleState"`
		Content        map[string]any `json:"content"`
		Distribution   *struct {
			FeedDistribution string `json:"feedDistribution"`
		} `json:"distribution"`
	}
	if err := json.Unmarshal(body, &b); err != nil {
		liError(w, 400, 100, "ILLEGAL_ARGUMENT", "Invalid JSON: "+err.Error())
		return
	}
	switch {
	case b.Author != "urn:li:person:"+s.member && !s.isOrg(b.Author):
		liError(w, 403, 100, "ACCESS_DENIED", "Not enough permissions to post as "+b.Author)
	case b.LifecycleState != "PUBLISHED" || b.Distribution == nil || b.Distribution.FeedDistribution == "":
		liError(w, 422, 100, "UNPROCESSABLE_ENTITY", "/lifecycleState and /distribution are required")
	case b.Visibility != "PUBLIC" && b.Visibility != "CONNECTIONS":
		liError(w, 422, 100, "UNPROCESSABLE_ENTITY", "/visibility must be PUBLIC or CONNECTIONS")
	case len([]rune(b.Commentary)) > 3000:
		liError(w, 422, 100, "UNPROCESSABLE_ENTITY", fmt.Sprintf("/commentary is %d characters; the maximum is 3000", len([]rune(b.Commentary))))
	default:
		if r, bad := reservedUnescaped(b.Commentary); bad {
			liError(w, 422, 100, "UNPROCESSABLE_ENTITY", fmt.Sprintf("/commentary has the reserved character %q unescaped", r))
			return
		}
		if msg := s.checkContent(b.Author, b.Content); msg != "" {
			liError(w, 422, 100, "UNPROCESSABLE_ENTITY", msg)
			return
		}
		s.seq++
		p := &Post{ID: fmt.Sprintf("urn:li:share:%d", s.seq), Author: b.Author, Commentary: b.Commentary, Visibility: b.Visibility, Content: b.Content, CreatedAt: s.opts.Now()}
		s.posts = append(s.posts, p)
		w.Header().Set("x-restli-id", p.ID)
		w.Header().Set("x-linkedin-id", p.ID)
		w.WriteHeader(201)
	}
}

func (s *Server) isOrg(urn string) bool { _, ok := s.org(urn); return ok }

// checkContent checks that media URNs exist, belong to the author and are uploaded.
func (s *Server) checkContent(author string, c map[string]any) string {
	ready := func(urn string) string {
		a, ok := s.assets[urn]
		switch {
		case !ok:
			return urn + " does not exist"
		case a.owner != author:
			return urn + " belongs to another owner"
		case a.kind == "video" && !a.finalized, a.kind != "video" && !a.uploaded:
			return urn + " is not uploaded"
		}
		return ""
	}
	if m, ok := c["media"].(map[string]any); ok {
		id, _ := m["id"].(string)
		if msg := ready(id); msg != "" {
			return "/content/media/id: " + msg
		}
		if strings.HasPrefix(id, "urn:li:document:") && m["title"] == "" {
			return "/content/media/title is required for a document"
		}
	}
	if mi, ok := c["multiImage"].(map[string]any); ok {
		imgs, _ := mi["images"].([]any)
		if len(imgs) < 2 || len(imgs) > 20 {
			return fmt.Sprintf("/content/multiImage/images must hold 2 to 20 images; got %d", len(imgs))
		}
		for _, im := range imgs {
			id, _ := im.(map[string]any)["id"].(string)
			if msg := ready(id); msg != "" {
				return "/content/multiImage: " + msg
			}
		}
	}
	if a, ok := c["article"].(map[string]any); ok {
		src, _ := a["source"].(string)
		if u, err := url.Parse(src); err != nil || u.Host == "" || a["title"] == "" || a["title"] == nil {
			return "/content/article needs a source URL and a title"
		}
		if th, ok := a["thumbnail"].(string); ok {
			if msg := ready(th); msg != "" {
				return "/content/article/thumbnail: " + msg
			}
		}
	}
	return ""
}

func (s *Server) listPosts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("q") != "author" || q.Get("author") == "" {
		liError(w, 400, 100, "ILLEGAL_ARGUMENT", "q=author and author are required")
		return
	}
	var els []any
	for i := len(s.posts) - 1; i >= 0 && len(els) < 10; i-- {
		p := s.posts[i]
		if p.Author == q.Get("author") && !p.Deleted {
			els = append(els, map[string]any{"id": p.ID, "author": p.Author, "commentary": p.Commentary, "createdAt": p.CreatedAt.UnixMilli(), "lifecycleState": "PUBLISHED", "visibility": p.Visibility})
		}
	}
	writeJSON(w, 200, map[string]any{"elements": els, "paging": map[string]any{"start": 0, "count": 10}})
}

func (s *Server) initSimple(w http.ResponseWriter, r *http.Request, kind string, body []byte) {
	var b struct {
		InitializeUploadRequest struct {
			Owner string `json:"owner"`
		} `json:"initializeUploadRequest"`
	}
	if err := json.Unmarshal(body, &b); err != nil || b.InitializeUploadRequest.Owner == "" {
		liError(w, 422, 100, "UNPROCESSABLE_ENTITY", "/initializeUploadRequest/owner is required")
		return
	}
	s.seq++
	urn := fmt.Sprintf("urn:li:%s:D4E10AQ%d", kind, s.seq)
	s.assets[urn] = &asset{kind: kind, owner: b.InitializeUploadRequest.Owner}
	writeJSON(w, 200, map[string]any{"value": map[string]any{"uploadUrlExpiresAt": s.opts.Now().Add(time.Hour).UnixMilli(), "uploadUrl": s.URL + "/upload/" + url.PathEscape(urn), kind: urn}})
}

func (s *Server) initVideo(w http.ResponseWriter, r *http.Request, body []byte) {
	var b struct {
		InitializeUploadRequest struct {
			Owner         string `json:"owner"`
			FileSizeBytes int    `json:"fileSizeBytes"`
		} `json:"initializeUploadRequest"`
	}
	if err := json.Unmarshal(body, &b); err != nil || b.InitializeUploadRequest.Owner == "" || b.InitializeUploadRequest.FileSizeBytes <= 0 {
		liError(w, 422, 100, "UNPROCESSABLE_ENTITY", "/initializeUploadRequest/owner and fileSizeBytes are required")
		return
	}
	s.seq++
	urn := fmt.Sprintf("urn:li:video:C5F10AQ%d", s.seq)
	size := b.InitializeUploadRequest.FileSizeBytes
	a := &asset{kind: "video", owner: b.InitializeUploadRequest.Owner, size: size, parts: map[int][]byte{}, token: "tok-" + fakerec.Random(), pollsLeft: s.opts.VideoPolls}
	s.assets[urn] = a
	var ins []any
	for i, first := 0, 0; first < size; i, first = i+1, first+s.opts.PartSize {
		last := min(first+s.opts.PartSize, size) - 1
		ins = append(ins, map[string]any{"uploadUrl": fmt.Sprintf("%s/upload/%s/part/%d", s.URL, url.PathEscape(urn), i), "firstByte": first, "lastByte": last})
	}
	writeJSON(w, 200, map[string]any{"value": map[string]any{"video": urn, "uploadToken": a.token, "uploadInstructions": ins, "uploadUrlsExpireAt": s.opts.Now().Add(time.Hour).UnixMilli()}})
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Method != http.MethodPut {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rest := strings.TrimPrefix(r.URL.Path, "/upload/")
	urn, part, isPart := strings.Cut(rest, "/part/")
	a, ok := s.assets[urn]
	if !ok {
		http.Error(w, "unknown upload", http.StatusNotFound)
		return
	}
	if !isPart {
		if len(body) == 0 {
			http.Error(w, "empty upload", http.StatusBadRequest)
			return
		}
		a.uploaded = true
		w.WriteHeader(201)
		return
	}
	n, err := strconv.Atoi(part)
	if err != nil {
		http.Error(w, "bad part", http.StatusBadRequest)
		return
	}
	want := min(s.opts.PartSize, a.size-n*s.opts.PartSize)
	if len(body) != want {
		http.Error(w, fmt.Sprintf("part %d must be %d bytes; got %d", n, want, len(body)), http.StatusBadRequest)
		return
	}
	a.parts[n] = body
	etag := fmt.Sprintf("/ambry-video/signedId/%s-%d", fakerec.Random(), n)
	for len(a.etags) <= n {
		a.etags = append(a.etags, "")
	}
	a.etags[n] = etag
	w.Header().Set("ETag", etag)
	w.WriteHeader(200)
}

func (s *Server) finalizeVideo(w http.ResponseWriter, body []byte) {
	var b struct {
		FinalizeUploadRequest struct {
			Video           string   `json:"video"`
			UploadToken     string   `json:"uploadToken"`
			UploadedPartIDs []string `json:"uploadedPartIds"`
		} `json:"finalizeUploadRequest"`
	}
	_ = json.Unmarshal(body, &b)
	f := b.FinalizeUploadRequest
	a, ok := s.assets[f.Video]
	if !ok || a.token != f.UploadToken {
		liError(w, 422, 100, "UNPROCESSABLE_ENTITY", "unknown video or upload token")
		return
	}
	if strings.Join(f.UploadedPartIDs, ",") != strings.Join(a.etags, ",") || len(a.parts) != len(a.etags) {
		liError(w, 422, 100, "UNPROCESSABLE_ENTITY", "uploadedPartIds must list every part's ETag in order")
		return
	}
	a.finalized = true
	w.WriteHeader(200)
}

func (s *Server) listComments(w http.ResponseWriter, target string) {
	if s.post(target) == nil && !s.isComment(target) {
		liError(w, 404, 0, "NOT_FOUND", "Entity not found")
		return
	}
	var els []any
	for _, c := range s.comments {
		if (c.Parent == "" && c.Object == target) || c.Parent == target {
			el := map[string]any{"$URN": c.URN, "actor": c.Actor, "object": c.Object, "message": map[string]any{"text": c.Text}, "created": map[string]any{"time": c.CreatedAt.UnixMilli(), "actor": c.Actor}}
			if c.Parent != "" {
				el["parentComment"] = c.Parent
			}
			els = append(els, el)
		}
	}
	writeJSON(w, 200, map[string]any{"elements": els, "paging": map[string]any{"start": 0, "count": 100, "total": len(els)}})
}

func (s *Server) isComment(urn string) bool {
	for _, c := range s.comments {
		if c.URN == urn {
			return true
		}
	}
	return false
}

func (s *Server) createComment(w http.ResponseWriter, target string, body []byte) {
	var b struct {
		Actor   string `json:"actor"`
		Object  string `json:"object"`
		Message struct {
			Text string `json:"text"`
		} `json:"message"`
		ParentComment string `json:"parentComment"`
	}
	if err := json.Unmarshal(body, &b); err != nil || b.Actor == "" || b.Object == "" || strings.TrimSpace(b.Message.Text) == "" {
		liError(w, 422, 100, "UNPROCESSABLE_ENTITY", "/actor, /object and /message/text are required")
		return
	}
	if s.post(b.Object) == nil || (b.ParentComment != "" && (b.ParentComment != target || !s.isComment(target))) || (b.ParentComment == "" && target != b.Object) {
		liError(w, 404, 0, "NOT_FOUND", "Entity not found")
		return
	}
	c := s.addComment(b.Actor, target, b.Message.Text)
	w.Header().Set("x-restli-id", c.URN)
	writeJSON(w, 201, map[string]any{"$URN": c.URN, "actor": c.Actor, "object": c.Object, "message": map[string]any{"text": c.Text}, "created": map[string]any{"time": c.CreatedAt.UnixMilli()}})
}

func (s *Server) shareStats(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	o, ok := s.org(q.Get("organizationalEntity"))
	if q.Get("q") != "organizationalEntity" || !ok {
		liError(w, 400, 100, "ILLEGAL_ARGUMENT", "q=organizationalEntity with an organization is required")
		return
	}
	var els []any
	for _, key := range []string{"shares", "ugcPosts"} {
		v := q.Get(key)
		if v == "" {
			continue
		}
		if !strings.HasPrefix(v, "List(") || !strings.HasSuffix(v, ")") {
			liError(w, 400, 100, "ILLEGAL_ARGUMENT", key+" must be a Rest.li List(…)")
			return
		}
		for _, urn := range strings.Split(strings.TrimSuffix(strings.TrimPrefix(v, "List("), ")"), ",") {
			p := s.post(urn)
			if p == nil {
				continue
			}
			var likes int64
			for _, n := range p.Reactions {
				likes += n
			}
			els = append(els, map[string]any{strings.TrimSuffix(key, "s"): urn, "organizationalEntity": p.Author,
				"totalShareStatistics": map[string]any{"impressionCount": o.Impression, "uniqueImpressionsCount": o.Impression / 2, "shareCount": 3, "likeCount": likes, "commentCount": 0, "clickCount": 12, "engagement": 0.05}})
		}
	}
	writeJSON(w, 200, map[string]any{"elements": els})
}
