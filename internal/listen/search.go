package listen

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
)

// SearchNetworks are the networks whose search endpoints listening reads,
// through the workspace's connected channels that can search.
var SearchNetworks = []string{"x", "youtube", "threads", "instagram"}

// SearchEvery is how often one search runs on one channel: YouTube's
// search.list has a small daily allowance (100 calls by default) and
// Instagram's hashtag results cover 24 hours, so they run hourly.
var SearchEvery = map[string]time.Duration{"x": 15 * time.Minute, "threads": 15 * time.Minute, "youtube": time.Hour, "instagram": time.Hour}

// Limits of network search.
const (
	// MaxSearchPages bounds the pages one search reads (newest first, until
	// posts already seen).
	MaxSearchPages = 3
	// MaxThreadsSearches bounds the Threads searches of one query (Threads
	// searches one keyword at a time).
	MaxThreadsSearches = 5
	// InstagramHashtags is Meta's limit: 30 different hashtags per account
	// in 7 rolling days.
	InstagramHashtags = 30
	// InstagramWindow is that limit's window.
	InstagramWindow = 7 * 24 * time.Hour
	// maxXQuery is X's recent search query length (Basic and Pro tiers).
	maxXQuery = 512
)

// SearchResult counts what one round of network searches read.
type SearchResult struct {
	Channels int      `json:"channels" doc:"Channels that can search"`
	Searches int      `json:"searches" doc:"Searches sent"`
	Skipped  int      `json:"skipped" doc:"Searches not due yet"`
	Read     int      `json:"read"`
	New      int      `json:"new" doc:"Mentions stored for the first time"`
	Errors   []string `json:"errors"`
}

// searchState is a search's saved position: when it last ran and the
// newest post it saw.
type searchState struct {
	At     time.Time `json:"at"`
	Newest time.Time `json:"newest"`
}

// PollSearch runs the active queries' terms through the search endpoints
// of the connected channels that have one (X recent search, YouTube
// search.list, Threads keyword search, Instagram hashtag search), each
// search at most every SearchEvery of its network, only workspaceID's when
// it is not 0, and stores the matches once. A search reads pages newest
// first until the posts it saw last time; the results are filtered by the
// queries exactly (a network's search is broader: it only knows the terms).
func (s *Service) PollSearch(ctx context.Context, workspaceID int64) (SearchResult, error) {
	res := SearchResult{Errors: []string{}}
	if s.Connectors == nil {
		return res, nil
	}
	active, err := s.activeWorkspaces(ctx, workspaceID)
	if err != nil {
		return res, err
	}
	if len(active) == 0 {
		return res, nil
	}
	for _, net := range SearchNetworks {
		chans, err := s.Store.ChannelsOfNetwork(ctx, net)
		if err != nil {
			return res, err
		}
		for _, ch := range chans {
			if !active[ch.WorkspaceID] || ch.Status == store.ChannelNeedsReconnect {
				continue
			}
			if err := ctx.Err(); err != nil {
				return res, err
			}
			if err := s.searchChannel(ctx, ch, &res); err != nil {
				res.Errors = append(res.Errors, fmt.Sprintf("%s channel %d: %v", ch.Network, ch.ID, err))
			}
		}
	}
	return res, nil
}

func (s *Service) searchChannel(ctx context.Context, ch store.Channel, res *SearchResult) error {
	conn, _, err := s.Connectors.Connector(ctx, ch.WorkspaceID, ch.ID)
	if err != nil {
		return err
	}
	sr, ok := conn.(network.Searcher)
	if !ok {
		return nil
	}
	res.Channels++
	qs, err := s.Queries(ctx, ch.WorkspaceID)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	var searches []string
	for _, q := range qs {
		if q.Paused || (len(q.Networks) > 0 && !contains(q.Networks, ch.Network)) {
			continue
		}
		for _, str := range SearchStrings(ch.Network, q.Spec) {
			if !seen[str] {
				seen[str] = true
				searches = append(searches, str)
			}
		}
	}
	var errs []error
	for _, str := range searches {
		if ch.Network == "instagram" {
			if err := s.takeHashtag(ctx, ch.ID, strings.TrimPrefix(str, "#")); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		if err := s.runSearch(ctx, ch, sr, str, res); err != nil {
			errs = append(errs, fmt.Errorf("%q: %w", str, err))
			if network.ClassOf(err) == network.Permanent || errors.Is(err, context.Canceled) {
				break
			}
		}
	}
	return errors.Join(errs...)
}

// runSearch runs one search if it is due and stores what matches.
func (s *Service) runSearch(ctx context.Context, ch store.Channel, sr network.Searcher, str string, res *SearchResult) error {
	sum := sha256.Sum256([]byte(str))
	key := fmt.Sprintf("search:%d:%s", ch.ID, hex.EncodeToString(sum[:8]))
	raw, err := s.Store.ListenCursor(ctx, key)
	if err != nil {
		return err
	}
	var st searchState
	if raw != "" {
		_ = json.Unmarshal([]byte(raw), &st)
	}
	now := s.now()
	if !st.At.IsZero() && now.Sub(st.At) < SearchEvery[ch.Network] {
		res.Skipped++
		return nil
	}
	newest := st.Newest
	cursor := ""
	var items []Item
	for page := 0; page < MaxSearchPages; page++ {
		found, next, err := sr.Search(ctx, str, cursor)
		res.Searches++
		if err != nil {
			return err
		}
		older := false
		for _, c := range found {
			if !st.Newest.IsZero() && !c.CreatedAt.After(st.Newest) {
				older = true
				continue
			}
			items = append(items, searchItem(ch.Network, c))
			if c.CreatedAt.After(newest) {
				newest = c.CreatedAt
			}
		}
		// The first search reads the latest page only; later ones read
		// until the posts seen last time.
		if next == "" || older || st.Newest.IsZero() {
			break
		}
		cursor = next
	}
	n, err := s.Process(ctx, ch.WorkspaceID, items)
	res.Read += len(items)
	res.New += n
	if err != nil {
		return err
	}
	b, _ := json.Marshal(searchState{At: now, Newest: newest})
	return s.Store.SetListenCursor(ctx, key, string(b))
}

// takeHashtag counts an Instagram hashtag search against Meta's limit of 30
// different hashtags per account in 7 rolling days, and refuses clearly
// the one that would exceed it.
func (s *Service) takeHashtag(ctx context.Context, channelID int64, tag string) error {
	now := s.now()
	since := now.Add(-InstagramWindow)
	used, err := s.Store.HashtagsUsed(ctx, channelID, since)
	if err != nil {
		return err
	}
	if !slices.Contains(used, tag) && len(used) >= InstagramHashtags {
		return fmt.Errorf("#%s not searched: Instagram allows %d different hashtags per account in 7 days and this account used %d (%s); drop hashtags from the queries or wait for one to free up",
			tag, InstagramHashtags, len(used), "#"+strings.Join(used, " #"))
	}
	return s.Store.UseHashtag(ctx, channelID, tag, now, since)
}

// HashtagsUsed lists the hashtags an Instagram channel searched in the
// last 7 days (Meta allows InstagramHashtags).
func (s *Service) HashtagsUsed(ctx context.Context, channelID int64) ([]string, error) {
	return s.Store.HashtagsUsed(ctx, channelID, s.now().Add(-InstagramWindow))
}

// SearchStrings writes a query's search in the network's syntax: the words
// and phrases of which every match holds one (moderation's SearchTerms)
// and its hashtags. X: one query joined by OR, reposts left out, within
// 512 characters; YouTube: one query joined by "|"; Threads: one search per
// keyword or #hashtag (at most MaxThreadsSearches); Instagram: one search
// per hashtag (keywords cannot be searched there).
func SearchStrings(net string, spec Spec) []string {
	var terms []string
	if k, err := moderation.ParseQuery(spec.Keywords); err == nil && k != nil {
		terms, _ = k.SearchTerms()
	}
	var tags []string
	for _, h := range spec.Hashtags {
		if h = strings.TrimLeft(strings.TrimSpace(h), "#"); h != "" {
			tags = append(tags, h)
		}
	}
	quote := func(t string) string {
		if strings.Contains(t, " ") {
			return `"` + t + `"`
		}
		return t
	}
	var parts []string // the terms, phrases quoted, and the #hashtags
	for _, t := range terms {
		parts = append(parts, quote(t))
	}
	for _, h := range tags {
		parts = append(parts, "#"+h)
	}
	switch net {
	case "x":
		const tail = " -is:retweet"
		out := ""
		for _, p := range parts {
			next := p
			if out != "" {
				next = out + " OR " + p
			}
			if utf8.RuneCountInString("("+next+")"+tail) > maxXQuery {
				break
			}
			out = next
		}
		if out == "" {
			return nil
		}
		return []string{"(" + out + ")" + tail}
	case "youtube":
		if len(parts) == 0 {
			return nil
		}
		return []string{strings.Join(parts, "|")}
	case "threads":
		var out []string
		for _, t := range terms {
			out = append(out, t)
		}
		for _, h := range tags {
			out = append(out, "#"+h)
		}
		if len(out) > MaxThreadsSearches {
			out = out[:MaxThreadsSearches]
		}
		return out
	case "instagram":
		var out []string
		for _, h := range tags {
			out = append(out, "#"+h)
		}
		return out
	}
	return nil
}

// searchItem turns a search result into an Item.
func searchItem(net string, c network.Comment) Item {
	author := c.AuthorHandle
	if author == "" && net == "x" {
		// X's links name the author: https://x.com/<username>/status/<id>.
		if u, err := url.Parse(c.URL); err == nil {
			if parts := strings.Split(strings.Trim(u.Path, "/"), "/"); len(parts) == 3 && parts[1] == "status" && parts[0] != "i" {
				author = parts[0]
			}
		}
	}
	if author == "" {
		author = strings.TrimPrefix(c.AuthorName, "@")
	}
	if author == "" {
		author = c.AuthorID
	}
	tags, mentions := tagsOf(c.Text)
	return Item{
		Post:     Post{Network: net, Author: author, Text: c.Text, Lang: c.Language, Hashtags: tags, Mentions: mentions},
		RemoteID: c.RemoteID, URL: c.URL, AuthorName: c.AuthorName, AuthorFollowers: c.AuthorFollowers, PostedAt: c.CreatedAt,
	}
}

// activeWorkspaces are the workspaces with active queries (only
// workspaceID when it is not 0).
func (s *Service) activeWorkspaces(ctx context.Context, workspaceID int64) (map[int64]bool, error) {
	_, refs, err := s.matcher(ctx)
	if err != nil {
		return nil, err
	}
	active := map[int64]bool{}
	for _, r := range refs {
		if workspaceID == 0 || r.WorkspaceID == workspaceID {
			active[r.WorkspaceID] = true
		}
	}
	return active, nil
}
