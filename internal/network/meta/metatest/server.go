// Package metatest is a contract-faithful fake of Meta's Graph APIs on
// loopback: the Facebook Graph API (Pages, and Instagram professional
// accounts through Facebook Login), the Instagram API with Instagram Login
// and the Threads API. One server answers every host (graph.facebook.com,
// graph.instagram.com, api.instagram.com, graph.threads.net), told apart by
// the version prefix and the app id. It validates requests as the live APIs
// document, answers Graph error bodies
// ({"error":{"message","type","code","error_subcode","fbtrace_id"}}), runs
// the container state machine (IN_PROGRESS → FINISHED, ERROR, EXPIRED after
// 24 h, PUBLISHED), keeps the publishing quotas, reports usage in
// X-App-Usage and X-Business-Use-Case-Usage, paginates with cursors, signs
// webhook deliveries (X-Hub-Signature-256), records every request and can be
// switched into faults. Its clock comes from the test.
package metatest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Versions the fake serves (the connectors' defaults).
const (
	GraphVersion   = "v25.0"
	ThreadsVersion = "v1.0"
)

// App credentials the fake knows: one Meta app with its Facebook Login, its
// Instagram Login product and its Threads use case (each has its own id and secret).
const (
	AppID              = "1000000000000001"
	AppSecret          = "fb-app-secret"
	InstagramAppID     = "1000000000000002"
	InstagramAppSecret = "ig-app-secret"
	ThreadsAppID       = "1000000000000003"
	ThreadsAppSecret   = "th-app-secret"
)

// Options configures a fake.
type Options struct {
	// Now is the fake's clock (default time.Now): token and container expiry and quota windows follow it.
	Now func() time.Time
	// Polls is how many status reads a container answers IN_PROGRESS before FINISHED (default 1).
	Polls int
	// CallBudget is how many calls per hour one token may make before usage reaches 100 % (default 600).
	CallBudget int
	// SecondPage adds a second Facebook Page (and Instagram account) to the user.
	SecondPage bool
	// FetchMedia makes the fake download image_url and video_url (as Meta does), failing with
	// error 9004 when they cannot be fetched. Off by default: tests hand out URLs they do not serve.
	FetchMedia bool
}

// FaultKind is a failure the fake can be switched into.
type FaultKind int

// The failures.
const (
	// InvalidParameter answers code 100 (OAuthException), HTTP 400.
	InvalidParameter FaultKind = iota + 1
	// TokenExpired answers code 190 subcode 463, HTTP 400.
	TokenExpired
	// PermissionDenied answers code 200 (requires a permission), HTTP 403.
	PermissionDenied
	// AppThrottle answers code 4 with X-App-Usage at 100 %.
	AppThrottle
	// PageThrottle answers code 80001 (Pages BUC) with X-Business-Use-Case-Usage at 100 %.
	PageThrottle
	// Transient answers code 2 ("Service temporarily unavailable", is_transient), HTTP 500.
	Transient
	// Timeout holds the request until the client gives up.
	Timeout
	// CommitThen500 performs the call, then answers HTTP 500 code 1.
	CommitThen500
	// CommitThenDrop performs the call, then closes the connection without answering.
	CommitThenDrop
	// MediaFetchFailed answers code 9004 subcode 2207052 (the media URL could not be fetched).
	MediaFetchFailed
	// GraphCode answers the Fault's Code and Subcode with HTTP 400 (17, 32, 613, 368, 2207xxx …).
	GraphCode
)

// Fault switches matching calls into a failure.
type Fault struct {
	// Op matches "METHOD /path-suffix" by suffix ("POST /media_publish", "/feed"); empty matches all.
	Op string
	// Skip lets this many matching calls through first.
	Skip int
	// Times is how many matching calls fail (default 1).
	Times int
	// Kind is the failure.
	Kind FaultKind
	// RegainMinutes is the estimated_time_to_regain_access of a throttle (default 5).
	RegainMinutes int
	// Code and Subcode are a GraphCode fault's error code and subcode.
	Code, Subcode int
}

// Request is one recorded call.
type Request struct {
	Method, Path string
	// Params are the query and form parameters together (the access token removed).
	Params url.Values
	// Token is the access token used.
	Token string
	// Status is the HTTP status answered (0 for a dropped connection).
	Status int
}

type faultState struct {
	Fault
	seen, failed int
}

// token is what the fake knows of an access token.
type token struct {
	// Subject is the id the token acts as (a user, a page, an Instagram or Threads user).
	Subject string
	// Kind is "user", "page", "iglogin" or "threads".
	Kind      string
	Issued    time.Time
	Expires   time.Time // zero: never
	LongLived bool
	Revoked   bool
}

// Server is a running fake.
type Server struct {
	// URL is the base URL for every Meta host.
	URL string

	opts      Options
	srv       *httptest.Server
	done      chan struct{}
	mu        sync.Mutex
	seq       int64
	tokens    map[string]*token
	codes     map[string]codeGrant
	objects   map[string]*Object
	order     []string
	faults    []*faultState
	requests  []Request
	calls     map[string][]time.Time // token → call times within the hour
	hashtags  map[string][]hashtagUse
	published map[string][]time.Time // account → publish times (quota)
	replies   map[string][]time.Time // threads user → reply publish times

	// Well-known ids.
	UserID, PageID, IGUserID, ThreadsUserID, Page2ID, IGUser2ID string
}

type codeGrant struct {
	appID, redirect, subject, kind string
}

type hashtagUse struct {
	tag string
	at  time.Time
}

// Object is one Graph node the fake holds.
type Object struct {
	ID   string
	Type string // user, page, iguser, thuser, post, photo, video, container, igmedia, thread, comment, hashtag
	// Owner is the page, Instagram or Threads user the object belongs to.
	Owner string
	// Parent is the object a comment answers, a photo's post, a carousel item's container.
	Parent string
	// Fields holds the node's fields as the API returns them.
	Fields map[string]any
	// Status is a container's status_code (IN_PROGRESS, FINISHED, ERROR, EXPIRED, PUBLISHED).
	Status  string
	polls   int
	Created time.Time
	Hidden  bool
	Deleted bool
	// Children are a carousel's items.
	Children []string
	// Published is the media a container became.
	Published string
}

// New starts a fake that is closed when the test ends. It holds a user who
// manages one Page, linked to one Instagram business account, and one
// Threads user.
func New(t testing.TB, o Options) *Server {
	t.Helper()
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Polls == 0 {
		o.Polls = 1
	}
	if o.CallBudget == 0 {
		o.CallBudget = 600
	}
	s := &Server{
		opts: o, done: make(chan struct{}), tokens: map[string]*token{}, codes: map[string]codeGrant{},
		objects: map[string]*Object{}, calls: map[string][]time.Time{}, hashtags: map[string][]hashtagUse{},
		published: map[string][]time.Time{}, replies: map[string][]time.Time{}, seq: 17840000000000000,
		UserID: "10150000000000001", PageID: "105000000000001", IGUserID: "17841400000000001", ThreadsUserID: "25000000000000001",
	}
	now := o.Now()
	s.put(&Object{ID: s.UserID, Type: "user", Fields: map[string]any{"name": "Relais Tester"}, Created: now})
	s.put(&Object{ID: s.PageID, Type: "page", Fields: map[string]any{"name": "Relais Boutique", "category": "Clothing store", "link": "https://www.facebook.com/relaisboutique", "followers_count": 1520, "fan_count": 1400}, Created: now})
	s.put(&Object{ID: s.IGUserID, Type: "iguser", Owner: s.PageID, Fields: map[string]any{"username": "relais.boutique", "name": "Relais Boutique", "followers_count": 4210, "follows_count": 80, "media_count": 0, "biography": "Made in Lyon", "profile_picture_url": "https://scontent.example/ig.jpg"}, Created: now})
	s.put(&Object{ID: s.ThreadsUserID, Type: "thuser", Fields: map[string]any{"username": "relais.boutique", "name": "Relais Boutique", "threads_biography": "Made in Lyon", "threads_profile_picture_url": "https://scontent.example/th.jpg", "followers_count": 830}, Created: now})
	if o.SecondPage {
		s.Page2ID, s.IGUser2ID = "105000000000002", "17841400000000002"
		s.put(&Object{ID: s.Page2ID, Type: "page", Fields: map[string]any{"name": "Relais Outlet", "category": "Outlet store", "followers_count": 90}, Created: now})
		s.put(&Object{ID: s.IGUser2ID, Type: "iguser", Owner: s.Page2ID, Fields: map[string]any{"username": "relais.outlet", "name": "Relais Outlet", "followers_count": 77, "media_count": 0}, Created: now})
	}
	// Other professional accounts business discovery can find.
	s.put(&Object{ID: "17841400000000900", Type: "iguser", Fields: map[string]any{"username": "maison.rivale", "name": "Maison Rivale", "followers_count": 98000, "follows_count": 312, "media_count": 2, "biography": "Paris"}, Created: now})
	for i, cap := range []string{"Nouvelle collection #mode", "Soldes d'hiver"} {
		s.put(&Object{ID: fmt.Sprintf("1790000000000090%d", i), Type: "igmedia", Owner: "17841400000000900", Created: now.Add(-time.Duration(i+1) * time.Hour),
			Fields: map[string]any{"caption": cap, "like_count": 1200 - i*100, "comments_count": 40 + i, "media_type": "IMAGE", "permalink": fmt.Sprintf("https://www.instagram.com/p/RIVAL%d/", i)}})
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	t.Cleanup(func() { close(s.done) })
	return s
}

func (s *Server) put(o *Object) {
	s.objects[o.ID] = o
	s.order = append(s.order, o.ID)
}

func (s *Server) newID() string {
	s.seq++
	return fmt.Sprint(s.seq)
}

func randomToken(prefix string) string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// IssueToken makes an access token for a subject: kind "user" (long-lived
// user token), "page" (a page token that does not expire), "iglogin" or
// "threads" (60-day tokens). ttl 0 uses the kind's default.
func (s *Server) IssueToken(kind, subject string, ttl time.Duration) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issue(kind, subject, ttl, true)
}

func (s *Server) issue(kind, subject string, ttl time.Duration, long bool) string {
	now := s.opts.Now()
	prefix := map[string]string{"user": "EAAB", "page": "EAAP", "iglogin": "IGAA", "threads": "THAA"}[kind]
	tk := &token{Subject: subject, Kind: kind, Issued: now, LongLived: long}
	switch {
	case ttl > 0:
		tk.Expires = now.Add(ttl)
	case kind == "page":
	case long:
		tk.Expires = now.Add(60 * 24 * time.Hour)
	default:
		tk.Expires = now.Add(time.Hour)
	}
	v := randomToken(prefix)
	s.tokens[v] = tk
	return v
}

// Revoke invalidates a token (the user changed their password or removed the app: code 190 subcode 460).
func (s *Server) Revoke(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.tokens[tok]; t != nil {
		t.Revoked = true
	}
}

// TokenInfo reports a token's subject and expiry (zero: never), and whether it is known.
func (s *Server) TokenInfo(tok string) (subject string, expires time.Time, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[tok]
	if t == nil {
		return "", time.Time{}, false
	}
	return t.Subject, t.Expires, true
}

// Inject adds a fault.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times == 0 {
		f.Times = 1
	}
	s.faults = append(s.faults, &faultState{Fault: f})
}

// Requests returns the recorded calls.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count counts recorded calls whose "METHOD path" ends with op.
func (s *Server) Count(op string) int {
	n := 0
	for _, r := range s.Requests() {
		if strings.HasSuffix(r.Method+" "+r.Path, op) {
			n++
		}
	}
	return n
}

// Get returns a copy of an object (nil when unknown).
func (s *Server) Get(id string) *Object {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.objects[id]
	if o == nil {
		return nil
	}
	cp := *o
	cp.Fields = map[string]any{}
	for k, v := range o.Fields {
		cp.Fields[k] = v
	}
	return &cp
}

// Objects returns copies of the live objects of a type owned by owner ("" any), oldest first.
func (s *Server) Objects(typ, owner string) []Object {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Object
	for _, id := range s.order {
		o := s.objects[id]
		if o.Type == typ && !o.Deleted && (owner == "" || o.Owner == owner) {
			out = append(out, *o)
		}
	}
	return out
}

// AddComment puts a comment by someone else under a post, media, thread or comment and returns its id.
func (s *Server) AddComment(parent, author, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.objects[parent]
	owner := ""
	if p != nil {
		owner = p.Owner
	}
	typ := "comment"
	if p != nil && (p.Type == "thread" || (p.Type == "comment" && p.Fields["threads"] == true)) {
		typ = "thread"
	}
	id := s.newID()
	o := &Object{ID: id, Type: typ, Owner: owner, Parent: parent, Created: s.opts.Now(),
		Fields: map[string]any{"message": text, "text": text, "username": author, "from": map[string]any{"id": "99" + id[len(id)-6:], "name": author, "username": author}}}
	if typ == "thread" {
		o.Type, o.Fields["threads"] = "comment", true
	}
	s.put(o)
	return id
}

// Tag makes another account's media that tags (mentions) the Instagram user, and returns its id.
func (s *Server) Tag(igUser, author, caption string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.newID()
	s.put(&Object{ID: id, Type: "igmedia", Owner: "elsewhere", Created: s.opts.Now(),
		Fields: map[string]any{"caption": caption, "username": author, "media_type": "IMAGE", "permalink": "https://www.instagram.com/p/T" + id + "/", "tags": igUser}})
	return id
}

// Mention makes a Threads post by someone else that mentions the Threads user.
func (s *Server) Mention(thUser, author, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.newID()
	s.put(&Object{ID: id, Type: "thread", Owner: "elsewhere", Created: s.opts.Now(),
		Fields: map[string]any{"text": text, "username": author, "media_type": "TEXT_POST", "permalink": "https://www.threads.net/@" + author + "/post/" + id, "mentions": thUser}})
	return id
}

// SetMetrics sets the insight values of an object (metric name → value).
func (s *Server) SetMetrics(id string, m map[string]int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.objects[id]
	if o == nil {
		return
	}
	ins := map[string]int64{}
	for k, v := range m {
		ins[k] = v
	}
	o.Fields["_insights"] = ins
}

// Deliver posts a webhook payload to target, signed with X-Hub-Signature-256
// (HMAC-SHA256 of the body with the app secret), as Meta does.
func (s *Server) Deliver(ctx context.Context, target, secret string, payload any) (*http.Response, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(b)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
	return http.DefaultClient.Do(req)
}

// graphError is the body Meta answers on failure.
type graphError struct {
	status      int
	Message     string `json:"message"`
	Type        string `json:"type"`
	Code        int    `json:"code"`
	Subcode     int    `json:"error_subcode,omitempty"`
	IsTransient bool   `json:"is_transient,omitempty"`
	UserTitle   string `json:"error_user_title,omitempty"`
	UserMsg     string `json:"error_user_msg,omitempty"`
	FBTraceID   string `json:"fbtrace_id"`
}

func gerr(status, code, sub int, typ, msg string) *graphError {
	return &graphError{status: status, Code: code, Subcode: sub, Type: typ, Message: msg}
}

func badParam(format string, a ...any) *graphError {
	return gerr(400, 100, 0, "OAuthException", "(#100) "+fmt.Sprintf(format, a...))
}

func notFound(id string) *graphError {
	return gerr(400, 100, 33, "GraphMethodException", fmt.Sprintf("Unsupported get request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", id))
}

func (s *Server) writeError(w http.ResponseWriter, e *graphError) int {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	e.FBTraceID = "A" + hex.EncodeToString(b)
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.Header().Set("WWW-Authenticate", `OAuth "Facebook Platform" "`+e.Type+`"`)
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": e})
	return e.status
}

func writeJSON(w http.ResponseWriter, v any) int {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(200)
	_ = json.NewEncoder(w).Encode(v)
	return 200
}

// call is one request being served.
type call struct {
	w      http.ResponseWriter
	r      *http.Request
	p      url.Values
	tok    string
	t      *token
	now    time.Time
	parts  []string // path after the version prefix
	graph  string   // "facebook", "threads" or "" (OAuth endpoints)
	status int
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	p := r.URL.Query()
	if ct := r.Header.Get("Content-Type"); strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		form, _ := url.ParseQuery(string(body))
		for k, v := range form {
			p[k] = append(p[k], v...)
		}
	} else if strings.HasPrefix(ct, "application/json") && len(body) > 0 {
		var m map[string]any
		if json.Unmarshal(body, &m) == nil {
			for k, v := range m {
				if str, ok := v.(string); ok {
					p.Set(k, str)
				} else {
					b, _ := json.Marshal(v)
					p.Set(k, string(b))
				}
			}
		}
	}
	tok := p.Get("access_token")
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") || strings.HasPrefix(h, "OAuth ") {
		_, tok, _ = strings.Cut(h, " ")
	}
	p.Del("access_token")
	// A method override as the Graph API accepts it (?method=delete).
	method := r.Method
	if m := strings.ToUpper(p.Get("method")); m != "" && r.Method == http.MethodPost {
		method = m
		p.Del("method")
	}
	s.mu.Lock()
	c := &call{w: w, r: r, p: p, tok: tok, t: s.tokens[tok], now: s.opts.Now()}
	path := strings.Trim(r.URL.Path, "/")
	switch {
	case strings.HasPrefix(path, GraphVersion+"/"), path == GraphVersion:
		c.graph, path = "facebook", strings.TrimPrefix(strings.TrimPrefix(path, GraphVersion), "/")
	case strings.HasPrefix(path, ThreadsVersion+"/"):
		c.graph, path = "threads", strings.TrimPrefix(path, ThreadsVersion+"/")
	}
	c.parts = strings.Split(path, "/")
	op := method + " /" + path
	rec := Request{Method: method, Path: "/" + path, Params: p, Token: tok}
	f := s.matchFault(op)
	var status int
	switch {
	case f != nil && f.Kind == Timeout:
		s.requests = append(s.requests, rec)
		s.mu.Unlock()
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
		return
	case f != nil && f.Kind != CommitThen500 && f.Kind != CommitThenDrop:
		status = s.writeError(w, s.faultError(c, f))
	default:
		if f == nil {
			status = s.route(c, method)
		} else {
			// Commit the call into a recorder, then fail instead of answering.
			rw := httptest.NewRecorder()
			c.w = rw
			s.route(c, method)
			if f.Kind == CommitThen500 {
				status = s.writeError(w, gerr(500, 1, 0, "OAuthException", "An unknown error occurred"))
			} else {
				rec.Status = 0
				s.requests = append(s.requests, rec)
				s.mu.Unlock()
				if hj, ok := w.(http.Hijacker); ok {
					if conn, _, err := hj.Hijack(); err == nil {
						conn.Close()
					}
				}
				return
			}
		}
	}
	rec.Status = status
	s.requests = append(s.requests, rec)
	s.mu.Unlock()
}

func (s *Server) matchFault(op string) *faultState {
	for _, f := range s.faults {
		if f.Op != "" && !strings.HasSuffix(op, f.Op) && !strings.Contains(op, f.Op+"/") {
			continue
		}
		if f.failed >= f.Times {
			continue
		}
		f.seen++
		if f.seen <= f.Skip {
			continue
		}
		f.failed++
		return f
	}
	return nil
}

func (s *Server) faultError(c *call, f *faultState) *graphError {
	regain := f.RegainMinutes
	if regain == 0 {
		regain = 5
	}
	switch f.Kind {
	case InvalidParameter:
		return badParam("Invalid parameter (injected)")
	case TokenExpired:
		return gerr(400, 190, 463, "OAuthException", "Error validating access token: Session has expired on Sunday, 06-Dec-26 12:00:00 PST. The current time is Sunday, 06-Dec-26 13:00:00 PST.")
	case PermissionDenied:
		return gerr(403, 200, 0, "OAuthException", "(#200) Requires pages_manage_posts permission to manage the object")
	case AppThrottle:
		usage, _ := json.Marshal(map[string]int{"call_count": 100, "total_time": 40, "total_cputime": 35})
		c.w.Header().Set("X-App-Usage", string(usage))
		e := gerr(400, 4, 0, "OAuthException", "(#4) Application request limit reached")
		e.IsTransient = true
		return e
	case PageThrottle:
		s.setBUC(c, 100, regain)
		e := gerr(400, 80001, 0, "OAuthException", "(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.")
		e.IsTransient = true
		return e
	case Transient:
		e := gerr(500, 2, 0, "OAuthException", "An unexpected error has occurred. Please retry your request later.")
		e.IsTransient = true
		return e
	case MediaFetchFailed:
		return mediaFetchError()
	case GraphCode:
		return gerr(400, f.Code, f.Subcode, "OAuthException", fmt.Sprintf("(#%d) injected Graph error", f.Code))
	}
	return gerr(500, 1, 0, "OAuthException", "An unknown error occurred")
}

func mediaFetchError() *graphError {
	e := gerr(400, 9004, 2207052, "OAuthException", "Only photo or video can be accepted as media type.")
	e.UserTitle, e.UserMsg = "Media download has failed.", "The media could not be fetched from this URI: the URL must be public and answer with the file."
	return e
}

// setBUC writes X-Business-Use-Case-Usage for the call's business object.
func (s *Server) setBUC(c *call, pct, regain int) {
	owner, typ := s.PageID, "pages"
	if c.t != nil {
		owner = c.t.Subject
		if c.t.Kind == "iglogin" || c.graph == "facebook" && s.objects[owner] != nil && s.objects[owner].Type == "iguser" {
			typ = "instagram"
		}
	}
	buc, _ := json.Marshal(map[string]any{owner: []map[string]any{{"type": typ, "call_count": pct, "total_cputime": pct / 2, "total_time": pct / 2, "estimated_time_to_regain_access": regain}}})
	c.w.Header().Set("X-Business-Use-Case-Usage", string(buc))
}

// usage counts the call against the token's hourly budget and writes the usage header;
// it answers a throttle error when the budget is spent.
func (s *Server) usage(c *call) *graphError {
	if c.t == nil {
		return nil
	}
	list := s.calls[c.tok][:0]
	for _, at := range s.calls[c.tok] {
		if c.now.Sub(at) < time.Hour {
			list = append(list, at)
		}
	}
	pct := len(list) * 100 / s.opts.CallBudget
	if pct >= 100 {
		s.calls[c.tok] = list
		regain := int(time.Hour-c.now.Sub(list[0]))/int(time.Minute) + 1
		if c.t.Kind == "user" {
			usage, _ := json.Marshal(map[string]int{"call_count": 100, "total_time": 30, "total_cputime": 30})
			c.w.Header().Set("X-App-Usage", string(usage))
			e := gerr(400, 4, 0, "OAuthException", "(#4) Application request limit reached")
			e.IsTransient = true
			return e
		}
		s.setBUC(c, 100, regain)
		code := 80001
		if c.t.Kind == "iglogin" || s.objects[c.t.Subject] != nil && s.objects[c.t.Subject].Type == "iguser" {
			code = 80002
		}
		if c.graph == "threads" {
			code = 80001
		}
		e := gerr(400, code, 0, "OAuthException", fmt.Sprintf("(#%d) There have been too many calls to this account. Wait a bit and try again.", code))
		e.IsTransient = true
		return e
	}
	s.calls[c.tok] = append(list, c.now)
	pct = (len(list) + 1) * 100 / s.opts.CallBudget
	if c.t.Kind == "user" {
		usage, _ := json.Marshal(map[string]int{"call_count": pct, "total_time": pct / 2, "total_cputime": pct / 2})
		c.w.Header().Set("X-App-Usage", string(usage))
	} else {
		s.setBUC(c, pct, 0)
	}
	return nil
}

// auth checks the call's token; a nil answer lets the call through.
func (s *Server) auth(c *call) *graphError {
	switch {
	case c.tok == "":
		return gerr(400, 2500, 0, "OAuthException", "An active access token must be used to query information about the current user.")
	case c.t == nil:
		return gerr(400, 190, 0, "OAuthException", "Invalid OAuth access token - Cannot parse access token")
	case c.t.Revoked:
		return gerr(400, 190, 460, "OAuthException", "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.")
	case !c.t.Expires.IsZero() && !c.now.Before(c.t.Expires):
		return gerr(400, 190, 463, "OAuthException", fmt.Sprintf("Error validating access token: Session has expired on %s.", c.t.Expires.UTC().Format(time.RFC1123)))
	case c.graph == "threads" && c.t.Kind != "threads", c.graph == "facebook" && c.t.Kind == "threads":
		return gerr(400, 190, 0, "OAuthException", "Invalid OAuth access token - Cannot parse access token")
	}
	return s.usage(c)
}
