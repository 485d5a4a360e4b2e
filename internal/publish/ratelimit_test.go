package publish

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// reporting is a connector that reports a rate limit the way the Mastodon and
// Bluesky connectors do: after its first call nothing remains until a reset
// window ahead; later calls find the window renewed.
type reporting struct {
	network.Connector
	window time.Duration

	mu    sync.Mutex
	calls []reportedCall
	rl    network.RateLimit
	reset time.Time // the reset reported after the first call
}

type reportedCall struct {
	text  string
	start time.Time
}

var _ RateLimitReporter = (*reporting)(nil)

func (r *reporting) Publish(ctx context.Context, req network.PublishRequest) (network.PublishResult, error) {
	start := time.Now()
	res, err := r.Connector.Publish(ctx, req)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, reportedCall{text: req.Parts[0].Text, start: start})
	if len(r.calls) == 1 {
		r.reset = time.Now().Add(r.window)
		r.rl = network.RateLimit{Limit: 10, Remaining: 0, Reset: r.reset}
	} else {
		r.rl = network.RateLimit{Limit: 10, Remaining: 9, Reset: r.reset.Add(r.window)}
	}
	return res, err
}

func (r *reporting) RateLimit() network.RateLimit {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rl
}

func (r *reporting) recorded() ([]reportedCall, time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]reportedCall(nil), r.calls...), r.reset
}

// wrapReporter makes channel ch's connector report rate limits.
func wrapReporter(f *fixture, ch int64, window time.Duration) *reporting {
	rep := &reporting{window: window}
	f.res.wrap = func(c int64, conn network.Connector) network.Connector {
		if c != ch {
			return conn
		}
		rep.mu.Lock()
		rep.Connector = conn
		rep.mu.Unlock()
		return rep
	}
	return rep
}

// TestRateLimitHoldsTheChannelUntilReset: once a connector reports nothing
// remaining, that channel's next publication waits for the reset while
// another channel publishes at once.
func TestRateLimitHoldsTheChannelUntilReset(t *testing.T) {
	t.Parallel()
	f := setup(t, storetest.OpenSQLite(t), kindIdem, kindIdem)
	limited, free := f.chs[0], f.chs[1]
	// The reset is real time: the first publication's settling, the second
	// round's scheduling and the held publication's wait must all fit before
	// it, also on a loaded machine (1.5 s left the wait a few polls to be seen).
	rep := wrapReporter(f, limited, 4*time.Second)
	ids := f.posts(t, 3, nil) // post 0 and post 2 on the limited channel, post 1 on the other
	e := f.engine(t, nil)
	ctx := context.Background()

	_, err := e.Schedule(ctx, f.ws.ID, ids[:1], time.Now(), "UTC")
	require.NoError(t, err)
	f.settle(t, ids[:1], store.PubPublished)
	calls, reset := rep.recorded()
	require.Len(t, calls, 1)
	require.True(t, time.Now().Before(reset), "the test reached the second round before the reset")

	_, err = e.Schedule(ctx, f.ws.ID, ids[1:], time.Now(), "UTC")
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		p := f.publication(t, ids[2])
		return p.State == store.PubScheduled && strings.Contains(p.ErrorMessage, "waiting for Fake's rate limit to reset")
	}, 5*time.Second, 10*time.Millisecond, "the held publication says why it waits")
	f.settle(t, ids[1:], store.PubPublished)

	calls, _ = rep.recorded()
	require.Len(t, calls, 2, "the limited channel published twice")
	require.Equal(t, "post 2", calls[1].text)
	require.False(t, calls[1].start.Before(reset), "second call at %s, reset at %s", calls[1].start, reset)

	var other *FakePost
	for _, p := range f.net.Posts() {
		if p.Channel == fmt.Sprint(free) {
			other = &p
		}
	}
	require.NotNil(t, other)
	require.Equal(t, "post 1", other.Text)
	require.Less(t, other.Received, reset.UnixNano(), "the other channel is not held")
	require.Less(t, other.Received, calls[1].start.UnixNano())
	requireNoDuplicates(t, f)
}

// TestRateLimitSeenByQueuedPublications: a publication already due while the
// call that exhausts the limit is in flight, waiting only for a free worker,
// still waits for the reset.
func TestRateLimitSeenByQueuedPublications(t *testing.T) {
	t.Parallel()
	f := setup(t, storetest.OpenSQLite(t), kindIdem)
	rep := wrapReporter(f, f.chs[0], time.Second)
	ids := f.posts(t, 2, nil)
	e := f.engine(t, func(c *Config) { c.Workers = 1 })
	_, err := e.Schedule(context.Background(), f.ws.ID, ids, time.Now(), "UTC")
	require.NoError(t, err)
	f.settle(t, ids, store.PubPublished)

	calls, reset := rep.recorded()
	require.Len(t, calls, 2)
	require.False(t, calls[1].start.Before(reset), "second call at %s, reset at %s", calls[1].start, reset)
	requireNoDuplicates(t, f)
}
