// Package fakeserver holds what the connectors' fake servers share: faults
// switched on per route for a number of calls, dropped connections, a
// response writer that lets a committed-then-failed call do its work
// without its answer reaching the client, and random ids.
package fakeserver

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Fault switches a route ("POST /me/videos") into a failure kind for its next Times calls (default 1).
type Fault[K comparable] struct {
	Route string
	Kind  K
	Times int
}

// Faults is a fake's pending faults; the zero value is ready. It is not
// locked: the fake holds its own lock around it.
type Faults[K comparable] struct {
	list []*Fault[K]
}

// Add queues a fault.
func (f *Faults[K]) Add(x Fault[K]) {
	if x.Times == 0 {
		x.Times = 1
	}
	f.list = append(f.list, &x)
}

// Take returns the kind of the first fault on route and counts it down (the zero K: none).
func (f *Faults[K]) Take(route string) K {
	var zero K
	for i, x := range f.list {
		if x.Route == route {
			x.Times--
			if x.Times <= 0 {
				f.list = append(f.list[:i], f.list[i+1:]...)
			}
			return x.Kind
		}
	}
	return zero
}

// Clear drops every pending fault.
func (f *Faults[K]) Clear() { f.list = nil }

// Drop closes the connection without an answer.
func Drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			_ = c.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// Recorder lets a route run without its answer reaching the client when
// Discard is set (a committed-then-failed call).
type Recorder struct {
	http.ResponseWriter
	Discard bool
}

// Header is the real header, or a throwaway one when discarding.
func (r *Recorder) Header() http.Header {
	if r.Discard {
		return http.Header{}
	}
	return r.ResponseWriter.Header()
}

// WriteHeader writes unless discarding.
func (r *Recorder) WriteHeader(code int) {
	if !r.Discard {
		r.ResponseWriter.WriteHeader(code)
	}
}

// Write writes unless discarding.
func (r *Recorder) Write(b []byte) (int, error) {
	if r.Discard {
		return len(b), nil
	}
	return r.ResponseWriter.Write(b)
}

var seq struct {
	sync.Mutex
	n int
}

// RandomString is an unguessable URL-safe id of n bytes (base64).
func RandomString(n int) string {
	seq.Lock()
	seq.n++
	i := seq.n
	seq.Unlock()
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d-%d", i, time.Now().UnixNano())))
	return base64.RawURLEncoding.EncodeToString(sum[:min(n, len(sum))])
}
