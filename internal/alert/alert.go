// Package alert owns notifications to people and systems beyond the in-app
// ones: a workspace's notification webhooks, which receive signed JSON events
// when publishing fails, needs review or a channel needs reconnecting.
// Webhooks implements publish.Notifier without ever blocking the engine: events
// go through a bounded queue to a small worker pool and are dropped, with a log
// line, when the queue is full. See docs/notifications.md.
package alert

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/webhook"
	"github.com/relais/relais/internal/publish"
	"github.com/relais/relais/internal/secret"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// EventPing is the event a test delivery sends.
const EventPing = "ping"

// Limits of a hook's fields, named in the user-facing messages.
const (
	// MaxURL is the longest hook URL accepted, in bytes.
	MaxURL = 2000
	// MaxDescription is the longest description accepted, in characters.
	MaxDescription = 200
	// MaxHooks bounds the hooks of one workspace: each event is sent to all of them.
	MaxHooks = 20
)

// Store is what Webhooks reads and writes: the hooks and the workspace slug
// for links. store.Store satisfies it.
type Store interface {
	store.HookStore
	WorkspaceByID(ctx context.Context, id int64) (store.Workspace, error)
}

// Webhooks delivers events to a workspace's notification webhooks and manages
// them (create, test). The zero values of the optional fields are sensible
// defaults; the worker pool starts on the first Notify.
type Webhooks struct {
	Store   Store
	Keyring *secret.Keyring
	// Client sends the deliveries (nil: network.NewHTTPClient with its
	// private-address guard).
	Client *http.Client
	Log    *slog.Logger
	// BaseURL is the web UI's public URL, for links to posts in payloads.
	BaseURL string
	// AllowPrivate lets hook URLs name private or loopback hosts (nil: the
	// RELAIS_ALLOW_PRIVATE_HOSTS environment variable).
	AllowPrivate *bool
	// Workers is how many deliveries run at once (default 4).
	Workers int
	// Queue is how many events may wait (default 256); more are dropped.
	Queue int
	// Attempts per delivery (default 3) and the wait before retry i+1
	// (default: 1 s, 2 s, 4 s, … capped at 30 s).
	Attempts int
	Backoff  func(i int) time.Duration
	// DrainTimeout bounds how long Close waits for queued deliveries (default 10 s).
	DrainTimeout time.Duration

	start      sync.Once
	clientOnce sync.Once
	defClient  *http.Client
	mu         sync.RWMutex // guards jobs against a send after Close
	closed     bool
	jobs       chan publish.Event
	wg         sync.WaitGroup
	ctx        context.Context
	cancel     context.CancelFunc
}

var _ publish.Notifier = (*Webhooks)(nil)

func (w *Webhooks) log() *slog.Logger {
	if w.Log == nil {
		return slog.Default()
	}
	return w.Log
}

func (w *Webhooks) client() *http.Client {
	if w.Client != nil {
		return w.Client
	}
	// One default client, so deliveries share its connections.
	w.clientOnce.Do(func() { w.defClient = network.NewHTTPClient(network.HTTPOptions{AllowPrivate: w.AllowPrivate}) })
	return w.defClient
}

func (w *Webhooks) allowPrivate() bool {
	if w.AllowPrivate != nil {
		return *w.AllowPrivate
	}
	return network.AllowPrivateHosts()
}

func (w *Webhooks) launch() {
	w.start.Do(func() {
		w.ctx, w.cancel = context.WithCancel(context.Background())
		q := w.Queue
		if q <= 0 {
			q = 256
		}
		w.jobs = make(chan publish.Event, q)
		n := w.Workers
		if n <= 0 {
			n = 4
		}
		for range n {
			w.wg.Add(1)
			go w.work()
		}
	})
}

// Notify queues the event for the workspace's subscribed hooks and returns at
// once; when the queue is full the event is dropped and logged.
func (w *Webhooks) Notify(_ context.Context, ev publish.Event) error {
	w.launch()
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.closed {
		return errors.New("alert: webhooks are closed")
	}
	select {
	case w.jobs <- ev:
		return nil
	default:
		w.log().Warn("alert: webhook queue full, event dropped", "kind", ev.Kind, "workspace", ev.WorkspaceID, "post", ev.PostID, "publication", ev.PublicationID)
		return nil
	}
}

// Close stops taking events and waits up to DrainTimeout for the queued ones;
// deliveries still running then are cancelled.
func (w *Webhooks) Close() error {
	w.launch()
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	close(w.jobs)
	w.mu.Unlock()
	done := make(chan struct{})
	go func() { w.wg.Wait(); close(done) }()
	timeout := w.DrainTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-done:
		w.cancel()
		return nil
	case <-t.C:
		w.cancel()
		<-done
		return fmt.Errorf("alert: webhook deliveries still running after %s were cancelled", timeout)
	}
}

func (w *Webhooks) work() {
	defer w.wg.Done()
	for ev := range w.jobs {
		w.dispatch(w.ctx, ev)
	}
}

// dispatch sends ev to every enabled hook of its workspace subscribed to its kind.
func (w *Webhooks) dispatch(ctx context.Context, ev publish.Event) {
	hooks, err := w.Store.Hooks(ctx, ev.WorkspaceID)
	if err != nil {
		w.log().Error("alert: list hooks", "workspace", ev.WorkspaceID, "err", err)
		return
	}
	var ws store.Workspace
	for _, h := range hooks {
		if !h.Enabled || !h.Subscribed(ev.Kind) {
			continue
		}
		if ws.ID == 0 {
			if ws, err = w.Store.WorkspaceByID(ctx, ev.WorkspaceID); err != nil {
				// The link is lost, not the alert.
				ws = store.Workspace{ID: ev.WorkspaceID}
			}
		}
		id := newID()
		p := Payload{Event: ev.Kind, ID: id, CreatedAt: time.Now().UTC().Format(time.RFC3339), Workspace: WorkspaceRef{ID: ws.ID, Slug: ws.Slug},
			PostID: ev.PostID, PublicationID: ev.PublicationID, ChannelID: ev.ChannelID, Network: ev.Network, Message: ev.Message, URL: w.link(ws, ev),
			MessageID: ev.MessageID}
		switch ev.Kind {
		case store.HookAlertCrisis:
			p.Crisis = ev.Detail
		case store.HookMentionReceived:
			p.Mention = ev.Detail
		case store.HookMentionBurst:
			p.Burst = ev.Detail
		}
		if err := w.deliver(ctx, h, ev.Kind, id, p, w.attempts()); err != nil {
			w.log().Warn("alert: webhook delivery failed", "hook", h.ID, "workspace", h.WorkspaceID, "kind", ev.Kind, "err", err)
		}
	}
}

func (w *Webhooks) attempts() int {
	if w.Attempts <= 0 {
		return 3
	}
	return w.Attempts
}

// link points at the post (its permalink, which survives a renamed
// workspace) or the channel list in the web UI.
func (w *Webhooks) link(ws store.Workspace, ev publish.Event) string {
	if w.BaseURL == "" || ws.Slug == "" {
		return ""
	}
	root := strings.TrimRight(w.BaseURL, "/")
	switch {
	case ev.MessageID != 0:
		return root + "/inbox/" + strconv.FormatInt(ev.MessageID, 10)
	case ev.PostID != 0:
		return root + "/posts/" + strconv.FormatInt(ev.PostID, 10)
	case ev.ChannelID != 0:
		return root + "/workspaces/" + url.PathEscape(ws.Slug) + "/channels"
	case ev.Link != "":
		return root + ev.Link
	}
	return ""
}

// WorkspaceRef names the workspace of an event.
type WorkspaceRef struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug,omitempty"`
}

// Payload is the JSON body of a notification delivery.
type Payload struct {
	Event         string       `json:"event"`
	ID            string       `json:"id"`
	CreatedAt     string       `json:"created_at"`
	Workspace     WorkspaceRef `json:"workspace"`
	PostID        int64        `json:"post_id,omitempty"`
	PublicationID int64        `json:"publication_id,omitempty"`
	ChannelID     int64        `json:"channel_id,omitempty"`
	Network       string       `json:"network,omitempty"`
	Message       string       `json:"message,omitempty"`
	URL           string       `json:"url,omitempty"`
	// Crisis is set on alert.crisis deliveries: the spike test's verdict,
	// the spiking terms and example messages (crisis.Detail).
	Crisis any `json:"crisis,omitempty"`
	// MessageID is the inbox message of message.received events.
	MessageID int64 `json:"message_id,omitempty"`
	// Mention is set on mention.received deliveries: the mention and the
	// query that announced it (listen.MentionAlert).
	Mention any `json:"mention,omitempty"`
	// Burst is set on mention.burst deliveries (listen.BurstAlert).
	Burst any `json:"burst,omitempty"`
	// HookID is set on ping deliveries only.
	HookID int64 `json:"hook_id,omitempty"`
}

// deliver signs and sends one payload and records the outcome on the hook.
func (w *Webhooks) deliver(ctx context.Context, h store.Hook, event, id string, p Payload, attempts int) error {
	sec, err := w.secret(h)
	if err != nil {
		w.record(h, err)
		return err
	}
	// The header carries the body's id so receivers can dedupe on either.
	err = webhook.Deliver(ctx, w.client(), h.URL, sec, event, id, p, attempts, w.Backoff)
	w.record(h, err)
	return err
}

func (w *Webhooks) record(h store.Hook, err error) {
	status, msg := "ok", ""
	if err != nil {
		status, msg = "failed", errorMessage(err)
	}
	// A fresh context: the outcome is worth keeping even while closing.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if rerr := w.Store.RecordHookDelivery(ctx, h.WorkspaceID, h.ID, status, time.Now().UTC(), msg); rerr != nil && !errors.Is(rerr, store.ErrNotFound) {
		w.log().Error("alert: record hook delivery", "hook", h.ID, "err", rerr)
	}
}

// errorMessage is what the user sees: the receiver's status and message when
// it answered, else the error, at most 500 bytes.
func errorMessage(err error) string {
	msg := err.Error()
	var ne *network.Error
	if errors.As(err, &ne) && ne.Status != 0 {
		msg = "HTTP " + strconv.Itoa(ne.Status)
		if ne.Message != "" {
			msg += ": " + ne.Message
		}
	}
	if len(msg) > 500 {
		cut := 500
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut]
	}
	return msg
}

// aad binds a hook's sealed secret to its row.
func aad(workspaceID, id int64) []byte {
	return []byte("hook:" + strconv.FormatInt(workspaceID, 10) + ":" + strconv.FormatInt(id, 10))
}

func (w *Webhooks) secret(h store.Hook) (string, error) {
	if len(h.SecretEnc) == 0 {
		return "", errors.New("alert: hook has no signing secret; remove it and add it again")
	}
	var s string
	if err := w.Keyring.OpenJSON(h.SecretEnc, aad(h.WorkspaceID, h.ID), &s); err != nil {
		return "", fmt.Errorf("alert: open hook secret: %w", err)
	}
	// Secrets sealed before relais followed Standard Webhooks (64 hex
	// characters) sign with their bytes as the key, as they always did.
	return s, nil
}

// newID is a random UUID (version 4) for one delivery.
func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// NewHook is what a person fills in to add a hook.
type NewHook struct {
	URL         string
	Description string
	// Events to subscribe to; empty means all of store.HookEvents.
	Events    []string
	CreatedBy int64
}

// Create validates and stores a hook with a fresh signing secret, returned
// here once in clear (Standard Webhooks form, whsec_…) and kept only sealed.
func (w *Webhooks) Create(ctx context.Context, workspaceID int64, in NewHook) (store.Hook, string, error) {
	u, err := w.CheckURL(ctx, in.URL)
	if err != nil {
		return store.Hook{}, "", err
	}
	desc := strings.TrimSpace(in.Description)
	if n := utf8.RuneCountInString(desc); n > MaxDescription {
		return store.Hook{}, "", valid.Errorf("description", "too_long", "Description allows at most %d characters; it has %d", MaxDescription, n)
	}
	events, err := CheckEvents(in.Events)
	if err != nil {
		return store.Hook{}, "", err
	}
	existing, err := w.Store.Hooks(ctx, workspaceID)
	if err != nil {
		return store.Hook{}, "", err
	}
	if len(existing) >= MaxHooks {
		return store.Hook{}, "", valid.Errorf("url", "too_many", "A workspace allows at most %d notification webhooks; remove one first", MaxHooks)
	}
	sec, err := webhook.NewSecret()
	if err != nil {
		return store.Hook{}, "", fmt.Errorf("alert: secret: %w", err)
	}
	h := store.Hook{WorkspaceID: workspaceID, URL: u, Description: desc, Events: events, Enabled: true, CreatedBy: in.CreatedBy}
	// Insert first to learn the id the secret is bound to, then seal it.
	if err := w.Store.CreateHook(ctx, &h); err != nil {
		return store.Hook{}, "", err
	}
	enc, err := w.Keyring.SealJSON(sec, aad(workspaceID, h.ID))
	if err == nil {
		err = w.Store.SetHookSecret(ctx, workspaceID, h.ID, enc)
	}
	if err != nil {
		_ = w.Store.DeleteHook(ctx, workspaceID, h.ID)
		return store.Hook{}, "", fmt.Errorf("alert: seal hook secret: %w", err)
	}
	h.SecretEnc = enc
	return h, sec, nil
}

// CheckEvents validates subscribed event kinds, defaulting to all of them.
func CheckEvents(in []string) ([]string, error) {
	if len(in) == 0 {
		return append([]string(nil), store.HookEvents...), nil
	}
	seen := map[string]bool{}
	var out []string
	for _, e := range in {
		e = strings.TrimSpace(e)
		ok := false
		for _, k := range store.HookEvents {
			ok = ok || k == e
		}
		if !ok {
			return nil, valid.Errorf("events", "invalid", "Events must be among %s; %q is not", strings.Join(store.HookEvents, ", "), e)
		}
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out, nil
}

// CheckURL validates a hook URL: http or https, a host, at most MaxURL
// characters, and a public address unless private hosts are allowed.
func (w *Webhooks) CheckURL(ctx context.Context, raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", valid.Errorf("url", "required", "URL is required")
	}
	if len(raw) > MaxURL {
		return "", valid.Errorf("url", "too_long", "URL allows at most %d characters; it has %d", MaxURL, len(raw))
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "" {
		return "", valid.Errorf("url", "invalid", "URL must be an http:// or https:// address with a host")
	}
	if u.User != nil {
		return "", valid.Errorf("url", "invalid", "URL must not carry a user name or password; the signature authenticates relais")
	}
	if w.allowPrivate() {
		return raw, nil
	}
	host := u.Hostname()
	refuse := func() (string, error) {
		return "", valid.Errorf("url", "private_host", "URL host %q is a private or loopback address; relais only calls public addresses unless RELAIS_ALLOW_PRIVATE_HOSTS=true", host)
	}
	if addr, err := netip.ParseAddr(host); err == nil {
		if network.IsPrivateAddr(addr) {
			return refuse()
		}
		return raw, nil
	}
	if h := strings.ToLower(strings.TrimSuffix(host, ".")); h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return refuse()
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return "", valid.Errorf("url", "unresolvable", "URL host %q cannot be resolved", host)
	}
	for _, a := range addrs {
		if network.IsPrivateAddr(a) {
			return refuse()
		}
	}
	return raw, nil
}

// Test sends a signed ping to the hook at once, with one attempt, records the
// outcome and returns the delivery error, if any.
func (w *Webhooks) Test(ctx context.Context, workspaceID, id int64) error {
	h, err := w.Store.Hook(ctx, workspaceID, id)
	if err != nil {
		return err
	}
	ws, err := w.Store.WorkspaceByID(ctx, workspaceID)
	if err != nil {
		return err
	}
	did := newID()
	p := Payload{Event: EventPing, ID: did, CreatedAt: time.Now().UTC().Format(time.RFC3339), Workspace: WorkspaceRef{ID: ws.ID, Slug: ws.Slug},
		Message: "Test delivery from relais", HookID: h.ID}
	return w.deliver(ctx, h, EventPing, did, p, 1)
}
