// Package fakeapi holds what the network fakes (tiktoktest,
// pinteresttest) share: recording requests, faults switched on per route,
// dropped connections, discarded answers and random ids.
package fakeapi

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// FaultKind is a failure a fake can be switched into; each fake names its own.
type FaultKind string

// Fault switches a route ("POST /v5/pins") into a failure for its next Times calls (default 1).
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

// Recorder records requests and hands out faults.
type Recorder struct {
	// RouteOf turns a path into its route pattern (ids replaced by :id).
	RouteOf func(path string) string

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

// Record keeps a request (its body unless keepBody is false) and returns
// its route and the fault switched on for it ("" when none).
func (r *Recorder) Record(req *http.Request, body []byte, keepBody bool) (string, FaultKind) {
	route := req.Method + " " + r.RouteOf(req.URL.Path)
	if !keepBody {
		body = nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, Request{Method: req.Method, Path: req.URL.Path, Query: req.URL.Query(), Header: req.Header.Clone(), Body: body})
	for i, f := range r.faults {
		if f.Route == route && f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				r.faults = append(r.faults[:i], r.faults[i+1:]...)
			}
			return route, f.Kind
		}
	}
	return route, ""
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
		if q.Method+" "+r.RouteOf(q.Path) == route {
			n++
		}
	}
	return n
}

// Drop closes the connection without an answer.
func Drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			_ = c.Close()
			return
		}
	}
	w.WriteHeader(http.StatusInternalServerError)
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

var seq struct {
	sync.Mutex
	n int
}

// Random returns a fresh url-safe string of 24 characters.
func Random() string {
	seq.Lock()
	defer seq.Unlock()
	seq.n++
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d-%d", seq.n, time.Now().UnixNano())))
	return base64.RawURLEncoding.EncodeToString(sum[:18])
}
