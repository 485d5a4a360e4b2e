// Package fakerec holds what the contract-faithful fakes of network APIs
// share (networks.md §2): recording every request, faults switched on per
// route for a number of calls, the "committed then failed" protocol (do the
// work, then answer an error or drop the connection), dropped connections,
// discarded answers and random ids.
package fakerec

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
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

// Faults is a queue of faults by route for a fake with its own kinds K;
// the zero value is ready. It is not locked: the fake holds its own lock
// around it.
type Faults[K comparable] struct {
	list []*struct {
		route string
		kind  K
		times int
	}
}

// Add switches route into kind for its next times calls (0: one).
func (f *Faults[K]) Add(route string, kind K, times int) {
	if times <= 0 {
		times = 1
	}
	f.list = append(f.list, &struct {
		route string
		kind  K
		times int
	}{route, kind, times})
}

// Take returns the kind of the first fault on route and counts it down (the zero K: none).
func (f *Faults[K]) Take(route string) K {
	var zero K
	for i, x := range f.list {
		if x.route == route {
			if x.times--; x.times <= 0 {
				f.list = append(f.list[:i], f.list[i+1:]...)
			}
			return x.kind
		}
	}
	return zero
}

// Clear drops every pending fault.
func (f *Faults[K]) Clear() { f.list = nil }

// Request is one recorded request.
type Request struct {
	// Route is the request's route, as Count and Fault name it.
	Route                  string
	Method, Path, RawQuery string
	Query                  url.Values
	Header                 http.Header
	Body                   []byte
}

// Recorder records requests and holds the faults; safe for concurrent use.
type Recorder struct {
	// RouteOf turns a path into its route pattern (ids replaced by :id) for
	// Record; nil: the path itself.
	RouteOf func(path string) string

	mu       sync.Mutex
	faults   Faults[FaultKind]
	requests []Request
}

// Inject adds a fault.
func (r *Recorder) Inject(f Fault) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.faults.Add(f.Route, f.Kind, f.Times)
}

// Record keeps a request (its body unless keepBody is false) under the
// route RouteOf gives, and returns that route and the fault switched on for
// it ("" when none), for fakes that answer faults themselves.
func (r *Recorder) Record(req *http.Request, body []byte, keepBody bool) (string, FaultKind) {
	path := req.URL.Path
	if r.RouteOf != nil {
		path = r.RouteOf(path)
	}
	route := req.Method + " " + path
	if !keepBody {
		body = nil
	}
	return route, r.record(route, req, body)
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
	r.requests = append(r.requests, Request{Route: route, Method: req.Method, Path: req.URL.Path, RawQuery: req.URL.RawQuery,
		Query: req.URL.Query(), Header: req.Header.Clone(), Body: body})
	return r.faults.Take(route)
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
		handle(&Discard{}, body)
		answer(w, kind)
	case CommitThenDrop:
		handle(&Discard{}, body)
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

// Discard is a ResponseWriter that forgets the answer (a fault that does
// the work, then fails).
type Discard struct{ H http.Header }

// Header returns the discarded headers.
func (d *Discard) Header() http.Header {
	if d.H == nil {
		d.H = http.Header{}
	}
	return d.H
}

func (d *Discard) Write(b []byte) (int, error) { return len(b), nil }

// WriteHeader does nothing.
func (d *Discard) WriteHeader(int) {}

// Muted lets a route run without its answer reaching the client when
// Mute is set (a committed-then-failed call).
type Muted struct {
	http.ResponseWriter
	Mute bool
}

// Header is the real header, or a throwaway one when muted.
func (m *Muted) Header() http.Header {
	if m.Mute {
		return http.Header{}
	}
	return m.ResponseWriter.Header()
}

// WriteHeader writes unless muted.
func (m *Muted) WriteHeader(code int) {
	if !m.Mute {
		m.ResponseWriter.WriteHeader(code)
	}
}

// Write writes unless muted.
func (m *Muted) Write(b []byte) (int, error) {
	if m.Mute {
		return len(b), nil
	}
	return m.ResponseWriter.Write(b)
}

// Random is a random hex string for tokens, codes and ids.
func Random() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

var seq struct {
	sync.Mutex
	n int
}

// RandomString is an unguessable URL-safe id of n bytes (base64, at most 32).
func RandomString(n int) string {
	seq.Lock()
	seq.n++
	i := seq.n
	seq.Unlock()
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d-%d", i, time.Now().UnixNano())))
	return base64.RawURLEncoding.EncodeToString(sum[:min(n, len(sum))])
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
