// Package xtest is a contract-faithful fake of the X API v2 for connector
// tests, on real loopback HTTP: the OAuth 2.0 token endpoint (PKCE, refresh
// tokens that rotate and stop working once used), users/me, posts (create,
// delete, lookup, user timeline, mentions, recent search), the chunked media
// upload with processing and alt text. It validates input like X (280
// weighted characters, 4 media, poll rules, duplicates), answers X's shapes
// (problem JSON, the legacy errors array on some 429s, data plus partial
// errors), sends x-rate-limit-* headers, records requests and can be
// switched into failures per route.
package xtest

import (
	"crypto/sha256"
	"encoding/base64"
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

	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/network"
)

// Options configures a fake.
type Options struct {
	// Now is the fake's clock (default time.Now): token expiry and rate windows follow it.
	Now func() time.Time
	// ClientID and ClientSecret are the registered app (defaults "fake-client", no secret: a public client).
	ClientID, ClientSecret string
	// RateLimit is the requests per route per user per 15 minutes (default 300).
	RateLimit int
	// MediaPolls is how many STATUS checks a video or GIF answers in_progress before succeeded.
	MediaPolls int
	// TokenLifetime is the access token's life (default 2 h, like X).
	TokenLifetime time.Duration
	// SubscriptionType is the account's X Premium level (default "None");
	// Premium and PremiumPlus may post up to 25,000 weighted characters.
	SubscriptionType string
}

// FaultKind is a failure the fake can be switched into.
type FaultKind string

// The faults.
const (
	// Invalid answers 400 problem JSON (invalid-request).
	Invalid FaultKind = "invalid"
	// Unauthorized answers 401 problem JSON.
	Unauthorized FaultKind = "unauthorized"
	// Forbidden answers 403 client-forbidden (the app's access tier lacks the endpoint).
	Forbidden FaultKind = "forbidden"
	// RateLimited answers 429 problem JSON with x-rate-limit-remaining 0.
	RateLimited FaultKind = "rate_limited"
	// DailyLimited answers 429 with the x-user-limit-24hour-* headers at zero.
	DailyLimited FaultKind = "daily_limited"
	// LegacyRateLimited answers 429 with {"errors":[{"code":88,…}]}.
	LegacyRateLimited FaultKind = "legacy_rate_limited"
	// ServerError answers 503 without doing anything.
	ServerError FaultKind = "server_error"
	// CommitThenFail does the work, then answers 500.
	CommitThenFail FaultKind = "commit_then_fail"
	// CommitThenDrop does the work, then drops the connection.
	CommitThenDrop FaultKind = "commit_then_drop"
	// Drop drops the connection without doing anything.
	Drop FaultKind = "drop"
)

// Fault switches a route ("POST /2/tweets") into a failure for its next Times calls (default 1).
type Fault struct {
	Route string
	Kind  FaultKind
	Times int
}

// Request is one recorded request.
type Request struct {
	Method, Path string
	Query        url.Values
	Header       http.Header
	Body         []byte
}

// Tweet is a post on the fake.
type Tweet struct {
	ID, Text, AuthorID, ConversationID, ReplyTo, QuoteID string
	MediaIDs                                             []string
	PollOptions                                          []string
	PollMinutes                                          int
	ReplySettings                                        string
	CreatedAt                                            time.Time
	Likes, Retweets, Replies, Quotes, Impressions        int64
	Deleted, Hidden                                      bool
}

// Media is an upload on the fake.
type Media struct {
	ID, Type, Category string
	Total, Received    int
	Segments           int
	Finalized          bool
	State              string
	pollsLeft          int
	AltText            string
}

type user struct {
	ID, Username, Name string
	Followers          int64
}

type token struct {
	userID  string
	expires time.Time
}

type authCode struct {
	challenge, redirect, clientID, userID string
}

// Server is the fake.
type Server struct {
	URL  string
	opts Options
	srv  *httptest.Server

	mu        sync.Mutex
	self      user
	users     map[string]*user
	access    map[string]token
	refresh   map[string]string // refresh token → user id
	used      map[string]bool   // rotated refresh tokens
	codes     map[string]authCode
	tweets    []*Tweet
	media     map[string]*Media
	faults    []*Fault
	requests  []Request
	windows   map[string]*window
	nextID    int64
	defaultTk string
	defaultRt string
}

type window struct {
	used  int
	reset time.Time
}

// New starts a fake with one account (@relaisfake) and a token pair for it.
func New(t testing.TB, o Options) *Server {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ClientID == "" {
		o.ClientID = "fake-client"
	}
	if o.RateLimit == 0 {
		o.RateLimit = 300
	}
	if o.TokenLifetime == 0 {
		o.TokenLifetime = 2 * time.Hour
	}
	if o.SubscriptionType == "" {
		o.SubscriptionType = "None"
	}
	s := &Server{
		opts: o, self: user{ID: "2244994945", Username: "relaisfake", Name: "Relais Fake", Followers: 42},
		users: map[string]*user{}, access: map[string]token{}, refresh: map[string]string{}, used: map[string]bool{},
		codes: map[string]authCode{}, media: map[string]*Media{}, windows: map[string]*window{},
		nextID: 1860000000000000000,
	}
	s.users[s.self.ID] = &s.self
	s.defaultTk, s.defaultRt, _ = s.issue(s.self.ID)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// UserID is the fake account's id.
func (s *Server) UserID() string { return s.self.ID }

// Username is the fake account's username.
func (s *Server) Username() string { return s.self.Username }

// Tokens returns the account's first access and refresh tokens.
func (s *Server) Tokens() (access, refresh string) { return s.defaultTk, s.defaultRt }

// ClientID is the registered app's client id.
func (s *Server) ClientID() string { return s.opts.ClientID }

// Expire makes every access token expired (the refresh tokens stay valid).
func (s *Server) Expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, t := range s.access {
		t.expires = s.opts.Now().Add(-time.Second)
		s.access[k] = t
	}
}

// RevokeRefresh makes every refresh token invalid (a user revoked the app).
func (s *Server) RevokeRefresh() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.refresh {
		delete(s.refresh, k)
		s.used[k] = true
	}
}

// Inject adds a fault.
func (s *Server) Inject(f Fault) {
	if f.Times == 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// Requests returns the recorded requests.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns how many requests a route ("POST /2/tweets") received.
func (s *Server) Count(route string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method+" "+routeOf(r.Path) == route {
			n++
		}
	}
	return n
}

// Tweets returns the posts not deleted, oldest first.
func (s *Server) Tweets() []Tweet {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Tweet
	for _, t := range s.tweets {
		if !t.Deleted {
			out = append(out, *t)
		}
	}
	return out
}

// Tweet returns one post.
func (s *Server) Tweet(id string) (Tweet, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.find(id)
	if t == nil {
		return Tweet{}, false
	}
	return *t, true
}

// Media returns an upload.
func (s *Server) Media(id string) (Media, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[id]
	if !ok {
		return Media{}, false
	}
	return *m, true
}

// SetMetrics sets a post's public counts.
func (s *Server) SetMetrics(id string, likes, retweets, replies, quotes, impressions int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.find(id); t != nil {
		t.Likes, t.Retweets, t.Replies, t.Quotes, t.Impressions = likes, retweets, replies, quotes, impressions
	}
}

// SetUserFollowers sets another user's followers_count (the user is made on first use by AddPost).
func (s *Server) SetUserFollowers(username string, n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users {
		if u.Username == username {
			u.Followers = n
		}
	}
}

// AddPost makes another user (created on first use) post text, answering
// replyTo when set, and returns the post's id.
func (s *Server) AddPost(username, text, replyTo string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var u *user
	for _, x := range s.users {
		if x.Username == username {
			u = x
		}
	}
	if u == nil {
		s.nextID++
		u = &user{ID: strconv.FormatInt(s.nextID%1_000_000_000, 10), Username: username, Name: strings.ToUpper(username[:1]) + username[1:]}
		s.users[u.ID] = u
	}
	return s.create(u.ID, text, replyTo).ID
}

func (s *Server) issue(userID string) (string, string, time.Time) {
	a, r := "at-"+randomString(), "rt-"+randomString()
	exp := s.opts.Now().Add(s.opts.TokenLifetime)
	s.access[a] = token{userID: userID, expires: exp}
	s.refresh[r] = userID
	return a, r, exp
}

func (s *Server) find(id string) *Tweet {
	for _, t := range s.tweets {
		if t.ID == id && !t.Deleted {
			return t
		}
	}
	return nil
}

func (s *Server) create(authorID, text, replyTo string) *Tweet {
	s.nextID += 1 + s.nextID%7
	t := &Tweet{ID: strconv.FormatInt(s.nextID, 10), Text: text, AuthorID: authorID, ReplyTo: replyTo, CreatedAt: s.opts.Now().UTC().Truncate(time.Second)}
	t.ConversationID = t.ID
	if p := s.find(replyTo); p != nil {
		t.ConversationID = p.ConversationID
		p.Replies++
	}
	s.tweets = append(s.tweets, t)
	return t
}

var idSeq struct {
	sync.Mutex
	n int
}

func randomString() string {
	idSeq.Lock()
	defer idSeq.Unlock()
	idSeq.n++
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d-%d", idSeq.n, time.Now().UnixNano())))
	return base64.RawURLEncoding.EncodeToString(sum[:18])
}

// routeOf turns a path into its route pattern (ids replaced by :id).
func routeOf(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if i > 1 && s != "" && strings.Trim(s, "0123456789") == "" {
			parts[i] = ":id"
		}
	}
	return strings.Join(parts, "/")
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := readAll(r)
	route := r.Method + " " + routeOf(r.URL.Path)
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body})
	fault := s.takeFault(route)
	s.mu.Unlock()
	switch fault {
	case Invalid:
		problem(w, 400, "Invalid Request", "One or more parameters to your request was invalid.", "https://api.twitter.com/2/problems/invalid-request")
		return
	case Unauthorized:
		problem(w, 401, "Unauthorized", "Unauthorized", "about:blank")
		return
	case Forbidden:
		problem(w, 403, "Client Forbidden", "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project.", "https://api.twitter.com/2/problems/client-forbidden")
		return
	case RateLimited, DailyLimited, LegacyRateLimited:
		s.tooMany(w, fault)
		return
	case ServerError:
		problem(w, 503, "Service Unavailable", "Service Unavailable", "about:blank")
		return
	case Drop:
		drop(w)
		return
	}
	rw := &recorder{ResponseWriter: w}
	if fault == CommitThenFail || fault == CommitThenDrop {
		rw.discard = true
	}
	s.route(rw, r, route, body)
	switch fault {
	case CommitThenFail:
		problem(w, 500, "Internal Server Error", "Internal Server Error", "about:blank")
	case CommitThenDrop:
		drop(w)
	}
}

func (s *Server) takeFault(route string) FaultKind {
	for i, f := range s.faults {
		if f.Route == route {
			f.Times--
			if f.Times <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return f.Kind
		}
	}
	return ""
}

func (s *Server) tooMany(w http.ResponseWriter, kind FaultKind) {
	now := s.opts.Now()
	h := w.Header()
	h.Set("x-rate-limit-limit", strconv.Itoa(s.opts.RateLimit))
	h.Set("x-rate-limit-remaining", "0")
	h.Set("x-rate-limit-reset", strconv.FormatInt(now.Add(15*time.Minute).Unix(), 10))
	switch kind {
	case DailyLimited:
		h.Set("x-rate-limit-remaining", "12")
		h.Set("x-user-limit-24hour-limit", "100")
		h.Set("x-user-limit-24hour-remaining", "0")
		h.Set("x-user-limit-24hour-reset", strconv.FormatInt(now.Add(20*time.Hour).Unix(), 10))
	case LegacyRateLimited:
		writeJSON(w, 429, map[string]any{"errors": []any{map[string]any{"code": 88, "message": "Rate limit exceeded"}}})
		return
	}
	problem(w, 429, "Too Many Requests", "Too Many Requests", "about:blank")
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, route string, body []byte) {
	switch route {
	case "POST /2/oauth2/token":
		s.oauthToken(w, r, body)
		return
	case "GET /i/oauth2/authorize":
		s.authorize(w, r)
		return
	}
	uid, ok := s.authenticate(w, r)
	if !ok || !s.countRate(w, uid, route) {
		return
	}
	id := lastID(r.URL.Path)
	if strings.HasPrefix(route, "GET /2/users/by/username/") {
		s.userByName(w, r, id)
		return
	}
	switch route {
	case "GET /2/users/me":
		s.me(w, uid)
	case "POST /2/tweets":
		s.createTweet(w, uid, body)
	case "DELETE /2/tweets/:id":
		s.deleteTweet(w, uid, id)
	case "PUT /2/tweets/:id/hidden":
		s.hideReply(w, uid, pathID(r.URL.Path), body)
	case "GET /2/tweets":
		s.lookup(w, r)
	case "GET /2/users/:id/tweets":
		s.timeline(w, r, pathID(r.URL.Path), false)
	case "GET /2/users/:id/mentions":
		s.timeline(w, r, pathID(r.URL.Path), true)
	case "GET /2/tweets/search/recent":
		s.search(w, r)
	case "POST /2/media/upload/initialize":
		s.initUpload(w, body)
	case "POST /2/media/upload/:id/append":
		s.appendUpload(w, r, pathID(r.URL.Path), body)
	case "POST /2/media/upload/:id/finalize":
		s.finalize(w, pathID(r.URL.Path))
	case "GET /2/media/upload":
		s.status(w, r)
	case "POST /2/media/metadata":
		s.metadata(w, body)
	default:
		problem(w, 404, "Not Found Error", "Sorry, that page does not exist.", "https://api.twitter.com/2/problems/resource-not-found")
	}
}

func lastID(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }

// pathID is the first numeric segment of a path (/2/users/:id/…, /2/media/upload/:id/…).
func pathID(p string) string {
	for _, s := range strings.Split(p, "/") {
		if s != "" && s != "2" && strings.Trim(s, "0123456789") == "" {
			return s
		}
	}
	return ""
}

func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (string, bool) {
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	t, ok := s.access[tok]
	s.mu.Unlock()
	if !ok || !s.opts.Now().Before(t.expires) {
		problem(w, 401, "Unauthorized", "Unauthorized", "about:blank")
		return "", false
	}
	return t.userID, true
}

func (s *Server) countRate(w http.ResponseWriter, uid, route string) bool {
	now := s.opts.Now()
	s.mu.Lock()
	win := s.windows[uid+" "+route]
	if win == nil || !now.Before(win.reset) {
		win = &window{reset: now.Add(15 * time.Minute)}
		s.windows[uid+" "+route] = win
	}
	win.used++
	remaining := s.opts.RateLimit - win.used
	reset := win.reset
	s.mu.Unlock()
	if remaining < 0 {
		s.tooMany(w, RateLimited)
		return false
	}
	h := w.Header()
	h.Set("x-rate-limit-limit", strconv.Itoa(s.opts.RateLimit))
	h.Set("x-rate-limit-remaining", strconv.Itoa(remaining))
	h.Set("x-rate-limit-reset", strconv.FormatInt(reset.Unix(), 10))
	return true
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != s.opts.ClientID || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("response_type") != "code" {
		http.Error(w, "Something went wrong: invalid authorize request", http.StatusBadRequest)
		return
	}
	code := "code-" + randomString()
	s.mu.Lock()
	s.codes[code] = authCode{challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri"), clientID: q.Get("client_id"), userID: s.self.ID}
	s.mu.Unlock()
	u, _ := url.Parse(q.Get("redirect_uri"))
	uq := u.Query()
	uq.Set("state", q.Get("state"))
	uq.Set("code", code)
	u.RawQuery = uq.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

func (s *Server) oauthToken(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		oauthError(w, 400, "invalid_request", "Missing required parameter [grant_type].")
		return
	}
	if s.opts.ClientSecret != "" {
		id, secret, ok := r.BasicAuth()
		if !ok || id != s.opts.ClientID || secret != s.opts.ClientSecret {
			oauthError(w, 401, "unauthorized_client", "Missing valid authorization header")
			return
		}
	} else if form.Get("client_id") != s.opts.ClientID {
		oauthError(w, 400, "invalid_request", "Missing required parameter [client_id].")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var uid string
	switch form.Get("grant_type") {
	case "authorization_code":
		c, ok := s.codes[form.Get("code")]
		delete(s.codes, form.Get("code"))
		sum := sha256.Sum256([]byte(form.Get("code_verifier")))
		if !ok || c.redirect != form.Get("redirect_uri") || base64.RawURLEncoding.EncodeToString(sum[:]) != c.challenge {
			oauthError(w, 400, "invalid_request", "Value passed for the authorization code was invalid.")
			return
		}
		uid = c.userID
	case "refresh_token":
		rt := form.Get("refresh_token")
		u, ok := s.refresh[rt]
		if !ok {
			oauthError(w, 400, "invalid_request", "Value passed for the token was invalid.")
			return
		}
		delete(s.refresh, rt)
		s.used[rt] = true
		uid = u
	default:
		oauthError(w, 400, "unsupported_grant_type", "Grant type is not supported.")
		return
	}
	a, rt, _ := s.issue(uid)
	writeJSON(w, 200, map[string]any{
		"token_type": "bearer", "expires_in": int(s.opts.TokenLifetime / time.Second), "access_token": a,
		"scope": "tweet.read tweet.write users.read media.write offline.access", "refresh_token": rt,
	})
}

func (s *Server) me(w http.ResponseWriter, uid string) {
	s.mu.Lock()
	u := *s.users[uid]
	s.mu.Unlock()
	writeJSON(w, 200, map[string]any{"data": map[string]any{
		"id": u.ID, "name": u.Name, "username": u.Username, "subscription_type": s.opts.SubscriptionType,
		"profile_image_url": "https://pbs.twimg.com/profile_images/1/" + u.Username + "_normal.jpg",
		"public_metrics":    map[string]int64{"followers_count": u.Followers, "following_count": 7, "tweet_count": int64(len(s.Tweets())), "listed_count": 0},
	}})
}

// userByName answers GET /2/users/by/username/:username with the fields asked.
func (s *Server) userByName(w http.ResponseWriter, r *http.Request, name string) {
	s.mu.Lock()
	var u *user
	for _, x := range s.users {
		if strings.EqualFold(x.Username, name) {
			u = x
		}
	}
	var count int64
	if u != nil {
		for _, t := range s.tweets {
			if t.AuthorID == u.ID && !t.Deleted {
				count++
			}
		}
	}
	s.mu.Unlock()
	if u == nil {
		writeJSON(w, 200, map[string]any{"errors": []any{map[string]any{"value": name, "detail": "Could not find user with username: [" + name + "].",
			"title": "Not Found Error", "resource_type": "user", "parameter": "username", "type": "https://api.twitter.com/2/problems/resource-not-found"}}})
		return
	}
	d := map[string]any{"id": u.ID, "name": u.Name, "username": u.Username}
	fields := r.URL.Query().Get("user.fields")
	if strings.Contains(fields, "public_metrics") {
		d["public_metrics"] = map[string]int64{"followers_count": u.Followers, "following_count": 0, "tweet_count": count, "listed_count": 0}
	}
	if strings.Contains(fields, "description") {
		d["description"] = ""
	}
	writeJSON(w, 200, map[string]any{"data": d})
}

// SetFollowers sets the account's followers_count.
func (s *Server) SetFollowers(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.self.Followers = n
}

func problem(w http.ResponseWriter, status int, title, detail, typ string) {
	writeJSON(w, status, map[string]any{"title": title, "detail": detail, "type": typ, "status": status})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("x-transaction-id", "tx-"+randomString()[:8])
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			_ = c.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// recorder lets a committed-then-failed route run without its answer reaching the client.
type recorder struct {
	http.ResponseWriter
	discard bool
}

func (r *recorder) Header() http.Header {
	if r.discard {
		return http.Header{}
	}
	return r.ResponseWriter.Header()
}

func (r *recorder) WriteHeader(code int) {
	if !r.discard {
		r.ResponseWriter.WriteHeader(code)
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.discard {
		return len(b), nil
	}
	return r.ResponseWriter.Write(b)
}

// weighted is the post's length as X counts it (twitter-text v3, URLs 23).
func weighted(text string) int {
	return compose.Count(text, network.DefaultLimits[network.X], false).Value
}

// maxText is how long the account's posts may be.
func (s *Server) maxText() int {
	if s.opts.SubscriptionType == "Premium" || s.opts.SubscriptionType == "PremiumPlus" {
		return 25_000
	}
	return 280
}
