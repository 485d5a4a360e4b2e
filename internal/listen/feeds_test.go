package listen_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/listen"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/feed"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/postgres"
	"github.com/relais/relais/internal/store/sqlite"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/relais/relais/internal/valid"
)

var ctx = context.Background()

// feedServer serves a site's feed in the three formats relais renders (RSS
// 2.0, Atom 1.0, JSON Feed 1.1: documents gofeed parses), honours
// If-None-Match and If-Modified-Since, and counts the answers.
type feedServer struct {
	mu       sync.Mutex
	items    []feed.Item
	version  int
	modified time.Time
	full     map[string]int // 200 answers per path
	notMod   map[string]int // 304 answers per path
	honour   bool           // answer 304 to matching validators
}

func newFeedServer() *feedServer {
	return &feedServer{full: map[string]int{}, notMod: map[string]int{}, honour: true,
		modified: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)}
}

func (s *feedServer) add(items ...feed.Item) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items = append(items, s.items...)
	s.version++
	s.modified = s.modified.Add(time.Hour)
}

func (s *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	format, ok := feed.FormatForFile(filepath.Base(r.URL.Path))
	if !ok {
		http.NotFound(w, r)
		return
	}
	etag := fmt.Sprintf(`"%s-%d"`, format, s.version)
	lastMod := s.modified.Format(http.TimeFormat)
	if s.honour && (r.Header.Get("If-None-Match") == etag || (r.Header.Get("If-None-Match") == "" && r.Header.Get("If-Modified-Since") == lastMod)) {
		s.notMod[r.URL.Path]++
		w.WriteHeader(http.StatusNotModified)
		return
	}
	doc, ctype, err := feed.Render(format, feed.Feed{Title: "Shoe News", SiteURL: "https://news.example/", FeedURL: "https://news.example" + r.URL.Path, Language: "en"}, s.items)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	s.full[r.URL.Path]++
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("ETag", etag)
	w.Header().Set("Last-Modified", lastMod)
	_, _ = w.Write(doc)
}

func (s *feedServer) counts(path string) (full, notModified int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.full[path], s.notMod[path]
}

// reopenable opens the same fresh database again and again, so a test can
// restart the service on what it stored.
func reopenable(t *testing.T, dialect string) func() store.Store {
	var open func() (store.Store, error)
	switch dialect {
	case "sqlite":
		path := filepath.Join(t.TempDir(), "relais.db")
		open = func() (store.Store, error) { return sqlite.Open(context.Background(), path, true) }
	case "postgres":
		u := storetest.NewPostgresDatabase(t)
		open = func() (store.Store, error) { return postgres.Open(context.Background(), u, true) }
	}
	return func() store.Store {
		s, err := open()
		require.NoError(t, err)
		t.Cleanup(func() { s.Close() })
		return s
	}
}

func allowPrivate() *http.Client {
	yes := true
	return network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &yes, Timeout: 10 * time.Second})
}

// TestFeedsPollOverHTTP reads RSS, Atom and JSON feeds from a real HTTP
// server: matching items become mentions with language, sentiment, themes
// and link; unchanged feeds answer 304; a restart reads the feeds again
// without their validators and stores nothing twice.
func TestFeedsPollOverHTTP(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			open := reopenable(t, d)
			s := open()
			u := storetest.NewUser(t, s, "feeds@listen.example")
			w := storetest.NewWorkspace(t, s, "feeds", u.ID)
			idle := storetest.NewWorkspace(t, s, "feeds-idle", u.ID)

			srv := newFeedServer()
			ts := httptest.NewServer(srv)
			defer ts.Close()
			posted := time.Date(2026, 5, 1, 7, 0, 0, 0, time.UTC)
			srv.add(
				feed.Item{ID: "shoe-1", URL: "https://news.example/acme-refund", Title: "Acme refund delays", Text: "Customers say the Acme refund process is terrible and slow.", Published: posted, Author: "Jane Reporter"},
				feed.Item{ID: "shoe-2", URL: "https://news.example/weather", Title: "Sunny weekend", Text: "Nothing about shoes here.", Published: posted},
				feed.Item{ID: "shoe-3", URL: "https://news.example/sale", Title: "Spring sale", Text: "Great deals everywhere.", Published: posted, Tags: []string{"AcmeDay"}},
			)

			svc := &listen.Service{Store: s, HTTP: allowPrivate(), Now: func() time.Time { return posted.Add(time.Hour) }}
			q, err := svc.AddQuery(ctx, w.ID, u.ID, listen.Spec{Name: "Acme", Keywords: "acme", Hashtags: []string{"acmeday"}, Networks: []string{"website"}})
			require.NoError(t, err)
			var feeds []listen.Feed
			for _, name := range []string{"rss.xml", "atom.xml", "feed.json"} {
				f, err := svc.AddFeed(ctx, w.ID, ts.URL+"/"+name)
				require.NoError(t, err)
				feeds = append(feeds, f)
			}
			_, err = svc.AddFeed(ctx, idle.ID, ts.URL+"/rss.xml")
			require.NoError(t, err, "a workspace without queries may list the feed; it is not read")
			_, err = svc.AddFeed(ctx, w.ID, ts.URL+"/rss.xml")
			e, ok := valid.As(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, "url", e.Field)
			require.Equal(t, "taken", e.Code)
			_, err = svc.AddFeed(ctx, w.ID, "ftp://news.example/feed")
			e, ok = valid.As(err)
			require.True(t, ok)
			require.Equal(t, "format", e.Code)

			res, err := svc.PollFeeds(ctx, 0)
			require.NoError(t, err)
			require.Empty(t, res.Errors)
			require.Equal(t, 3, res.Feeds, "the idle workspace's feed is not read")
			require.Equal(t, 9, res.Read)
			require.Equal(t, 2, res.New, "two matching items; the three formats link the same articles")
			ms, err := s.Mentions(ctx, w.ID, store.MentionFilter{Limit: 10})
			require.NoError(t, err)
			require.Len(t, ms, 2)
			byURL := map[string]store.Mention{}
			for _, m := range ms {
				byURL[m.URL] = m
			}
			refund := byURL["https://news.example/acme-refund"]
			require.Equal(t, "website", refund.Network)
			require.Equal(t, "Jane Reporter", refund.Author)
			require.Equal(t, "en", refund.Lang)
			require.Equal(t, "negative", refund.Sentiment)
			require.Contains(t, refund.Themes, "refund_return")
			require.Equal(t, posted, refund.PostedAt)
			require.Equal(t, []int64{q.ID}, refund.QueryIDs)
			require.Contains(t, byURL, "https://news.example/sale", "matched by its category as a hashtag")

			list, err := svc.Feeds(ctx, w.ID)
			require.NoError(t, err)
			require.Len(t, list, 3)
			for _, f := range list {
				require.Equal(t, "Shoe News", f.Title)
				require.NotNil(t, f.CheckedAt)
				require.Empty(t, f.LastError)
			}

			// Unchanged: every feed answers 304.
			res, err = svc.PollFeeds(ctx, 0)
			require.NoError(t, err)
			require.Equal(t, 3, res.Unchanged)
			require.Zero(t, res.Read)
			for _, name := range []string{"/rss.xml", "/atom.xml", "/feed.json"} {
				full, nm := srv.counts(name)
				require.Equal(t, 1, nm, name)
				require.GreaterOrEqual(t, full, 1, name)
			}

			// A new item: read once, stored once.
			srv.add(feed.Item{ID: "shoe-4", URL: "https://news.example/acme-love", Title: "Acme wins award", Text: "We love the new Acme sneakers, excellent quality!", Published: posted.Add(30 * time.Minute)})
			res, err = svc.PollFeeds(ctx, 0)
			require.NoError(t, err)
			require.Equal(t, 1, res.New)

			// Restart on the same database, with a server that ignores the
			// validators: everything is read again, nothing stored twice.
			require.NoError(t, s.Close())
			s = open()
			srv.mu.Lock()
			srv.honour = false
			srv.mu.Unlock()
			svc = &listen.Service{Store: s, HTTP: allowPrivate(), Now: func() time.Time { return posted.Add(2 * time.Hour) }}
			res, err = svc.PollFeeds(ctx, 0)
			require.NoError(t, err)
			require.Equal(t, 12, res.Read)
			require.Zero(t, res.New)
			ms, err = s.Mentions(ctx, w.ID, store.MentionFilter{Limit: 10})
			require.NoError(t, err)
			require.Len(t, ms, 3)
			list, err = svc.Feeds(ctx, w.ID)
			require.NoError(t, err)
			var total int64
			for _, f := range list {
				total += f.Items
			}
			require.EqualValues(t, 3, total, "each mention counted for the feed that found it first")

			require.NoError(t, svc.DeleteFeed(ctx, w.ID, feeds[0].ID))
			require.ErrorIs(t, svc.DeleteFeed(ctx, idle.ID, feeds[1].ID), store.ErrNotFound)
		})
	}
}

// TestFeedsRefusePrivateHosts polls through the connectors' guarded client:
// a feed on a loopback address is refused, and the refusal is the feed's
// last error.
func TestFeedsRefusePrivateHosts(t *testing.T) {
	t.Parallel()
	s := storetest.Open(t, "sqlite")
	u := storetest.NewUser(t, s, "ssrf@listen.example")
	w := storetest.NewWorkspace(t, s, "ssrf", u.ID)
	srv := newFeedServer()
	ts := httptest.NewServer(srv)
	defer ts.Close()
	no := false
	svc := &listen.Service{Store: s, HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &no})}
	_, err := svc.AddQuery(ctx, w.ID, u.ID, listen.Spec{Name: "Acme", Keywords: "acme"})
	require.NoError(t, err)
	_, err = svc.AddFeed(ctx, w.ID, ts.URL+"/rss.xml")
	require.NoError(t, err)
	res, err := svc.PollFeeds(ctx, w.ID)
	require.NoError(t, err)
	require.Len(t, res.Errors, 1)
	full, _ := srv.counts("/rss.xml")
	require.Zero(t, full, "the request never reached the server")
	list, err := svc.Feeds(ctx, w.ID)
	require.NoError(t, err)
	require.Contains(t, list[0].LastError, "private")
}
