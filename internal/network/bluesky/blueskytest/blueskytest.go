// Package blueskytest is a fake Bluesky PDS-with-AppView for tests: sessions
// (createSession, refreshSession, getSession) and the AppView reads the real
// local PDS cannot answer (getPosts, getProfile, getPostThread,
// listNotifications, searchPosts, getAuthorFeed), with the documented JSON shapes, a clock
// taken from the test, recorded requests, and switchable failures
// (400 ExpiredToken, 429 RateLimitExceeded with all four ratelimit-* headers,
// 401 AuthRequired, 5xx).
package blueskytest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Token lifetimes, as the real PDS issues them.
const (
	AccessTTL  = 2 * time.Hour
	RefreshTTL = 90 * 24 * time.Hour
)

// Failure is an error the fake answers instead of the real response.
type Failure int

// The failures a test can switch on.
const (
	// ExpiredToken answers 400 ExpiredToken and expires the access token used.
	ExpiredToken Failure = iota + 1
	// RateLimited answers 429 RateLimitExceeded with ratelimit-limit, -remaining, -reset and -policy.
	RateLimited
	// AuthRequired answers 401 AuthRequired.
	AuthRequired
	// ServerError answers 500 InternalServerError.
	ServerError
)

// Post is a post the fake knows; the AppView views are built from it.
type Post struct {
	URI, CID                               string
	AuthorDID, AuthorHandle, AuthorName    string
	Text                                   string
	Langs                                  []string
	CreatedAt                              time.Time
	ReplyRoot, ReplyParent                 string // at:// URIs, empty for a top-level post
	Likes, Reposts, Replies, Quotes, Saves int64
}

// Request is one request the fake received.
type Request struct {
	Method, NSID string
	Query        map[string][]string
	Header       http.Header
	Body         []byte
}

// Server is the fake. Its fields are set before use; the methods are safe for concurrent use.
type Server struct {
	*httptest.Server

	// DID, Handle and Password are the one account that can log in.
	DID, Handle, Password string
	// Now is the fake's clock (default time.Now); tokens expire by it.
	Now func() time.Time
	// RateLimitReset is the reset time sent with RateLimited (default Now + 5 min).
	RateLimitReset time.Time
	// PublicReads serves app.bsky.* reads without a token, as the public AppView
	// does (notifications still need one).
	PublicReads bool

	mu            sync.Mutex
	access        map[string]time.Time // token → expiry
	refresh       map[string]time.Time
	issued        int
	posts         map[string]Post
	order         []string
	followers     int64
	notifications []notification
	profiles      map[string]Profile
	failures      map[string][]Failure
	requests      []Request
}

type notification struct {
	reason    string
	post      string
	indexedAt time.Time
}

// New starts a fake for the account alice.test; it is closed with the test.
func New(t interface{ Cleanup(func()) }) *Server {
	s := &Server{
		DID: "did:plc:alice0000000000000000000", Handle: "alice.test", Password: "abcd-efgh-ijkl-mnop",
		access: map[string]time.Time{}, refresh: map[string]time.Time{}, posts: map[string]Post{}, failures: map[string][]Failure{},
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// FailNext makes the next call of nsid answer f (queued: several calls fail in order).
func (s *Server) FailNext(nsid string, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[nsid] = append(s.failures[nsid], f)
}

// AddPost adds (or replaces) a post.
func (s *Server) AddPost(p Post) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.posts[p.URI]; !ok {
		s.order = append(s.order, p.URI)
	}
	if p.CID == "" {
		p.CID = fmt.Sprintf("bafyreifake%06d", len(s.order))
	}
	s.posts[p.URI] = p
}

// SetFollowers sets the account's follower count.
func (s *Server) SetFollowers(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.followers = n
}

// AddNotification notifies the account about a post (added with AddPost) for a reason
// ("mention", "reply", "like", "repost", "follow", "quote").
func (s *Server) AddNotification(reason, postURI string, indexedAt time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notifications = append(s.notifications, notification{reason: reason, post: postURI, indexedAt: indexedAt})
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Calls counts the requests received for nsid.
func (s *Server) Calls(nsid string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.NSID == nsid {
			n++
		}
	}
	return n
}

// Token returns a valid access token, as if createSession had been called.
func (s *Server) Token() (access, refresh string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issue()
}

// issue mints a token pair; the caller holds s.mu.
func (s *Server) issue() (string, string) {
	s.issued++
	now := s.now()
	a := jwt(map[string]any{"scope": "com.atproto.appPass", "sub": s.DID, "iat": now.Unix(), "exp": now.Add(AccessTTL).Unix(), "jti": s.issued})
	r := jwt(map[string]any{"scope": "com.atproto.refresh", "sub": s.DID, "iat": now.Unix(), "exp": now.Add(RefreshTTL).Unix(), "jti": s.issued})
	s.access[a] = now.Add(AccessTTL)
	s.refresh[r] = now.Add(RefreshTTL)
	return a, r
}

// jwt builds an unsigned token with the claims a client reads (exp).
func jwt(claims map[string]any) string {
	h := base64.RawURLEncoding.EncodeToString([]byte(`{"typ":"at+jwt","alg":"HS256"}`))
	b, _ := json.Marshal(claims)
	return h + "." + base64.RawURLEncoding.EncodeToString(b) + ".fakesig"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func xrpcError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]string{"error": code, "message": msg})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	nsid, ok := strings.CutPrefix(r.URL.Path, "/xrpc/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{Method: r.Method, NSID: nsid, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body})
	if q := s.failures[nsid]; len(q) > 0 {
		s.failures[nsid] = q[1:]
		s.fail(w, r, q[0])
		return
	}
	switch nsid {
	case "com.atproto.server.createSession":
		s.createSession(w, body)
		return
	case "com.atproto.server.refreshSession":
		s.refreshSession(w, r)
		return
	}
	public := s.PublicReads && strings.HasPrefix(nsid, "app.bsky.") && nsid != "app.bsky.notification.listNotifications"
	if !public && !s.authorized(w, r) {
		return
	}
	q := r.URL.Query()
	switch nsid {
	case "com.atproto.server.getSession":
		writeJSON(w, http.StatusOK, map[string]any{"did": s.DID, "handle": s.Handle, "active": true})
	case "com.atproto.repo.getRecord":
		s.getRecord(w, q)
	case "app.bsky.feed.getPosts":
		s.getPosts(w, q["uris"])
	case "app.bsky.actor.getProfile":
		s.getProfile(w, q.Get("actor"))
	case "app.bsky.feed.getPostThread":
		s.getPostThread(w, q)
	case "app.bsky.feed.getAuthorFeed":
		s.getAuthorFeed(w, q)
	case "app.bsky.notification.listNotifications":
		s.listNotifications(w, q)
	case "app.bsky.feed.searchPosts":
		s.searchPosts(w, q)
	default:
		xrpcError(w, http.StatusNotImplemented, "MethodNotImplemented", "This method is not served by the fake")
	}
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, f Failure) {
	switch f {
	case ExpiredToken:
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			delete(s.access, tok)
		}
		xrpcError(w, http.StatusBadRequest, "ExpiredToken", "Token has expired")
	case RateLimited:
		reset := s.RateLimitReset
		if reset.IsZero() {
			reset = s.now().Add(5 * time.Minute)
		}
		h := w.Header()
		h.Set("ratelimit-limit", "3000")
		h.Set("ratelimit-remaining", "0")
		h.Set("ratelimit-reset", strconv.FormatInt(reset.Unix(), 10))
		h.Set("ratelimit-policy", "3000;w=300")
		xrpcError(w, http.StatusTooManyRequests, "RateLimitExceeded", "Rate Limit Exceeded")
	case AuthRequired:
		xrpcError(w, http.StatusUnauthorized, "AuthRequired", "Authentication Required")
	default:
		xrpcError(w, http.StatusInternalServerError, "InternalServerError", "Internal Server Error")
	}
}

func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		xrpcError(w, http.StatusUnauthorized, "AuthMissing", "Authentication Required")
		return false
	}
	exp, known := s.access[tok]
	switch {
	case !known && s.isExpiredIssued(tok):
		xrpcError(w, http.StatusBadRequest, "ExpiredToken", "Token has expired")
	case !known:
		xrpcError(w, http.StatusBadRequest, "InvalidToken", "Token could not be verified")
	case !s.now().Before(exp):
		xrpcError(w, http.StatusBadRequest, "ExpiredToken", "Token has expired")
	default:
		return true
	}
	return false
}

// isExpiredIssued reports whether tok looks like a token this fake issued
// (then one it forgot was expired by a Failure).
func (s *Server) isExpiredIssued(tok string) bool { return strings.HasSuffix(tok, ".fakesig") }

func (s *Server) createSession(w http.ResponseWriter, body []byte) {
	var in struct{ Identifier, Password string }
	if err := json.Unmarshal(body, &in); err != nil || in.Identifier == "" || in.Password == "" {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Input must have the property \"identifier\" and \"password\"")
		return
	}
	if (in.Identifier != s.Handle && in.Identifier != s.DID) || in.Password != s.Password {
		xrpcError(w, http.StatusUnauthorized, "AuthenticationRequired", "Invalid identifier or password")
		return
	}
	a, r := s.issue()
	writeJSON(w, http.StatusOK, map[string]any{"accessJwt": a, "refreshJwt": r, "did": s.DID, "handle": s.Handle, "active": true})
}

func (s *Server) refreshSession(w http.ResponseWriter, r *http.Request) {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	exp, ok := s.refresh[tok]
	if !ok {
		xrpcError(w, http.StatusBadRequest, "ExpiredToken", "Token has been revoked")
		return
	}
	if !s.now().Before(exp) {
		xrpcError(w, http.StatusBadRequest, "ExpiredToken", "Token has expired")
		return
	}
	delete(s.refresh, tok) // refresh tokens rotate
	a, rt := s.issue()
	writeJSON(w, http.StatusOK, map[string]any{"accessJwt": a, "refreshJwt": rt, "did": s.DID, "handle": s.Handle, "active": true})
}

// getRecord serves the account's profile record (the only record the fake keeps).
func (s *Server) getRecord(w http.ResponseWriter, q map[string][]string) {
	repo, coll, rkey := first(q["repo"]), first(q["collection"]), first(q["rkey"])
	if (repo != s.DID && repo != s.Handle) || coll != "app.bsky.actor.profile" || rkey != "self" {
		xrpcError(w, http.StatusBadRequest, "RecordNotFound", "Could not locate record: at://"+repo+"/"+coll+"/"+rkey)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"uri": "at://" + s.DID + "/app.bsky.actor.profile/self", "cid": "bafyreiprofile",
		"value": map[string]any{"$type": "app.bsky.actor.profile", "displayName": "Alice",
			"avatar": map[string]any{"$type": "blob", "ref": map[string]string{"$link": "bafkreiavatar"}, "mimeType": "image/jpeg", "size": 1234}},
	})
}

func (s *Server) getPosts(w http.ResponseWriter, uris []string) {
	if len(uris) > 25 {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "uris must not have more than 25 elements")
		return
	}
	views := []map[string]any{}
	for _, u := range uris {
		if p, ok := s.posts[u]; ok {
			views = append(views, s.postView(p))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"posts": views})
}

func (s *Server) getProfile(w http.ResponseWriter, actor string) {
	if p, ok := s.profile(actor); ok {
		writeJSON(w, http.StatusOK, map[string]any{
			"did": p.DID, "handle": p.Handle, "displayName": p.Name, "description": p.Description,
			"avatar": "https://cdn.example/avatar/" + p.DID, "followersCount": p.Followers, "followsCount": p.Follows,
			"postsCount": p.Posts, "indexedAt": s.now().UTC().Format(time.RFC3339Nano), "createdAt": "2024-01-01T00:00:00.000Z",
			"viewer": map[string]any{"muted": false, "blockedBy": false}, "labels": []any{},
		})
		return
	}
	if actor != s.DID && actor != s.Handle {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Profile not found")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"did": s.DID, "handle": s.Handle, "displayName": "Alice", "description": "",
		"followersCount": s.followers, "followsCount": 12, "postsCount": len(s.posts),
		"indexedAt": s.now().UTC().Format(time.RFC3339Nano), "createdAt": "2024-01-01T00:00:00.000Z",
		"associated": map[string]any{"lists": 0, "feedgens": 0, "starterPacks": 0, "labeler": false},
		"viewer":     map[string]any{"muted": false, "blockedBy": false}, "labels": []any{},
	})
}

func (s *Server) getPostThread(w http.ResponseWriter, q map[string][]string) {
	uri := first(q["uri"])
	p, ok := s.posts[uri]
	if !ok {
		xrpcError(w, http.StatusBadRequest, "NotFound", "Post not found: "+uri)
		return
	}
	depth := 6
	if d, err := strconv.Atoi(first(q["depth"])); err == nil {
		depth = d
	}
	writeJSON(w, http.StatusOK, map[string]any{"thread": s.threadView(p, depth)})
}

func (s *Server) threadView(p Post, depth int) map[string]any {
	node := map[string]any{"$type": "app.bsky.feed.defs#threadViewPost", "post": s.postView(p)}
	if depth > 0 {
		replies := []map[string]any{}
		for _, u := range s.order {
			if c := s.posts[u]; c.ReplyParent == p.URI {
				replies = append(replies, s.threadView(c, depth-1))
			}
		}
		node["replies"] = replies
	}
	return node
}

func (s *Server) postView(p Post) map[string]any {
	rec := map[string]any{"$type": "app.bsky.feed.post", "text": p.Text, "createdAt": p.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z")}
	if len(p.Langs) > 0 {
		rec["langs"] = p.Langs
	}
	if p.ReplyParent != "" {
		rec["reply"] = map[string]any{
			"root":   map[string]string{"uri": p.ReplyRoot, "cid": s.posts[p.ReplyRoot].CID},
			"parent": map[string]string{"uri": p.ReplyParent, "cid": s.posts[p.ReplyParent].CID},
		}
	}
	return map[string]any{
		"uri": p.URI, "cid": p.CID,
		"author": map[string]any{"did": p.AuthorDID, "handle": p.AuthorHandle, "displayName": p.AuthorName,
			"avatar": "https://cdn.example/avatar/" + p.AuthorDID, "labels": []any{}, "createdAt": "2024-01-01T00:00:00.000Z"},
		"record":     rec,
		"replyCount": p.Replies, "repostCount": p.Reposts, "likeCount": p.Likes, "quoteCount": p.Quotes, "bookmarkCount": p.Saves,
		"indexedAt": p.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z"), "labels": []any{}, "viewer": map[string]any{},
	}
}

func (s *Server) listNotifications(w http.ResponseWriter, q map[string][]string) {
	limit, ok := limitParam(w, q, 50)
	if !ok {
		return
	}
	reasons := map[string]bool{}
	for _, r := range q["reasons"] {
		reasons[r] = true
	}
	all := append([]notification(nil), s.notifications...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].indexedAt.After(all[j].indexedAt) })
	var before time.Time
	if c := first(q["cursor"]); c != "" {
		t, err := time.Parse(time.RFC3339Nano, c)
		if err != nil {
			xrpcError(w, http.StatusBadRequest, "InvalidRequest", "malformed cursor")
			return
		}
		before = t
	}
	items := []map[string]any{}
	cursor := ""
	for _, n := range all {
		if (len(reasons) > 0 && !reasons[n.reason]) || (!before.IsZero() && !n.indexedAt.Before(before)) {
			continue
		}
		if len(items) == limit {
			break
		}
		p := s.posts[n.post]
		view := s.postView(p)
		items = append(items, map[string]any{
			"uri": p.URI, "cid": p.CID, "author": view["author"], "reason": n.reason, "record": view["record"],
			"isRead": false, "indexedAt": n.indexedAt.UTC().Format(time.RFC3339Nano), "labels": []any{},
		})
		cursor = n.indexedAt.UTC().Format(time.RFC3339Nano)
	}
	out := map[string]any{"notifications": items, "priority": false, "seenAt": s.now().UTC().Format(time.RFC3339Nano)}
	if len(items) == limit {
		out["cursor"] = cursor
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) searchPosts(w http.ResponseWriter, q map[string][]string) {
	term := strings.ToLower(first(q["q"]))
	if term == "" {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Params must have the property \"q\"")
		return
	}
	limit, ok := limitParam(w, q, 25)
	if !ok {
		return
	}
	var hits []Post
	for _, u := range s.order {
		if p := s.posts[u]; strings.Contains(strings.ToLower(p.Text), term) {
			hits = append(hits, p)
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].CreatedAt.After(hits[j].CreatedAt) })
	offset, _ := strconv.Atoi(first(q["cursor"]))
	views := []map[string]any{}
	for i := offset; i < len(hits) && len(views) < limit; i++ {
		views = append(views, s.postView(hits[i]))
	}
	out := map[string]any{"posts": views, "hitsTotal": len(hits)}
	if offset+len(views) < len(hits) {
		out["cursor"] = strconv.Itoa(offset + len(views))
	}
	writeJSON(w, http.StatusOK, out)
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// Profile is another account the fake's AppView knows (an influencer, a
// competitor): getProfile answers it and getAuthorFeed lists the posts whose
// AuthorDID is its DID.
type Profile struct {
	DID, Handle, Name, Description string
	Followers, Follows, Posts      int64
}

// AddProfile makes another account known to the AppView.
func (s *Server) AddProfile(p Profile) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.profiles == nil {
		s.profiles = map[string]Profile{}
	}
	s.profiles[p.DID] = p
}

func (s *Server) profile(actor string) (Profile, bool) {
	for _, p := range s.profiles {
		if p.DID == actor || p.Handle == actor {
			return p, true
		}
	}
	return Profile{}, false
}

// getAuthorFeed lists an account's posts, newest first; the filter
// posts_no_replies leaves replies out (the real AppView's default filter
// posts_with_replies keeps them).
func (s *Server) getAuthorFeed(w http.ResponseWriter, q map[string][]string) {
	actor := first(q["actor"])
	did := actor
	if p, ok := s.profile(actor); ok {
		did = p.DID
	} else if actor == s.Handle {
		did = s.DID
	} else if actor != s.DID {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Profile not found")
		return
	}
	limit, ok := limitParam(w, q, 50)
	if !ok {
		return
	}
	feed := []map[string]any{}
	for i := len(s.order) - 1; i >= 0 && len(feed) < limit; i-- {
		p := s.posts[s.order[i]]
		if p.AuthorDID != did || first(q["filter"]) == "posts_no_replies" && p.ReplyParent != "" {
			continue
		}
		feed = append(feed, map[string]any{"post": s.postView(p)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"feed": feed})
}

// limitParam reads the limit parameter (1–100, def when absent); false when
// an error was answered.
func limitParam(w http.ResponseWriter, q map[string][]string, def int) (int, bool) {
	l, err := strconv.Atoi(first(q["limit"]))
	if err != nil {
		return def, true
	}
	if l < 1 || l > 100 {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "limit must be between 1 and 100")
		return 0, false
	}
	return l, true
}
