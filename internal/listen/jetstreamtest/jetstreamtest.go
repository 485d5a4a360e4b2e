// Package jetstreamtest is a contract-faithful Jetstream server for tests and
// the benchmark: it replays a recorded stream (one raw message per line, the
// format listen.JetstreamClient records) over a real WebSocket at
// /subscribe, from the cursor the client asks for (time_us ≥ cursor), and
// can drop connections to exercise reconnection.
package jetstreamtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// Server replays Events.
type Server struct {
	*httptest.Server
	events [][]byte
	times  []int64
	// DropAfter, when > 0, closes each connection after that many messages.
	DropAfter atomic.Int64
	// Connections counts the subscriptions served.
	Connections atomic.Int64
	// Cursors records the cursor of each subscription ("" for live).
	mu      sync.Mutex
	cursors []string
	// Sent receives the time each message was written, indexed like events
	// (the benchmark's delay measure); nil unless TrackSent was called.
	sent []atomic.Int64
	// Completed counts the subscriptions that were sent every event.
	Completed atomic.Int64
	// Rate, when > 0, paces the messages at that many per second.
	Rate int
	// Hold, when set, makes the server wait after the last event instead of closing.
	Hold bool
}

// New serves events (raw Jetstream messages in time_us order).
func New(events [][]byte) *Server {
	s := &Server{events: events, times: make([]int64, len(events))}
	for i, e := range events {
		var head struct {
			TimeUS int64 `json:"time_us"`
		}
		_ = json.Unmarshal(e, &head)
		s.times[i] = head.TimeUS
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Endpoint is the ws:// subscription URL.
func (s *Server) Endpoint() string {
	return "ws" + strings.TrimPrefix(s.URL, "http") + "/subscribe"
}

// TrackSent records the send time of every message (see SentAt).
func (s *Server) TrackSent() { s.sent = make([]atomic.Int64, len(s.events)) }

// SentAt is when message i was written (UnixNano; 0: not yet).
func (s *Server) SentAt(i int) int64 { return s.sent[i].Load() }

// Cursors lists the cursor each subscription asked for.
func (s *Server) Cursors() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.cursors...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/subscribe" {
		http.NotFound(w, r)
		return
	}
	if wc := r.URL.Query().Get("wantedCollections"); wc != "" && wc != "app.bsky.feed.post" {
		http.Error(w, "this fake serves app.bsky.feed.post only", http.StatusBadRequest)
		return
	}
	cursorText := r.URL.Query().Get("cursor")
	cursor, _ := strconv.ParseInt(cursorText, 10, 64)
	s.mu.Lock()
	s.cursors = append(s.cursors, cursorText)
	s.mu.Unlock()
	s.Connections.Add(1)
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{CompressionMode: websocket.CompressionDisabled})
	if err != nil {
		return
	}
	defer c.CloseNow()
	ctx := r.Context()
	drop := s.DropAfter.Load()
	var n int64
	start := time.Now()
	for i, e := range s.events {
		if cursor > 0 && s.times[i] < cursor {
			continue
		}
		if drop > 0 && n >= drop {
			return // an abrupt end, as a network failure
		}
		if s.Rate > 0 && n%64 == 0 {
			if ahead := time.Duration(n)*time.Second/time.Duration(s.Rate) - time.Since(start); ahead > 0 {
				time.Sleep(ahead)
			}
		}
		if s.sent != nil {
			s.sent[i].Store(time.Now().UnixNano())
		}
		if err := c.Write(ctx, websocket.MessageText, e); err != nil {
			return
		}
		n++
	}
	s.Completed.Add(1)
	if s.Hold {
		<-ctx.Done()
		return
	}
	c.Close(websocket.StatusNormalClosure, "end of recording")
}
