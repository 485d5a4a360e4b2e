package oauthtok

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
)

// API sends one channel's calls to a network's JSON API with the holder's
// token: it builds the request (a JSON body, a raw body such as multipart,
// or none), renews the token through the holder, keeps the latest
// rate-limit report, maps failures with the network's Error and decodes
// answers with its Decode.
type API struct {
	Network network.Kind
	// Base is the API host; a request path that is a whole URL (a next-page link) is used as it is.
	Base string
	HC   *http.Client
	Now  func() time.Time
	Tok  *network.Tokens
	// Scheme is the Authorization scheme: "Bearer", or SoundCloud's "OAuth".
	Scheme string
	// Accept is the Accept header (default application/json).
	Accept string
	// Rate reads the rate-limit headers (nil: network.ParseRateLimit).
	Rate func(http.Header, time.Time) network.RateLimit
	// Error maps a non-2xx answer onto a typed error.
	Error func(status int, h http.Header, body []byte, now time.Time) *network.Error
	// Decode reads a 2xx body into out (nil: the body is the JSON of out).
	Decode func(body []byte, out any) error

	mu   sync.Mutex
	rate network.RateLimit
}

// Request is one call.
type Request struct {
	Method, Path string
	Query        url.Values
	JSON         any
	Body         []byte
	ContentType  string
}

// RateLimit returns the latest rate-limit report.
func (a *API) RateLimit() network.RateLimit {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.rate
}

// Do sends r with the current token (renewed as the holder decides) and decodes a 2xx answer into out.
func (a *API) Do(ctx context.Context, r Request, out any) error {
	return a.Tok.Do(ctx, func(access string) error { return a.send(ctx, r, access, out) })
}

func (a *API) send(ctx context.Context, r Request, access string, out any) error {
	u := r.Path
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		u = a.Base + u
	}
	if len(r.Query) > 0 {
		u += "?" + r.Query.Encode()
	}
	body, ctype := r.Body, r.ContentType
	if r.JSON != nil {
		b, err := json.Marshal(r.JSON)
		if err != nil {
			return fmt.Errorf("%s: encode request: %w", a.Network, err)
		}
		body, ctype = b, "application/json"
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, u, rd)
	if err != nil {
		return fmt.Errorf("%s: build request: %w", a.Network, err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	accept := a.Accept
	if accept == "" {
		accept = "application/json"
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("Authorization", a.Scheme+" "+access)
	resp, err := a.HC.Do(req)
	if err != nil {
		return network.TransportError(a.Network, err)
	}
	now := a.Now()
	rate := a.Rate
	if rate == nil {
		rate = network.ParseRateLimit
	}
	if rl := rate(resp.Header, now); rl.Known() {
		a.mu.Lock()
		a.rate = rl
		a.mu.Unlock()
	}
	b, err := network.ReadBody(resp)
	if err != nil {
		return network.TransportError(a.Network, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return a.Error(resp.StatusCode, resp.Header, b, now)
	}
	if out == nil || len(b) == 0 {
		return nil
	}
	decode := a.Decode
	if decode == nil {
		decode = json.Unmarshal
	}
	if err := decode(b, out); err != nil {
		return &network.Error{Class: network.Unknown, Network: a.Network, Status: resp.StatusCode, Message: "unexpected answer from " + string(a.Network), Err: err}
	}
	return nil
}
