package listen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/mastodon"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// Limits of website feeds.
const (
	// MaxFeeds bounds the feeds of one workspace.
	MaxFeeds = 100
	// MaxFeedURL is the longest feed address, in bytes.
	MaxFeedURL = 2048
	// MaxFeedBytes is the largest feed document read.
	MaxFeedBytes = 8 << 20
	// maxFeedText bounds the text kept of one item, in characters.
	maxFeedText = 5000
)

// Feed is a website feed as the API and the CLI show it.
type Feed struct {
	ID        int64      `json:"id"`
	URL       string     `json:"url"`
	Title     string     `json:"title" doc:"The feed's own title, read at the last successful poll"`
	CheckedAt *time.Time `json:"checked_at,omitempty" doc:"Last poll"`
	LastError string     `json:"last_error,omitempty" doc:"Why the last poll failed"`
	Items     int64      `json:"items" doc:"Mentions found in it"`
	CreatedAt time.Time  `json:"created_at"`
}

func feedView(f store.ListenFeed) Feed {
	out := Feed{ID: f.ID, URL: f.URL, Title: f.Title, LastError: f.LastError, Items: f.Items, CreatedAt: f.CreatedAt}
	if !f.CheckedAt.IsZero() {
		t := f.CheckedAt
		out.CheckedAt = &t
	}
	return out
}

// AddFeed adds a website feed (RSS, Atom or JSON Feed) to a workspace's
// sources; it is read at the next poll.
func (s *Service) AddFeed(ctx context.Context, workspaceID int64, rawURL string) (Feed, error) {
	u := strings.TrimSpace(rawURL)
	if u == "" {
		return Feed{}, valid.Errorf("url", "required", "url is required: the address of an RSS, Atom or JSON feed")
	}
	if err := valid.HTTPURL("url", u, MaxFeedURL); err != nil {
		return Feed{}, err
	}
	existing, err := s.Store.ListenFeeds(ctx, workspaceID)
	if err != nil {
		return Feed{}, err
	}
	if len(existing) >= MaxFeeds {
		return Feed{}, valid.Errorf("url", "too_many", "A workspace allows at most %d website feeds", MaxFeeds).WithArgs(MaxFeeds)
	}
	f := store.ListenFeed{WorkspaceID: workspaceID, URL: u, CreatedAt: s.now()}
	if err := s.Store.CreateListenFeed(ctx, &f); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return Feed{}, valid.Errorf("url", "taken", "The feed %s is listed already", u)
		}
		return Feed{}, err
	}
	return feedView(f), nil
}

// Feeds lists a workspace's website feeds.
func (s *Service) Feeds(ctx context.Context, workspaceID int64) ([]Feed, error) {
	fs, err := s.Store.ListenFeeds(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	out := make([]Feed, 0, len(fs))
	for _, f := range fs {
		out = append(out, feedView(f))
	}
	return out, nil
}

// DeleteFeed removes a website feed; its mentions stay.
func (s *Service) DeleteFeed(ctx context.Context, workspaceID, id int64) error {
	return s.Store.DeleteListenFeed(ctx, workspaceID, id)
}

// FeedPollResult counts what one poll of the feeds read.
type FeedPollResult struct {
	Feeds     int      `json:"feeds"`
	Unchanged int      `json:"unchanged" doc:"Feeds that answered 304 Not Modified"`
	Read      int      `json:"read" doc:"Items read"`
	New       int      `json:"new" doc:"Mentions stored for the first time"`
	Errors    []string `json:"errors"`
}

// PollFeeds reads every website feed of the workspaces with active queries
// (only workspaceID's when it is not 0), sending back the validators of the
// last answer (If-None-Match, If-Modified-Since) so unchanged feeds cost a
// 304, and stores the items that match. An item is stored once: its id is
// the item's link (else its GUID), so reading a feed again, after a restart
// too, adds nothing.
func (s *Service) PollFeeds(ctx context.Context, workspaceID int64) (FeedPollResult, error) {
	res := FeedPollResult{Errors: []string{}}
	active, err := s.activeWorkspaces(ctx, workspaceID)
	if err != nil {
		return res, err
	}
	feeds, err := s.Store.AllListenFeeds(ctx)
	if err != nil {
		return res, err
	}
	for _, f := range feeds {
		if !active[f.WorkspaceID] || ctx.Err() != nil {
			continue
		}
		res.Feeds++
		read, created, unchanged, err := s.pollFeed(ctx, f)
		res.Read += read
		res.New += created
		if unchanged {
			res.Unchanged++
		}
		if err != nil {
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
			res.Errors = append(res.Errors, fmt.Sprintf("%s: %v", f.URL, err))
		}
	}
	return res, nil
}

func (s *Service) httpClient() *http.Client {
	if s.HTTP != nil {
		return s.HTTP
	}
	return network.NewHTTPClient(network.HTTPOptions{})
}

// pollFeed reads one feed and records the poll; a failure is kept as the
// feed's last error and returned.
func (s *Service) pollFeed(ctx context.Context, f store.ListenFeed) (read, created int, unchanged bool, err error) {
	items, err := s.fetchFeed(ctx, &f)
	if errors.Is(err, errNotModified) {
		unchanged, err = true, nil
	}
	if err == nil && len(items) > 0 {
		read = len(items)
		created, err = s.Process(ctx, f.WorkspaceID, items)
	}
	f.CheckedAt, f.LastError = s.now(), ""
	if err != nil {
		f.LastError = truncateRunes(err.Error(), 500)
	}
	if serr := s.Store.SaveListenFeedCheck(ctx, f, int64(created)); serr != nil && err == nil {
		err = serr
	}
	return read, created, unchanged, err
}

var errNotModified = errors.New("feed not modified")

// fetchFeed fetches and parses f, updating its title and validators.
func (s *Service) fetchFeed(ctx context.Context, f *store.ListenFeed) ([]Item, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.URL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, application/json;q=0.8, */*;q=0.5")
	if f.ETag != "" {
		req.Header.Set("If-None-Match", f.ETag)
	}
	if f.LastModified != "" {
		req.Header.Set("If-Modified-Since", f.LastModified)
	}
	resp, err := s.httpClient().Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		return nil, errNotModified
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the feed answered HTTP %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxFeedBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > MaxFeedBytes {
		return nil, fmt.Errorf("the feed is larger than %d MB", MaxFeedBytes>>20)
	}
	parsed, err := gofeed.NewParser().ParseString(string(body))
	if err != nil {
		return nil, fmt.Errorf("not an RSS, Atom or JSON feed: %w", err)
	}
	f.Title = truncateRunes(strings.TrimSpace(parsed.Title), 200)
	f.ETag, f.LastModified = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	base, _ := url.Parse(f.URL)
	items := make([]Item, 0, len(parsed.Items))
	for _, it := range parsed.Items {
		if item, ok := feedItem(parsed, it, base, s.now()); ok {
			items = append(items, item)
		}
	}
	return items, nil
}

// feedItem turns a feed item into an Item: its text is the title and the
// summary (or the content) as plain text, its id the link (else the GUID), its
// author the item's (else the feed's, else the site's host), its hashtags
// the item's categories and the #tags of its text.
func feedItem(doc *gofeed.Feed, it *gofeed.Item, base *url.URL, now time.Time) (Item, bool) {
	link := absolute(base, it.Link)
	// The link first: the same article in a site's RSS and Atom feeds has
	// one link but often two ids.
	id := link
	if id == "" {
		id = strings.TrimSpace(it.GUID)
	}
	if id == "" {
		return Item{}, false
	}
	body := it.Description
	if body == "" {
		body = it.Content
	}
	text := strings.TrimSpace(mastodon.HTMLToText(it.Title))
	if b := strings.TrimSpace(mastodon.HTMLToText(body)); b != "" && b != text {
		if text != "" {
			text += "\n\n"
		}
		text += b
	}
	text = truncateRunes(text, maxFeedText)
	if text == "" {
		return Item{}, false
	}
	author := ""
	for _, a := range append(it.Authors, doc.Authors...) {
		if a != nil && strings.TrimSpace(a.Name) != "" {
			author = strings.TrimSpace(a.Name)
			break
		}
	}
	if author == "" && base != nil {
		author = base.Hostname()
	}
	posted := now
	if it.PublishedParsed != nil {
		posted = it.PublishedParsed.UTC()
	} else if it.UpdatedParsed != nil {
		posted = it.UpdatedParsed.UTC()
	}
	tags, mentions := tagsOf(text)
	for _, c := range it.Categories {
		if c = strings.Join(strings.Fields(c), ""); c != "" {
			tags = append(tags, strings.TrimPrefix(c, "#"))
		}
	}
	return Item{
		Post:     Post{Network: "website", Author: author, Text: text, Lang: doc.Language, Hashtags: tags, Mentions: mentions},
		RemoteID: truncateRunes(id, 1000), URL: link, AuthorName: author, PostedAt: posted,
	}, true
}

// absolute resolves a link against the feed's address; only http(s) links are kept.
func absolute(base *url.URL, link string) string {
	link = strings.TrimSpace(link)
	if link == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	return u.String()
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
