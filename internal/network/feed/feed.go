// Package feed is the "website" channel: every post published to it becomes an
// item of an RSS 2.0, Atom 1.0 and JSON Feed 1.1 document that relais serves at
// stable public URLs, so a brand's own site and its readers can follow it.
//
// The connector keeps no state of its own: the host's database keeps the
// published publications, and the host renders them with Render when a feed
// URL is requested. Publishing therefore only names the item, from the
// publication's idempotency key, which makes it naturally idempotent.
package feed

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/valid"
)

// Settings keys of a website channel.
const (
	SettingTitle       = "title"
	SettingSiteURL     = "site_url"
	SettingDescription = "description"
	SettingLanguage    = "language"
	SettingKey         = "key"
)

// Limits of the connect form, in characters; they keep feed documents readable
// in every reader.
const (
	MaxTitle       = 200
	MaxDescription = 1000
	maxURL         = 2048
)

// keyBytes is the feed key's entropy (144 bits): the key is the only secret
// that keeps a feed's URLs unguessable before they are shared.
const keyBytes = 18

func init() { network.Register(Provider{}) }

// Provider connects website feeds; it needs no remote account.
type Provider struct{}

// Kind names the network.
func (Provider) Kind() network.Kind { return network.Website }

// Fields lists what the connect form asks for.
func (Provider) Fields() []network.Field {
	return []network.Field{
		{Name: SettingTitle, Label: "Feed title", Required: true, Help: "Shown by feed readers as the feed's name."},
		{Name: SettingSiteURL, Label: "Website URL", Type: network.FieldURL, Help: "Your site's address (https://…), linked from the feed."},
		{Name: SettingDescription, Label: "Description", Help: "One sentence about what the feed publishes."},
		{Name: SettingLanguage, Label: "Language", Help: "A language tag such as en, fr or de-CH."},
	}
}

var languageTag = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)

// Connect validates the form, generates the feed key and returns what to store.
func (p Provider) Connect(ctx context.Context, env network.Env, input map[string]string) (network.Account, network.Stored, error) {
	s := map[string]string{
		SettingTitle:       strings.TrimSpace(input[SettingTitle]),
		SettingSiteURL:     strings.TrimSpace(input[SettingSiteURL]),
		SettingDescription: strings.TrimSpace(input[SettingDescription]),
		SettingLanguage:    strings.TrimSpace(input[SettingLanguage]),
	}
	if err := validateSettings(s); err != nil {
		return network.Account{}, network.Stored{}, err
	}
	if strings.TrimSpace(env.BaseURL) == "" {
		return network.Account{}, network.Stored{}, fmt.Errorf("feed: the public base URL (RELAIS_BASE_URL) is not set; feeds need it for their public addresses")
	}
	key, err := NewKey()
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	s[SettingKey] = key
	stored := network.Stored{Settings: s}
	c, err := p.Open(env, stored)
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	acct, err := c.Identify(ctx)
	return acct, stored, err
}

func validateSettings(s map[string]string) error {
	title := s[SettingTitle]
	switch n := utf8.RuneCountInString(title); {
	case title == "":
		return valid.Errorf(SettingTitle, "required", "Feed title is required")
	case n > MaxTitle:
		return valid.Errorf(SettingTitle, "too_long", "Feed title allows %d characters; this one has %d", MaxTitle, n).WithArgs(MaxTitle, n)
	}
	if n := utf8.RuneCountInString(s[SettingDescription]); n > MaxDescription {
		return valid.Errorf(SettingDescription, "too_long", "Description allows %d characters; this one has %d", MaxDescription, n).WithArgs(MaxDescription, n)
	}
	if site := s[SettingSiteURL]; site != "" {
		if err := checkHTTPURL(site); err != nil {
			return valid.Errorf(SettingSiteURL, "invalid", "Website URL %s", err)
		}
	}
	if lang := s[SettingLanguage]; lang != "" && (len(lang) > 35 || !languageTag.MatchString(lang)) {
		return valid.Errorf(SettingLanguage, "format", "Language %q is not a language tag such as en, fr or de-CH", lang)
	}
	return nil
}

func checkHTTPURL(raw string) error {
	if len(raw) > maxURL {
		return fmt.Errorf("allows %d characters; this one has %d", maxURL, len(raw))
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q must start with https:// or http://", raw)
	}
	if u.Host == "" {
		return fmt.Errorf("%q has no host", raw)
	}
	return nil
}

// NewKey returns a random, URL-safe feed key of 144 bits.
func NewKey() (string, error) {
	b := make([]byte, keyBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("feed: generate key: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

var keyPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{22,64}$`)

// ValidKey reports whether key has the shape of a feed key, so the host can
// refuse malformed feed paths before touching its database.
func ValidKey(key string) bool { return keyPattern.MatchString(key) }

// URLs returns the public RSS, Atom and JSON Feed addresses of the feed with key.
func URLs(baseURL, key string) (rss, atom, json string) {
	b := feedBase(baseURL, key)
	return b + "/rss.xml", b + "/atom.xml", b + "/feed.json"
}

// ItemURL returns the public address of one item of the feed with key.
func ItemURL(baseURL, key, itemID string) string {
	return feedBase(baseURL, key) + "/items/" + url.PathEscape(itemID)
}

func feedBase(baseURL, key string) string {
	return strings.TrimRight(baseURL, "/") + "/feeds/" + url.PathEscape(key)
}

// ItemID derives a feed item's stable id from a publication's idempotency key,
// so a retried publish names the same item.
func ItemID(idempotencyKey string) string {
	sum := sha256.Sum256([]byte("relais/feed/item\x00" + idempotencyKey))
	return hex.EncodeToString(sum[:16])
}

// Connector publishes to one website feed.
type Connector struct {
	env                                     network.Env
	key, title, site, description, language string
}

// Open builds a connector from what was stored.
func (Provider) Open(env network.Env, s network.Stored) (network.Connector, error) {
	key := s.Settings[SettingKey]
	if !ValidKey(key) {
		return nil, fmt.Errorf("feed: stored key is missing or malformed")
	}
	if strings.TrimSpace(env.BaseURL) == "" {
		return nil, fmt.Errorf("feed: the public base URL (RELAIS_BASE_URL) is not set; feeds need it for their public addresses")
	}
	return &Connector{
		env: env, key: key,
		title:       s.Settings[SettingTitle],
		site:        s.Settings[SettingSiteURL],
		description: s.Settings[SettingDescription],
		language:    s.Settings[SettingLanguage],
	}, nil
}

// Kind names the network.
func (c *Connector) Kind() network.Kind { return network.Website }

// Identify returns the feed as the channel's account; there is nothing remote to check.
func (c *Connector) Identify(context.Context) (network.Account, error) {
	rss, _, _ := URLs(c.env.BaseURL, c.key)
	u := c.site
	if u == "" {
		u = rss
	}
	return network.Account{RemoteID: c.key, Handle: c.title, DisplayName: c.title, URL: u}, nil
}

// Feed returns the feed's metadata for Render in format f.
func (c *Connector) Feed(f Format) Feed {
	return FeedFor(c.env.BaseURL, map[string]string{
		SettingKey: c.key, SettingTitle: c.title, SettingDescription: c.description,
		SettingSiteURL: c.site, SettingLanguage: c.language,
	}, f)
}

// FeedFor builds the metadata of a website channel's feed in format f from
// its stored settings, for the host's feed handler. Updated is left zero: Render
// then uses the newest item's time.
func FeedFor(baseURL string, settings map[string]string, f Format) Feed {
	key := settings[SettingKey]
	rss, atom, js := URLs(baseURL, key)
	self := map[Format]string{RSS: rss, Atom: atom, JSON: js}[f]
	return Feed{
		ID: key, Title: settings[SettingTitle], Description: settings[SettingDescription],
		SiteURL: settings[SettingSiteURL], FeedURL: self, Language: settings[SettingLanguage],
	}
}

// Publish names the item the host will list in the feed; it stores nothing.
func (c *Connector) Publish(_ context.Context, req network.PublishRequest) (network.PublishResult, error) {
	if len(req.Done) > 0 {
		return network.PublishResult{Parts: req.Done}, nil
	}
	if req.IdempotencyKey == "" {
		return network.PublishResult{}, &network.Error{Class: network.Permanent, Network: network.Website, Message: "the publication has no idempotency key to name its feed item"}
	}
	if len(req.Parts) != 1 {
		return network.PublishResult{}, &network.Error{Class: network.InvalidContent, Network: network.Website,
			Message: fmt.Sprintf("a website feed item is one post; this one has %d parts", len(req.Parts))}
	}
	id := ItemID(req.IdempotencyKey)
	return network.PublishResult{Parts: []network.RemotePost{{ID: id, URL: ItemURL(c.env.BaseURL, c.key, id)}}}, nil
}

// Delete succeeds at once: the host drops the publication from the feed's items.
func (c *Connector) Delete(context.Context, string) error { return nil }

// MediaURL returns the public address of a media item attached to one of the
// feed's published items.
func MediaURL(baseURL, key string, mediaID int64) string {
	return feedBase(baseURL, key) + "/media/" + strconv.FormatInt(mediaID, 10)
}
