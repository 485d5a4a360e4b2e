// Package mastodontest is a contract-faithful fake of the Mastodon client API
// (Mastodon and GoToSocial flavours) for connector tests: it validates input
// like the real servers, answers with their JSON and error shapes, records
// every request, and can be switched into failures per route.
package mastodontest

import (
	"crypto/rand"
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
)

// Flavour selects which server implementation the fake imitates.
type Flavour string

// The flavours the fake imitates.
const (
	// Mastodon: 500 characters, 4 attachments, URLs count 23, validation errors are 422.
	Mastodon Flavour = "mastodon"
	// GoToSocial: 5,000 characters counted as code points (URLs as written,
	// though /api/v2/instance says 25), 6 attachments, validation errors are
	// 400 "Bad Request: …".
	GoToSocial Flavour = "gotosocial"
)

// Options configures a fake server.
type Options struct {
	// Flavour defaults to Mastodon.
	Flavour Flavour
	// Now is the fake's clock (default time.Now); scheduled_at, idempotency
	// expiry and rate-limit windows follow it.
	Now func() time.Time
	// MediaPolls is how many times GET /api/v1/media/:id answers 206 before the
	// upload is processed; 0 makes POST /api/v2/media answer 200 at once.
	MediaPolls int
	// LegacyInstance makes the fake an older server: /api/v2/instance is 404
	// and /api/v1/instance carries the limits.
	LegacyInstance bool
	// MaxTootChars makes /api/v1/instance answer Pleroma/Akkoma style (a
	// top-level max_toot_chars, no configuration); it implies LegacyInstance.
	MaxTootChars int
	// RateLimit is the number of requests per token per 5 minutes (default 300).
	RateLimit int
	// MediaRateLimit and DeleteRateLimit are the uploads and deletes allowed
	// per token per 30 minutes (default 30 each), Mastodon's extra throttles.
	MediaRateLimit, DeleteRateLimit int
	// Followers is the account's followers_count.
	Followers int64
}

// FaultKind is a failure the fake can be switched into.
type FaultKind int

// The failures a route can be switched into.
const (
	// Invalid answers the flavour's validation error (422 or 400).
	Invalid FaultKind = iota + 1
	// Unauthorized answers 401 "The access token is invalid".
	Unauthorized
	// RateLimited answers 429 with X-RateLimit-Remaining 0 and an ISO reset.
	RateLimited
	// ServerError answers 500.
	ServerError
	// Timeout holds the request until the client gives up.
	Timeout
	// CommitThen500 performs the request, then answers 500 instead.
	CommitThen500
	// CommitThenDrop performs the request, then closes the connection without answering.
	CommitThenDrop
)

// Fault switches matching requests into a failure.
type Fault struct {
	// Route is the mux pattern to match ("POST /api/v1/statuses"); empty matches all.
	Route string
	// Skip lets this many matching requests through first.
	Skip int
	// Times is how many matching requests fail (default 1).
	Times int
	// Kind is the failure.
	Kind FaultKind
}

// Request is one recorded request.
type Request struct {
	Method string
	Path   string
	// Route is the mux pattern that matched.
	Route  string
	Query  url.Values
	Header http.Header
	// Form holds the url-encoded or multipart form values (files omitted).
	Form url.Values
	// Status is what the fake answered (0 for a dropped connection).
	Status int
}

// Status is the fake's record of one status.
type Status struct {
	ID          string
	AccountID   string
	Text        string
	SpoilerText string
	Sensitive   bool
	Visibility  string
	Language    string
	InReplyToID string
	MediaIDs    []string
	CreatedAt   time.Time
	EditedAt    time.Time
	Replies     int64
	Reblogs     int64
	Favourites  int64
	Deleted     bool
	// IdempotencyKey is the key the status was created with.
	IdempotencyKey string
}

type account struct {
	ID, Username, Domain, DisplayName string
	Followers, Following, Statuses    int64
	CreatedAt                         time.Time
}

type media struct {
	ID, Type, MIME, Description, Focus string
	Width, Height                      int
	PollsLeft                          int
	StatusID                           string
	Owner                              string
}

type token struct {
	AccountID string
	Scopes    []string
	Revoked   bool
}

type app struct {
	Name, Secret, Scopes string
	RedirectURIs         []string
}

type authCode struct {
	ClientID, RedirectURI, Challenge, Method, Scopes string
}

type notification struct {
	ID, Type, AccountID, StatusID string
	CreatedAt                     time.Time
}

type idemEntry struct {
	StatusID string
	At       time.Time
}

type window struct {
	Start time.Time
	Count int
}

type faultState struct {
	Fault
	seen, failed int
}

// Server is a running fake Mastodon-API server.
type Server struct {
	// URL is the server's base URL (the instance URL).
	URL string

	opts   Options
	srv    *httptest.Server
	mux    *http.ServeMux
	done   chan struct{}
	selfID string

	mu            sync.Mutex
	nextID        int64
	accounts      map[string]*account
	statuses      map[string]*Status
	order         []string
	media         map[string]*media
	tokens        map[string]*token
	apps          map[string]*app
	codes         map[string]*authCode
	notifications []*notification
	idem          map[string]idemEntry
	windows       map[string]*window
	scheduled     map[string]*Status
	scheduledAt   map[string]time.Time
	faults        []*faultState
	requests      []Request
	defaultToken  string
	streams       []*streamSub
	streamConns   int
}

// New starts a fake server that is closed when the test ends.
func New(t testing.TB, o Options) *Server {
	t.Helper()
	if o.Flavour == "" {
		o.Flavour = Mastodon
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.RateLimit == 0 {
		o.RateLimit = 300
	}
	if o.MediaRateLimit == 0 {
		o.MediaRateLimit = 30
	}
	if o.DeleteRateLimit == 0 {
		o.DeleteRateLimit = 30
	}
	if o.MaxTootChars > 0 {
		o.LegacyInstance = true
	}
	s := &Server{
		opts: o, done: make(chan struct{}), nextID: 109_000_000_000_000_000,
		accounts: map[string]*account{}, statuses: map[string]*Status{}, media: map[string]*media{},
		tokens: map[string]*token{}, apps: map[string]*app{}, codes: map[string]*authCode{},
		idem: map[string]idemEntry{}, windows: map[string]*window{}, scheduled: map[string]*Status{},
		scheduledAt: map[string]time.Time{},
	}
	s.selfID = s.newID()
	s.accounts[s.selfID] = &account{ID: s.selfID, Username: "alice", DisplayName: "Alice", Followers: o.Followers, Following: 7, CreatedAt: o.Now().UTC().Truncate(24 * time.Hour)}
	s.defaultToken = s.NewToken("read", "write", "follow")
	s.routes()
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	// Registered after Close so it runs first and releases held (Timeout) requests.
	t.Cleanup(func() { close(s.done) })
	return s
}

// Flavour returns the flavour the server imitates.
func (s *Server) Flavour() Flavour { return s.opts.Flavour }

// MaxCharacters is the status length limit the flavour enforces.
func (s *Server) MaxCharacters() int {
	if s.opts.MaxTootChars > 0 {
		return s.opts.MaxTootChars
	}
	if s.opts.Flavour == GoToSocial {
		return 5000
	}
	return 500
}

// MaxMedia is the attachment count limit the flavour enforces.
func (s *Server) MaxMedia() int {
	if s.opts.Flavour == GoToSocial {
		return 6
	}
	return 4
}

// URLLength is how many characters the instance says a URL counts as.
func (s *Server) URLLength() int {
	if s.opts.Flavour == GoToSocial {
		return 25
	}
	return 23
}

// Host is the server's host:port, the domain part of local handles.
func (s *Server) Host() string {
	u, _ := url.Parse(s.URL)
	return u.Host
}

// AccountID is the id of the account the default token belongs to.
func (s *Server) AccountID() string { return s.selfID }

// Token returns the default account's access token (scopes read write follow).
func (s *Server) Token() string { return s.defaultToken }

// NewToken issues another token for the account with the given scopes.
func (s *Server) NewToken(scopes ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok := randomString(24)
	s.tokens[tok] = &token{AccountID: s.selfID, Scopes: scopes}
	return tok
}

// Revoke revokes a token, as a user does in the instance's settings.
func (s *Server) Revoke(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.tokens[tok]; ok {
		t.Revoked = true
	}
}

// SetFollowers sets the account's followers_count.
func (s *Server) SetFollowers(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accounts[s.selfID].Followers = n
}

// Inject switches requests matching f into a failure.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times == 0 {
		f.Times = 1
	}
	s.faults = append(s.faults, &faultState{Fault: f})
}

// Requests returns a copy of the request log.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns how many recorded requests matched route ("POST /api/v1/statuses").
func (s *Server) Count(route string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Route == route {
			n++
		}
	}
	return n
}

// Statuses returns the account's live statuses in creation order.
func (s *Server) Statuses() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Status
	for _, id := range s.order {
		st := s.statuses[id]
		if st.AccountID == s.selfID && !st.Deleted {
			out = append(out, cloneStatus(st))
		}
	}
	return out
}

// Status returns one status by id (deleted ones included, with Deleted set).
func (s *Server) Status(id string) (Status, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.statuses[id]
	if !ok {
		return Status{}, false
	}
	return cloneStatus(st), true
}

// MediaOf returns the descriptions of the attachments of a status, in order.
func (s *Server) MediaOf(id string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.statuses[id]
	if !ok {
		return nil
	}
	var out []string
	for _, mid := range st.MediaIDs {
		out = append(out, s.media[mid].Description)
	}
	return out
}

// SetCounts sets the public counts of a status.
func (s *Server) SetCounts(id string, replies, reblogs, favourites int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.statuses[id]; ok {
		st.Replies, st.Reblogs, st.Favourites = replies, reblogs, favourites
	}
}

// AddReply makes the remote account acct ("bob@remote.example") reply to
// status parentID, notifying the parent's author with a mention; it returns the reply's id.
func (s *Server) AddReply(parentID, acct, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.remoteAccount(acct)
	st := &Status{ID: s.newID(), AccountID: a.ID, Text: text, Visibility: "public", Language: "en", InReplyToID: parentID, CreatedAt: s.opts.Now().UTC()}
	s.statuses[st.ID] = st
	s.order = append(s.order, st.ID)
	if p, ok := s.statuses[parentID]; ok {
		p.Replies++
		if p.AccountID == s.selfID {
			s.notify("mention", a.ID, st.ID)
		}
	}
	return st.ID
}

// AddMention makes the remote account acct post text mentioning the account; it returns the status id.
func (s *Server) AddMention(acct, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.remoteAccount(acct)
	st := &Status{ID: s.newID(), AccountID: a.ID, Text: text, Visibility: "public", Language: "en", CreatedAt: s.opts.Now().UTC()}
	s.statuses[st.ID] = st
	s.order = append(s.order, st.ID)
	s.notify("mention", a.ID, st.ID)
	return st.ID
}

// AddFavourite records a favourite notification (a non-mention, for filter tests).
func (s *Server) AddFavourite(acct, statusID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.remoteAccount(acct)
	if st, ok := s.statuses[statusID]; ok {
		st.Favourites++
	}
	s.notify("favourite", a.ID, statusID)
}

func (s *Server) notify(typ, accountID, statusID string) {
	n := &notification{ID: s.newID(), Type: typ, AccountID: accountID, StatusID: statusID, CreatedAt: s.opts.Now().UTC()}
	s.notifications = append(s.notifications, n)
	s.pushNotification(n)
}

func (s *Server) remoteAccount(acct string) *account {
	user, domain, _ := strings.Cut(acct, "@")
	for _, a := range s.accounts {
		if a.Username == user && a.Domain == domain {
			return a
		}
	}
	a := &account{ID: s.newID(), Username: user, Domain: domain, DisplayName: user, CreatedAt: s.opts.Now().UTC().Truncate(24 * time.Hour)}
	s.accounts[a.ID] = a
	return a
}

func (s *Server) newID() string {
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

func cloneStatus(st *Status) Status {
	c := *st
	c.MediaIDs = append([]string(nil), st.MediaIDs...)
	return c
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func pkceS256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// serve records the request, applies faults and rate limits, then dispatches.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	_, route := s.mux.Handler(r)
	if err := parseForm(r); err != nil {
		writeError(w, http.StatusBadRequest, "Bad request: "+err.Error())
		return
	}
	rec := Request{Method: r.Method, Path: r.URL.Path, Route: route, Query: r.URL.Query(), Header: r.Header.Clone(), Form: cloneValues(r.Form)}
	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		s.mu.Lock()
		rec.Status = sw.status
		s.requests = append(s.requests, rec)
		s.mu.Unlock()
	}()

	kind := s.takeFault(route)
	switch kind {
	case Invalid:
		s.validationError(sw, "Validation failed: injected failure")
		return
	case Unauthorized:
		writeError(sw, http.StatusUnauthorized, "The access token is invalid")
		return
	case RateLimited:
		s.rateLimited(sw, s.opts.RateLimit, 5*time.Minute)
		return
	case ServerError:
		writeError(sw, http.StatusInternalServerError, "We're sorry, but something went wrong on our end.")
		return
	case Timeout:
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
		return
	}
	if !s.countRate(sw, r, route) {
		return
	}
	switch kind {
	case CommitThen500:
		s.mux.ServeHTTP(httptest.NewRecorder(), r)
		writeError(sw, http.StatusInternalServerError, "We're sorry, but something went wrong on our end.")
		return
	case CommitThenDrop:
		s.mux.ServeHTTP(httptest.NewRecorder(), r)
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		writeError(sw, http.StatusInternalServerError, "connection could not be dropped")
		return
	}
	s.mux.ServeHTTP(sw, r)
}

func (s *Server) takeFault(route string) FaultKind {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.faults {
		if f.Route != "" && f.Route != route {
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
		return f.Kind
	}
	return 0
}

// countRate applies the per-token 5-minute window (and the 30-minute media
// and delete throttles) and sets the X-RateLimit headers.
func (s *Server) countRate(w http.ResponseWriter, r *http.Request, route string) bool {
	key := bearer(r)
	if key == "" {
		key = "ip:" + r.RemoteAddr
	}
	family, limit, period := "", s.opts.RateLimit, 5*time.Minute
	switch route {
	case "POST /api/v2/media":
		family, limit, period = "media", s.opts.MediaRateLimit, 30*time.Minute
	case "DELETE /api/v1/statuses/{id}":
		family, limit, period = "delete", s.opts.DeleteRateLimit, 30*time.Minute
	}
	if family != "" {
		if ok, _, _ := s.take(key+"|"+family, limit, period); !ok {
			s.rateLimited(w, limit, period)
			return false
		}
	}
	ok, remaining, reset := s.take(key, s.opts.RateLimit, 5*time.Minute)
	if !ok {
		s.rateLimited(w, s.opts.RateLimit, 5*time.Minute)
		return false
	}
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.opts.RateLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", reset.UTC().Format("2006-01-02T15:04:05.000000Z"))
	return true
}

// take counts one request in the window of key; it reports whether it is within limit.
func (s *Server) take(key string, limit int, period time.Duration) (bool, int, time.Time) {
	now := s.opts.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	win := s.windows[key]
	if win == nil || now.Sub(win.Start) >= period {
		win = &window{Start: now.Truncate(period)}
		s.windows[key] = win
	}
	win.Count++
	return win.Count <= limit, limit - win.Count, win.Start.Add(period)
}

// rateLimited answers Mastodon's 429: the exhausted limit, 0 remaining, an ISO 8601 reset.
func (s *Server) rateLimited(w http.ResponseWriter, limit int, period time.Duration) {
	reset := s.opts.Now().Truncate(period).Add(period)
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset", reset.UTC().Format("2006-01-02T15:04:05.000000Z"))
	writeError(w, http.StatusTooManyRequests, "Too many requests")
}

// validationError answers with the flavour's validation status and shape.
func (s *Server) validationError(w http.ResponseWriter, msg string) {
	if s.opts.Flavour == GoToSocial {
		writeError(w, http.StatusBadRequest, "Bad Request: "+strings.TrimPrefix(msg, "Validation failed: "))
		return
	}
	writeError(w, http.StatusUnprocessableEntity, msg)
}

// auth resolves the bearer token; it answers 401 (or 403 for a missing scope) and returns nil on failure.
func (s *Server) auth(w http.ResponseWriter, r *http.Request, scope string) *token {
	tok := bearer(r)
	s.mu.Lock()
	t, ok := s.tokens[tok]
	s.mu.Unlock()
	switch {
	case !ok:
		writeError(w, http.StatusUnauthorized, "The access token is invalid")
		return nil
	case t.Revoked:
		writeError(w, http.StatusUnauthorized, "The access token was revoked")
		return nil
	case !hasScope(t.Scopes, scope):
		writeError(w, http.StatusForbidden, "This action is outside the authorized scopes")
		return nil
	}
	return t
}

// hasScope reports whether granted covers want ("write" covers "write:statuses").
func hasScope(granted []string, want string) bool {
	top, _, _ := strings.Cut(want, ":")
	for _, g := range granted {
		if g == want || g == top {
			return true
		}
	}
	return false
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if t, ok := strings.CutPrefix(h, "Bearer "); ok {
		return strings.TrimSpace(t)
	}
	return ""
}

func parseForm(r *http.Request) error {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return r.ParseMultipartForm(64 << 20)
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			return err
		}
		r.Form = r.URL.Query()
		for k, v := range body {
			switch v := v.(type) {
			case []any:
				for _, e := range v {
					r.Form.Add(k+"[]", fmt.Sprint(e))
				}
			case nil:
			default:
				r.Form.Set(k, fmt.Sprint(v))
			}
		}
		return nil
	}
	return r.ParseForm()
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// idLess orders Mastodon's numeric string ids.
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}
