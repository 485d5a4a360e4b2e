// Package link owns relais's short links: creating them (by hand, or for the
// links of a post at publish time with the workspace's UTM templates),
// resolving /l/{code} to its destination, and the click log, which keeps no IP
// address (see Visitors) and counts bots and link-preview fetchers apart (see
// Classify). Clicks are written in batches by a Recorder.
package link

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// Service creates and resolves short links.
type Service struct {
	Store store.Store
	// BaseURL is the instance's public URL; short links are BaseURL/l/{code}.
	BaseURL string
	// Recorder writes the click log (nil: clicks are not recorded).
	Recorder *Recorder
	visitors Visitors

	mu    sync.RWMutex
	cache map[string]cached
	// CacheTTL is how long a resolved code is reused without reading the database (30 s).
	CacheTTL time.Duration
	// NowFunc is the clock (time.Now).
	NowFunc func() time.Time
}

type cached struct {
	link store.Link
	dest string
	exp  time.Time
}

// maxCached bounds the resolved codes held in memory; the cache starts over when full.
const maxCached = 50_000

// ErrNotFound: no link with this code.
var ErrNotFound = errors.New("link: not found")

func (s *Service) now() time.Time {
	if s.NowFunc != nil {
		return s.NowFunc()
	}
	return time.Now()
}

// ShortURL is the public address of a link.
func (s *Service) ShortURL(l store.Link) string {
	return strings.TrimRight(s.BaseURL, "/") + "/l/" + l.Code
}

// Input is a link to create by hand.
type Input struct {
	TargetURL string
	Title     string
	// Code is a chosen code ("": a random one).
	Code       string
	PostID     int64
	CampaignID int64
	// Network fills {network} in the UTM templates ("" leaves utm_source out when it uses it).
	Network string
	// UTM, when any field is set, replaces the templates' values.
	UTM store.UTM
}

var codeRe = regexp.MustCompile(`^[A-Za-z0-9_-]{3,32}$`)

// Create validates in and stores a new link of the workspace.
func (s *Service) Create(ctx context.Context, workspaceID, userID int64, in Input) (store.Link, error) {
	in.TargetURL = strings.TrimSpace(in.TargetURL)
	if in.TargetURL == "" {
		return store.Link{}, valid.Errorf("target_url", "required", "target_url is required")
	}
	if err := valid.HTTPURL("target_url", in.TargetURL, 2048); err != nil {
		return store.Link{}, err
	}
	in.Title = strings.TrimSpace(in.Title)
	if n := utf8.RuneCountInString(in.Title); n > 200 {
		return store.Link{}, valid.Errorf("title", "too_long", "title allows at most 200 characters; it has %d", n)
	}
	if in.Code != "" && !codeRe.MatchString(in.Code) {
		return store.Link{}, valid.Errorf("code", "format", "code must be 3 to 32 letters, digits, hyphens or underscores")
	}
	for _, f := range []struct{ name, v string }{{"utm_source", in.UTM.Source}, {"utm_medium", in.UTM.Medium},
		{"utm_campaign", in.UTM.Campaign}, {"utm_content", in.UTM.Content}, {"utm_term", in.UTM.Term}} {
		if len(f.v) > 200 {
			return store.Link{}, valid.Errorf(f.name, "too_long", "%s allows at most 200 characters; it has %d", f.name, len(f.v))
		}
	}
	if len(in.Network) > 40 {
		return store.Link{}, valid.Errorf("network", "too_long", "network allows at most 40 characters; it has %d", len(in.Network))
	}
	vars := Vars{Network: in.Network, PostID: in.PostID}
	if in.PostID != 0 {
		if _, err := s.Store.Post(ctx, workspaceID, in.PostID); err != nil {
			return store.Link{}, notFoundAs(err, "post_id", "post_id %d is not a post of this workspace", in.PostID)
		}
	}
	if in.CampaignID != 0 {
		c, err := s.Store.Campaign(ctx, workspaceID, in.CampaignID)
		if err != nil {
			return store.Link{}, notFoundAs(err, "campaign_id", "campaign_id %d is not a campaign of this workspace", in.CampaignID)
		}
		vars.Campaign, vars.CampaignID = c.Name, c.ID
	}
	utm := in.UTM
	if utm == (store.UTM{}) {
		settings, err := s.Store.LinkSettings(ctx, workspaceID)
		if err != nil {
			return store.Link{}, err
		}
		utm = ExpandUTM(Templates(settings), vars)
	}
	l := store.Link{WorkspaceID: workspaceID, TargetURL: in.TargetURL, Title: in.Title, PostID: in.PostID, CampaignID: in.CampaignID,
		Network: in.Network, UTM: utm, CreatedBy: userID, CreatedAt: s.now().UTC()}
	if in.Code != "" {
		l.Code = in.Code
		err := s.Store.CreateLink(ctx, &l)
		if errors.Is(err, store.ErrConflict) {
			return l, valid.Errorf("code", "taken", "code %q is already taken; choose another", in.Code)
		}
		return l, err
	}
	return l, s.withCode(func(code string) error { l.Code = code; return s.Store.CreateLink(ctx, &l) })
}

func notFoundAs(err error, field, format string, args ...any) error {
	if errors.Is(err, store.ErrNotFound) {
		return valid.Errorf(field, "not_found", format, args...)
	}
	return err
}

// withCode calls create with fresh random codes until one is free.
func (s *Service) withCode(create func(code string) error) error {
	var err error
	for range 5 {
		if err = create(NewCode()); !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return fmt.Errorf("link: no free code after 5 draws: %w", err)
}

const codeAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// NewCode draws a random 7-character code from an alphabet without look-alike
// characters (0/O, 1/l/I): about 2×10^12 codes.
func NewCode() string {
	b := make([]byte, 7)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

// Visit is what the redirector knows of a request.
type Visit struct {
	// IP is the client's address (host or host:port); it is hashed, never stored.
	IP        string
	UserAgent string
	Referrer  string
}

// Follow resolves a code to its destination and records the click. Codes are
// cached for CacheTTL, so an edited or deleted link may redirect as before
// for that long on other instances.
func (s *Service) Follow(ctx context.Context, code string, v Visit) (string, error) {
	now := s.now()
	s.mu.RLock()
	c, ok := s.cache[code]
	s.mu.RUnlock()
	if !ok || now.After(c.exp) {
		if !codeRe.MatchString(code) {
			return "", ErrNotFound
		}
		l, err := s.Store.LinkByCode(ctx, code)
		if errors.Is(err, store.ErrNotFound) {
			return "", ErrNotFound
		}
		if err != nil {
			return "", err
		}
		ttl := s.CacheTTL
		if ttl <= 0 {
			ttl = 30 * time.Second
		}
		c = cached{link: l, dest: Destination(l), exp: now.Add(ttl)}
		s.mu.Lock()
		if s.cache == nil || len(s.cache) >= maxCached {
			s.cache = make(map[string]cached)
		}
		s.cache[code] = c
		s.mu.Unlock()
	}
	if s.Recorder != nil {
		s.Recorder.Record(s.click(c.link, v, now))
	}
	return c.dest, nil
}

// click builds the log entry of a visit: no IP address, only its daily hash.
func (s *Service) click(l store.Link, v Visit, now time.Time) store.Click {
	ip := v.IP
	if host, _, err := net.SplitHostPort(ip); err == nil {
		ip = host
	}
	device, bot := Classify(v.UserAgent)
	return store.Click{LinkID: l.ID, WorkspaceID: l.WorkspaceID, At: now.UTC(), Visitor: s.visitors.Hash(ip, v.UserAgent, now),
		ReferrerHost: referrerHost(v.Referrer), Device: device, Bot: bot}
}

// referrerHost keeps only the host of the Referer header (no path: it may
// carry personal data).
func referrerHost(ref string) string {
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil || u.Host == "" {
		return ""
	}
	h := strings.ToLower(u.Hostname())
	if len(h) > 253 {
		h = h[:253]
	}
	return h
}

// Forget drops a code from this instance's cache (after an edit or a delete).
func (s *Service) Forget(code string) {
	s.mu.Lock()
	delete(s.cache, code)
	s.mu.Unlock()
}

// Delete removes a link of the workspace with its clicks.
func (s *Service) Delete(ctx context.Context, workspaceID, id int64) error {
	l, err := s.Store.Link(ctx, workspaceID, id)
	if err != nil {
		return err
	}
	if err := s.Store.DeleteLink(ctx, workspaceID, id); err != nil {
		return err
	}
	s.Forget(l.Code)
	return nil
}

// Clicks counts the clicks of the workspace's links selected by f (one link,
// one post's links, one campaign's links and its posts' links, or all) in
// [from, to): people's clicks, unique visitors (per day, summed) and bots
// apart. Analytics uses it for link clicks and click-through rates.
func (s *Service) Clicks(ctx context.Context, workspaceID int64, f store.ClickFilter, from, to time.Time) (store.ClickCount, error) {
	return s.Store.CountClicks(ctx, workspaceID, f, from, to)
}
