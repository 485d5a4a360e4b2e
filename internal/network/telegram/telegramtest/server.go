// Package telegramtest is a contract-faithful fake of the Telegram Bot API for
// a bot posting to one channel with a linked discussion group: it answers
// with the Bot API's envelope and error shapes, validates texts, captions and
// entities in UTF-16 code units, records every request and can be switched
// into failures per method.
package telegramtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
)

// Options configures a fake server.
type Options struct {
	// Now is the fake's clock (default time.Now); message dates and the 48-hour delete window follow it.
	Now func() time.Time
	// Channel is the channel's username without "@" (default "relaischannel"; "-" for a private channel).
	Channel string
	// Subscribers is what getChatMemberCount answers.
	Subscribers int
	// NoDiscussion removes the channel's linked discussion group.
	NoDiscussion bool
}

// FaultKind is a failure the fake can be switched into.
type FaultKind int

// The failures a method can be switched into.
const (
	// BadRequest answers 400 "Bad Request: injected failure".
	BadRequest FaultKind = iota + 1
	// Unauthorized answers 401 "Unauthorized".
	Unauthorized
	// Forbidden answers 403 "Forbidden: bot was kicked from the channel chat".
	Forbidden
	// TooManyRequests answers 429 with parameters.retry_after (Fault.RetryAfter, default 7).
	TooManyRequests
	// ServerError answers 500 "Internal Server Error".
	ServerError
	// Timeout holds the request until the client gives up.
	Timeout
	// CommitThen500 performs the call, then answers 500 instead.
	CommitThen500
	// CommitThenDrop performs the call, then closes the connection without answering.
	CommitThenDrop
)

// Fault switches matching calls into a failure.
type Fault struct {
	// Method is the Bot API method ("sendMessage"); empty matches all.
	Method string
	// Skip lets this many matching calls through first.
	Skip int
	// Times is how many matching calls fail (default 1).
	Times int
	// Kind is the failure.
	Kind FaultKind
	// RetryAfter is the seconds a TooManyRequests fault asks to wait.
	RetryAfter int
}

// Request is one recorded call.
type Request struct {
	Method string
	// Params are the call's parameters (JSON objects and arrays as their JSON text).
	Params url.Values
	// Files names the uploaded multipart files.
	Files []string
	// Status is the HTTP status answered (0 for a dropped connection).
	Status int
}

// Entity is a message entity, offsets and lengths in UTF-16 code units.
type Entity struct {
	Type     string `json:"type"`
	Offset   int    `json:"offset"`
	Length   int    `json:"length"`
	URL      string `json:"url,omitempty"`
	Language string `json:"language,omitempty"`
}

// Message is the fake's record of one message in the channel or the discussion group.
type Message struct {
	ID           int
	ChatID       int64
	Kind         string // "text", "photo", "video", "document"
	Text         string
	Entities     []Entity
	MediaGroupID string
	ReplyTo      int
	Date         time.Time
	EditDate     time.Time
	Deleted      bool
	// Silent is disable_notification.
	Silent bool
	// From is the author's username for discussion messages ("" for channel posts).
	From string
	// ForwardOf is the channel post an automatic forward copies (discussion group only).
	ForwardOf int
	// ThreadID is the discussion thread (the automatic forward's id).
	ThreadID int
}

type chat struct {
	ID       int64
	Type     string
	Title    string
	Username string
	nextMsg  int
	messages map[int]*Message
	order    []int
}

type update struct {
	ID  int
	Msg *Message
}

type faultState struct {
	Fault
	seen, failed int
}

// Server is a running fake Bot API.
type Server struct {
	// URL is the API base URL (replaces https://api.telegram.org).
	URL string

	opts       Options
	srv        *httptest.Server
	done       chan struct{}
	botID      int64
	botName    string
	token      string
	mu         sync.Mutex
	channel    *chat
	group      *chat
	botStatus  string
	canPost    bool
	updates    []update
	nextUpdate int
	faults     []*faultState
	requests   []Request
	forwardOf  map[int]int // channel post id → discussion copy id
	mediaGroup int
}

// New starts a fake Bot API that is closed when the test ends. The bot starts
// as an administrator of the channel with the right to post.
func New(t testing.TB, o Options) *Server {
	t.Helper()
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Channel == "" {
		o.Channel = "relaischannel"
	}
	if o.Channel == "-" {
		o.Channel = ""
	}
	s := &Server{
		opts: o, done: make(chan struct{}), botID: 7000000001, botName: "relais_test_bot",
		token:     "7000000001:AAH" + strings.Repeat("x", 32),
		channel:   &chat{ID: -1001234567890, Type: "channel", Title: "Relais News", Username: o.Channel, messages: map[int]*Message{}},
		botStatus: "administrator", canPost: true, nextUpdate: 500000000, forwardOf: map[int]int{},
	}
	if !o.NoDiscussion {
		s.group = &chat{ID: -1009876543210, Type: "supergroup", Title: "Relais News Chat", messages: map[int]*Message{}}
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	t.Cleanup(func() { close(s.done) })
	return s
}

// Token is the bot token the fake accepts.
func (s *Server) Token() string { return s.token }

// BotUsername is the bot's username.
func (s *Server) BotUsername() string { return s.botName }

// ChannelID is the channel's chat id (-100…).
func (s *Server) ChannelID() int64 { return s.channel.ID }

// GroupID is the linked discussion group's chat id (0 without one).
func (s *Server) GroupID() int64 {
	if s.group == nil {
		return 0
	}
	return s.group.ID
}

// SetBot sets the bot's membership in the channel: "administrator",
// "member" or "left", and whether an administrator may post.
func (s *Server) SetBot(status string, canPost bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.botStatus, s.canPost = status, canPost
}

// SetSubscribers sets what getChatMemberCount answers.
func (s *Server) SetSubscribers(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.Subscribers = n
}

// Inject switches calls matching f into a failure.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times == 0 {
		f.Times = 1
	}
	if f.RetryAfter == 0 {
		f.RetryAfter = 7
	}
	s.faults = append(s.faults, &faultState{Fault: f})
}

// Requests returns a copy of the call log.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns how many calls of method were recorded.
func (s *Server) Count(method string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method == method {
			n++
		}
	}
	return n
}

// Messages returns the channel's live messages in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, id := range s.channel.order {
		if m := s.channel.messages[id]; !m.Deleted {
			out = append(out, *m)
		}
	}
	return out
}

// Message returns one channel message by id (deleted ones included).
func (s *Server) Message(id int) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.channel.messages[id]
	if !ok {
		return Message{}, false
	}
	return *m, true
}

// GroupMessage returns one discussion-group message by id.
func (s *Server) GroupMessage(id int) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.group == nil {
		return Message{}, false
	}
	m, ok := s.group.messages[id]
	if !ok {
		return Message{}, false
	}
	return *m, true
}

// AddComment makes user comment on channel post postID in the discussion
// group (replying to the post's automatic forward, created on first use)
// and queues the updates; it returns the comment's id in the group.
func (s *Server) AddComment(postID int, user, text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	copyID, ok := s.forwardOf[postID]
	if !ok {
		post := s.channel.messages[postID]
		fwd := s.add(s.group, &Message{Kind: post.Kind, Text: post.Text, Entities: post.Entities, ForwardOf: postID})
		fwd.ThreadID = fwd.ID
		s.forwardOf[postID] = fwd.ID
		s.queue(fwd)
		copyID = fwd.ID
	}
	c := s.add(s.group, &Message{Kind: "text", Text: text, From: user, ReplyTo: copyID, ThreadID: copyID})
	s.queue(c)
	return c.ID
}

// AddCommentReply makes user answer discussion message groupMsgID; it returns the new message's id.
func (s *Server) AddCommentReply(groupMsgID int, user, text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	parent := s.group.messages[groupMsgID]
	c := s.add(s.group, &Message{Kind: "text", Text: text, From: user, ReplyTo: groupMsgID, ThreadID: parent.ThreadID})
	s.queue(c)
	return c.ID
}

func (s *Server) add(c *chat, m *Message) *Message {
	c.nextMsg++
	m.ID, m.ChatID, m.Date = c.nextMsg, c.ID, s.opts.Now().UTC()
	c.messages[m.ID] = m
	c.order = append(c.order, m.ID)
	return m
}

func (s *Server) queue(m *Message) {
	s.nextUpdate++
	s.updates = append(s.updates, update{ID: s.nextUpdate, Msg: m})
}

// serve routes /bot<token>/<method>, records the call and applies faults.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	tok, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		reply(w, http.StatusNotFound, "Not Found", nil)
		return
	}
	params, files, err := readParams(r)
	if err != nil {
		reply(w, http.StatusBadRequest, "Bad Request: "+err.Error(), nil)
		return
	}
	rec := Request{Method: method, Params: params}
	for name := range files {
		rec.Files = append(rec.Files, name)
	}
	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		s.mu.Lock()
		rec.Status = sw.status
		s.requests = append(s.requests, rec)
		s.mu.Unlock()
	}()
	if tok != s.token {
		reply(sw, http.StatusUnauthorized, "Unauthorized", nil)
		return
	}
	h, ok := s.methods()[method]
	if !ok {
		reply(sw, http.StatusNotFound, "Not Found", nil)
		return
	}
	f := s.takeFault(method)
	switch f.Kind {
	case BadRequest:
		reply(sw, http.StatusBadRequest, "Bad Request: injected failure", nil)
		return
	case Unauthorized:
		reply(sw, http.StatusUnauthorized, "Unauthorized", nil)
		return
	case Forbidden:
		reply(sw, http.StatusForbidden, "Forbidden: bot was kicked from the channel chat", nil)
		return
	case TooManyRequests:
		reply(sw, http.StatusTooManyRequests, fmt.Sprintf("Too Many Requests: retry after %d", f.RetryAfter), map[string]any{"retry_after": f.RetryAfter})
		return
	case ServerError:
		reply(sw, http.StatusInternalServerError, "Internal Server Error", nil)
		return
	case Timeout:
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
		return
	case CommitThen500:
		s.call(httptest.NewRecorder(), h, params, files)
		reply(sw, http.StatusInternalServerError, "Internal Server Error", nil)
		return
	case CommitThenDrop:
		s.call(httptest.NewRecorder(), h, params, files)
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		reply(sw, http.StatusInternalServerError, "connection could not be dropped", nil)
		return
	}
	s.call(sw, h, params, files)
}

type handler func(p url.Values, files map[string][]byte) (any, *apiErr)

type apiErr struct {
	code int
	desc string
}

func bad(desc string) *apiErr { return &apiErr{http.StatusBadRequest, "Bad Request: " + desc} }

func (s *Server) call(w http.ResponseWriter, h handler, p url.Values, files map[string][]byte) {
	s.mu.Lock()
	res, e := h(p, files)
	s.mu.Unlock()
	if e != nil {
		reply(w, e.code, e.desc, nil)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": res})
}

func (s *Server) takeFault(method string) Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.faults {
		if f.Method != "" && f.Method != method || f.failed >= f.Times {
			continue
		}
		f.seen++
		if f.seen <= f.Skip {
			continue
		}
		f.failed++
		return f.Fault
	}
	return Fault{}
}

func reply(w http.ResponseWriter, code int, desc string, params map[string]any) {
	body := map[string]any{"ok": false, "error_code": code, "description": desc}
	if params != nil {
		body["parameters"] = params
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(body)
}

// readParams reads the query string, a url-encoded or multipart form, or a
// JSON body, as the Bot API accepts all of them.
func readParams(r *http.Request) (url.Values, map[string][]byte, error) {
	p := r.URL.Query()
	files := map[string][]byte{}
	ct := r.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "application/json"):
		var body map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			return nil, nil, fmt.Errorf("can't parse JSON encoded request body: %w", err)
		}
		for k, v := range body {
			var str string
			if json.Unmarshal(v, &str) == nil {
				p.Set(k, str)
			} else {
				p.Set(k, string(v))
			}
		}
	case strings.HasPrefix(ct, "multipart/form-data"):
		if err := r.ParseMultipartForm(64 << 20); err != nil {
			return nil, nil, err
		}
		for k, v := range r.MultipartForm.Value {
			p[k] = v
		}
		for k, fhs := range r.MultipartForm.File {
			f, err := fhs[0].Open()
			if err != nil {
				return nil, nil, err
			}
			b, _ := io.ReadAll(f)
			_ = f.Close()
			files[k] = b
		}
	default:
		if err := r.ParseForm(); err != nil {
			return nil, nil, err
		}
		for k, v := range r.PostForm {
			p[k] = v
		}
	}
	return p, files, nil
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

// UTF16Len is the length of s in UTF-16 code units, the Bot API's unit.
func UTF16Len(s string) int { return len(utf16.Encode([]rune(s))) }

func atoi(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}
