package mastodontest

import (
	"bufio"
	"encoding/json"
	"errors"
	"net"
	"net/http"

	"github.com/coder/websocket"
)

// streamSub is one open connection of the streaming API.
type streamSub struct {
	stream string
	out    chan []byte
	drop   chan struct{}
}

// streaming answers GET /api/v1/streaming as Mastodon's streaming server does:
// the token in access_token, the Authorization header or
// Sec-WebSocket-Protocol; 401 before the upgrade for a bad token; then a
// WebSocket on which each new notification is pushed as
// {"stream":[…],"event":"notification","payload":"<JSON>"}. Only the
// notification streams ("user", "user:notification") carry events here.
func (s *Server) streaming(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("access_token")
	if tok == "" {
		tok = bearer(r)
	}
	if tok == "" {
		tok = r.Header.Get("Sec-WebSocket-Protocol")
	}
	r.Header.Set("Authorization", "Bearer "+tok)
	if s.auth(w, r, "read:notifications") == nil {
		return
	}
	stream := r.URL.Query().Get("stream")
	switch stream {
	case "user", "user:notification", "public", "public:local", "direct":
	case "hashtag", "hashtag:local":
		if r.URL.Query().Get("tag") == "" {
			writeError(w, http.StatusBadRequest, "No tag for hashtag timeline")
			return
		}
	default:
		writeError(w, http.StatusBadRequest, "Unknown stream type")
		return
	}
	// The subscription exists before the handshake answers, so a client that
	// saw its connection open finds it registered (events pushed and cuts
	// made right after are not lost to a race).
	sub := &streamSub{stream: stream, out: make(chan []byte, 256), drop: make(chan struct{})}
	s.mu.Lock()
	s.streams = append(s.streams, sub)
	s.streamConns++
	s.mu.Unlock()
	defer s.unsubscribe(sub)
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer c.CloseNow()
	ctx := c.CloseRead(r.Context())
	for {
		select {
		case msg := <-sub.out:
			if err := c.Write(ctx, websocket.MessageText, msg); err != nil {
				return
			}
		case <-sub.drop:
			return
		case <-ctx.Done():
			return
		case <-s.done:
			return
		}
	}
}

func (s *Server) unsubscribe(sub *streamSub) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, x := range s.streams {
		if x == sub {
			s.streams = append(s.streams[:i], s.streams[i+1:]...)
			return
		}
	}
}

// pushNotification sends a new notification to the open notification
// streams; s.mu is held.
func (s *Server) pushNotification(n *notification) {
	if len(s.streams) == 0 {
		return
	}
	payload, _ := json.Marshal(s.notificationJSON(n))
	for _, sub := range s.streams {
		if sub.stream != "user" && sub.stream != "user:notification" {
			continue
		}
		msg, _ := json.Marshal(map[string]any{"stream": []string{sub.stream}, "event": "notification", "payload": string(payload)})
		select {
		case sub.out <- msg:
		default: // a client that does not read loses events, as on the real server
		}
	}
}

// DropStreams cuts every open streaming connection without a close frame
// (a network failure, a server restart) and returns how many it cut. Events
// made before the client reconnects are not pushed to it.
func (s *Server) DropStreams() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.streams)
	for _, sub := range s.streams {
		close(sub.drop)
	}
	s.streams = nil
	return n
}

// OpenStreams is how many streaming connections are open now.
func (s *Server) OpenStreams() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.streams)
}

// StreamConnections is how many streaming connections were accepted so far.
func (s *Server) StreamConnections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.streamConns
}

// Hijack lets the streaming route take over the connection.
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("mastodontest: the connection cannot be hijacked")
	}
	if w.status == 0 {
		w.status = http.StatusSwitchingProtocols
	}
	return hj.Hijack()
}
