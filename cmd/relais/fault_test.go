package main_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/relais/relais/client"
	"github.com/relais/relais/internal/network/telegram/telegramtest"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/postgres"
	"github.com/relais/relais/internal/store/sqlite"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// TestKillDuringPublishing runs the real binary against a Telegram fake (a
// network without idempotent calls): 1,000 posts fall due at once and the
// server is killed with SIGKILL at random moments while it publishes, then
// restarted. Afterwards every post is published exactly once, or shown as
// needs_review with its reason when the kill cut a call short; no post is
// published twice and none is lost.
func TestKillDuringPublishing(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			testKillDuringPublishing(t, d)
		})
	}
}

func testKillDuringPublishing(t *testing.T, dialect string) {
	ctx := context.Background()
	const posts = 1000
	tg := telegramtest.New(t, telegramtest.Options{})
	slow, inflight := slowProxy(t, tg.URL, 200*time.Millisecond)
	env := append(dataEnv(t, dialect), "RELAIS_ALLOW_PRIVATE_HOSTS=true")
	for _, args := range [][]string{
		{"user", "create", "--email", "o@example.com", "--password-stdin"},
		{"workspace", "create", "--name", "Fault", "--slug", "fault", "--owner", "o@example.com"},
	} {
		_, stderr, err := run(t, env, "a long enough password\n", args...)
		require.NoError(t, err, stderr)
	}
	out, stderr, err := run(t, env, tg.Token()+"\n", "channel", "add", "telegram", "--workspace", "fault", "--chat", "@relaischannel", "--bot-token-stdin", "--set", "api_url="+slow)
	require.NoError(t, err, stderr)
	channelID, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
	require.NoError(t, err)
	tok, stderr, err := run(t, env, "", "token", "create", "--email", "o@example.com", "--workspace", "fault")
	require.NoError(t, err, stderr)

	addr := freeAddr(t)
	srv := startKillable(t, env, addr)
	c := client.New("http://"+addr, strings.TrimSpace(tok))

	// Create the posts, then schedule them all for one moment.
	ids := make([]int64, posts)
	creating := time.Now()
	parallel(t, posts, func(i int) error {
		p, err := c.CreatePost(ctx, client.PostInput{Text: fmt.Sprintf("fault post %04d", i), Variants: []client.VariantInput{{ChannelID: channelID}}})
		ids[i] = p.ID
		return err
	})
	// Scheduling 1,000 posts one API call at a time takes a few seconds on a
	// busy machine, two to three times what creating them took (measured):
	// the moment is at least 20 s ahead, and six times the creation's time
	// on a slower machine, so it is far enough ahead for all of them however
	// loaded the machine is.
	due := time.Now().Add(max(20*time.Second, 6*time.Since(creating))).Truncate(time.Second)
	parallel(t, posts, func(i int) error {
		_, err := c.SchedulePost(ctx, ids[i], due, "UTC")
		return err
	})
	require.True(t, time.Now().Before(due), "scheduling took longer than the lead")

	// Kill it while it publishes, at random moments, and start it again. The
	// network answers after 200 ms, so each burst is in flight for a while.
	// Each kill waits until calls are in flight: a restarted instance first
	// waits out the dead one's stage lease, and a kill in that quiet moment
	// (likely on a loaded machine) would test nothing. Each instance marks
	// at most its 256 workers' worth publishing before the kill, so three
	// kills leave some posts to the last instance.
	time.Sleep(time.Until(due))
	for range 3 {
		deadline := time.Now().Add(30 * time.Second)
		for inflight.Load() == 0 && len(tg.Messages()) < posts && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if len(tg.Messages()) >= posts {
			break
		}
		time.Sleep(time.Duration(rand.IntN(150)) * time.Millisecond)
		srv.kill()
		srv = startKillable(t, env, addr)
	}

	// Wait until nothing is queued or in flight any more.
	st := openStore(t, dialect, env)
	ws, err := st.WorkspaceBySlug(ctx, "fault")
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		left, err := st.Posts(ctx, ws.ID, store.PostFilter{States: []store.PostState{store.PostScheduled, store.PostPublishing}, Limit: 1})
		return err == nil && len(left) == 0
	}, 90*time.Second, 250*time.Millisecond, "every post settles")
	srv.kill()

	sent := map[string]int{}
	for _, m := range tg.Messages() {
		sent[m.Text]++
	}
	var published, review int
	for i, id := range ids {
		pubs, err := st.Publications(ctx, ws.ID, id)
		require.NoError(t, err)
		require.Len(t, pubs, 1)
		pub := pubs[0]
		n := sent[fmt.Sprintf("fault post %04d", i)]
		require.LessOrEqual(t, n, 1, "post %d was published %d times", i, n)
		switch pub.State {
		case store.PubPublished:
			published++
			require.Equal(t, 1, n, "post %d is marked published but the network has %d messages", i, n)
			require.NotEmpty(t, pub.RemoteID)
		case store.PubNeedsReview:
			review++
			require.NotEmpty(t, pub.ErrorMessage, "needs_review says why")
		default:
			t.Fatalf("post %d ended %s (%s): neither published nor needs_review", i, pub.State, pub.ErrorMessage)
		}
	}
	t.Logf("%s: %d published, %d needs_review, %d messages on the network", dialect, published, review, len(tg.Messages()))
	require.Equal(t, posts, published+review, "nothing lost")
	require.Positive(t, published)
	require.Positive(t, review, "the kills cut calls short (needs_review), or the test did not test anything")
}

// killable is a relais serve that can be killed with SIGKILL.
type killable struct {
	cmd  *exec.Cmd
	done chan struct{}
}

func (k *killable) kill() {
	_ = k.cmd.Process.Signal(syscall.SIGKILL)
	<-k.done
}

func startKillable(t *testing.T, env []string, addr string) *killable {
	t.Helper()
	cmd := exec.Command(binary, "serve", "--addr", addr, "--log-level", "warn",
		"--publish-lead-time", "2s", "--publish-call-timeout", "2s", "--publish-grace", "1s", "--publish-stage-lease", "1s")
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = io.Discard
	require.NoError(t, cmd.Start())
	k := &killable{cmd: cmd, done: make(chan struct{})}
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		ready <- sc.Scan() && strings.Contains(sc.Text(), "relais is running")
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() { _ = cmd.Wait(); close(k.done) }()
	t.Cleanup(func() { _ = cmd.Process.Signal(syscall.SIGKILL); <-k.done })
	select {
	case ok := <-ready:
		require.True(t, ok, "serve did not start")
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start in time")
	}
	return k
}

// parallel runs fn for 0..n-1 on a few goroutines and fails on the first error.
func parallel(t *testing.T, n int, fn func(i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	next := make(chan int)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					errs <- fmt.Errorf("item %d: %w", i, err)
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

// openStore opens the test's database from the test process (SQLite allows
// readers beside the server's writer).
func openStore(t *testing.T, dialect string, env []string) store.Store {
	t.Helper()
	var dataDir, url string
	for _, e := range env {
		if v, ok := strings.CutPrefix(e, "RELAIS_DATA_DIR="); ok {
			dataDir = v
		}
		if v, ok := strings.CutPrefix(e, "RELAIS_DATABASE_URL="); ok {
			url = v
		}
	}
	var st store.Store
	var err error
	if dialect == "postgres" {
		st, err = postgres.Open(context.Background(), url, false)
	} else {
		st, err = sqlite.Open(context.Background(), filepath.Join(dataDir, "relais.db"), false)
	}
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	return st
}

// slowProxy forwards to target after a delay, like a network under load. The
// counter holds the send calls (Telegram's send* methods) in flight, not the
// inbox poller's reads.
func slowProxy(t *testing.T, target string, delay time.Duration) (string, *atomic.Int64) {
	u, err := url.Parse(target)
	require.NoError(t, err)
	rp := httputil.NewSingleHostReverseProxy(u)
	var inflight atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/send") {
			inflight.Add(1)
			defer inflight.Add(-1)
		}
		time.Sleep(delay)
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &inflight
}
