package bluesky

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/bluesky/blueskytest"
)

// The publishing engine finds the report through this method set.
var _ interface{ RateLimit() network.RateLimit } = (*Connector)(nil)

// limiter stands in front of the fake and adds the ratelimit-* headers a real
// PDS sends on its limited routes: a fixed window of limit calls.
type limiter struct {
	next   http.Handler
	now    func() time.Time
	limit  int
	window time.Duration
	mu     sync.Mutex
	calls  int
}

func (l *limiter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	l.calls++
	remaining := max(l.limit-l.calls, 0)
	l.mu.Unlock()
	reset := l.now().Truncate(l.window).Add(l.window)
	h := w.Header()
	h.Set("RateLimit-Limit", strconv.Itoa(l.limit))
	h.Set("RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("RateLimit-Policy", strconv.Itoa(l.limit)+";w="+strconv.Itoa(int(l.window.Seconds())))
	// The fake's own answer (a 429) overrides these, as the PDS's limiter does.
	l.next.ServeHTTP(w, r)
}

func (l *limiter) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.calls
}

// TestRateLimitFollowsLatestPDSAnswer checks RateLimit against ratelimit-*
// headers (unix-seconds reset): it counts down with each PDS answer, reports
// the fake's 429, ignores the public AppView, and follows the next answer.
func TestRateLimitFollowsLatestPDSAnswer(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2026, 11, 26, 12, 1, 0, 0, time.UTC)}
	srv := blueskytest.New(t)
	srv.Now = clock.Now
	srv.PublicReads = true // as the public AppView answers
	pds := &limiter{next: srv.Config.Handler, now: clock.Now, limit: 100, window: 5 * time.Minute}
	pdsSrv := httptest.NewServer(pds)
	t.Cleanup(pdsSrv.Close)
	appView := &limiter{next: srv.Config.Handler, now: clock.Now, limit: 3000, window: time.Hour}
	appViewSrv := httptest.NewServer(appView)
	t.Cleanup(appViewSrv.Close)

	yes := true
	env := network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &yes, Timeout: 5 * time.Second}), Now: clock.Now}
	p := NewProvider(Options{AppViewURL: appViewSrv.URL})
	_, stored, err := p.Connect(context.Background(), env, map[string]string{"handle": srv.Handle, "app_password": srv.Password, "pds_url": pdsSrv.URL})
	require.NoError(t, err)
	opened, err := p.Open(env, stored)
	require.NoError(t, err)
	c := opened.(*Connector)
	ctx := context.Background()
	require.Equal(t, network.RateLimit{}, c.RateLimit(), "nothing reported before the first call")

	window := time.Date(2026, 11, 26, 12, 5, 0, 0, time.UTC)
	for range 3 {
		require.NoError(t, c.Check(ctx))
		rl := c.RateLimit()
		require.Equal(t, 100, rl.Limit)
		require.Equal(t, 100-pds.count(), rl.Remaining)
		require.True(t, rl.Reset.Equal(window), "reset %s", rl.Reset)
	}
	before := c.RateLimit()

	// A read answered by the public AppView says nothing about the account's PDS.
	_, err = c.Followers(ctx)
	require.NoError(t, err)
	require.Positive(t, appView.count())
	require.Equal(t, before, c.RateLimit())

	// The PDS's 429 leaves nothing remaining until its reset.
	srv.RateLimitReset = clock.Now().Add(90 * time.Second)
	srv.FailNext("com.atproto.server.getSession", blueskytest.RateLimited)
	err = c.Check(ctx)
	var ne *network.Error
	require.ErrorAs(t, err, &ne)
	require.Equal(t, http.StatusTooManyRequests, ne.Status)
	rl := c.RateLimit()
	require.Equal(t, 3000, rl.Limit)
	require.Zero(t, rl.Remaining)
	require.True(t, rl.Reset.Equal(srv.RateLimitReset.Truncate(time.Second)), "reset %s", rl.Reset)

	// The next window's answer replaces it.
	clock.Advance(5 * time.Minute)
	require.NoError(t, c.Check(ctx))
	rl = c.RateLimit()
	require.Equal(t, 100-pds.count(), rl.Remaining)
	require.True(t, rl.Reset.Equal(window.Add(5*time.Minute)), "reset %s", rl.Reset)
}

func TestRateStateKeepsLastKnown(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 12, 1, 0, 0, time.UTC)
	reset := time.Date(2026, 11, 26, 12, 5, 0, 0, time.UTC)
	unix := http.Header{"Ratelimit-Limit": {"3000"}, "Ratelimit-Remaining": {"2999"}, "Ratelimit-Reset": {strconv.FormatInt(reset.Unix(), 10)}, "Ratelimit-Policy": {"3000;w=300"}}
	exhausted := http.Header{"Ratelimit-Limit": {"30"}, "Ratelimit-Remaining": {"0"}, "Ratelimit-Reset": {strconv.FormatInt(reset.Unix(), 10)}}
	tests := []struct {
		name    string
		answers []http.Header
		want    network.RateLimit
	}{
		{"none", nil, network.RateLimit{}},
		{"headerless answer", []http.Header{{}}, network.RateLimit{}},
		{"unix reset", []http.Header{unix}, network.RateLimit{Limit: 3000, Remaining: 2999, Reset: reset}},
		{"latest wins", []http.Header{unix, exhausted}, network.RateLimit{Limit: 30, Remaining: 0, Reset: reset}},
		{"headerless answer keeps the last report", []http.Header{exhausted, {}}, network.RateLimit{Limit: 30, Remaining: 0, Reset: reset}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := &Connector{cl: &client{}}
			for _, h := range tt.answers {
				c.cl.rate.record(h, now)
			}
			got := c.RateLimit()
			require.Equal(t, tt.want.Limit, got.Limit)
			require.Equal(t, tt.want.Remaining, got.Remaining)
			require.True(t, tt.want.Reset.Equal(got.Reset), "reset %s, want %s", got.Reset, tt.want.Reset)
		})
	}
}
