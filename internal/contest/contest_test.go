package contest_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/internal/contest"
	"github.com/relais/relais/internal/mail"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/relais/relais/internal/valid"
	"github.com/stretchr/testify/require"
)

func TestNormalizeEmail(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Ada@Example.org", "ada@example.org"},
		{"a.d.a+contest@gmail.com", "ada@gmail.com"},
		{"A.da@googlemail.com", "ada@gmail.com"},
		{"first.last+x@example.de", "first.last@example.de"},
		{"not an address", ""},
		{"Ada <ada@example.org>", ""},
		{"ada@localhost", ""},
	} {
		got, ok := contest.NormalizeEmail(tc.in)
		require.Equal(t, tc.want != "", ok, tc.in)
		require.Equal(t, tc.want, got, tc.in)
	}
	require.True(t, contest.Disposable("x@mailinator.com"))
	require.False(t, contest.Disposable("x@example.org"))
	require.Equal(t, "192.0.2.0/24", contest.NetBlock("192.0.2.77"))
	require.Equal(t, "2001:db8:1:2::/64", contest.NetBlock("[2001:db8:1:2:3:4:5:6]"))
}

func TestPoW(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	p := &contest.PoW{Key: []byte("k"), Bits: 10, Now: func() time.Time { return now }}
	ch := p.Issue("spring")
	sol := contest.Solve(ch)
	require.GreaterOrEqual(t, contest.LeadingZeroBits(ch, sol), 10)
	require.ErrorIs(t, p.Verify("other", ch, sol), contest.ErrPoW, "bound to its scope")
	bad := "0"
	for contest.LeadingZeroBits(ch, bad) >= 10 {
		bad += "0"
	}
	require.ErrorIs(t, p.Verify("spring", ch, bad), contest.ErrPoW, "unsolved")
	forged := strings.Replace(ch, ".10.", ".1.", 1)
	require.ErrorIs(t, p.Verify("spring", forged, contest.Solve(forged)), contest.ErrPoW, "MAC covers the difficulty")
	require.NoError(t, p.Verify("spring", ch, sol))
	require.ErrorIs(t, p.Verify("spring", ch, sol), contest.ErrPoW, "single use")
	late := p.Issue("spring")
	now = now.Add(11 * time.Minute)
	require.ErrorIs(t, p.Verify("spring", late, contest.Solve(late)), contest.ErrPoW, "expired")
}

func TestDrawVerifiable(t *testing.T) {
	ids := []int64{9, 3, 27, 14, 5, 8}
	seed := strings.Repeat("ab", 32)
	w := contest.Draw(seed, ids, 3)
	require.Len(t, w, 3)
	require.Equal(t, w, contest.Draw(seed, []int64{27, 14, 9, 8, 5, 3}, 3), "order of the ids does not matter")
	require.NotEqual(t, w, contest.Draw(strings.Repeat("cd", 32), ids, 3))
	require.Len(t, contest.Draw(seed, ids, 10), 6, "never more winners than entries, no repeats")
	require.NoError(t, contest.Verify(seed, contest.SeedHash(seed), ids, contest.EntriesHash(ids), w))
	require.ErrorIs(t, contest.Verify(seed, contest.SeedHash("other"), ids, "", w), contest.ErrVerify)
	require.ErrorIs(t, contest.Verify(seed, contest.SeedHash(seed), ids[1:], contest.EntriesHash(ids), w), contest.ErrVerify)
	require.ErrorIs(t, contest.Verify(seed, contest.SeedHash(seed), ids, "", []int64{w[1], w[0], w[2]}), contest.ErrVerify)
}

func TestScorer(t *testing.T) {
	var s contest.Scorer
	at := time.Date(2026, 5, 1, 14, 0, 0, 0, time.UTC)
	score, flags := s.Score(1, 1, "192.0.2.0/24", "d1", at, contest.Signals{})
	require.Zero(t, score)
	require.Nil(t, flags)
	// A script voting every 3 seconds from one block with one browser.
	for i := range 8 {
		score, flags = s.Score(1, 2, "198.51.100.0/24", "bot", at.Add(time.Duration(i)*3*time.Second), contest.Signals{NoReferrer: true})
	}
	require.GreaterOrEqual(t, score, contest.FlagThreshold)
	require.Contains(t, flags, "fixed_interval")
	require.Contains(t, flags, "device_cluster")
	score, flags = s.Score(1, 3, "203.0.113.0/24", "d", at, contest.Signals{Disposable: true})
	require.Equal(t, []string{"disposable"}, flags)
	require.InDelta(t, 0.6, score, 1e-9)
	// Night alone is weak: scored, not flagged.
	score, flags = s.Score(1, 3, "203.0.114.0/24", "d", at.Add(-11*time.Hour), contest.Signals{})
	require.InDelta(t, 0.1, score, 1e-9)
	require.Nil(t, flags)
}

type fixture struct {
	svc   *contest.Service
	st    store.Store
	c     store.Contest
	mu    sync.Mutex
	mails []mail.Message
	now   time.Time
}

func newFixture(t *testing.T, dialect string, kind string) *fixture {
	return newFixtureWith(t, dialect, kind, nil)
}

func newFixtureWith(t *testing.T, dialect string, kind string, set func(*store.Contest)) *fixture {
	st := storetest.Open(t, dialect)
	u := storetest.NewUser(t, st, "org@contest.example")
	w := storetest.NewWorkspace(t, st, "contest-svc", u.ID)
	f := &fixture{st: st, now: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	f.svc = contest.New(st, []byte("test key"), nil, "https://relais.example", nil)
	f.svc.PoW.Bits = 8
	f.svc.Now = func() time.Time { return f.now }
	f.svc.OnMail = func(m mail.Message) { f.mu.Lock(); f.mails = append(f.mails, m); f.mu.Unlock() }
	t.Cleanup(f.svc.Close)
	f.c = store.Contest{WorkspaceID: w.ID, Slug: "spring", Title: "Spring photo", Kind: kind, EntryOpens: f.now.Add(-time.Hour), EntryCloses: f.now.Add(time.Hour),
		VoteOpens: f.now.Add(-time.Hour), VoteCloses: f.now.Add(24 * time.Hour), Countries: []string{"DE", "FR"}, MinAge: 16, Lang: "fr"}
	if set != nil {
		set(&f.c)
	}
	require.NoError(t, f.svc.Create(context.Background(), &f.c, "user:1"))
	return f
}

func (f *fixture) vote(t *testing.T, entryID int64, email, addr string) (contest.VoteResult, error) {
	ch := f.svc.PoW.Issue(f.c.Slug)
	link, err := f.svc.RequestVote(context.Background(), f.c, contest.VoteRequest{EntryID: entryID, Email: email, Challenge: ch, Solution: contest.Solve(ch),
		RemoteAddr: addr, UserAgent: "Mozilla/5.0", Referer: "https://relais.example/c/spring"})
	if err != nil {
		return contest.VoteResult{}, err
	}
	f.mu.Lock()
	last := f.mails[len(f.mails)-1]
	f.mu.Unlock()
	require.Contains(t, last.Body, link, "the link is mailed")
	u, err := url.Parse(link)
	require.NoError(t, err)
	return f.svc.Confirm(context.Background(), f.c, u.Query().Get("t"))
}

func TestServiceFlow(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			f := newFixture(t, d, store.ContestCandidates)
			bad := f.c
			bad.Slug, bad.Winners = "x", 0
			err := f.svc.Create(ctx, &bad, "u")
			ve, ok := valid.As(err)
			require.True(t, ok)
			require.Equal(t, "slug", ve.Field)

			_, err = f.svc.Enter(ctx, f.c, contest.Submission{Title: "Me", Name: "Ada", Email: "ada@example.org", Country: "IT", Consent: true, AgeConfirmed: true, RemoteAddr: "192.0.2.1"})
			ve, _ = valid.As(err)
			require.Equal(t, "country", ve.Field)
			_, err = f.svc.Enter(ctx, f.c, contest.Submission{Title: "Me", Name: "Ada", Email: "ada@example.org", Country: "FR", AgeConfirmed: true, RemoteAddr: "192.0.2.1"})
			ve, _ = valid.As(err)
			require.Equal(t, "consent", ve.Field)
			e1, err := f.svc.Enter(ctx, f.c, contest.Submission{Title: "Me", Name: "Ada", Email: "ada@example.org", Country: "fr", Consent: true, AgeConfirmed: true, RemoteAddr: "192.0.2.1"})
			require.NoError(t, err)
			require.Equal(t, store.EntryPending, e1.Status)
			_, err = f.vote(t, e1.ID, "bo@example.org", "192.0.2.9")
			require.ErrorIs(t, err, store.ErrNotFound, "a pending entry takes no votes")

			_, err = f.svc.Moderate(ctx, f.c.WorkspaceID, e1.ID, store.EntryRejected, "", "u")
			ve, _ = valid.As(err)
			require.Equal(t, "reason", ve.Field)
			e1, err = f.svc.Moderate(ctx, f.c.WorkspaceID, e1.ID, store.EntryApproved, "", "user:1")
			require.NoError(t, err)
			require.NotNil(t, e1.NotifiedAt)
			require.Equal(t, "ada@example.org", f.mails[len(f.mails)-1].To)
			require.Contains(t, f.mails[len(f.mails)-1].Subject, "en ligne", "the notice is in the contest's language")
			e2, err := f.svc.AddCandidate(ctx, f.c, "Bo", "user:1")
			require.NoError(t, err)

			r, err := f.vote(t, e1.ID, "Bo.B+x@gmail.com", "192.0.2.9")
			require.NoError(t, err)
			require.True(t, r.Counted)
			r, err = f.vote(t, e2.ID, "bob@gmail.com", "192.0.2.10")
			require.NoError(t, err)
			require.True(t, r.Already, "the same mailbox votes once per contest")
			r, err = f.vote(t, e2.ID, "spam@mailinator.com", "198.51.100.4")
			require.NoError(t, err)
			require.True(t, r.Counted)
			require.Equal(t, []string{"disposable"}, r.Flags, "flagged and counted")

			res, err := f.svc.Results(ctx, f.c)
			require.NoError(t, err)
			require.Equal(t, e1.ID, res[0].Entry.ID)
			require.EqualValues(t, 1, res[0].Votes)
			require.EqualValues(t, 1, res[1].Flagged)

			_, err = f.svc.Draw(ctx, f.c.WorkspaceID, f.c.ID, "u")
			require.ErrorIs(t, err, contest.ErrNotCommitted)
			c, err := f.svc.CloseEntries(ctx, f.c.WorkspaceID, f.c.ID, "user:1")
			require.NoError(t, err)
			require.Len(t, c.SeedHash, 64)
			require.Empty(t, contest.PublicSeed(c), "the seed stays secret until the draw")
			_, err = f.svc.Enter(ctx, c, contest.Submission{Title: "Late", Name: "L", Email: "l@example.org", Country: "DE", Consent: true, AgeConfirmed: true})
			require.ErrorIs(t, err, contest.ErrNotOpen)
			c, err = f.svc.Draw(ctx, f.c.WorkspaceID, f.c.ID, "user:1")
			require.NoError(t, err)
			require.Len(t, c.WinnerIDs, 1)
			require.NoError(t, contest.Verify(contest.PublicSeed(c), c.SeedHash, []int64{e1.ID, e2.ID}, c.EntriesHash, c.WinnerIDs))

			p, err := f.svc.Export(ctx, f.c.WorkspaceID, "ada@example.org")
			require.NoError(t, err)
			require.Len(t, p.Entries, 1)
			p, err = f.svc.Export(ctx, f.c.WorkspaceID, "bob@gmail.com")
			require.NoError(t, err)
			require.Len(t, p.Votes, 1)
			ne, nv, err := f.svc.Erase(ctx, f.c.WorkspaceID, "bob@gmail.com", "user:1")
			require.NoError(t, err)
			require.EqualValues(t, 0, ne)
			require.EqualValues(t, 1, nv)
			log, err := f.st.ContestAuditLog(ctx, f.c.WorkspaceID, f.c.ID)
			require.NoError(t, err)
			var actions []string
			for _, a := range log {
				actions = append(actions, a.Action)
			}
			require.Equal(t, []string{"create", "entry", "moderate", "candidate", "commit", "draw", "erase"}, actions)

			f.now = f.c.VoteCloses.Add(time.Second)
			_, err = f.vote(t, e1.ID, "late@example.org", "192.0.2.11")
			require.ErrorIs(t, err, contest.ErrNotOpen, "votes freeze at the deadline")
		})
	}
}

func TestRateLimitPerBlock(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "sqlite", store.ContestCandidates)
	e, err := f.svc.AddCandidate(context.Background(), f.c, "A", "u")
	require.NoError(t, err)
	limited := 0
	for i := range 30 {
		_, err := f.vote(t, e.ID, fmt.Sprintf("v%d@example.org", i), fmt.Sprintf("2001:db8:5:6::%x", i+1))
		if errors.Is(err, contest.ErrRateLimited) {
			limited++
		} else {
			require.NoError(t, err)
		}
	}
	require.Equal(t, 10, limited, "one /64 gets a burst of 20")
	_, err = f.vote(t, e.ID, "other@example.org", "2001:db8:5:7::1")
	require.NoError(t, err, "another /64 is not limited")
}

func TestConfirmRefusesForgedLinks(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "sqlite", store.ContestCandidates)
	e, err := f.svc.AddCandidate(context.Background(), f.c, "A", "u")
	require.NoError(t, err)
	tok := f.svc.SignBallot(contest.Ballot(f.c, e.ID, "id1", "b", "d", f.now.Add(time.Hour)))
	for _, bad := range []string{"", "x.y", tok + "x", strings.Replace(tok, ".", "x.", 1)} {
		_, err := f.svc.Confirm(context.Background(), f.c, bad)
		require.ErrorIs(t, err, contest.ErrBadToken, bad)
	}
	r, err := f.svc.Confirm(context.Background(), f.c, tok)
	require.NoError(t, err)
	require.True(t, r.Counted)
	f.now = f.now.Add(2 * time.Hour)
	_, err = f.svc.Confirm(context.Background(), f.c, tok)
	require.ErrorIs(t, err, contest.ErrBadToken, "expired")
}
