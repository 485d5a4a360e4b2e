package publish

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

const (
	kindIdem  network.Kind = "fake"
	kindPlain network.Kind = "fake-plain"
)

// testResolver opens fake connectors; tokens can be swapped to model refreshes.
type testResolver struct {
	base  string
	http  *http.Client
	mu    sync.Mutex
	token map[int64]string
	kinds map[int64]network.Kind
	caps  map[int64]int
	wrap  func(ch int64, c network.Connector) network.Connector
	// refreshTo, when set for a channel, is the token a refresh installs.
	refreshTo map[int64]string
	refreshes atomic.Int32
	// flaky refreshes fail with a passing error before one succeeds.
	flaky atomic.Int32
}

func (r *testResolver) Connector(ctx context.Context, ws, ch int64) (network.Connector, network.Limits, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	kind, ok := r.kinds[ch]
	if !ok {
		return nil, network.Limits{}, store.ErrNotFound
	}
	var c network.Connector = &FakeConnector{KindName: kind, BaseURL: r.base, Channel: fmt.Sprint(ch), Idempotent: kind == kindIdem, HTTP: r.http,
		Token: func() string { r.mu.Lock(); defer r.mu.Unlock(); return r.token[ch] }}
	if r.wrap != nil {
		c = r.wrap(ch, c)
	}
	return c, network.Limits{Network: kind, Name: "Fake", DailyPostCap: r.caps[ch]}, nil
}

func (r *testResolver) RefreshChannel(ctx context.Context, ws, ch int64) error {
	if r.flaky.Add(-1) >= 0 {
		return errors.New("database is locked")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.refreshTo[ch]
	if !ok {
		return &network.Error{Class: network.AuthReconnect, Message: "refresh token revoked"}
	}
	r.refreshes.Add(1)
	r.token[ch] = t
	return nil
}

// fixture is a store, a workspace, a fake network and a resolver.
type fixture struct {
	st   store.Store
	ws   store.Workspace
	net  *FakeNetwork
	res  *testResolver
	chs  []int64
	tick time.Duration
}

func setup(t *testing.T, st store.Store, kinds ...network.Kind) *fixture {
	t.Helper()
	fn := NewFakeNetwork()
	srv := httptest.NewServer(fn.Handler())
	t.Cleanup(srv.Close)
	u := storetest.NewUser(t, st, "p@example.com")
	ws := storetest.NewWorkspace(t, st, "pub", u.ID)
	res := &testResolver{base: srv.URL, http: &http.Client{Timeout: 5 * time.Second}, token: map[int64]string{}, kinds: map[int64]network.Kind{},
		caps: map[int64]int{}, refreshTo: map[int64]string{}}
	f := &fixture{st: st, ws: ws, net: fn, res: res}
	for i, k := range kinds {
		ch := storetest.NewChannel(t, st, ws.ID, string(k), fmt.Sprintf("acct%d", i))
		res.kinds[ch.ID], res.token[ch.ID] = k, "good"
		f.chs = append(f.chs, ch.ID)
	}
	return f
}

// engine starts an engine with short timings and stops it at the end of the test.
func (f *fixture) engine(t *testing.T, mod func(*Config)) *Engine {
	t.Helper()
	e, _ := f.instance(t, f.st, "", mod)
	return e
}

// instance starts an engine on st with short timings and returns a function
// that stops it (also called at the end of the test); name "" takes the default.
func (f *fixture) instance(t *testing.T, st store.Store, name string, mod func(*Config)) (*Engine, func()) {
	t.Helper()
	cfg := Config{Store: st, Resolver: f.res, InstanceID: name, LeadTime: time.Second, StageInterval: 50 * time.Millisecond,
		StageLease: 2 * time.Second, CallTimeout: time.Second, PublishGrace: 3 * time.Second, ReconcileInterval: 100 * time.Millisecond,
		BackoffBase: 20 * time.Millisecond, BackoffMax: 200 * time.Millisecond, Workers: 16, BatchSize: 50,
		Idempotent: map[network.Kind]bool{kindIdem: true}}
	if mod != nil {
		mod(&cfg)
	}
	e, err := New(cfg)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = e.Run(ctx); close(done) }()
	var once sync.Once
	stop := func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return e, stop
}

// posts creates n posts rotating over the channels; texts are "post i".
func (f *fixture) posts(t *testing.T, n int, mod func(i int, v *store.Variant)) []int64 {
	t.Helper()
	nps := make([]store.NewPost, n)
	for i := range nps {
		v := store.Variant{ChannelID: f.chs[i%len(f.chs)]}
		if mod != nil {
			mod(i, &v)
		}
		nps[i] = store.NewPost{Post: &store.Post{WorkspaceID: f.ws.ID, State: store.PostApproved, Text: fmt.Sprintf("post %d", i)}, Variants: []store.Variant{v}}
	}
	require.NoError(t, f.st.CreatePosts(context.Background(), nps))
	ids := make([]int64, n)
	for i, np := range nps {
		ids[i] = np.Post.ID
	}
	return ids
}

func (f *fixture) publication(t *testing.T, postID int64) store.Publication {
	t.Helper()
	pubs, err := f.st.Publications(context.Background(), f.ws.ID, postID)
	require.NoError(t, err)
	require.Len(t, pubs, 1)
	return pubs[0]
}

// settle waits until every post is in one of the states, failing after a while.
func (f *fixture) settle(t *testing.T, ids []int64, states ...store.PublicationState) map[int64]store.Publication {
	t.Helper()
	out := map[int64]store.Publication{}
	require.Eventually(t, func() bool {
		for _, id := range ids {
			p := f.publication(t, id)
			out[id] = p
			ok := false
			for _, s := range states {
				ok = ok || p.State == s
			}
			if !ok {
				return false
			}
		}
		return true
	}, 20*time.Second, 20*time.Millisecond)
	return out
}

// postsByKey counts the fake network's posts per key.
func (f *fixture) postsByKey() map[string]int {
	m := map[string]int{}
	for _, p := range f.net.Posts() {
		m[p.Key]++
	}
	return m
}

func requireNoDuplicates(t *testing.T, f *fixture) {
	t.Helper()
	for k, n := range f.postsByKey() {
		require.Equal(t, 1, n, "key %s was posted %d times", k, n)
	}
}

func TestPublishOnTimeExactlyOnce(t *testing.T) {
	t.Parallel()
	f := setup(t, storetest.OpenSQLite(t), kindIdem, kindPlain)
	ids := f.posts(t, 40, nil)
	f.engine(t, nil)
	due := time.Now().Add(400 * time.Millisecond).Truncate(time.Millisecond)
	_, err := f.st.SchedulePosts(context.Background(), f.ws.ID, ids, due, "Europe/Paris", time.Now())
	require.NoError(t, err)
	pubs := f.settle(t, ids, store.PubPublished)

	byKey := f.postsByKey()
	for _, id := range ids {
		p := pubs[id]
		require.Equal(t, 1, byKey[p.IdempotencyKey])
		require.NotEmpty(t, p.RemoteID)
		require.Equal(t, 1, p.Attempts)
		post, err := f.st.Post(context.Background(), f.ws.ID, id)
		require.NoError(t, err)
		require.Equal(t, store.PostPublished, post.State)
		att, err := f.st.Attempts(context.Background(), f.ws.ID, p.ID)
		require.NoError(t, err)
		require.Len(t, att, 1)
		require.Equal(t, "published", att[0].Outcome)
	}
	for _, p := range f.net.Posts() {
		require.GreaterOrEqual(t, p.Received, due.UnixNano(), "nothing goes out before its time")
	}
}

func TestFaultsRetryWithoutDuplicates(t *testing.T) {
	t.Parallel()
	f := setup(t, storetest.OpenSQLite(t), kindIdem, kindPlain)
	f.res.http = &http.Client{Timeout: 300 * time.Millisecond}
	f.net.SetFaults(FakeFaults{RateLimited: 0.1, ServerError: 0.15, Timeout: 0.1, Hang: time.Second})
	ids := f.posts(t, 60, nil)
	f.engine(t, func(c *Config) {
		c.MaxAttempts = func(context.Context, int64) int { return 20 }
	})
	_, err := f.st.SchedulePosts(context.Background(), f.ws.ID, ids, time.Now(), "UTC", time.Now())
	require.NoError(t, err)
	pubs := f.settle(t, ids, store.PubPublished, store.PubNeedsReview)

	requireNoDuplicates(t, f)
	byKey := f.postsByKey()
	retried, reviews := 0, 0
	for _, p := range pubs {
		if p.Attempts > 1 {
			retried++
		}
		if p.State == store.PubPublished {
			require.Equal(t, 1, byKey[p.IdempotencyKey], "publication %d is published but not on the network", p.ID)
			continue
		}
		// Only a non-idempotent call that ended without an answer may need review.
		reviews++
		require.Equal(t, string(kindPlain), p.Network)
		require.Contains(t, p.ErrorMessage, "may or may not have published")
		require.LessOrEqual(t, byKey[p.IdempotencyKey], 1)
	}
	require.Positive(t, retried, "the injected faults caused retries")
	t.Logf("%d publications retried, %d need review", retried, reviews)
}

func TestAuthRefreshAndReconnectHold(t *testing.T) {
	t.Parallel()
	st := storetest.OpenSQLite(t)
	f := setup(t, st, kindIdem, kindIdem)
	expired, revoked := f.chs[0], f.chs[1]
	f.res.token[expired], f.res.token[revoked] = "old", "gone"
	f.res.refreshTo[expired] = "fresh"
	f.net.SetFaults(FakeFaults{ExpiredTokens: []string{"old"}, RevokedTokens: []string{"gone"}})
	ids := f.posts(t, 10, nil)
	e := f.engine(t, nil)
	_, err := st.SchedulePosts(context.Background(), f.ws.ID, ids, time.Now(), "UTC", time.Now())
	require.NoError(t, err)

	var onExpired, onRevoked []int64
	for i, id := range ids {
		if i%2 == 0 {
			onExpired = append(onExpired, id)
		} else {
			onRevoked = append(onRevoked, id)
		}
	}
	f.settle(t, onExpired, store.PubPublished)
	require.EqualValues(t, 1, f.res.refreshes.Load()) // one refresh; the rest use the new token

	// The revoked channel's posts wait, nothing lost, and people are told.
	require.Eventually(t, func() bool {
		probs, err := e.Problems(context.Background(), f.ws.ID, 100)
		require.NoError(t, err)
		return len(probs) == len(onRevoked)
	}, 10*time.Second, 20*time.Millisecond)
	for _, id := range onRevoked {
		p := f.publication(t, id)
		require.Equal(t, store.PubScheduled, p.State)
		require.Contains(t, p.HoldReason, "revoked")
	}
	ch, err := st.Channel(context.Background(), f.ws.ID, revoked)
	require.NoError(t, err)
	require.Equal(t, store.ChannelNeedsReconnect, ch.Status)
	require.Eventually(t, func() bool {
		ns, err := st.Notifications(context.Background(), f.ws.ID, 0, 10)
		require.NoError(t, err)
		return len(ns) == 1 && ns[0].Kind == "channel_needs_reconnect"
	}, 5*time.Second, 20*time.Millisecond)

	// After a reconnect the queue resumes.
	f.res.mu.Lock()
	f.res.token[revoked] = "good"
	f.res.mu.Unlock()
	n, err := e.ResumeChannel(context.Background(), f.ws.ID, revoked)
	require.NoError(t, err)
	require.EqualValues(t, len(onRevoked), n)
	f.settle(t, onRevoked, store.PubPublished)
	requireNoDuplicates(t, f)
}

func TestInvalidContentIsNotRetried(t *testing.T) {
	t.Parallel()
	f := setup(t, storetest.OpenSQLite(t), kindIdem)
	f.net.SetFaults(FakeFaults{InvalidText: "post 1"})
	ids := f.posts(t, 3, nil)
	f.engine(t, nil)
	_, err := f.st.SchedulePosts(context.Background(), f.ws.ID, ids, time.Now(), "UTC", time.Now())
	require.NoError(t, err)
	pubs := f.settle(t, ids, store.PubPublished, store.PubFailed)
	bad := pubs[ids[1]]
	require.Equal(t, store.PubFailed, bad.State)
	require.Equal(t, 1, bad.Attempts)
	require.Equal(t, string(network.InvalidContent), bad.ErrorClass)
	require.Equal(t, "Text is not allowed", bad.ErrorMessage)
	att, err := f.st.Attempts(context.Background(), f.ws.ID, bad.ID)
	require.NoError(t, err)
	require.Len(t, att, 1)
	require.Equal(t, 422, att[0].HTTPStatus)
	require.Equal(t, store.PubPublished, pubs[ids[0]].State)
	require.Eventually(t, func() bool {
		ns, _ := f.st.Notifications(context.Background(), f.ws.ID, 0, 10)
		return len(ns) == 1 && strings.Contains(ns[0].Message, "Text is not allowed")
	}, 5*time.Second, 20*time.Millisecond)
}

// halfway publishes only the first part on its first call, then fails as retryable.
type halfway struct {
	network.Connector
	calls atomic.Int32
}

func (h *halfway) Publish(ctx context.Context, req network.PublishRequest) (network.PublishResult, error) {
	if h.calls.Add(1) == 1 {
		short := req
		short.Parts, short.FirstComment = req.Parts[:1], ""
		res, err := h.Connector.Publish(ctx, short)
		if err != nil {
			return res, err
		}
		return res, &network.Error{Class: network.Retryable, Status: 503, Message: "unavailable"}
	}
	return h.Connector.Publish(ctx, req)
}

func TestThreadResumesAfterPartialFailure(t *testing.T) {
	t.Parallel()
	f := setup(t, storetest.OpenSQLite(t), kindPlain)
	hw := &halfway{}
	f.res.wrap = func(ch int64, c network.Connector) network.Connector { hw.Connector = c; return hw }
	ids := f.posts(t, 1, func(i int, v *store.Variant) {
		v.Parts = []byte(`[{"text":"part 2"},{"text":"part 3"}]`)
		v.FirstComment = "comment"
	})
	f.engine(t, nil)
	_, err := f.st.SchedulePosts(context.Background(), f.ws.ID, ids, time.Now(), "UTC", time.Now())
	require.NoError(t, err)
	p := f.settle(t, ids, store.PubPublished)[ids[0]]
	require.Equal(t, 2, p.Attempts)
	var texts []string
	for _, fp := range f.net.Posts() {
		texts = append(texts, fp.Text)
	}
	require.Equal(t, []string{"post 0", "part 2", "part 3", "comment"}, texts, "in order, nothing twice")
	done, err := decodeDone(p.DoneParts)
	require.NoError(t, err)
	require.Len(t, done, 4)
	require.Equal(t, done[0].ID, p.RemoteID)
	att, err := f.st.Attempts(context.Background(), f.ws.ID, p.ID)
	require.NoError(t, err)
	require.Equal(t, "retry", att[0].Outcome)
	require.Contains(t, att[0].Message, "unavailable")
}

func TestRescheduleAndCancelWhileStaged(t *testing.T) {
	t.Parallel()
	f := setup(t, storetest.OpenSQLite(t), kindPlain)
	ids := f.posts(t, 2, nil)
	e := f.engine(t, func(c *Config) { c.LeadTime = 5 * time.Second })
	due := time.Now().Add(2 * time.Second)
	_, err := e.Schedule(context.Background(), f.ws.ID, ids, due, "UTC")
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		return f.publication(t, ids[0]).State == store.PubStaged && f.publication(t, ids[1]).State == store.PubStaged
	}, 5*time.Second, 10*time.Millisecond)

	later := time.Now().Add(2500 * time.Millisecond)
	_, err = e.Schedule(context.Background(), f.ws.ID, ids[:1], later, "UTC")
	require.NoError(t, err)
	inFlight, err := e.Cancel(context.Background(), f.ws.ID, ids[1])
	require.NoError(t, err)
	require.Zero(t, inFlight)

	f.settle(t, ids[:1], store.PubPublished)
	posts := f.net.Posts()
	require.Len(t, posts, 1, "the cancelled post never goes out, the rescheduled one once")
	require.GreaterOrEqual(t, posts[0].Received, later.Truncate(time.Millisecond).UnixNano())
	post, err := f.st.Post(context.Background(), f.ws.ID, ids[1])
	require.NoError(t, err)
	require.Equal(t, store.PostCancelled, post.State)

	// Publish now after a cancel.
	require.NoError(t, e.PublishNow(context.Background(), f.ws.ID, ids[1]))
	f.settle(t, ids[1:], store.PubPublished)
	requireNoDuplicates(t, f)
}

func TestDailyCapHoldsTheRest(t *testing.T) {
	t.Parallel()
	f := setup(t, storetest.OpenSQLite(t), kindIdem)
	f.res.caps[f.chs[0]] = 3
	ids := f.posts(t, 5, nil)
	f.engine(t, nil)
	_, err := f.st.SchedulePosts(context.Background(), f.ws.ID, ids, time.Now(), "UTC", time.Now())
	require.NoError(t, err)
	require.Eventually(t, func() bool { return len(f.net.Posts()) == 3 }, 10*time.Second, 20*time.Millisecond)
	require.Eventually(t, func() bool {
		waiting := 0
		for _, id := range ids {
			p := f.publication(t, id)
			if p.State == store.PubScheduled && strings.Contains(p.ErrorMessage, "allows 3 posts per 24 hours") {
				waiting++
			}
		}
		return waiting == 2
	}, 10*time.Second, 20*time.Millisecond)
	time.Sleep(200 * time.Millisecond)
	require.Len(t, f.net.Posts(), 3)
}

func TestReconcilerResolvesDeadInstanceCalls(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			f := setup(t, storetest.Open(t, d), kindIdem, kindPlain)
			ids := f.posts(t, 4, nil)
			ctx := context.Background()
			now := time.Now().UTC()
			_, err := f.st.SchedulePosts(ctx, f.ws.ID, ids, now, "UTC", now)
			require.NoError(t, err)
			// A dead instance claimed everything and died mid-call.
			jobs, err := f.st.ClaimDue(ctx, "dead", now, now.Add(time.Minute), now, 10)
			require.NoError(t, err)
			require.Len(t, jobs, 4)
			refs := make([]store.ClaimRef, len(jobs))
			for i, j := range jobs {
				refs[i] = store.ClaimRef{ID: j.ID, Claim: j.Claim}
			}
			_, err = f.st.MarkPublishing(ctx, refs, now.Add(100*time.Millisecond), now)
			require.NoError(t, err)

			f.engine(t, nil)
			pubs := f.settle(t, ids, store.PubPublished, store.PubNeedsReview)
			for _, p := range pubs {
				if p.Network == string(kindIdem) {
					require.Equal(t, store.PubPublished, p.State, "an idempotent call is repeated")
					require.Equal(t, 2, p.Attempts)
				} else {
					require.Equal(t, store.PubNeedsReview, p.State, "a non-idempotent call is never repeated blindly")
					require.Contains(t, p.ErrorMessage, "may or may not be out")
					att, err := f.st.Attempts(ctx, f.ws.ID, p.ID)
					require.NoError(t, err)
					require.Equal(t, "interrupted", att[0].Outcome)
				}
			}
			requireNoDuplicates(t, f)
		})
	}
}

// preparing records when Prepare ran and marks the request it returns.
type preparing struct {
	network.Connector
	mu       sync.Mutex
	prepared map[string]time.Time
	failText string
}

func (p *preparing) Prepare(ctx context.Context, req network.PublishRequest) (network.PublishRequest, error) {
	if req.Parts[0].Text == p.failText {
		return req, &network.Error{Class: network.InvalidContent, Message: "image is too large"}
	}
	p.mu.Lock()
	p.prepared[req.IdempotencyKey] = time.Now()
	p.mu.Unlock()
	req.Parts[0].Text += " [prepared]"
	return req, nil
}

func TestStagesAheadOfTheDueTime(t *testing.T) {
	t.Parallel()
	f := setup(t, storetest.OpenSQLite(t), kindIdem)
	pc := &preparing{prepared: map[string]time.Time{}, failText: "post 2"}
	f.res.wrap = func(ch int64, c network.Connector) network.Connector { pc.Connector = c; return pc }
	ids := f.posts(t, 3, nil)
	e := f.engine(t, func(c *Config) { c.LeadTime = 3 * time.Second })
	due := time.Now().Add(1500 * time.Millisecond).Truncate(time.Millisecond)
	// Scheduled through the engine, which wakes its stager: a first look made
	// before the rows were committed would idle a third of the 3 s lead, 1 s
	// of the 1.5 s in which the posts must be prepared.
	_, err := e.Schedule(context.Background(), f.ws.ID, ids, due, "UTC")
	require.NoError(t, err)
	pubs := f.settle(t, ids, store.PubPublished, store.PubFailed)

	for _, fp := range f.net.Posts() {
		require.True(t, strings.HasSuffix(fp.Text, " [prepared]"), "Publish gets the prepared request")
		require.GreaterOrEqual(t, fp.Received, due.UnixNano())
	}
	require.Len(t, f.net.Posts(), 2)
	for _, id := range ids[:2] {
		at, ok := pc.prepared[pubs[id].IdempotencyKey]
		require.True(t, ok)
		require.True(t, at.Before(due), "prepared before the due time")
	}
	// A preparation the network refuses fails the post before its time, without a publish call.
	bad := pubs[ids[2]]
	require.Equal(t, store.PubFailed, bad.State)
	require.Equal(t, "image is too large", bad.ErrorMessage)
	require.Zero(t, bad.Attempts)
}

func TestPassingRefreshFailureRetriesWithoutHold(t *testing.T) {
	t.Parallel()
	st := storetest.OpenSQLite(t)
	f := setup(t, st, kindIdem)
	f.res.token[f.chs[0]] = "old"
	f.res.refreshTo[f.chs[0]] = "fresh"
	f.res.flaky.Store(1)
	f.net.SetFaults(FakeFaults{ExpiredTokens: []string{"old"}})
	ids := f.posts(t, 1, nil)
	f.engine(t, nil)
	_, err := st.SchedulePosts(context.Background(), f.ws.ID, ids, time.Now(), "UTC", time.Now())
	require.NoError(t, err)
	p := f.settle(t, ids, store.PubPublished)[ids[0]]
	require.Empty(t, p.HoldReason)
	require.GreaterOrEqual(t, p.Attempts, 2)
	ch, err := st.Channel(context.Background(), f.ws.ID, f.chs[0])
	require.NoError(t, err)
	require.Equal(t, store.ChannelOK, ch.Status, "a refresh that failed for a passing reason does not ask for a reconnect")
	requireNoDuplicates(t, f)
}

// plainResolver opens connectors but cannot refresh tokens itself.
type plainResolver struct{ r *testResolver }

func (p plainResolver) Connector(ctx context.Context, ws, ch int64) (network.Connector, network.Limits, error) {
	return p.r.Connector(ctx, ws, ch)
}

func TestAuthRefreshWithoutRefresherReopensThenHolds(t *testing.T) {
	t.Parallel()
	st := storetest.OpenSQLite(t)
	f := setup(t, st, kindIdem)
	f.res.token[f.chs[0]] = "old"
	f.net.SetFaults(FakeFaults{ExpiredTokens: []string{"old"}})
	ids := f.posts(t, 2, nil)
	f.engine(t, func(c *Config) { c.Resolver = plainResolver{f.res} })
	_, err := st.SchedulePosts(context.Background(), f.ws.ID, ids, time.Now(), "UTC", time.Now())
	require.NoError(t, err)
	// Reopening does not bring a new token here, so the channel is held, nothing lost.
	require.Eventually(t, func() bool {
		for _, id := range ids {
			if f.publication(t, id).HoldReason == "" {
				return false
			}
		}
		return true
	}, 10*time.Second, 20*time.Millisecond)
	for _, id := range ids {
		p := f.publication(t, id)
		require.Equal(t, store.PubScheduled, p.State)
		require.LessOrEqual(t, p.Attempts, 2, "one reopen, then hold: no retry loop")
	}
	require.Empty(t, f.net.Posts())
}

func TestInterruptedRetryMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind          network.Kind
		want, notWant string
	}{
		{network.Webhook, "delivered at least once", "cannot be posted twice"},
		{network.Mastodon, "the network does not post it twice", "at least once"},
		{network.Bluesky, "same idempotency key", "at least once"},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			t.Parallel()
			msg := interruptedRetryMessage(tt.kind)
			require.Contains(t, msg, tt.want)
			require.NotContains(t, msg, tt.notWant)
		})
	}
}

// A call's context ends no sooner than CallTimeout after the call starts and
// at most a tenth of it later; calls starting close together share one.
func TestCallContextDeadline(t *testing.T) {
	for _, timeout := range []time.Duration{200 * time.Millisecond, time.Minute} {
		e := &Engine{cfg: Config{CallTimeout: timeout}, runCtx: context.Background()}
		t0 := time.Now()
		starts := []time.Duration{0, e.callWindow() / 2, e.callWindow(), e.callWindow() + time.Millisecond, 3 * e.callWindow()}
		var prev context.Context
		for i, off := range starts {
			now := t0.Add(off)
			ctx := e.callContext(now)
			dl, ok := ctx.Deadline()
			require.True(t, ok)
			require.False(t, dl.Before(now.Add(timeout)), "timeout %s, start +%s: deadline too early", timeout, off)
			require.False(t, dl.After(now.Add(timeout+timeout/10)), "timeout %s, start +%s: deadline too late", timeout, off)
			shared := i > 0 && ctx == prev
			require.Equal(t, i == 1 || i == 2, shared, "timeout %s, start +%s", timeout, off)
			prev = ctx
		}
	}
}
