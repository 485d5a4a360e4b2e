package listen_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/relais/relais/internal/listen"
	"github.com/relais/relais/internal/listen/jetstreamtest"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/relais/relais/internal/valid"
	"github.com/stretchr/testify/require"
)

func TestCompileRefuses(t *testing.T) {
	long := make([]byte, listen.MaxItemLength+1)
	for i := range long {
		long[i] = 'a'
	}
	for _, tc := range []struct {
		name  string
		spec  listen.Spec
		field string
		code  string
	}{
		{"no name", listen.Spec{Keywords: "acme"}, "name", "required"},
		{"nothing to listen for", listen.Spec{Name: "x", Languages: []string{"en"}}, "keywords", "required"},
		{"only NOT", listen.Spec{Name: "x", Keywords: "NOT acme"}, "keywords", "no_positive"},
		{"syntax", listen.Spec{Name: "x", Keywords: "(acme"}, "keywords", "syntax"},
		{"unknown network", listen.Spec{Name: "x", Keywords: "acme", Networks: []string{"myspace"}}, "networks", "invalid"},
		{"long hashtag", listen.Spec{Name: "x", Hashtags: []string{string(long)}}, "hashtags", "too_long"},
		{"empty hashtag", listen.Spec{Name: "x", Hashtags: []string{"#!!"}}, "hashtags", "invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := listen.Compile(tc.spec)
			e, ok := valid.As(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, tc.field, e.Field)
			require.Equal(t, tc.code, e.Code)
		})
	}
}

func TestQueryMatch(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec listen.Spec
		post listen.Post
		want bool
	}{
		{"word, any case and accent", listen.Spec{Keywords: "cafe"}, listen.Post{Text: "Le Café est fermé"}, true},
		{"AND needs both", listen.Spec{Keywords: "acme refund"}, listen.Post{Text: "acme is great"}, false},
		{"OR and NOT", listen.Spec{Keywords: "(acme OR globex) NOT job*"}, listen.Post{Text: "globex jobs open"}, false},
		{"OR and NOT, passes", listen.Spec{Keywords: "(acme OR globex) NOT job*"}, listen.Post{Text: "globex shoes"}, true},
		{"phrase", listen.Spec{Keywords: `"customer service"`}, listen.Post{Text: "their customer-service is slow"}, true},
		{"phrase in wrong order", listen.Spec{Keywords: `"customer service"`}, listen.Post{Text: "service for customer"}, false},
		{"hashtag facet", listen.Spec{Hashtags: []string{"#AcmeDay"}}, listen.Post{Text: "fun", Hashtags: []string{"acmeday"}}, true},
		{"hashtag only in facets", listen.Spec{Hashtags: []string{"acmeday"}}, listen.Post{Text: "acmeday"}, false},
		{"mention full address", listen.Spec{Mentions: []string{"@acme@social.example"}}, listen.Post{Mentions: []string{"acme@social.example"}}, true},
		{"mention short", listen.Spec{Mentions: []string{"acme"}}, listen.Post{Mentions: []string{"acme@social.example"}}, true},
		{"author included", listen.Spec{Keywords: "acme", Authors: []string{"bob.bsky.social"}}, listen.Post{Author: "alice.bsky.social", Text: "acme"}, false},
		{"author excluded", listen.Spec{Keywords: "acme", ExcludeAuthors: []string{"@Acme@social.example"}}, listen.Post{Author: "acme@social.example", Text: "acme"}, false},
		{"language", listen.Spec{Keywords: "acme", Languages: []string{"de"}}, listen.Post{Text: "acme", Lang: "de-AT"}, true},
		{"language refused", listen.Spec{Keywords: "acme", Languages: []string{"de"}}, listen.Post{Text: "acme", Lang: "fr"}, false},
		{"network", listen.Spec{Keywords: "acme", Networks: []string{"mastodon"}}, listen.Post{Network: "bluesky", Text: "acme"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.spec.Name = "q"
			c, err := listen.Compile(tc.spec)
			require.NoError(t, err)
			require.Equal(t, tc.want, c.Match(&tc.post))
			m := listen.NewMatcher([]*listen.Compiled{c})
			require.Equal(t, tc.want, len(m.Match(&tc.post, nil)) == 1, "the matcher agrees with the query")
		})
	}
}

// The index must find exactly what testing every query in turn finds.
func TestMatcherEqualsBruteForce(t *testing.T) {
	qs := listen.BenchQueries(300)
	extra := []listen.Spec{{Name: "prefix", Keywords: "refu* AND acme"}, {Name: "tag", Hashtags: []string{"coffee"}}, {Name: "de", Keywords: "lieferung", Languages: []string{"de"}}}
	for _, s := range extra {
		c, err := listen.Compile(s)
		require.NoError(t, err)
		qs = append(qs, c)
	}
	m := listen.NewMatcher(qs)
	matched := 0
	for _, raw := range listen.GenerateFixture(5000, 7, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)) {
		var ev listen.JetEvent
		require.NoError(t, json.Unmarshal(raw, &ev))
		it, ok := ev.ToItem()
		if !ok {
			continue
		}
		var want []int
		for i, q := range qs {
			if q.Match(&it.Post) {
				want = append(want, i)
			}
		}
		got := m.Match(&it.Post, nil)
		fast, us, fok, err := listen.DecodeJet(raw)
		require.NoError(t, err)
		require.True(t, fok)
		require.Equal(t, ev.TimeUS, us)
		require.Equal(t, it, fast, "the fast decoder reads what encoding/json reads")
		require.ElementsMatch(t, want, got, "post %q", it.Text)
		if len(got) > 0 {
			matched++
		}
	}
	require.Greater(t, matched, 100, "the fixture holds matching posts")
}

func TestToItem(t *testing.T) {
	raw := `{"did":"did:plc:abc","time_us":1725911162329308,"kind":"commit","commit":{"rev":"3l3qo2vutsw2b","operation":"create","collection":"app.bsky.feed.post","rkey":"3l3qo2vuowo2b","record":{"$type":"app.bsky.feed.post","createdAt":"2024-09-09T19:46:02.102Z","langs":["de"],"text":"Hallo @acme.bsky.social #Sale","facets":[{"index":{"byteStart":6,"byteEnd":23},"features":[{"$type":"app.bsky.richtext.facet#mention","did":"did:plc:acme"}]},{"index":{"byteStart":24,"byteEnd":29},"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"Sale"}]}]},"cid":"bafyreia"}}`
	var ev listen.JetEvent
	require.NoError(t, json.Unmarshal([]byte(raw), &ev))
	it, ok := ev.ToItem()
	require.True(t, ok)
	require.Equal(t, "at://did:plc:abc/app.bsky.feed.post/3l3qo2vuowo2b", it.RemoteID)
	require.Equal(t, "https://bsky.app/profile/did:plc:abc/post/3l3qo2vuowo2b", it.URL)
	require.Equal(t, []string{"acme.bsky.social"}, it.Mentions)
	require.Equal(t, []string{"Sale"}, it.Hashtags)
	require.Equal(t, "de", it.Lang)
	require.Equal(t, time.Date(2024, 9, 9, 19, 46, 2, 102e6, time.UTC), it.PostedAt.UTC())
	del := `{"did":"did:plc:abc","time_us":1,"kind":"commit","commit":{"operation":"delete","collection":"app.bsky.feed.post","rkey":"x"}}`
	require.NoError(t, json.Unmarshal([]byte(del), &ev))
	_, ok = ev.ToItem()
	require.False(t, ok)
}

// Reading the recorded stream through drops and a restart stores every
// matching post exactly once.
func TestJetstreamResumesWithoutLossOrDuplicates(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			s := storetest.Open(t, d)
			u := storetest.NewUser(t, s, "jet@listen.example")
			w := storetest.NewWorkspace(t, s, "jet", u.ID)
			svc := &listen.Service{Store: s, Rewind: 100 * time.Millisecond, Log: slog.New(slog.DiscardHandler)}
			ctx := context.Background()
			_, err := svc.AddQuery(ctx, w.ID, u.ID, listen.Spec{Name: "brands", Keywords: "acme OR globex OR initech"})
			require.NoError(t, err)
			_, err = svc.AddQuery(ctx, w.ID, u.ID, listen.Spec{Name: "coffee", Hashtags: []string{"coffee"}})
			require.NoError(t, err)

			events := listen.GenerateFixture(3000, 11, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
			want := map[string]bool{}
			qa, _ := listen.Compile(listen.Spec{Name: "a", Keywords: "acme OR globex OR initech"})
			qb, _ := listen.Compile(listen.Spec{Name: "b", Hashtags: []string{"coffee"}})
			var lastUS int64
			for _, raw := range events {
				var ev listen.JetEvent
				require.NoError(t, json.Unmarshal(raw, &ev))
				lastUS = ev.TimeUS
				if it, ok := ev.ToItem(); ok && (qa.Match(&it.Post) || qb.Match(&it.Post)) {
					want[it.RemoteID] = true
				}
			}
			require.NotEmpty(t, want)

			srv := jetstreamtest.New(events)
			defer srv.Close()
			srv.DropAfter.Store(700) // every connection fails after 700 messages
			run := func(until func() bool) {
				ctx, cancel := context.WithCancel(ctx)
				done := make(chan error, 1)
				go func() { done <- svc.RunJetstream(ctx, srv.Endpoint()) }()
				deadline := time.Now().Add(30 * time.Second)
				for !until() && time.Now().Before(deadline) {
					time.Sleep(20 * time.Millisecond)
				}
				cancel()
				require.NoError(t, <-done)
			}
			cursorAt := func() int64 {
				c, err := s.ListenCursor(ctx, "jetstream:"+srv.Endpoint())
				require.NoError(t, err)
				var n int64
				_ = json.Unmarshal([]byte(c), &n)
				return n
			}
			// First run: stop part-way (the process "restarts").
			run(func() bool { return cursorAt() > events0US(events, 1500) })
			mid := cursorAt()
			require.Less(t, mid, lastUS, "stopped before the end")
			// Second run, a new process state: resume to the end.
			svc2 := &listen.Service{Store: s, Rewind: 100 * time.Millisecond, Log: slog.New(slog.DiscardHandler)}
			svc = svc2
			run(func() bool { return srv.Completed.Load() > 1 }) // the client read one end of recording and reconnected

			require.Equal(t, lastUS, cursorAt(), "the last event's cursor is saved on stop")
			got, err := s.Mentions(ctx, w.ID, store.MentionFilter{Limit: 10000})
			require.NoError(t, err)
			seen := map[string]bool{}
			for _, m := range got {
				require.False(t, seen[m.RemoteID], "stored twice: %s", m.RemoteID)
				seen[m.RemoteID] = true
				require.NotEmpty(t, m.Sentiment)
				require.NotEmpty(t, m.Lang)
			}
			require.Equal(t, want, seen, "every matching post, once")
			require.Greater(t, srv.Connections.Load(), int64(4), "the drops forced reconnections")
			resumed := 0
			for _, c := range srv.Cursors() {
				if c != "" {
					resumed++
				}
			}
			require.Greater(t, resumed, 3, "reconnections resume from a cursor")
		})
	}
}

func events0US(events [][]byte, i int) int64 {
	var ev listen.JetEvent
	_ = json.Unmarshal(events[i], &ev)
	return ev.TimeUS
}
