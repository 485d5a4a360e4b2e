package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
)

// The fake network is a small social network over HTTP JSON used by the
// publishing benchmark and the fault tests. It records when each post arrived,
// honours an Idempotency-Key header the way Mastodon does (a repeated key
// returns the first post instead of making a new one), and can inject 429,
// 5xx, timeouts (before or after making the post) and expired tokens.

// FakeFaults configures the faults the fake network injects; rates are 0..1.
type FakeFaults struct {
	RateLimited float64 `json:"rate_limited"`
	ServerError float64 `json:"server_error"`
	// Timeout hangs the request for Hang; half of them hang after making the post.
	Timeout float64       `json:"timeout"`
	Hang    time.Duration `json:"hang"`
	// ExpiredTokens answer 401 "token_expired" (a refresh fixes it).
	ExpiredTokens []string `json:"expired_tokens"`
	// RevokedTokens answer 401 "token_revoked" (only a reconnect fixes it).
	RevokedTokens []string `json:"revoked_tokens"`
	// InvalidText makes posts with exactly this text fail with 422.
	InvalidText string `json:"invalid_text"`
}

// FakePost is one post the fake network made.
type FakePost struct {
	ID       string `json:"id"`
	Key      string `json:"key"`
	Channel  string `json:"channel"`
	Text     string `json:"text"`
	Received int64  `json:"received_ns"`
	// Instance is the X-Relais-Instance header of the request that made it.
	Instance string `json:"instance,omitempty"`
}

// FakeNetwork is the fake network's state; Handler serves it.
type FakeNetwork struct {
	mu       sync.Mutex
	faults   FakeFaults
	rng      *rand.Rand
	posts    []FakePost
	byIdem   map[string]int
	requests int
}

// NewFakeNetwork returns an empty fake network without faults.
func NewFakeNetwork() *FakeNetwork {
	return &FakeNetwork{byIdem: map[string]int{}, rng: rand.New(rand.NewPCG(1, 2))}
}

type fakeRequest struct {
	Key     string `json:"key"`
	Channel string `json:"channel"`
	Text    string `json:"text"`
}

// Handler serves POST /publish, GET /posts, GET /count and PUT /faults.
func (f *FakeNetwork) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /publish", f.publish)
	mux.HandleFunc("GET /posts", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(f.Posts())
	})
	mux.HandleFunc("GET /count", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		n, reqs := len(f.posts), f.requests
		f.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]int64{"posts": int64(n), "requests": int64(reqs), "cpu_ns": int64(processCPU())})
	})
	mux.HandleFunc("PUT /faults", func(w http.ResponseWriter, r *http.Request) {
		var ff FakeFaults
		if err := json.NewDecoder(r.Body).Decode(&ff); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.SetFaults(ff)
	})
	return mux
}

// SetFaults replaces the injected faults.
func (f *FakeNetwork) SetFaults(ff FakeFaults) {
	f.mu.Lock()
	f.faults = ff
	f.mu.Unlock()
}

// Posts returns every post made so far, in arrival order.
func (f *FakeNetwork) Posts() []FakePost {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]FakePost(nil), f.posts...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *FakeNetwork) publish(w http.ResponseWriter, r *http.Request) {
	received := time.Now().UnixNano()
	var req fakeRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil || req.Key == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad_request", "message": "body needs a key"})
		return
	}
	token := r.Header.Get("Authorization")
	idem := r.Header.Get("Idempotency-Key")

	f.mu.Lock()
	ff := f.faults
	f.requests++
	roll := f.rng.Float64()
	hangAfter := f.rng.IntN(2) == 0
	f.mu.Unlock()
	for _, t := range ff.RevokedTokens {
		if token == "Bearer "+t {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "token_revoked", "message": "The access token was revoked"})
			return
		}
	}
	for _, t := range ff.ExpiredTokens {
		if token == "Bearer "+t {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "token_expired", "message": "The access token expired"})
			return
		}
	}
	if ff.InvalidText != "" && req.Text == ff.InvalidText {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "invalid", "message": "Text is not allowed"})
		return
	}
	switch {
	case roll < ff.RateLimited:
		w.Header().Set("Retry-After", "1")
		writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "rate_limited", "message": "Too many requests"})
		return
	case roll < ff.RateLimited+ff.ServerError:
		writeJSON(w, http.StatusBadGateway, map[string]string{"error": "unavailable", "message": "Bad gateway"})
		return
	case roll < ff.RateLimited+ff.ServerError+ff.Timeout:
		if hangAfter {
			f.create(req, idem, received, r.Header.Get("X-Relais-Instance"))
		}
		select {
		case <-time.After(ff.Hang):
		case <-r.Context().Done():
		}
		writeJSON(w, http.StatusGatewayTimeout, map[string]string{"error": "timeout", "message": "Timed out"})
		return
	}
	p := f.create(req, idem, received, r.Header.Get("X-Relais-Instance"))
	writeJSON(w, http.StatusOK, map[string]string{"id": p.ID, "url": "https://fake.example/p/" + p.ID})
}

// create makes a post, or returns the earlier one for a repeated Idempotency-Key.
func (f *FakeNetwork) create(req fakeRequest, idem string, received int64, instance string) FakePost {
	f.mu.Lock()
	defer f.mu.Unlock()
	if idem != "" {
		if i, ok := f.byIdem[idem]; ok {
			return f.posts[i]
		}
	}
	p := FakePost{ID: strconv.Itoa(len(f.posts) + 1), Key: req.Key, Channel: req.Channel, Text: req.Text, Received: received, Instance: instance}
	f.posts = append(f.posts, p)
	if idem != "" {
		f.byIdem[idem] = len(f.posts) - 1
	}
	return p
}

// RunFakeNetwork serves a fake network on addr until ctx ends. It writes the
// address it listens on to readyFile (atomically) once it accepts connections.
// `relais bench fake-network --addr A --ready-file F` runs it in its own process.
func RunFakeNetwork(ctx context.Context, addr, readyFile string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("publish: fake network: %w", err)
	}
	srv := &http.Server{Handler: NewFakeNetwork().Handler(), ReadHeaderTimeout: 10 * time.Second}
	if readyFile != "" {
		tmp := readyFile + ".tmp"
		if err := os.WriteFile(tmp, []byte(ln.Addr().String()), 0o600); err != nil {
			ln.Close()
			return fmt.Errorf("publish: fake network: %w", err)
		}
		if err := os.Rename(tmp, filepath.Clean(readyFile)); err != nil {
			ln.Close()
			return fmt.Errorf("publish: fake network: %w", err)
		}
	}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("publish: fake network: %w", err)
	}
	return nil
}

// FakeConnector publishes to a fake network. With Idempotent set it sends the
// publication's idempotency key as an Idempotency-Key header, like the
// Mastodon connector; without it, a repeated call makes a second post.
type FakeConnector struct {
	KindName   network.Kind
	BaseURL    string
	Channel    string
	Idempotent bool
	HTTP       *http.Client
	// Token returns the current access token.
	Token func() string
	// Instance, when set, is sent as X-Relais-Instance (tests see who published).
	Instance string
}

// Kind names the fake network.
func (c *FakeConnector) Kind() network.Kind { return c.KindName }

// Identify returns the channel as the account.
func (c *FakeConnector) Identify(ctx context.Context) (network.Account, error) {
	return network.Account{RemoteID: c.Channel, Handle: "@" + c.Channel}, nil
}

// Delete is not supported by the fake network.
func (c *FakeConnector) Delete(ctx context.Context, remoteID string) error {
	return &network.Error{Class: network.Permanent, Network: c.KindName, Message: "delete is not supported"}
}

// Publish posts each part not yet out, in order, keyed by the idempotency key and the part's index.
func (c *FakeConnector) Publish(ctx context.Context, req network.PublishRequest) (network.PublishResult, error) {
	res := network.PublishResult{Parts: append([]network.RemotePost(nil), req.Done...)}
	for i := len(req.Done); i < len(req.Parts); i++ {
		key := req.IdempotencyKey
		if i > 0 {
			key += "-" + strconv.Itoa(i)
		}
		rp, err := c.post(ctx, key, req.Parts[i].Text)
		if err != nil {
			return res, err
		}
		res.Parts = append(res.Parts, rp)
	}
	if req.FirstComment != "" {
		rp, err := c.post(ctx, req.IdempotencyKey+"-comment", req.FirstComment)
		if err != nil {
			return res, err
		}
		res.FirstComment = &rp
	}
	return res, nil
}

func (c *FakeConnector) post(ctx context.Context, key, text string) (network.RemotePost, error) {
	body, _ := json.Marshal(fakeRequest{Key: key, Channel: c.Channel, Text: text})
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+"/publish", bytes.NewReader(body))
	if err != nil {
		return network.RemotePost{}, &network.Error{Class: network.Permanent, Network: c.KindName, Err: err}
	}
	hr.Header.Set("Content-Type", "application/json")
	if c.Token != nil {
		hr.Header.Set("Authorization", "Bearer "+c.Token())
	}
	if c.Idempotent {
		hr.Header.Set("Idempotency-Key", key)
	}
	if c.Instance != "" {
		hr.Header.Set("X-Relais-Instance", c.Instance)
	}
	resp, err := c.HTTP.Do(hr)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" {
			return network.RemotePost{}, &network.Error{Class: network.Retryable, Network: c.KindName, Err: err}
		}
		// The request may have reached the network: the outcome is unknown.
		return network.RemotePost{}, &network.Error{Class: network.Unknown, Network: c.KindName, Err: err}
	}
	defer resp.Body.Close()
	var out struct {
		ID, URL, Error, Message string
	}
	_ = json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&out)
	if resp.StatusCode == http.StatusOK {
		return network.RemotePost{ID: out.ID, URL: out.URL}, nil
	}
	ne := &network.Error{Class: network.ClassForStatus(resp.StatusCode), Network: c.KindName, Status: resp.StatusCode, Code: out.Error, Message: out.Message}
	switch {
	case resp.StatusCode == http.StatusUnauthorized && out.Error == "token_expired":
		ne.Class = network.AuthRefresh
	case resp.StatusCode == http.StatusGatewayTimeout:
		ne.Class = network.Unknown // the network may have made the post before timing out
	case resp.StatusCode == http.StatusTooManyRequests:
		ne.RetryAfter = network.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	return network.RemotePost{}, ne
}
