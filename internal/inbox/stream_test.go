package inbox_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/mastodon/gotosocialtest"
	"github.com/relais/relais/internal/network/mastodon/mastodontest"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// poll runs the poller with the interval until the test ends or stop is called.
func (f fixture) poll(t *testing.T, interval time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); f.svc.Poll(ctx, interval) }()
	stop = func() { cancel(); <-done }
	t.Cleanup(stop)
	return stop
}

// waitStreaming waits until the channel's stream is connected and caught up.
func (f fixture) waitStreaming(t *testing.T) {
	deadline := time.Now().Add(30 * time.Second)
	for !f.svc.Streaming(f.ch.ID) {
		require.True(t, time.Now().Before(deadline), "the channel's stream never connected")
		time.Sleep(20 * time.Millisecond)
	}
}

// find waits (without syncing) until the message with the word is in the
// inbox, and returns it and how long it took.
func (f fixture) find(t *testing.T, word string, within time.Duration) (store.Message, time.Duration) {
	start := time.Now()
	for {
		l, err := f.svc.List(context.Background(), f.p, store.MessageFilter{Search: word})
		require.NoError(t, err)
		if len(l) > 0 {
			require.Len(t, l, 1, "one message for %q", word)
			return l[0], time.Since(start)
		}
		require.Less(t, time.Since(start), within, "%q did not reach the inbox in time", word)
		time.Sleep(20 * time.Millisecond)
	}
}

// heardOnce waits until the hooks heard of the message (they run just after
// it is stored, so a reader can see it first) and checks they heard once.
func (f fixture) heardOnce(t *testing.T, id int64) {
	require.Eventually(t, func() bool { return f.hook.count(id) > 0 }, 5*time.Second, 5*time.Millisecond, "the hooks never heard of %d", id)
	require.Equal(t, 1, f.hook.count(id))
}

// TestStreamBringsReplyOnGoToSocial: with the poll interval at an hour, the
// poller keeps a stream of the channel's notifications on the real
// GoToSocial server; a follower's reply to the channel's post reaches the
// inbox in seconds, threaded under the post, heard once. While the stream is
// live nothing polls the channel (Mastodon's 15 s polling is the fallback),
// so only the stream can have brought it.
func TestStreamBringsReplyOnGoToSocial(t *testing.T) {
	t.Parallel()
	gts := gotosocialtest.URL(t)
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			f := setup(t, d, gts)
			word := gotosocialtest.Unique("inboxstream")
			post, pub := f.publish(t, "Autumn opening hours "+word)
			f.poll(t, time.Hour)
			f.waitStreaming(t)

			comment := gotosocialtest.Post(t, gts, gotosocialtest.Mogul, "@the_mighty_zork The shop was closed when you said it would be open! "+word, pub.RemoteID)
			m, took := f.find(t, word, 10*time.Second)
			t.Logf("%s: the reply reached the inbox %v after it was posted", d, took.Round(time.Millisecond))
			require.Equal(t, comment.ID, m.RemoteID)
			require.Equal(t, store.KindReply, m.Kind)
			require.Equal(t, post.ID, m.PostID, "threaded under the relais post")
			require.Equal(t, pub.ID, m.PublicationID)
			require.Equal(t, "@media_mogul", m.AuthorHandle)
			f.heardOnce(t, m.ID)
			require.True(t, f.svc.Streaming(f.ch.ID))
		})
	}
}

// TestStreamReconnectsWithoutLossOrDouble: the fake server refuses the
// stream twice, then cuts it again and again; mentions made while it is
// down are read by the catch-up after each reconnection, those made while it
// is up arrive through it, and every one is in the inbox exactly once.
func TestStreamReconnectsWithoutLossOrDouble(t *testing.T) {
	t.Parallel()
	srv := mastodontest.New(t, mastodontest.Options{})
	srv.Inject(mastodontest.Fault{Route: "GET /api/v1/streaming", Kind: mastodontest.ServerError, Times: 2})
	f := setupWith(t, "sqlite", srv.URL, srv.Token())
	f.svc.StreamBackoff = network.Backoff{Min: 20 * time.Millisecond, Max: 100 * time.Millisecond, Reset: time.Minute}
	stop := f.poll(t, time.Hour)
	f.waitStreaming(t)
	require.Equal(t, 1, srv.StreamConnections(), "two refusals, then one connection")

	var words []string
	mention := func(tag string) string {
		w := fmt.Sprintf("streamfault%s%d", tag, len(words))
		words = append(words, w)
		srv.AddMention("bob@remote.example", "@alice still waiting for my refund "+w)
		return w
	}
	for round := 1; round <= 5; round++ {
		live := mention("live")
		_, _ = f.find(t, live, 5*time.Second)
		require.Equal(t, 1, srv.DropStreams(), "round %d", round)
		// Made while the client has no stream: no push reaches it.
		mention("gap")
		deadline := time.Now().Add(10 * time.Second)
		for srv.StreamConnections() < round+1 || !f.svc.Streaming(f.ch.ID) {
			require.True(t, time.Now().Before(deadline), "round %d: no reconnection", round)
			time.Sleep(10 * time.Millisecond)
		}
	}
	for _, w := range words {
		m, _ := f.find(t, w, 5*time.Second)
		f.heardOnce(t, m.ID)
	}
	all, err := f.svc.List(context.Background(), f.p, store.MessageFilter{Search: "refund", Limit: 100})
	require.NoError(t, err)
	require.Len(t, all, len(words), "every mention once, none doubled")

	// The poller stopping closes its stream.
	stop()
	require.False(t, f.svc.Streaming(f.ch.ID))
	require.Eventually(t, func() bool { return srv.OpenStreams() == 0 }, 5*time.Second, 10*time.Millisecond, "no stream left open on the server")
}

// leaseWatch is the real store, telling the test each lease answer.
type leaseWatch struct {
	store.Store
	answers chan bool
}

func (l leaseWatch) TryLease(ctx context.Context, name, owner string, until, now time.Time) (bool, error) {
	ok, err := l.Store.TryLease(ctx, name, owner, until, now)
	if err == nil {
		select {
		case l.answers <- ok:
		default: // the test stopped listening
		}
	}
	return ok, err
}

// TestOnlyTheLeaseHolderStreams: two instances poll the same database;
// the one holding the poller's lease keeps the channel's stream, the other
// opens none.
func TestOnlyTheLeaseHolderStreams(t *testing.T) {
	t.Parallel()
	srv := mastodontest.New(t, mastodontest.Options{})
	f := setupWith(t, "sqlite", srv.URL, srv.Token())
	f.poll(t, time.Hour)
	f.waitStreaming(t)

	watch := leaseWatch{Store: f.st, answers: make(chan bool, 4)}
	other := &inbox.Service{Store: watch, Connectors: f.chans}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	// Ticking every 50 ms: by its third lease answer, what its first ticks
	// would have started has had time to show.
	go func() { defer close(done); other.Poll(ctx, 50*time.Millisecond) }()
	t.Cleanup(func() { cancel(); <-done })
	for range 3 {
		select {
		case ok := <-watch.answers:
			require.False(t, ok, "the lease is held by the first instance")
		case <-time.After(10 * time.Second):
			t.Fatal("the second instance did not ask for the lease")
		}
	}
	require.False(t, other.Streaming(f.ch.ID))
	require.True(t, f.svc.Streaming(f.ch.ID))
	require.Equal(t, 1, srv.StreamConnections(), "one stream, the lease holder's")
	require.Equal(t, 1, srv.OpenStreams())
}

// TestStreamFollowsReconnection: a channel reconnected with a new token gets
// a new stream opened with that token; the old one is closed.
func TestStreamFollowsReconnection(t *testing.T) {
	t.Parallel()
	srv := mastodontest.New(t, mastodontest.Options{})
	f := setupWith(t, "sqlite", srv.URL, srv.Token())
	f.poll(t, 200*time.Millisecond) // ticks fast enough for the test to see the change
	f.waitStreaming(t)
	require.Equal(t, 1, srv.StreamConnections())

	tok := srv.NewToken("read", "write")
	ch, err := f.chans.Connect(context.Background(), f.p, network.Mastodon, map[string]string{"instance": srv.URL, "access_token": tok})
	require.NoError(t, err)
	require.Equal(t, f.ch.ID, ch.ID, "the same channel, reconnected")
	require.Eventually(t, func() bool { return srv.StreamConnections() == 2 && srv.OpenStreams() == 1 && f.svc.Streaming(ch.ID) },
		10*time.Second, 10*time.Millisecond, "a new stream replaces the old one")
	// The fake records a stream when its handler returns: the closed old
	// one's record can lag its unsubscription, so it is awaited before the
	// new one is cut, else the two records could land in either order.
	var tokens []string
	streamTokens := func(n int) func() bool {
		return func() bool {
			tokens = tokens[:0]
			for _, r := range srv.Requests() {
				if r.Route == "GET /api/v1/streaming" {
					tokens = append(tokens, r.Query.Get("access_token"))
				}
			}
			return len(tokens) >= n
		}
	}
	require.Eventually(t, streamTokens(1), 10*time.Second, 10*time.Millisecond, "the old stream's record")
	require.Equal(t, []string{srv.Token()}, tokens, "the old token's stream ended, the new one is still open")
	require.Equal(t, 1, srv.DropStreams())
	require.Eventually(t, streamTokens(2), 10*time.Second, 10*time.Millisecond, "the new stream's record")
	require.Equal(t, []string{srv.Token(), tok}, tokens[:2], "the old token's stream, then the new one's")
}
