package publish

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/postgres"
	"github.com/relais/relais/internal/store/sqlite"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// faultCase is one fault scenario: workers in child processes publish posts
// to a fake network that injects errors, while the test kills workers with
// SIGKILL at random moments.
type faultCase struct {
	dialect   string
	instances int
	kills     int
	// restart starts a new worker for each one killed.
	restart bool
	posts   int
	faults  FakeFaults
}

// child is one worker process.
type child struct {
	cmd  *exec.Cmd
	out  childOutput
	done chan struct{}
}

// childOutput keeps a worker's output and tells when it printed workerReady.
type childOutput struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	ready chan struct{}
}

func (o *childOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(p)
	if bytes.Contains(o.buf.Bytes(), []byte(workerReady)) {
		select {
		case <-o.ready:
		default:
			close(o.ready)
		}
	}
	return len(p), nil
}

func (o *childOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// startChild starts a worker and returns once its engine is about to run: a
// worker still starting when the posts fall due (exec, database, on a loaded
// machine) would leave them all to the others.
func startChild(t *testing.T, fc faultCase, dsn, net, instance string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(os.Args[0], "-test.run=^$"), out: childOutput{ready: make(chan struct{})}, done: make(chan struct{})}
	c.cmd.Env = append(os.Environ(), childEnv+"=worker", envDB+"="+fc.dialect, envDSN+"="+dsn, envNet+"="+net, envInstance+"="+instance)
	c.cmd.Stdout, c.cmd.Stderr = &c.out, &c.out
	require.NoError(t, c.cmd.Start())
	go func() { _ = c.cmd.Wait(); close(c.done) }()
	select {
	case <-c.out.ready:
	case <-c.done:
		t.Fatalf("worker %s exited before it was ready:\n%s", instance, c.out.String())
	case <-time.After(60 * time.Second):
		c.kill()
		t.Fatalf("worker %s was not ready within 60 s:\n%s", instance, c.out.String())
	}
	return c
}

func (c *child) kill() {
	_ = c.cmd.Process.Kill() // SIGKILL: no chance to release anything
	<-c.done
}

func (c *child) stop() {
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
		c.kill()
	}
}

func runFault(t *testing.T, fc faultCase) {
	ctx := context.Background()
	fn := NewFakeNetwork()
	fn.SetFaults(fc.faults)
	srv := httptest.NewServer(fn.Handler())
	defer srv.Close()

	var st store.Store
	var dsn string
	var err error
	switch fc.dialect {
	case "sqlite":
		dsn = filepath.Join(t.TempDir(), "relais.db")
		st, err = sqlite.Open(ctx, dsn, true)
	case "postgres":
		dsn = storetest.NewPostgresDatabase(t)
		st, err = postgres.Open(ctx, dsn, true)
	}
	require.NoError(t, err)
	defer st.Close()

	u := storetest.NewUser(t, st, "fault@example.com")
	ws := storetest.NewWorkspace(t, st, "fault", u.ID)
	var chs []int64
	for i, k := range []string{string(kindIdem), string(kindPlain), string(kindIdem), string(kindPlain)} {
		c := store.Channel{WorkspaceID: ws.ID, Network: k, RemoteID: fmt.Sprint(i), Settings: map[string]string{}}
		if i == 2 {
			// This channel's token has expired; a refresh fixes it.
			c.Settings = map[string]string{"token": "old", "refresh": "good"}
		}
		require.NoError(t, st.CreateChannel(ctx, &c))
		chs = append(chs, c.ID)
	}
	nps := make([]store.NewPost, fc.posts)
	for i := range nps {
		nps[i] = store.NewPost{Post: &store.Post{WorkspaceID: ws.ID, State: store.PostApproved, Text: fmt.Sprintf("fault %d", i)},
			Variants: []store.Variant{{ChannelID: chs[i%len(chs)]}}}
	}
	require.NoError(t, st.CreatePosts(ctx, nps))
	ids := make([]int64, len(nps))
	for i, np := range nps {
		ids[i] = np.Post.ID
	}
	var mu sync.Mutex
	var live, all []*child
	n := 0
	spawn := func() {
		n++
		c := startChild(t, fc, dsn, srv.URL, fmt.Sprintf("w%d", n))
		mu.Lock()
		live, all = append(live, c), append(all, c)
		mu.Unlock()
	}
	defer func() {
		for _, c := range live {
			c.stop()
		}
		if t.Failed() {
			for i, c := range all {
				t.Logf("worker %d output:\n%s", i+1, c.out.String())
			}
		}
	}()
	for range fc.instances {
		spawn()
	}
	// Due over two seconds from when every worker is up, so that the kills
	// land while posts go out and every worker can take a share.
	start := time.Now().Add(800 * time.Millisecond)
	for g := range 4 {
		var group []int64
		for i := g; i < len(ids); i += 4 {
			group = append(group, ids[i])
		}
		_, err := st.SchedulePosts(ctx, ws.ID, group, start.Add(time.Duration(g)*500*time.Millisecond), "UTC", time.Now())
		require.NoError(t, err)
	}
	time.Sleep(time.Until(start))
	for range fc.kills {
		time.Sleep(time.Duration(150+rand.IntN(500)) * time.Millisecond)
		i := rand.IntN(len(live))
		live[i].kill()
		live = append(live[:i], live[i+1:]...)
		if fc.restart || len(live) == 0 {
			spawn()
		}
	}

	terminal := []store.PostState{store.PostPublished, store.PostNeedsReview, store.PostFailed}
	require.Eventually(t, func() bool {
		done, err := st.Posts(ctx, ws.ID, store.PostFilter{States: terminal, Limit: fc.posts + 1})
		require.NoError(t, err)
		return len(done) == fc.posts
	}, 60*time.Second, 100*time.Millisecond, "every post ends published or needs_review")

	byKey := map[string][]FakePost{}
	instances := map[string]bool{}
	for _, p := range fn.Posts() {
		byKey[p.Key] = append(byKey[p.Key], p)
		instances[p.Instance] = true
	}
	published, review, duplicates := 0, 0, 0
	for _, posts := range byKey {
		duplicates += len(posts) - 1
	}
	for _, id := range ids {
		pubs, err := st.Publications(ctx, ws.ID, id)
		require.NoError(t, err)
		require.Len(t, pubs, 1)
		p := pubs[0]
		switch p.State {
		case store.PubPublished:
			published++
			require.Len(t, byKey[p.IdempotencyKey], 1, "publication %d is published exactly once", p.ID)
			require.Equal(t, byKey[p.IdempotencyKey][0].ID, p.RemoteID)
		case store.PubNeedsReview:
			review++
			require.Equal(t, string(kindPlain), p.Network, "only a non-idempotent network needs review")
			require.NotEmpty(t, p.ErrorMessage, "needs_review shows its reason")
			require.LessOrEqual(t, len(byKey[p.IdempotencyKey]), 1)
		default:
			t.Fatalf("publication %d ended %s: %s", p.ID, p.State, p.ErrorMessage)
		}
	}
	require.Zero(t, duplicates, "no post is made twice")
	require.Equal(t, fc.posts, published+review, "nothing is lost")
	t.Logf("%s: %d workers started, %d killed: %d published, %d need review, 0 duplicates, 0 lost; posts made by %d instances",
		fc.dialect, len(all), fc.kills, published, review, len(instances))
	if fc.instances > 1 {
		require.GreaterOrEqual(t, len(instances), 2, "instances share the work")
	}
}

// injected are the faults every scenario runs with: rate limits with
// Retry-After, server errors, timeouts (half after the post was made) and an
// expired token (channel 3).
var injected = FakeFaults{RateLimited: 0.03, ServerError: 0.05, Timeout: 0.02, Hang: 2 * time.Second, ExpiredTokens: []string{"old"}}

func TestFaultKillRestartSQLite(t *testing.T) {
	t.Parallel()
	runFault(t, faultCase{dialect: "sqlite", instances: 1, kills: 4, restart: true, posts: 1000, faults: injected})
}

func TestFaultKillRestartPostgres(t *testing.T) {
	t.Parallel()
	if os.Getenv(storetest.PostgresURLEnv) == "" {
		t.Skip(storetest.PostgresURLEnv + " is not set")
	}
	runFault(t, faultCase{dialect: "postgres", instances: 1, kills: 4, restart: true, posts: 1000, faults: injected})
}

func TestFaultThreeInstancesOneKilledPostgres(t *testing.T) {
	t.Parallel()
	if os.Getenv(storetest.PostgresURLEnv) == "" {
		t.Skip(storetest.PostgresURLEnv + " is not set")
	}
	runFault(t, faultCase{dialect: "postgres", instances: 3, kills: 1, posts: 1000, faults: injected})
}
