package main_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/relais/relais/internal/contest"
	"github.com/relais/relais/internal/secret"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// TestKillDuringVoting runs the real binary: voters confirm 3,000 votes
// (and some confirm twice) through the public confirmation endpoint while
// the server is killed with SIGKILL at random moments and restarted. A vote
// answered 200 must be stored (none lost), no identity is stored or
// acknowledged as counted twice (none doubled), and every voter ends with an
// answer (a vote committed just before a kill answers 409 "already voted" on
// the retry: it was not lost either).
func TestKillDuringVoting(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			testKillDuringVoting(t, d)
		})
	}
}

func testKillDuringVoting(t *testing.T, dialect string) {
	ctx := context.Background()
	const voters = 3000
	env := dataEnv(t, dialect)
	for _, args := range [][]string{
		{"user", "create", "--email", "o@example.com", "--password-stdin"},
		{"workspace", "create", "--name", "Vote fault", "--slug", "vfault", "--owner", "o@example.com"},
		{"contest", "create", "--workspace", "vfault", "--slug", "kill-vote", "--title", "Kill vote", "--kind", "candidates"},
	} {
		_, stderr, err := run(t, env, "a long enough password\n", args...)
		require.NoError(t, err, stderr)
	}
	st := openStore(t, dialect, env)
	c, err := st.ContestBySlug(ctx, "kill-vote")
	require.NoError(t, err)
	var entries []int64
	for i := range 5 {
		out, stderr, err := run(t, env, "", "contest", "entries", "--workspace", "vfault", strconv.FormatInt(c.ID, 10), "--add", fmt.Sprint("Candidate ", i))
		require.NoError(t, err, stderr)
		id, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
		require.NoError(t, err)
		entries = append(entries, id)
	}

	// The links the confirmation mails carry, signed with the instance's key
	// (the test plays the voters' mailboxes).
	var dataDir string
	for _, e := range env {
		if v, ok := strings.CutPrefix(e, "RELAIS_DATA_DIR="); ok {
			dataDir = v
		}
	}
	kr, err := secret.LoadOrCreate(filepath.Join(dataDir, "secret.key"))
	require.NoError(t, err)
	signer := &contest.Service{Key: kr.Derive("contests")}
	tokens := make([]string, voters)
	for i := range tokens {
		tokens[i] = signer.SignBallot(contest.Ballot(c, entries[i%len(entries)], fmt.Sprintf("voter-%05d", i), fmt.Sprintf("10.%d.0.0/24", i%250), "d", time.Now().Add(time.Hour)))
	}
	// Every voter once, a tenth of them twice, in random order.
	var work []int
	for i := range voters {
		work = append(work, i)
		if i%10 == 0 {
			work = append(work, i)
		}
	}
	rand.Shuffle(len(work), func(i, j int) { work[i], work[j] = work[j], work[i] })

	addr := freeAddr(t)
	srv := startKillable(t, env, addr)
	var mu sync.Mutex
	counted := make([]int, voters) // 200 answers per voter
	answered := make([]bool, voters)
	var requests, cut atomic.Int64
	confirm := "http://" + addr + "/c/kill-vote/confirm"
	send := func(client *http.Client, i int) (int, error) {
		req, _ := http.NewRequest(http.MethodPost, confirm, strings.NewReader(url.Values{"t": {tokens[i]}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := client.Do(req)
		requests.Add(1)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		_, err = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, err
	}
	next := atomic.Int64{}
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 20 * time.Second}
			for {
				k := int(next.Add(1)) - 1
				if k >= len(work) {
					return
				}
				i := work[k]
				// Until answered: a request cut by a kill is sent again once the server is back.
				for attempt := 0; ; attempt++ {
					status, err := send(client, i)
					if err == nil && (status == http.StatusOK || status == http.StatusConflict) {
						mu.Lock()
						answered[i] = true
						if status == http.StatusOK {
							counted[i]++
						}
						mu.Unlock()
						break
					}
					cut.Add(1)
					if attempt >= 400 {
						t.Errorf("voter %d never answered (last status %d, %v)", i, status, err)
						return
					}
					time.Sleep(50 * time.Millisecond)
				}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	// Kill at random moments inside each quarter of the voting (by progress,
	// not by time, so a fast or a loaded machine both see three kills mid-run).
	kills := 0
	for q := 1; q <= 3; q++ {
		at := int64(len(work)) * int64(4*q-1+rand.IntN(3)) / 16
		for next.Load() < at {
			time.Sleep(2 * time.Millisecond)
		}
		if next.Load() >= int64(len(work)) {
			break
		}
		srv.kill()
		kills++
		srv = startKillable(t, env, addr)
	}
	<-done
	srv.kill()
	require.Equal(t, 3, kills, "the voting lasted long enough for three kills")

	votes, err := st.Votes(ctx, c.WorkspaceID, c.ID, store.VoteFilter{Limit: voters * 2})
	require.NoError(t, err)
	stored := map[string]int{}
	for _, v := range votes {
		stored[v.Identity]++
	}
	var lost, doubled, acked int
	for i := range voters {
		id := fmt.Sprintf("voter-%05d", i)
		require.True(t, answered[i], "voter %d got an answer", i)
		if counted[i] > 0 {
			acked++
		}
		if counted[i] > 1 || stored[id] > 1 {
			doubled++
		}
		if counted[i] == 1 && stored[id] == 0 {
			lost++
		}
		require.Equal(t, 1, stored[id], "voter %d: every voter who got an answer has exactly one vote stored", i)
	}
	t.Logf("%s: %d requests, %d cut by the kills and sent again, %d acknowledged as counted, %d stored, lost %d, doubled %d",
		dialect, requests.Load(), cut.Load(), acked, len(votes), lost, doubled)
	require.Zero(t, lost, "no acknowledged vote lost")
	require.Zero(t, doubled, "no vote counted twice")
	require.Len(t, votes, voters)
	require.Positive(t, cut.Load(), "the kills cut requests short, or the test did not test anything")
}
