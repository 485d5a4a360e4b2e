// Package fakerec holds what the contract-faithful fakes of network APIs
// share (networks.md §2): recording every request, faults switched on per
// route for a number of calls, and the "committed then failed" protocol
// (do the work, then answer an error or drop the connection). It differs from
// fakeserver (fault queues by route and a response recorder) in keeping the
// requests and answering through Serve.
package fakerec

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sync"
)

// FaultKind is a failure a fake can be switched into.
type FaultKind string

// The faults every fake knows; each fake writes them in its network's shape.
const (
	// Invalid answers the network's validation error.
	Invalid FaultKind = "invalid"
	// Unauthorized answers the network's expired or revoked token error.
	Unauthorized FaultKind = "unauthorized"
	// Forbidden answers the network's permission error.
	Forbidden FaultKind = "forbidden"
	// RateLimited answers the network's rate-limit error.
	RateLimited FaultKind = "rate_limited"
	// ServerError answers a 5xx without doing anything.
	ServerError FaultKind = "server_error"
	// CommitThenFail does the work, then answers a 5xx.
	CommitThenFail FaultKind = "commit_then_fail"
	// CommitThenDrop does the work, then drops the connection.
	CommitThenDrop FaultKind = "commit_then_drop"
	// Drop drops the connection without doing anything.
	Drop FaultKind = "drop"
)

// Fault switches a route into a failure for its next Times calls (default 1).
type Fault struct {
	Route string
	Kind  FaultKind
	Times int
}

// Request is one recorded request.
type Request struct {
	// Route is the request's route, as Count and Fault name it.
	Route                  string
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   []byte
}

// Recorder records requests and holds the faults; safe for concurrent use.
type Recorder struct {
	mu       sync.Mutex
	faults   []*Fault
	requests []Request
}

// Inject adds a fault.
func (r *Recorder) Inject(f Fault) {
	if f.Times == 0 {
		f.Times = 1
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.faults = append(r.faults, &f)
}

// Requests returns the recorded requests.
func (r *Recorder) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.requests...)
}

// Count returns how many requests a route received.
func (r *Recorder) Count(route string) int {
	n := 0
	for _, q := range r.Requests() {
		if q.Route == route {
			n++
		}
	}
	return n
}

// record keeps the request and returns the route's fault, using one of its calls.
func (r *Recorder) record(route string, req *http.Request, body []byte) FaultKind {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, Request{Route: route, Method: req.Method, Path: req.URL.Path, RawQuery: req.URL.RawQuery, Header: req.Header.Clone(), Body: body})
	for i, f := range r.faults {
		if f.Route == route {
			if f.Times--; f.Times <= 0 {
				r.faults = append(r.faults[:i], r.faults[i+1:]...)
			}
			return f.Kind
		}
	}
	return ""
}

// Serve records the request under route and runs the fault protocol:
// answer writes the network's error for a fault (Invalid, Unauthorized,
// Forbidden, RateLimited, ServerError, and the 5xx of CommitThenFail);
// handle does the work with the request's body, its answer swallowed when
// a commit-then fault replaces it.
func (r *Recorder) Serve(w http.ResponseWriter, req *http.Request, route string, answer func(http.ResponseWriter, FaultKind), handle func(http.ResponseWriter, []byte)) {
	body, _ := io.ReadAll(io.LimitReader(req.Body, 256<<20))
	switch kind := r.record(route, req, body); kind {
	case Drop:
		DropConn(w)
	case CommitThenFail:
		handle(&discard{}, body)
		answer(w, kind)
	case CommitThenDrop:
		handle(&discard{}, body)
		DropConn(w)
	case "":
		handle(w, body)
	default:
		answer(w, kind)
	}
}

// DropConn closes the client's connection without an answer.
func DropConn(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// discard swallows an answer.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header {
	if d.h == nil {
		d.h = http.Header{}
	}
	return d.h
}
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// Random is a random hex string for tokens, codes and ids.
func Random() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// JSON writes v as a JSON answer.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Consent is an OAuth consent page that agrees at once: it sends the
// browser back to the request's redirect_uri with code, the request's
// state and extra parameters.
func Consent(w http.ResponseWriter, r *http.Request, code string, extra url.Values) {
	q := r.URL.Query()
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil {
		http.Error(w, "invalid redirect_uri", http.StatusBadRequest)
		return
	}
	v := back.Query()
	v.Set("code", code)
	v.Set("state", q.Get("state"))
	for k, vs := range extra {
		v[k] = vs
	}
	back.RawQuery = v.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}
