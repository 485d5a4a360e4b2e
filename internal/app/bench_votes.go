package app

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/relais/relais/internal/contest"
	"github.com/relais/relais/internal/store"
)

// VoteBenchOptions tune BenchVotes.
type VoteBenchOptions struct {
	// DB is "sqlite" or "postgres"; DatabaseURL the PostgreSQL server (a temporary database is used).
	DB, DatabaseURL string
	// Votes is how many distinct voters confirm a vote (20,000).
	Votes int
	// Duplicates is the share of voters who confirm a second time (0.05); each must be refused.
	Duplicates float64
	// Concurrency is the number of clients, each on its own keep-alive connection (64).
	Concurrency int
	// Entries is the number of candidates (20).
	Entries int
}

// VoteBenchResult is what BenchVotes measured.
type VoteBenchResult struct {
	DB             string  `json:"db"`
	Votes          int     `json:"votes"`
	Requests       int64   `json:"requests"`
	Acknowledged   int64   `json:"acknowledged"`
	DuplicatesSent int64   `json:"duplicates_sent"`
	Refused        int64   `json:"duplicates_refused"`
	VotesPerSecond float64 `json:"votes_per_second"`
	P50MS          float64 `json:"p50_ms"`
	P99MS          float64 `json:"p99_ms"`
	Seconds        float64 `json:"seconds"`
	Concurrency    int     `json:"concurrency"`
	// Stored is how many votes the database holds afterwards; Lost the
	// acknowledged votes it lacks; Doubled the identities stored twice or
	// acknowledged as counted twice.
	Stored  int64 `json:"stored"`
	Lost    int64 `json:"lost"`
	Doubled int64 `json:"doubled"`
	Flagged int64 `json:"flagged"`
	Errors  int64 `json:"errors"`
	// CPUSeconds is the process's CPU time while voting; LoadAverage the machine's at the end.
	CPUSeconds  float64 `json:"cpu_s"`
	LoadAverage float64 `json:"load_average"`
	// VotesPerCPUS is acknowledged votes per CPU second of the process
	// (server and clients), which other processes on the machine do not change.
	VotesPerCPUS float64 `json:"votes_per_cpu_s"`
}

// BenchVotes serves the full HTTP stack of relais on loopback and confirms
// votes from concurrent clients through the public confirmation endpoint
// (POST /c/{slug}/confirm): the signed link is checked, the vote scored and
// written with group commit, and the answer sent after the commit. Some
// voters confirm twice. Afterwards it counts the votes in the database.
func BenchVotes(ctx context.Context, o VoteBenchOptions) (VoteBenchResult, error) {
	if o.Votes <= 0 {
		o.Votes = 20000
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 64
	}
	if o.Entries <= 0 {
		o.Entries = 20
	}
	if o.Duplicates < 0 || o.Duplicates > 1 {
		return VoteBenchResult{}, fmt.Errorf("bench votes: duplicates must be between 0 and 1; got %g", o.Duplicates)
	}
	res := VoteBenchResult{DB: o.DB, Votes: o.Votes, Concurrency: o.Concurrency}
	a, ln, done, err := openBenchApp(ctx, "relais-bench-votes-", o.DB, o.DatabaseURL)
	if err != nil {
		return res, err
	}
	defer done()
	c, entries, err := benchContest(ctx, a, o.Entries)
	if err != nil {
		return res, err
	}
	// The links the confirmation mails would carry, from voters spread over many networks.
	tokens := make([]string, o.Votes)
	exp := time.Now().Add(time.Hour)
	for i := range tokens {
		block := fmt.Sprintf("10.%d.%d.0/24", i%200, (i/200)%250)
		tokens[i] = a.Contests.SignBallot(contest.Ballot(c, entries[i%len(entries)], fmt.Sprintf("voter-%07d", i), block, contest.Device(fmt.Sprint("ua", i%50)), exp))
	}
	dups := int(float64(o.Votes) * o.Duplicates)
	work := make([]int, 0, o.Votes+dups)
	for i := range o.Votes {
		work = append(work, i)
	}
	for i := range dups {
		work = append(work, i*o.Votes/max(dups, 1))
	}
	rand.Shuffle(len(work), func(i, j int) { work[i], work[j] = work[j], work[i] })
	res.DuplicatesSent = int64(dups)

	handler, err := a.Handler()
	if err != nil {
		return res, err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	counted := make([]atomic.Int32, o.Votes)
	var acked, refused, failed, requests atomic.Int64
	lat := make([][]time.Duration, o.Concurrency)
	next := atomic.Int64{}
	confirm := "/c/" + c.Slug + "/confirm"
	var wg sync.WaitGroup
	cpu0 := processCPU()
	start := time.Now()
	for w := range o.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client, err := newRawClient(ln.Addr().String())
			if err != nil {
				failed.Add(1)
				return
			}
			defer client.Close()
			for ctx.Err() == nil {
				k := int(next.Add(1)) - 1
				if k >= len(work) {
					return
				}
				i := work[k]
				t0 := time.Now()
				body := url.Values{"t": {tokens[i]}}.Encode()
				status, err := client.roundTrip("POST " + confirm + " HTTP/1.1\r\nHost: " + client.host +
					"\r\nUser-Agent: Mozilla/5.0 (Android 14; Mobile)\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
					strconv.Itoa(len(body)) + "\r\n\r\n" + body)
				requests.Add(1)
				if err != nil {
					failed.Add(1)
					return
				}
				switch status {
				case http.StatusOK:
					lat[w] = append(lat[w], time.Since(t0))
					acked.Add(1)
					counted[i].Add(1)
				case http.StatusConflict:
					lat[w] = append(lat[w], time.Since(t0))
					refused.Add(1)
				default:
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	res.CPUSeconds = (processCPU() - cpu0).Seconds()
	res.LoadAverage = loadAverage()
	votes, err := a.Store.Votes(ctx, c.WorkspaceID, c.ID, store.VoteFilter{Limit: o.Votes * 2})
	if err != nil {
		return res, err
	}
	seen := map[string]int{}
	for _, v := range votes {
		seen[v.Identity]++
		if len(v.Flags) > 0 {
			res.Flagged++
		}
	}
	for i := range o.Votes {
		id := fmt.Sprintf("voter-%07d", i)
		if n := counted[i].Load(); n > 1 || seen[id] > 1 {
			res.Doubled++
		} else if n == 1 && seen[id] == 0 {
			res.Lost++
		}
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	pct := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[min(len(all)-1, int(p*float64(len(all))))].Microseconds()) / 1000
	}
	res.Requests, res.Acknowledged, res.Refused, res.Errors = requests.Load(), acked.Load(), refused.Load(), failed.Load()
	res.Stored = int64(len(votes))
	res.Seconds = elapsed.Seconds()
	res.VotesPerSecond = float64(res.Acknowledged) / elapsed.Seconds()
	res.P50MS, res.P99MS = pct(0.50), pct(0.99)
	if res.CPUSeconds > 0 {
		res.VotesPerCPUS = float64(res.Acknowledged) / res.CPUSeconds
	}
	if res.Acknowledged == 0 {
		return res, errors.New("bench votes: no vote was acknowledged")
	}
	return res, nil
}

// benchContest makes a workspace with a candidates contest open for votes.
func benchContest(ctx context.Context, a *App, n int) (store.Contest, []int64, error) {
	u := store.User{Email: "bench@votes.example", Name: "Bench", PasswordHash: "x"}
	if err := a.Store.CreateUser(ctx, &u); err != nil {
		return store.Contest{}, nil, err
	}
	w := store.Workspace{Name: "Bench votes", Slug: "bench-votes", Timezone: "UTC"}
	if err := a.Store.CreateWorkspace(ctx, &w, u.ID); err != nil {
		return store.Contest{}, nil, err
	}
	now := time.Now().UTC()
	c := store.Contest{WorkspaceID: w.ID, Slug: "bench-votes", Title: "Bench", Kind: store.ContestCandidates, EntryOpens: now.Add(-time.Hour),
		EntryCloses: now.Add(time.Hour), VoteOpens: now.Add(-time.Hour), VoteCloses: now.Add(24 * time.Hour)}
	if err := a.Contests.Create(ctx, &c, "bench"); err != nil {
		return c, nil, err
	}
	ids := make([]int64, n)
	for i := range ids {
		e, err := a.Contests.AddCandidate(ctx, c, fmt.Sprintf("Candidate %d", i+1), "bench")
		if err != nil {
			return c, nil, err
		}
		ids[i] = e.ID
	}
	return c, ids, nil
}
