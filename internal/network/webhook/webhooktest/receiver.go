// Package webhooktest is a webhook receiver for tests: an httptest server that
// verifies every delivery's signature with webhook.Verify, records it, and
// answers from a script (statuses, Retry-After, bodies, dropped connections),
// like the n8n, Zapier or Make endpoints relais delivers to.
package webhooktest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/internal/network/webhook"
)

// Delivery is one request the receiver got.
type Delivery struct {
	Method string
	Header http.Header
	Body   []byte
	// Event is the decoded body (zero when it was not JSON).
	Event webhook.Event
	// VerifyErr is what webhook.Verify said about the signature (nil: valid).
	VerifyErr error
}

// Response is one scripted answer.
type Response struct {
	Status int
	Header map[string]string
	Body   string
	// Drop closes the connection without answering, after reading the request:
	// the delivery arrived, but the sender cannot know it.
	Drop bool
	// Delay holds the answer back (to trigger client timeouts).
	Delay time.Duration
}

// Receiver is a running test receiver.
type Receiver struct {
	// Secret is the signing secret the receiver verifies with.
	Secret string
	// Tolerance is passed to webhook.Verify (0: its default).
	Tolerance time.Duration
	// Now is the receiver's clock for Verify (nil: time.Now).
	Now func() time.Time

	srv        *httptest.Server
	mu         sync.Mutex
	deliveries []Delivery
	script     []Response
}

// New starts a receiver for secret; it is closed when the test ends.
func New(t testing.TB, secret string) *Receiver {
	r := &Receiver{Secret: secret}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

// URL is the receiver's address.
func (r *Receiver) URL() string { return r.srv.URL }

// Respond queues answers for the next deliveries; once the queue is empty,
// valid deliveries get 204 and badly signed ones 401.
func (r *Receiver) Respond(rs ...Response) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.script = append(r.script, rs...)
}

// Deliveries returns what the receiver got so far, in order.
func (r *Receiver) Deliveries() []Delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Delivery(nil), r.deliveries...)
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(req.Body, 4<<20))
	now := time.Now()
	if r.Now != nil {
		now = r.Now()
	}
	d := Delivery{Method: req.Method, Header: req.Header.Clone(), Body: body,
		VerifyErr: webhook.Verify(r.Secret, req.Header, body, r.Tolerance, now)}
	_ = json.Unmarshal(body, &d.Event)
	r.mu.Lock()
	r.deliveries = append(r.deliveries, d)
	var resp *Response
	if len(r.script) > 0 {
		resp = &r.script[0]
		r.script = r.script[1:]
	}
	r.mu.Unlock()

	switch {
	case resp == nil && d.VerifyErr != nil:
		http.Error(w, `{"message":"invalid signature"}`, http.StatusUnauthorized)
		return
	case resp == nil:
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if resp.Delay > 0 {
		select {
		case <-time.After(resp.Delay):
		case <-req.Context().Done():
			return
		}
	}
	if resp.Drop {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
		return
	}
	for k, v := range resp.Header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(resp.Status)
	_, _ = io.WriteString(w, resp.Body)
}
