// Package webhook is the "webhook" channel: publishing POSTs a signed JSON
// payload to a URL the user chose, so they can wire relais into n8n, Zapier,
// Make or their own code. It also exports Sign, Verify and Deliver for
// receivers and for relais's own outgoing notification webhooks.
//
// The connector makes one attempt per call and classifies the answer into the
// network error classes; the publishing engine owns the retries. Every retry
// of one publication carries the same delivery id, so receivers can dedupe.
package webhook

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/valid"
)

// Event names.
const (
	EventPing      = "ping"
	EventPublished = "post.published"
	EventDeleted   = "post.deleted"
)

// Form field, setting and secret keys of a webhook channel.
const (
	FieldURL    = "url"
	FieldSecret = "secret"
	FieldLabel  = "label"
	// SettingHost is the URL's host, kept in plain settings for display; the
	// URL itself is a secret because hook URLs often carry a token.
	SettingHost = "host"
)

// Limits of the connect form.
const (
	MinSecret = 16
	MaxSecret = 512
	MaxLabel  = 100
	maxURL    = 2048
)

func init() { network.Register(Provider{}) }

// Provider connects webhook channels.
type Provider struct {
	// AllowPrivate overrides RELAIS_ALLOW_PRIVATE_HOSTS for the connect-time
	// address check (nil: the environment decides).
	AllowPrivate *bool
}

// Kind names the network.
func (Provider) Kind() network.Kind { return network.Webhook }

// Fields lists what the connect form asks for.
func (Provider) Fields() []network.Field {
	return []network.Field{
		{Name: FieldURL, Label: "Webhook URL", Required: true, Secret: true, Type: network.FieldURL, Help: "The https:// address relais POSTs each published post to."},
		{Name: FieldSecret, Label: "Signing secret", Secret: true, ShowOnce: true, Help: "Leave empty to have one generated (whsec_…); it signs every delivery the Standard Webhooks way."},
		{Name: FieldLabel, Label: "Label", Help: "A name for this channel, such as \"n8n blog workflow\"."},
	}
}

func (p Provider) allowPrivate() bool {
	if p.AllowPrivate != nil {
		return *p.AllowPrivate
	}
	return network.AllowPrivateHosts()
}

// Connect checks the URL, draws a secret when none was given, and requires a
// 2xx answer to a signed ping.
func (p Provider) Connect(ctx context.Context, env network.Env, input map[string]string) (network.Account, network.Stored, error) {
	raw := strings.TrimSpace(input[FieldURL])
	u, err := parseURL(raw)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	// Fields checked on their own come before the host, which may need a DNS lookup.
	label := strings.TrimSpace(input[FieldLabel])
	if n := utf8.RuneCountInString(label); n > MaxLabel {
		return network.Account{}, network.Stored{}, valid.Errorf(FieldLabel, "too_long", "Label allows %d characters; this one has %d", MaxLabel, n).WithArgs(MaxLabel, n)
	}
	if !p.allowPrivate() {
		if err := checkPublicHost(ctx, u.Hostname()); err != nil {
			return network.Account{}, network.Stored{}, err
		}
	}
	secret := input[FieldSecret]
	if secret == "" {
		if secret, err = NewSecret(); err != nil {
			return network.Account{}, network.Stored{}, err
		}
	} else if err := CheckSecret(secret, MinSecret, MaxSecret); err != nil {
		return network.Account{}, network.Stored{}, err
	}
	// A secret typed in another form is kept in the whsec_ form of the same
	// key, the one Standard Webhooks libraries take.
	secret = StandardSecret(secret)
	stored := network.Stored{
		Settings: map[string]string{FieldLabel: label, SettingHost: u.Host},
		Secrets:  map[string]string{FieldURL: raw, FieldSecret: secret},
	}
	c, err := p.Open(env, stored)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	acct, err := c.Identify(ctx)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	return acct, stored, nil
}

func parseURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, valid.Errorf(FieldURL, "required", "URL is required")
	}
	if len(raw) > maxURL {
		return nil, valid.Errorf(FieldURL, "too_long", "URL allows %d characters; this one has %d", maxURL, len(raw)).WithArgs(maxURL, len(raw))
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, valid.Errorf(FieldURL, "invalid", "URL %q is not a URL", raw)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, valid.Errorf(FieldURL, "invalid", "URL must start with https:// or http://, not %q", u.Scheme+":")
	}
	if u.Hostname() == "" {
		return nil, valid.Errorf(FieldURL, "invalid", "URL %q has no host", raw)
	}
	return u, nil
}

// checkPublicHost refuses hosts that are or resolve to private addresses, with
// a message the user can act on. The HTTP client's dial guard enforces the
// same rule on every request; this check only explains it at connect time.
func checkPublicHost(ctx context.Context, host string) error {
	// The message names the host as given, never the address it resolved to.
	refuse := func(netip.Addr) error {
		return fmt.Errorf("%w: %w", valid.Errorf(FieldURL, "private_host", "URL host %q is or resolves to a private or loopback address; relais only calls public addresses unless RELAIS_ALLOW_PRIVATE_HOSTS=true", host), network.ErrPrivateHost)
	}
	if addr, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		if network.IsPrivateAddr(addr) {
			return refuse(addr)
		}
		return nil
	}
	if h := strings.ToLower(strings.TrimSuffix(host, ".")); h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return refuse(netip.IPv6Loopback())
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return fmt.Errorf("%w: %w", valid.Errorf(FieldURL, "unresolvable", "URL host %q cannot be resolved", host), err)
	}
	for _, a := range addrs {
		if network.IsPrivateAddr(a) {
			return refuse(a)
		}
	}
	return nil
}

// Connector delivers posts to one webhook URL.
type Connector struct {
	env      network.Env
	client   *http.Client
	url      string
	secret   string
	label    string
	host     string
	remoteID string
}

// Open builds a connector from what was stored.
func (Provider) Open(env network.Env, s network.Stored) (network.Connector, error) {
	u, err := parseURL(s.Secrets[FieldURL])
	if err != nil {
		return nil, fmt.Errorf("webhook: stored url: %w", err)
	}
	secret := s.Secrets[FieldSecret]
	if secret == "" {
		return nil, fmt.Errorf("webhook: stored secret is missing")
	}
	return &Connector{
		env: env, client: withoutRedirects(env.Client()), url: u.String(), secret: secret,
		label: s.Settings[FieldLabel], host: u.Host, remoteID: endpointID(u.String()),
	}, nil
}

// endpointID names the endpoint without revealing its URL, so connecting the
// same URL twice is recognised as the same account.
func endpointID(u string) string {
	sum := sha256.Sum256([]byte("relais/webhook/endpoint\x00" + u))
	return hex.EncodeToString(sum[:16])
}

// Kind names the network.
func (c *Connector) Kind() network.Kind { return network.Webhook }

func (c *Connector) account() network.Account {
	return network.Account{RemoteID: c.remoteID, Handle: firstNonEmpty(c.label, c.host), DisplayName: firstNonEmpty(c.label, c.host)}
}

func (c *Connector) channel() Channel {
	return Channel{Kind: string(network.Webhook), ID: c.remoteID, Label: c.label}
}

// Identify sends a signed ping and requires a 2xx answer.
func (c *Connector) Identify(ctx context.Context) (network.Account, error) {
	now := c.env.Clock()
	ev := Event{Event: EventPing, ID: randomID(), CreatedAt: rfc3339(now), Channel: c.channel()}
	if _, err := c.deliver(ctx, ev); err != nil {
		return network.Account{}, fmt.Errorf("webhook: the ping to %s failed: %w", c.host, err)
	}
	return c.account(), nil
}

// Publish POSTs one post.published delivery; its id is derived from the
// publication's idempotency key, so retries carry the same delivery id.
func (c *Connector) Publish(ctx context.Context, req network.PublishRequest) (network.PublishResult, error) {
	if len(req.Done) > 0 {
		return network.PublishResult{Parts: req.Done}, nil
	}
	ev, err := c.publishedEvent(req)
	if err != nil {
		return network.PublishResult{}, err
	}
	rp, err := c.deliver(ctx, ev)
	if err != nil {
		return network.PublishResult{}, err
	}
	parts := make([]network.RemotePost, len(req.Parts))
	for i := range parts {
		parts[i] = rp
		if i > 0 {
			// One delivery carries every part; later parts get derived ids
			// so each stored publication part stays unique.
			parts[i].ID = fmt.Sprintf("%s#%d", rp.ID, i+1)
		}
	}
	return network.PublishResult{Parts: parts}, nil
}

func (c *Connector) publishedEvent(req network.PublishRequest) (Event, error) {
	invalid := func(msg string) error {
		return &network.Error{Class: network.InvalidContent, Network: network.Webhook, Message: msg}
	}
	if req.IdempotencyKey == "" {
		return Event{}, &network.Error{Class: network.Permanent, Network: network.Webhook, Message: "the publication has no idempotency key to derive its delivery id"}
	}
	if len(req.Parts) == 0 {
		return Event{}, invalid("the post has no text or media to deliver")
	}
	created := req.CreatedAt
	if created.IsZero() {
		created = c.env.Clock()
	}
	post := &Post{Text: req.Parts[0].Text, Parts: make([]Part, len(req.Parts)), Language: req.Language, Options: req.Options}
	if post.Options == nil {
		post.Options = map[string]string{}
	}
	for i, p := range req.Parts {
		part := Part{Text: p.Text, Link: p.Link, Media: make([]Media, len(p.Media))}
		for j, m := range p.Media {
			if m.URL == "" {
				return Event{}, invalid(fmt.Sprintf("part %d, media %d has no public URL; webhook receivers fetch media by URL, so relais needs a public base URL", i+1, j+1))
			}
			part.Media[j] = Media{URL: m.URL, MIME: m.MIME, AltText: m.AltText, Width: m.Width, Height: m.Height}
		}
		post.Parts[i] = part
	}
	return Event{
		Event: EventPublished, ID: DeliveryID(req.IdempotencyKey), IdempotencyKey: req.IdempotencyKey,
		CreatedAt: rfc3339(created), Post: post, Channel: c.channel(),
	}, nil
}

// Delete POSTs a post.deleted delivery naming the remote id, so receivers can
// take the post down where they put it.
func (c *Connector) Delete(ctx context.Context, remoteID string) error {
	ev := Event{Event: EventDeleted, ID: DeliveryID("delete\x00" + remoteID), CreatedAt: rfc3339(c.env.Clock()), RemoteID: remoteID, Channel: c.channel()}
	_, err := c.deliver(ctx, ev)
	return err
}

func (c *Connector) deliver(ctx context.Context, ev Event) (network.RemotePost, error) {
	body, err := json.Marshal(ev)
	if err != nil {
		return network.RemotePost{}, fmt.Errorf("webhook: encode payload: %w", err)
	}
	ans, err := send(ctx, c.client, c.url, c.secret, ev.Event, ev.ID, body, c.env.Clock)
	if err != nil {
		return network.RemotePost{}, err
	}
	return ans.remotePost(ev.ID), nil
}

// DeliveryID derives the stable delivery id of a publication from its
// idempotency key, formatted as a UUID (RFC 9562 version 8).
func DeliveryID(idempotencyKey string) string {
	sum := sha256.Sum256([]byte("relais/webhook/delivery\x00" + idempotencyKey))
	return formatUUID(sum[:16])
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func formatUUID(b []byte) string {
	b[6] = b[6]&0x0f | 0x80
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// Event is the JSON body of every delivery (see docs/webhooks.md).
type Event struct {
	// Event is EventPublished, EventDeleted or EventPing.
	Event string `json:"event"`
	// ID is the delivery id, equal to the X-Relais-Delivery header.
	ID string `json:"id"`
	// IdempotencyKey is the publication's key (post.published only).
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	// CreatedAt is when the publication was created (RFC 3339, UTC); for
	// other events, when the event happened.
	CreatedAt string `json:"created_at"`
	// Post is the published post (post.published only).
	Post *Post `json:"post,omitempty"`
	// RemoteID is the id the receiver answered at publish time (post.deleted only).
	RemoteID string `json:"remote_id,omitempty"`
	// Channel names the relais channel that delivered.
	Channel Channel `json:"channel"`
}

// Post is the content of a post.published event.
type Post struct {
	// Text is the first part's text, for receivers that want one string.
	Text string `json:"text"`
	// Parts holds every part in order (one for a single post).
	Parts    []Part            `json:"parts"`
	Language string            `json:"language"`
	Options  map[string]string `json:"options"`
}

// Part is one part of a post.
type Part struct {
	Text  string  `json:"text"`
	Link  string  `json:"link"`
	Media []Media `json:"media"`
}

// Media is one attachment, fetched by the receiver from its public URL.
type Media struct {
	URL     string `json:"url"`
	MIME    string `json:"mime"`
	AltText string `json:"alt_text"`
	// Width and Height are pixels, 0 when unknown.
	Width  int `json:"width"`
	Height int `json:"height"`
}

// Channel names the relais channel that sent an event.
type Channel struct {
	Kind  string `json:"kind"`
	ID    string `json:"id"`
	Label string `json:"label"`
}
