package network

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"time"
)

// Field is one input a connect form asks for.
type Field struct {
	// Name is the input's key ("handle", "app_password", "instance").
	Name string `json:"name"`
	// Label is the English label; the UI translates it by Name.
	Label string `json:"label"`
	// Secret fields are never shown again and are stored encrypted.
	Secret bool `json:"secret,omitempty"`
	// ShowOnce secrets are shown once to whoever connected the channel, right
	// after connecting, because a receiver needs them (a webhook's signing
	// secret, generated when left empty).
	ShowOnce bool `json:"show_once,omitempty"`
	// Required fields must be filled.
	Required bool `json:"required,omitempty"`
	// Help is a one-line hint.
	Help string `json:"help,omitempty"`
	// Type is the kind of input: "" (text), FieldURL or FieldChoice.
	Type string `json:"type,omitempty" enum:"url,choice"`
	// Options are the values a FieldChoice accepts, the first being the default.
	Options []string `json:"options,omitempty"`
	// MaxLength bounds a post option's length in characters (0: no limit);
	// the composer checks it (YouTube's title).
	MaxLength int `json:"max_length,omitempty"`
	// OptionLabels, when set, are the names shown for Options, in the same
	// order (a Pinterest board's name for its id).
	OptionLabels []string `json:"option_labels,omitempty"`
}

// Field types beside plain text.
const (
	// FieldURL is an http(s) address.
	FieldURL = "url"
	// FieldChoice is one of the field's Options.
	FieldChoice = "choice"
)

// Stored is what a channel keeps to reopen its connector: plain settings and
// secrets (encrypted at rest by the channel store), plus limits learnt at connect time.
type Stored struct {
	Settings map[string]string `json:"settings"`
	Secrets  map[string]string `json:"-"`
	// Limits overrides DefaultLimits for this account (nil: the defaults).
	Limits *Limits `json:"limits,omitempty"`
}

// Env is what the host gives a connector: an HTTP client, the public base URL,
// a clock, and a way to persist refreshed secrets.
type Env struct {
	HTTP    *http.Client
	BaseURL string
	Now     func() time.Time
	// SaveSecrets persists rotated tokens (after a refresh) before they are used.
	SaveSecrets func(ctx context.Context, secrets map[string]string) error
	// RefreshLocked, when set, serialises a token refresh across every
	// instance sharing the channel: it runs fn holding the channel's lock with
	// the secrets as stored now (another instance may have refreshed while
	// this one waited), and saves the secrets fn returns (nil: none) before
	// releasing the lock. fn must not call SaveSecrets.
	RefreshLocked func(ctx context.Context, fn func(current map[string]string) (next map[string]string, err error)) error
	// Checkpoint and SetCheckpoint, when set, keep small facts of a
	// publication durably for the channel (Instagram's and Threads's
	// container ids), so a retry after a crash resumes what the last attempt
	// started. Checkpoint answers "" when nothing was recorded.
	Checkpoint    func(ctx context.Context, key string) (string, error)
	SetCheckpoint func(ctx context.Context, key, value string) error
}

// Clock returns Env.Now or time.Now.
func (e Env) Clock() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// Client returns Env.HTTP or a default guarded client.
func (e Env) Client() *http.Client {
	if e.HTTP != nil {
		return e.HTTP
	}
	return NewHTTPClient(HTTPOptions{})
}

// Provider connects accounts of one network and opens connectors for them.
type Provider interface {
	Kind() Kind
	// Fields lists what the connect form asks for.
	Fields() []Field
	// Connect checks the form input against the network and returns the account and what to store.
	Connect(ctx context.Context, env Env, input map[string]string) (Account, Stored, error)
	// Open builds a connector from what was stored.
	Open(env Env, s Stored) (Connector, error)
}

// OAuthProvider is implemented by providers whose connect flow is a browser redirect.
type OAuthProvider interface {
	Provider
	// AuthorizeURL starts the flow: it returns where to send the browser and state to keep
	// (PKCE verifier, instance, client credentials) until the callback.
	AuthorizeURL(ctx context.Context, env Env, input map[string]string, redirectURI, state string) (url string, keep map[string]string, err error)
	// Exchange finishes the flow with the callback's code.
	Exchange(ctx context.Context, env Env, keep map[string]string, redirectURI, code string) (Account, Stored, error)
}

// LimitsRefresher is implemented by connectors whose limits come from the server (Mastodon).
type LimitsRefresher interface {
	RefreshLimits(ctx context.Context) (Limits, error)
}

// TokenExpirer is implemented by connectors whose credentials expire on a
// known date and may not be renewed in time (Instagram Login and Threads
// tokens live 60 days); the zero time means no known expiry.
type TokenExpirer interface {
	TokenExpiry() time.Time
}

// ExpiryWarning is how long before its token expires a channel shows "expiring".
const ExpiryWarning = 7 * 24 * time.Hour

// HealthChecker is implemented by connectors with a cheaper check than Identify.
type HealthChecker interface {
	Check(ctx context.Context) error
}

var (
	providersMu sync.RWMutex
	providers   = map[Kind]Provider{}
)

// Register makes a provider available; connector packages call it from init.
func Register(p Provider) {
	providersMu.Lock()
	defer providersMu.Unlock()
	providers[p.Kind()] = p
}

// ProviderFor returns the provider of a network kind.
func ProviderFor(k Kind) (Provider, error) {
	providersMu.RLock()
	defer providersMu.RUnlock()
	p, ok := providers[k]
	if !ok {
		return nil, fmt.Errorf("network: no connector for %q", k)
	}
	return p, nil
}

// Kinds lists the registered network kinds, sorted.
func Kinds() []Kind {
	providersMu.RLock()
	defer providersMu.RUnlock()
	out := make([]Kind, 0, len(providers))
	for k := range providers {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// EffectiveLimits returns the stored limits or the network's defaults.
func (s Stored) EffectiveLimits(k Kind) Limits {
	if s.Limits == nil {
		return DefaultLimits[k]
	}
	l := *s.Limits
	// Limits read from a server (an instance's maximums) carry no display
	// name; the shipped ones do.
	if l.Name == "" {
		l.Name = DefaultLimits[k].Name
	}
	return l
}
