package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/relais/relais/internal/network"
)

var _ network.Streamer = (*Connector)(nil)

// Stream timings.
const (
	// streamPing is how often the client pings the server, so a connection
	// that died silently (a half-open TCP connection) is noticed.
	streamPing = 30 * time.Second
	// streamPingTimeout is how long a ping may wait for its pong.
	streamPingTimeout = 15 * time.Second
	// streamReadLimit bounds one event (a status with its account and media).
	streamReadLimit = 4 << 20
)

// streamEnvelope is one message of the streaming API: the event's name and its
// payload, a JSON document carried as a string (a bare id for "delete").
type streamEnvelope struct {
	Stream  []string        `json:"stream"`
	Event   string          `json:"event"`
	Payload json.RawMessage `json:"payload"`
}

// Stream reads one of the instance's streams over WebSocket
// (/api/v1/streaming at the streaming URL the instance announces) until ctx
// ends or the connection drops: "user:notification" for the inbox, "public"
// or "hashtag" (with s.Tag) for listening. See network.Streamer.
func (c *Connector) Stream(ctx context.Context, s network.Stream, connected func(), handle func(network.StreamEvent)) error {
	if s.Name == "" {
		s.Name = "user:notification"
	}
	base, err := c.streamingBase(ctx)
	if err != nil {
		return err
	}
	q := url.Values{"stream": {s.Name}, "access_token": {c.api.token}}
	if s.Tag != "" {
		q.Set("tag", strings.TrimPrefix(s.Tag, "#"))
	}
	if s.List != "" {
		q.Set("list", s.List)
	}
	conn, resp, err := websocket.Dial(ctx, base+"/api/v1/streaming?"+q.Encode(), &websocket.DialOptions{
		HTTPClient: c.api.env.Client(),
		HTTPHeader: http.Header{"User-Agent": {"relais"}},
	})
	if err != nil {
		return c.streamError(resp, err)
	}
	defer conn.CloseNow()
	conn.SetReadLimit(streamReadLimit)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pingErr := make(chan error, 1)
	go func() { pingErr <- keepAlive(ctx, conn) }()
	if connected != nil {
		connected()
	}
	for {
		_, data, err := conn.Read(ctx)
		if err != nil {
			if ctx.Err() != nil {
				select {
				case perr := <-pingErr:
					if perr != nil && !errors.Is(perr, context.Canceled) {
						return &network.Error{Class: network.Retryable, Network: network.Mastodon, Message: "the stream stopped answering pings", Err: perr}
					}
				default:
				}
				return ctx.Err()
			}
			return &network.Error{Class: network.Retryable, Network: network.Mastodon, Message: "the stream was closed", Err: redact(err, c.api.token)}
		}
		if ev, ok := decodeStreamEvent(data); ok && handle != nil {
			handle(ev)
		}
	}
}

// keepAlive pings the server until ctx ends; a ping left unanswered cancels
// the read (by closing the connection) and is returned.
func keepAlive(ctx context.Context, conn *websocket.Conn) error {
	t := time.NewTicker(streamPing)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		pctx, cancel := context.WithTimeout(ctx, streamPingTimeout)
		err := conn.Ping(pctx)
		cancel()
		if err != nil && ctx.Err() == nil {
			conn.CloseNow()
			return err
		}
	}
}

// decodeStreamEvent turns one message into an event; messages it does not
// understand (another event, a malformed payload) are skipped.
func decodeStreamEvent(data []byte) (network.StreamEvent, bool) {
	var env streamEnvelope
	if err := json.Unmarshal(data, &env); err != nil || env.Event == "" {
		return network.StreamEvent{}, false
	}
	payload := []byte(env.Payload)
	var s string
	if json.Unmarshal(env.Payload, &s) == nil {
		payload = []byte(s)
	}
	ev := network.StreamEvent{Type: env.Event}
	switch env.Event {
	case "notification":
		var n struct {
			ID     string     `json:"id"`
			Type   string     `json:"type"`
			Status *apiStatus `json:"status"`
		}
		if json.Unmarshal(payload, &n) != nil {
			return ev, false
		}
		ev.ID, ev.Notification = n.ID, n.Type
		if n.Status != nil {
			cm := toComment(*n.Status)
			if n.Type == "mention" {
				cm.Kind = "mention"
				if cm.ParentID != "" {
					cm.Kind = "reply"
				}
			}
			ev.Comment = &cm
		}
	case "update", "status.update":
		var st timelineStatus
		if json.Unmarshal(payload, &st) != nil || st.ID == "" {
			return ev, false
		}
		cm := toComment(st.apiStatus)
		ev.ID, ev.Comment = st.ID, &cm
		if st.Reblog == nil {
			// A boost is read where the boosted status was posted.
			ev.Data = st.public()
		}
	case "delete":
		ev.ID = strings.TrimSpace(string(payload))
	}
	return ev, true
}

// streamingBase is the WebSocket origin of the instance's streaming API:
// what /api/v2/instance (configuration.urls.streaming) or /api/v1/instance
// (urls.streaming_api) announces, read once. An instance that announces its
// own domain (or nothing) is streamed from the address relais uses for its
// API, which is the same server reached the way this machine reaches it.
func (c *Connector) streamingBase(ctx context.Context) (string, error) {
	c.mu.Lock()
	base := c.streamBase
	c.mu.Unlock()
	if base != "" {
		return base, nil
	}
	var v2 struct {
		Configuration struct {
			URLs struct {
				Streaming string `json:"streaming"`
			} `json:"urls"`
		} `json:"configuration"`
	}
	announced := ""
	if _, _, err := c.api.call(ctx, http.MethodGet, "/api/v2/instance", nil, nil, nil, &v2); err == nil {
		announced = v2.Configuration.URLs.Streaming
	} else {
		var ne *network.Error
		if !errors.As(err, &ne) || (ne.Status != http.StatusNotFound && ne.Status != http.StatusGone) {
			return "", fmt.Errorf("mastodon: streaming URL: %w", err)
		}
		var v1 struct {
			URLs struct {
				StreamingAPI string `json:"streaming_api"`
			} `json:"urls"`
		}
		if _, _, err := c.api.call(ctx, http.MethodGet, "/api/v1/instance", nil, nil, nil, &v1); err != nil {
			return "", fmt.Errorf("mastodon: streaming URL: %w", err)
		}
		announced = v1.URLs.StreamingAPI
	}
	c.mu.Lock()
	domain := c.domain
	c.mu.Unlock()
	base = streamOrigin(announced, c.api.instance, domain)
	c.mu.Lock()
	c.streamBase = base
	c.mu.Unlock()
	return base, nil
}

// streamOrigin picks the streaming origin: the announced one when it is
// another host (a separate streaming server), else the API's own address,
// with ws for http and wss for https.
func streamOrigin(announced, instance, domain string) string {
	if u, err := url.Parse(announced); err == nil && u.Host != "" && !strings.EqualFold(u.Host, domain) {
		switch u.Scheme {
		case "http":
			u.Scheme = "ws"
		case "https":
			u.Scheme = "wss"
		}
		return strings.TrimRight(u.Scheme+"://"+u.Host+u.Path, "/")
	}
	u, err := url.Parse(instance)
	if err != nil {
		return instance
	}
	if u.Scheme == "https" {
		u.Scheme = "wss"
	} else {
		u.Scheme = "ws"
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.Path, "/")
}

// streamError maps a failed handshake onto the typed error: the server's
// status when it answered (401: reconnect; 404: no streaming here), a
// transport failure otherwise; the token never appears in it.
func (c *Connector) streamError(resp *http.Response, err error) error {
	if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols && resp.StatusCode != 0 {
		var body []byte
		if resp.Body != nil {
			body, _ = io.ReadAll(io.LimitReader(resp.Body, 1<<10))
		}
		return apiError(resp.StatusCode, resp.Header, body, c.api.env)
	}
	return network.TransportError(network.Mastodon, redact(err, c.api.token))
}

// redactedError is an error whose text has the token removed.
type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

func redact(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return redactedError{msg: strings.ReplaceAll(err.Error(), token, "REDACTED"), err: err}
}
