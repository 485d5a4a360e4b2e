// Package config holds relais's bootstrap configuration: the few values needed
// before the database is reachable. Everything else lives in the database.
package config

import (
	"fmt"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// Config is the bootstrap configuration; flags and RELAIS_* variables fill it.
type Config struct {
	// Addr is the listen address (RELAIS_ADDR, default 127.0.0.1:8080).
	Addr string
	// DataDir holds the SQLite database, the secret key and media (RELAIS_DATA_DIR, default ./relais-data).
	DataDir string
	// DatabaseURL selects PostgreSQL when it is a postgres:// URL; empty means SQLite in DataDir.
	DatabaseURL string
	// BaseURL is the public URL of this instance (RELAIS_BASE_URL); default http://Addr.
	BaseURL string
	// SecretKeyFile holds the keys that encrypt tokens at rest (RELAIS_SECRET_KEY_FILE, default DataDir/secret.key).
	SecretKeyFile string
	// AllowPrivateHosts lets connectors reach private and loopback addresses (RELAIS_ALLOW_PRIVATE_HOSTS).
	AllowPrivateHosts bool
	// LogFormat is "text" or "json".
	LogFormat string
	// LogLevel is debug, info, warn or error.
	LogLevel string
	// SMTPURL enables e-mail (invitations): smtp://user:password@host:587 (RELAIS_SMTP_URL); empty: off.
	SMTPURL string
	// SMTPFrom is the sender address (RELAIS_SMTP_FROM).
	SMTPFrom string
	// MetricsToken, when set, is the bearer token /metrics requires (RELAIS_METRICS_TOKEN).
	MetricsToken string
	// TrustedProxies lists the addresses or CIDR ranges of reverse proxies
	// whose X-Forwarded-For is believed (RELAIS_TRUSTED_PROXIES, comma-separated).
	TrustedProxies string
	// Publish tunes the publishing engine; zero values keep its defaults.
	Publish PublishTimings
	// Meta is the operator's Meta app (Facebook, Instagram, Threads); empty: those networks connect by pasted token only.
	Meta MetaApp
	// X is the operator's X app; empty: X connects by pasted token only.
	X XApp
	// YouTube is the operator's Google OAuth client; empty: YouTube connects by pasted token only.
	YouTube YouTubeApp
	// Vimeo is the operator's Vimeo app; empty: Vimeo connects by pasted token only.
	Vimeo VimeoApp
	// Tumblr is the operator's Tumblr app; empty: Tumblr connects by pasted token only.
	Tumblr OAuthApp
	// SoundCloud is the operator's SoundCloud app; empty: SoundCloud connects by pasted token only.
	SoundCloud OAuthApp
	// Snapchat is the operator's Snap app, allowlisted by Snap for the Public Profile API.
	Snapchat OAuthApp
	// LinkedIn is the operator's LinkedIn app and API version.
	LinkedIn LinkedInApp
	// Google is the operator's Google OAuth client (Google Business Profile).
	Google GoogleApp
	// InboxPollInterval is how often the inbox reads networks other than
	// Mastodon (RELAIS_INBOX_POLL_INTERVAL, default 60 s); Mastodon is read
	// every 15 s, or at this interval when it is shorter.
	InboxPollInterval time.Duration
	// TikTok is the operator's TikTok app; empty: TikTok connects by pasted token only.
	TikTok TikTokApp
	// Pinterest is the operator's Pinterest app; empty: Pinterest connects by pasted token only.
	Pinterest PinterestApp
	// ListenJetstream is the Jetstream endpoint listening reads Bluesky's
	// public firehose from (RELAIS_LISTEN_JETSTREAM, e.g.
	// wss://jetstream2.us-east.bsky.network/subscribe); empty: off.
	ListenJetstream string
}

// XApp is the operator's X OAuth 2.0 client (RELAIS_X_CLIENT_ID, and
// RELAIS_X_CLIENT_SECRET for a confidential client). APIURL points the API
// and the authorize page at another server (a fake or a proxy;
// RELAIS_X_API_URL), empty for api.x.com.
type XApp struct {
	ClientID, ClientSecret string
	APIURL                 string
}

// YouTubeApp is the operator's Google OAuth client for YouTube
// (RELAIS_YOUTUBE_CLIENT_ID and RELAIS_YOUTUBE_CLIENT_SECRET). APIURL points
// every Google host at another server (a fake or a proxy;
// RELAIS_YOUTUBE_API_URL). Quota overrides the project's daily quota and
// per-method costs (RELAIS_YOUTUBE_QUOTA, "daily=10000,videos.insert=1,…").
type YouTubeApp struct {
	ClientID, ClientSecret string
	APIURL                 string
	Quota                  string
}

// VimeoApp is the operator's Vimeo app (RELAIS_VIMEO_CLIENT_ID and
// RELAIS_VIMEO_CLIENT_SECRET); APIURL points the API and sign-in at another
// server (a fake or a proxy; RELAIS_VIMEO_API_URL).
type VimeoApp struct {
	ClientID, ClientSecret string
	APIURL                 string
}

// OAuthApp is an operator's OAuth 2 client for a network (Tumblr:
// RELAIS_TUMBLR_CLIENT_ID/SECRET). APIURL points the API and the authorize
// page at another server (a fake or a proxy), empty for the network's own.
type OAuthApp struct {
	ClientID, ClientSecret string
	APIURL                 string
}

// validate checks an app's pairing and URL; flag is its flag prefix ("tumblr").
func (a OAuthApp) validate(flag string) error {
	if a.ClientSecret != "" && a.ClientID == "" {
		return fmt.Errorf("config: --%s-client-secret needs --%s-client-id", flag, flag)
	}
	if a.APIURL != "" {
		u, err := url.Parse(a.APIURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("config: --%s-api-url must be an absolute http(s) URL; got %q", flag, a.APIURL)
		}
	}
	return nil
}

// MetaApp holds the credentials of the operator's Meta app: Facebook Login
// (RELAIS_META_APP_ID/SECRET), Instagram Login (RELAIS_INSTAGRAM_APP_ID/SECRET)
// and the Threads use case (RELAIS_THREADS_APP_ID/SECRET), each shown apart
// in the app dashboard. APIURL points every Meta host at one server (a fake
// or a proxy; RELAIS_META_API_URL), empty for Meta's own hosts.
type MetaApp struct {
	AppID, AppSecret             string
	InstagramID, InstagramSecret string
	ThreadsID, ThreadsSecret     string
	APIURL                       string
	// WebhookVerifyToken turns on the webhook receiver at /webhooks/meta (RELAIS_META_WEBHOOK_VERIFY_TOKEN).
	WebhookVerifyToken string
}

// PublishTimings are the publishing engine's operator knobs.
type PublishTimings struct {
	// LeadTime is how early publications are staged before they are due (default 30 s).
	LeadTime time.Duration
	// CallTimeout bounds one publish call (default 60 s).
	CallTimeout time.Duration
	// Grace is added to CallTimeout before the reconciler acts on a call left in flight (default 30 s).
	Grace time.Duration
	// StageLease is how long a dead instance's staged publications stay its own (default 15 s).
	StageLease time.Duration
}

// IsPostgres reports whether the database is PostgreSQL.
func (c Config) IsPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// SQLitePath is the SQLite database file in the data directory.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "relais.db") }

// KeyFile is the secret key file path.
func (c Config) KeyFile() string {
	if c.SecretKeyFile != "" {
		return c.SecretKeyFile
	}
	return filepath.Join(c.DataDir, "secret.key")
}

// IsHTTPS reports whether the public URL is https (cookies Secure, HSTS).
func (c Config) IsHTTPS() bool { return strings.HasPrefix(c.PublicURL(), "https://") }

// PublicURL is the base URL, or one derived from the listen address.
func (c Config) PublicURL() string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/")
	}
	addr := c.Addr
	if strings.HasPrefix(addr, ":") {
		addr = "127.0.0.1" + addr
	}
	return "http://" + addr
}

// Validate checks the values that can be checked without I/O.
func (c Config) Validate() error {
	if c.DatabaseURL != "" && !c.IsPostgres() {
		return fmt.Errorf("config: --database-url must be a postgres:// URL (leave it empty for SQLite in the data directory); got %q", redact(c.DatabaseURL))
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("config: --base-url must be an absolute http(s) URL; got %q", c.BaseURL)
		}
	}
	if c.DataDir == "" {
		return fmt.Errorf("config: --data-dir must not be empty")
	}
	if _, err := c.ProxyPrefixes(); err != nil {
		return err
	}
	if (c.Meta.AppID == "") != (c.Meta.AppSecret == "") || (c.Meta.InstagramID == "") != (c.Meta.InstagramSecret == "") || (c.Meta.ThreadsID == "") != (c.Meta.ThreadsSecret == "") {
		return fmt.Errorf("config: a Meta app id needs its secret and a secret its id (--meta-app-id/--meta-app-secret, --instagram-app-id/--instagram-app-secret, --threads-app-id/--threads-app-secret)")
	}
	if c.Meta.APIURL != "" {
		u, err := url.Parse(c.Meta.APIURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("config: --meta-api-url must be an absolute http(s) URL; got %q", c.Meta.APIURL)
		}
	}
	if c.X.ClientSecret != "" && c.X.ClientID == "" {
		return fmt.Errorf("config: --x-client-secret needs --x-client-id")
	}
	if c.X.APIURL != "" {
		u, err := url.Parse(c.X.APIURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("config: --x-api-url must be an absolute http(s) URL; got %q", c.X.APIURL)
		}
	}
	if err := c.validateTikTokPinterest(); err != nil {
		return err
	}
	if (c.YouTube.ClientID == "") != (c.YouTube.ClientSecret == "") {
		return fmt.Errorf("config: --youtube-client-id needs --youtube-client-secret and the secret its id")
	}
	if c.YouTube.APIURL != "" {
		u, err := url.Parse(c.YouTube.APIURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("config: --youtube-api-url must be an absolute http(s) URL; got %q", c.YouTube.APIURL)
		}
	}
	if (c.Vimeo.ClientID == "") != (c.Vimeo.ClientSecret == "") {
		return fmt.Errorf("config: --vimeo-client-id needs --vimeo-client-secret and the secret its id")
	}
	if c.Vimeo.APIURL != "" {
		u, err := url.Parse(c.Vimeo.APIURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("config: --vimeo-api-url must be an absolute http(s) URL; got %q", c.Vimeo.APIURL)
		}
	}
	if err := c.Tumblr.validate("tumblr"); err != nil {
		return err
	}
	if err := c.SoundCloud.validate("soundcloud"); err != nil {
		return err
	}
	if err := c.Snapchat.validate("snapchat"); err != nil {
		return err
	}
	if err := c.validateLinkedInGoogle(); err != nil {
		return err
	}
	return nil
}

// ProxyPrefixes parses TrustedProxies: IP addresses (one host) or CIDR ranges.
func (c Config) ProxyPrefixes() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(c.TrustedProxies, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		ip, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("config: --trusted-proxies takes IP addresses or CIDR ranges separated by commas; %q is neither", f)
		}
		out = append(out, netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()))
	}
	return out, nil
}

// Redacted returns the database URL without its password, for logs.
func (c Config) Redacted() string { return redact(c.DatabaseURL) }

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
