package contest_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"

	"github.com/relais/relais/internal/contest"
	"github.com/relais/relais/internal/link"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/relais/relais/internal/valid"
	"github.com/stretchr/testify/require"
)

const quizText = `Which river runs through Hamburg?
- Rhine
* Elbe
- Danube

How many legs has a spider?
- 6
* 8`

func TestParseQuestions(t *testing.T) {
	qs, err := contest.ParseQuestions(quizText)
	require.NoError(t, err)
	require.Len(t, qs, 2)
	require.Equal(t, "Which river runs through Hamburg?", qs[0].Prompt)
	require.Equal(t, []string{"Rhine", "Elbe", "Danube"}, qs[0].Choices)
	require.Equal(t, 1, qs[0].Correct)
	again, err := contest.ParseQuestions(contest.FormatQuestions(qs))
	require.NoError(t, err)
	require.Equal(t, qs, again)
	for _, bad := range []string{"", "Q?\n- a\n- b", "Q?\n* a\n* b", "- a\n* b", "Q?\n* a"} {
		_, err := contest.ParseQuestions(bad)
		ve, ok := valid.As(err)
		require.True(t, ok, bad)
		require.Equal(t, "questions", ve.Field)
	}
}

func TestRankedDrawBreaksTiesByTheSeed(t *testing.T) {
	seed, _ := contest.NewSeed()
	ids := []int64{4, 9, 2, 7}
	scores := map[int64]int{4: 2, 9: 1, 2: 2, 7: 0}
	got := contest.RankedDraw(seed, ids, scores, 3)
	require.Len(t, got, 3)
	require.ElementsMatch(t, []int64{4, 2}, got[:2], "best scores first")
	require.Equal(t, int64(9), got[2])
	order := contest.Draw(seed, ids, 4)
	first := int64(4)
	for _, id := range order {
		if id == 2 || id == 4 {
			first = id
			break
		}
	}
	require.Equal(t, first, got[0], "the draw order decides the tie")
}

func quizFixture(t *testing.T, d string) *fixture {
	return newFixtureWith(t, d, store.ContestQuiz, func(c *store.Contest) {
		qs, err := contest.ParseQuestions(quizText)
		require.NoError(t, err)
		c.Questions, c.Winners = qs, 2
	})
}

func (f *fixture) answer(t *testing.T, name, email, addr string, answers []int) (store.ContestEntry, error) {
	ch := f.svc.PoW.Issue(f.c.Slug)
	link, err := f.svc.RequestQuiz(context.Background(), f.c, contest.QuizRequest{Submission: contest.Submission{Name: name, Email: email, Country: "DE",
		Consent: true, AgeConfirmed: true, RemoteAddr: addr}, Answers: answers, Challenge: ch, Solution: contest.Solve(ch)})
	if err != nil {
		return store.ContestEntry{}, err
	}
	u, err := url.Parse(link)
	require.NoError(t, err)
	tok := u.Query().Get("t")
	require.True(t, contest.IsQuizToken(tok))
	_, err = f.svc.Confirm(context.Background(), f.c, tok)
	require.ErrorIs(t, err, contest.ErrBadToken, "a quiz link is not a ballot")
	return f.svc.ConfirmQuiz(context.Background(), f.c, tok)
}

func TestQuizFlow(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			f := quizFixture(t, d)
			_, err := f.answer(t, "Ada Lovelace", "ada@example.org", "192.0.2.1", []int{1})
			ve, _ := valid.As(err)
			require.NotNil(t, ve)
			require.Equal(t, "answers", ve.Field)
			_, err = f.answer(t, "Ada Lovelace", "ada@example.org", "192.0.2.1", []int{1, 5})
			ve, _ = valid.As(err)
			require.Equal(t, "answers", ve.Field, "a choice out of range")
			ada, err := f.answer(t, "Ada Lovelace", "ada@example.org", "192.0.2.1", []int{1, 1})
			require.NoError(t, err)
			require.Equal(t, 2, ada.Score)
			require.Equal(t, "Ada", ada.Title, "only the first name shows")
			_, err = f.answer(t, "Ada again", "a.d.a+x@example.org", "192.0.2.2", []int{1, 1})
			require.NoError(t, err, "another address")
			_, err = f.answer(t, "Ada again", "ada+quiz@example.org", "192.0.2.3", []int{1, 1})
			require.ErrorIs(t, err, contest.ErrAlreadyAnswered, "one participation per address")
			bo, err := f.answer(t, "Bo", "bo@example.org", "192.0.2.4", []int{1, 0})
			require.NoError(t, err)
			require.Equal(t, 1, bo.Score)
			cy, err := f.answer(t, "Cy", "cy@example.org", "192.0.2.5", []int{0, 0})
			require.NoError(t, err)
			require.Zero(t, cy.Score)

			res, err := f.svc.Results(ctx, f.c)
			require.NoError(t, err)
			require.Equal(t, 2, res[0].Entry.Score)
			require.Equal(t, 2, res[1].Entry.Score)
			require.Equal(t, bo.ID, res[2].Entry.ID)

			_, err = f.svc.CloseEntries(ctx, f.c.WorkspaceID, f.c.ID, "user:1")
			require.NoError(t, err)
			c, err := f.svc.Draw(ctx, f.c.WorkspaceID, f.c.ID, "user:1")
			require.NoError(t, err)
			require.Len(t, c.WinnerIDs, 2)
			require.ElementsMatch(t, []int64{res[0].Entry.ID, res[1].Entry.ID}, c.WinnerIDs, "both perfect scores win")
			ids := []int64{res[0].Entry.ID, res[1].Entry.ID, bo.ID, cy.ID}
			scores := map[int64]int{res[0].Entry.ID: 2, res[1].Entry.ID: 2, bo.ID: 1, cy.ID: 0}
			require.Equal(t, contest.RankedDraw(contest.PublicSeed(c), ids, scores, 2), c.WinnerIDs, "anyone recomputes the tie-break from the seed")
			require.NoError(t, contest.VerifyRanked(contest.PublicSeed(c), c.SeedHash, ids, c.EntriesHash, scores, c.WinnerIDs))
		})
	}
}

func TestJuryStage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixtureWith(t, "sqlite", store.ContestCandidates, func(c *store.Contest) { c.JuryWeight, c.Finalists = 50, 2 })
	juror := storetest.NewUser(t, f.st, "juror@contest.example")
	require.NoError(t, f.st.AddMember(ctx, f.c.WorkspaceID, juror.ID, store.RoleViewer))
	a, _ := f.svc.AddCandidate(ctx, f.c, "A", "u")
	b, _ := f.svc.AddCandidate(ctx, f.c, "B", "u")
	cc, _ := f.svc.AddCandidate(ctx, f.c, "C", "u")
	for i := range 4 {
		_, err := f.vote(t, a.ID, fmt.Sprintf("a%d@example.org", i), fmt.Sprintf("192.0.%d.1", i))
		require.NoError(t, err)
	}
	for i := range 2 {
		_, err := f.vote(t, b.ID, fmt.Sprintf("b%d@example.org", i), fmt.Sprintf("198.51.%d.1", i))
		require.NoError(t, err)
	}
	fin, err := f.svc.Finalists(ctx, f.c)
	require.NoError(t, err)
	require.Len(t, fin, 2, "the public vote's best two")
	jury, err := f.svc.SetJury(ctx, f.c.WorkspaceID, f.c.ID, []int64{juror.ID}, "user:1")
	require.NoError(t, err)
	require.Equal(t, []int64{juror.ID}, jury)
	err = f.svc.ScoreEntry(ctx, f.c.WorkspaceID, f.c.ID, cc.ID, juror.ID, 10, "user:2")
	ve, _ := valid.As(err)
	require.Equal(t, "entry_id", ve.Field, "not a finalist")
	err = f.svc.ScoreEntry(ctx, f.c.WorkspaceID, f.c.ID, b.ID, juror.ID, 11, "user:2")
	ve, _ = valid.As(err)
	require.Equal(t, "score", ve.Field)
	require.ErrorIs(t, f.svc.ScoreEntry(ctx, f.c.WorkspaceID, f.c.ID, b.ID, 99999, 5, "user:9"), store.ErrNotFound, "not a juror")
	require.NoError(t, f.svc.ScoreEntry(ctx, f.c.WorkspaceID, f.c.ID, b.ID, juror.ID, 10, "user:2"))
	require.NoError(t, f.svc.ScoreEntry(ctx, f.c.WorkspaceID, f.c.ID, a.ID, juror.ID, 2, "user:2"))
	rk, err := f.svc.FinalRanking(ctx, f.c)
	require.NoError(t, err)
	require.Len(t, rk, 2)
	// B: 0.5×(2/4) + 0.5×(10/10) = 0.75; A: 0.5×1 + 0.5×0.2 = 0.6.
	require.Equal(t, b.ID, rk[0].Entry.ID, "the jury turned the public vote")
	require.InDelta(t, 0.75, rk[0].Final, 1e-9)
	require.InDelta(t, 0.6, rk[1].Final, 1e-9)
	log, err := f.st.ContestAuditLog(ctx, f.c.WorkspaceID, f.c.ID)
	require.NoError(t, err)
	n := 0
	for _, l := range log {
		if l.Action == "jury_score" || l.Action == "jury" {
			n++
		}
	}
	require.Equal(t, 3, n, "the jury and its scores are audited")
}

func TestAccentContrast(t *testing.T) {
	require.InDelta(t, 21, link.Contrast("#000000", "#ffffff"), 1e-9)
	require.NoError(t, contest.CheckAccent("#0a7d5a"))
	require.NoError(t, contest.CheckAccent(""))
	err := contest.CheckAccent("#ffcc00")
	ve, ok := valid.As(err)
	require.True(t, ok)
	require.Equal(t, "accent", ve.Field)
	require.Contains(t, ve.Message, "4.5:1")
	ve, _ = valid.As(contest.CheckAccent("red"))
	require.Equal(t, "accent", ve.Field)
}

// TestLimitsSharedAcrossInstances runs two services on one database, as two
// instances behind a load balancer: a solved challenge is used once, and a
// network block's burst is shared.
func TestLimitsSharedAcrossInstances(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			f := newFixture(t, d, store.ContestCandidates)
			other := contest.New(f.st, []byte("test key"), nil, "https://relais.example", nil)
			other.PoW.Bits, other.Now, other.OnMail = 8, f.svc.Now, f.svc.OnMail
			t.Cleanup(other.Close)
			e, err := f.svc.AddCandidate(ctx, f.c, "A", "u")
			require.NoError(t, err)

			ch := f.svc.PoW.Issue(f.c.Slug)
			sol := contest.Solve(ch)
			req := contest.VoteRequest{EntryID: e.ID, Email: "x@example.org", Challenge: ch, Solution: sol, RemoteAddr: "203.0.113.7"}
			_, err = f.svc.RequestVote(ctx, f.c, req)
			require.NoError(t, err)
			_, err = other.RequestVote(ctx, f.c, req)
			require.ErrorIs(t, err, contest.ErrPoW, "the other instance sees the challenge used")

			limited := 0
			for i := range 30 {
				svc := f.svc
				if i%2 == 1 {
					svc = other
				}
				ch := svc.PoW.Issue(f.c.Slug)
				_, err := svc.RequestVote(ctx, f.c, contest.VoteRequest{EntryID: e.ID, Email: fmt.Sprintf("v%d@example.org", i), Challenge: ch,
					Solution: contest.Solve(ch), RemoteAddr: fmt.Sprintf("198.51.100.%d", i+1)})
				if errors.Is(err, contest.ErrRateLimited) {
					limited++
				} else {
					require.NoError(t, err)
				}
			}
			require.Equal(t, 10, limited, "one /24 gets one burst of 20 across both instances")
			_, _, err = f.svc.Purge(ctx)
			require.NoError(t, err)
		})
	}
}

func TestAcctURI(t *testing.T) {
	require.Equal(t, "acct:ada@social.example", contest.AcctURI("Ada", "https://social.example/@Ada", "https://127.0.0.1:8443"))
	require.Equal(t, "acct:bo@elsewhere.example", contest.AcctURI("bo@elsewhere.example", "https://elsewhere.example/@bo", "https://social.example"))
	require.Equal(t, "acct:cy@social.example", contest.AcctURI("@cy", "", "https://social.example"))
}
