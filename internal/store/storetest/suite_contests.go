package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// RunContests runs the conformance suite of contests, entries, votes and the audit log.
func RunContests(t *testing.T, open func(t testing.TB) store.Store) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"ContestCRUD", testContestCRUD},
		{"EntriesAndModeration", testContestEntries},
		{"VotesOncePerPeriod", testVotesOnce},
		{"VotesConcurrent", testVotesConcurrent},
		{"ContestScoping", testContestScoping},
		{"PurgeAfterRetention", testContestPurge},
		{"QuizAndIdentity", testContestQuiz},
		{"Jury", testContestJury},
		{"SharedLimits", testContestSharedLimits},
		{"OAuthApps", testContestOAuthApps},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

// NewContest stores a contest of kind open now for entries and votes.
func NewContest(t testing.TB, s store.Store, workspaceID int64, slug, kind string) store.Contest {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Millisecond)
	c := store.Contest{WorkspaceID: workspaceID, Slug: slug, Title: "Contest " + slug, Kind: kind,
		EntryOpens: now.Add(-time.Hour), EntryCloses: now.Add(time.Hour), VoteOpens: now.Add(-time.Hour), VoteCloses: now.Add(2 * time.Hour),
		VotePeriod: "contest", Lang: "en", Winners: 1, RetentionDays: 90}
	require.NoError(t, s.CreateContest(ctx, &c))
	return c
}

func testContestCRUD(t *testing.T, s store.Store) {
	u := NewUser(t, s, "contest@crud.example")
	w := NewWorkspace(t, s, "contest-crud", u.ID)
	c := NewContest(t, s, w.ID, "spring-photo", store.ContestPhoto)
	require.NotZero(t, c.ID)
	c.Countries = []string{"DE", "FR"}
	c.MinAge = 18
	c.Prizes = "A bicycle"
	c.RulesText = "Organiser: Example GmbH"
	require.NoError(t, s.UpdateContest(ctx, &c))
	got, err := s.Contest(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.Equal(t, c.Countries, got.Countries)
	require.Equal(t, 18, got.MinAge)
	require.Nil(t, got.CommittedAt)
	require.Empty(t, got.WinnerIDs)

	at := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	got.SeedHash, got.Seed, got.EntriesHash, got.CommittedAt, got.DrawnAt, got.WinnerIDs = "aa", "bb", "cc", &at, &at, []int64{3, 1}
	require.NoError(t, s.UpdateContest(ctx, &got))
	bySlug, err := s.ContestBySlug(ctx, "spring-photo")
	require.NoError(t, err)
	require.Equal(t, got, bySlug)

	dup := store.Contest{WorkspaceID: w.ID, Slug: "spring-photo", Title: "x", Kind: store.ContestPhoto}
	require.ErrorIs(t, s.CreateContest(ctx, &dup), store.ErrConflict)
	list, err := s.Contests(ctx, w.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)

	require.NoError(t, s.AddContestAudit(ctx, w.ID, store.ContestAudit{ContestID: c.ID, Actor: "user:1", Action: "commit", Detail: "seed hash aa"}))
	log, err := s.ContestAuditLog(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.Len(t, log, 1)
	require.Equal(t, "commit", log[0].Action)

	require.NoError(t, s.DeleteContest(ctx, w.ID, c.ID))
	_, err = s.Contest(ctx, w.ID, c.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
}

func testContestEntries(t *testing.T, s store.Store) {
	u := NewUser(t, s, "contest@entries.example")
	w := NewWorkspace(t, s, "contest-entries", u.ID)
	c := NewContest(t, s, w.ID, "entries", store.ContestPhoto)
	now := time.Now().UTC().Truncate(time.Millisecond)
	e := store.ContestEntry{WorkspaceID: w.ID, ContestID: c.ID, Title: "Sunset", Name: "Ada", Email: "ada@example.org", Country: "FR", ConsentAt: &now}
	require.NoError(t, s.CreateEntry(ctx, &e))
	e2 := store.ContestEntry{WorkspaceID: w.ID, ContestID: c.ID, Title: "Dawn", Name: "Bo", Email: "bo@example.org"}
	require.NoError(t, s.CreateEntry(ctx, &e2))
	pending, err := s.Entries(ctx, w.ID, c.ID, store.EntryPending)
	require.NoError(t, err)
	require.Len(t, pending, 2)
	require.Equal(t, "ada@example.org", pending[0].Email)
	require.NotNil(t, pending[0].ConsentAt)

	require.NoError(t, s.ModerateEntry(ctx, w.ID, e.ID, store.EntryApproved, ""))
	require.NoError(t, s.ModerateEntry(ctx, w.ID, e2.ID, store.EntryRejected, "off topic"))
	require.NoError(t, s.MarkEntryNotified(ctx, w.ID, e2.ID, now))
	approved, err := s.Entries(ctx, w.ID, c.ID, store.EntryApproved)
	require.NoError(t, err)
	require.Len(t, approved, 1)
	got, err := s.Entry(ctx, w.ID, e2.ID)
	require.NoError(t, err)
	require.Equal(t, "off topic", got.Reason)
	require.NotNil(t, got.NotifiedAt)

	mine, err := s.EntriesByEmail(ctx, w.ID, "ada@example.org")
	require.NoError(t, err)
	require.Len(t, mine, 1)
	require.NoError(t, s.EraseEntry(ctx, w.ID, e.ID))
	got, err = s.Entry(ctx, w.ID, e.ID)
	require.NoError(t, err)
	require.Empty(t, got.Email)
	require.Empty(t, got.Name)
	require.Equal(t, "erased", got.Reason)
}

func testVotesOnce(t *testing.T, s store.Store) {
	u := NewUser(t, s, "contest@votes.example")
	w := NewWorkspace(t, s, "contest-votes", u.ID)
	c := NewContest(t, s, w.ID, "votes", store.ContestCandidates)
	var entries []store.ContestEntry
	for i := range 2 {
		e := store.ContestEntry{WorkspaceID: w.ID, ContestID: c.ID, Title: fmt.Sprint("cand ", i), Status: store.EntryApproved}
		require.NoError(t, s.CreateEntry(ctx, &e))
		entries = append(entries, e)
	}
	v := func(entry int, id, period string, flags ...string) store.Vote {
		return store.Vote{WorkspaceID: w.ID, ContestID: c.ID, EntryID: entries[entry].ID, Identity: id, Period: period, NetBlock: "192.0.2.0/24", Score: 0.1, Flags: flags}
	}
	stored, err := s.RecordVotes(ctx, []store.Vote{v(0, "a", "all"), v(1, "a", "all"), v(1, "b", "all", "night", "fixed_interval"), v(0, "a", "2026-01-02")})
	require.NoError(t, err)
	require.Equal(t, []bool{true, false, true, true}, stored, "one vote per identity per period")
	stored, err = s.RecordVotes(ctx, []store.Vote{v(0, "b", "all")})
	require.NoError(t, err)
	require.Equal(t, []bool{false}, stored)

	counts, err := s.VoteCounts(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.Equal(t, []store.VoteCount{{EntryID: entries[0].ID, Votes: 2}, {EntryID: entries[1].ID, Votes: 1, Flagged: 1}}, counts)

	flagged, err := s.Votes(ctx, w.ID, c.ID, store.VoteFilter{FlaggedOnly: true})
	require.NoError(t, err)
	require.Len(t, flagged, 1)
	require.Equal(t, []string{"night", "fixed_interval"}, flagged[0].Flags)
	other := NewContest(t, s, w.ID, "votes-other", store.ContestCandidates)
	require.ErrorIs(t, s.VoidVote(ctx, w.ID, other.ID, flagged[0].ID, "x"), store.ErrNotFound, "a vote is voided through its own contest only")
	require.NoError(t, s.VoidVote(ctx, w.ID, c.ID, flagged[0].ID, "same device as 40 others"))
	counts, err = s.VoteCounts(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.Equal(t, store.VoteCount{EntryID: entries[1].ID, Votes: 0, Flagged: 0, Void: 1}, counts[1])
	all, err := s.Votes(ctx, w.ID, c.ID, store.VoteFilter{})
	require.NoError(t, err)
	require.Len(t, all, 3, "a void vote is kept")

	mine, err := s.VotesByIdentity(ctx, w.ID, "a")
	require.NoError(t, err)
	require.Len(t, mine, 2)
	n, err := s.EraseVotes(ctx, w.ID, "a")
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
}

func testVotesConcurrent(t *testing.T, s store.Store) {
	u := NewUser(t, s, "contest@conc.example")
	w := NewWorkspace(t, s, "contest-conc", u.ID)
	c := NewContest(t, s, w.ID, "conc", store.ContestCandidates)
	e := store.ContestEntry{WorkspaceID: w.ID, ContestID: c.ID, Title: "x", Status: store.EntryApproved}
	require.NoError(t, s.CreateEntry(ctx, &e))
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			batch := make([]store.Vote, 50)
			for i := range batch {
				batch[i] = store.Vote{WorkspaceID: w.ID, ContestID: c.ID, EntryID: e.ID, Identity: fmt.Sprint("id", (i+g*25)%100), Period: "all"}
			}
			stored, err := s.RecordVotes(ctx, batch)
			if !assertNoErr(t, err) {
				return
			}
			mu.Lock()
			for _, ok := range stored {
				if ok {
					total++
				}
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	require.Equal(t, 100, total, "each of the 100 identities counted once across concurrent batches")
	counts, err := s.VoteCounts(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.EqualValues(t, 100, counts[0].Votes)
}

func assertNoErr(t *testing.T, err error) bool {
	if err != nil {
		t.Error(err)
		return false
	}
	return true
}

func testContestScoping(t *testing.T, s store.Store) {
	u := NewUser(t, s, "contest@scope.example")
	a := NewWorkspace(t, s, "contest-a", u.ID)
	b := NewWorkspace(t, s, "contest-b", u.ID)
	c := NewContest(t, s, a.ID, "scope-a", store.ContestPhoto)
	e := store.ContestEntry{WorkspaceID: a.ID, ContestID: c.ID, Title: "x"}
	require.NoError(t, s.CreateEntry(ctx, &e))
	_, err := s.Contest(ctx, b.ID, c.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.Entry(ctx, b.ID, e.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	other := store.ContestEntry{WorkspaceID: b.ID, ContestID: c.ID, Title: "y"}
	require.ErrorIs(t, s.CreateEntry(ctx, &other), store.ErrNotFound)
	require.ErrorIs(t, s.ModerateEntry(ctx, b.ID, e.ID, store.EntryApproved, ""), store.ErrNotFound)
	stored, err := s.RecordVotes(ctx, []store.Vote{{WorkspaceID: b.ID, ContestID: c.ID, EntryID: e.ID, Identity: "x", Period: "all"}})
	require.NoError(t, err)
	require.Equal(t, []bool{false}, stored)
	require.ErrorIs(t, s.AddContestAudit(ctx, b.ID, store.ContestAudit{ContestID: c.ID, Action: "x"}), store.ErrNotFound)
	require.ErrorIs(t, s.DeleteContest(ctx, b.ID, c.ID), store.ErrNotFound)
}

func testContestPurge(t *testing.T, s store.Store) {
	u := NewUser(t, s, "contest@purge.example")
	w := NewWorkspace(t, s, "contest-purge", u.ID)
	c := NewContest(t, s, w.ID, "purge", store.ContestPhoto)
	keep := NewContest(t, s, w.ID, "purge-keep", store.ContestPhoto)
	for _, k := range []store.Contest{c, keep} {
		e := store.ContestEntry{WorkspaceID: w.ID, ContestID: k.ID, Title: "Sunset", Name: "Ada", Email: "ada@example.org", Country: "FR", Status: store.EntryApproved}
		require.NoError(t, s.CreateEntry(ctx, &e))
		_, err := s.RecordVotes(ctx, []store.Vote{{WorkspaceID: w.ID, ContestID: k.ID, EntryID: e.ID, Identity: "who", Period: "all", NetBlock: "192.0.2.0/24", Device: "d"}})
		require.NoError(t, err)
	}
	c.RetentionDays, keep.RetentionDays = 1, 30
	require.NoError(t, s.UpdateContest(ctx, &c))
	require.NoError(t, s.UpdateContest(ctx, &keep))
	later := c.VoteCloses.Add(2 * 24 * time.Hour)
	ne, nv, err := s.PurgeContestData(ctx, later)
	require.NoError(t, err)
	require.EqualValues(t, 1, ne)
	require.EqualValues(t, 1, nv)
	es, err := s.Entries(ctx, w.ID, c.ID, "")
	require.NoError(t, err)
	require.Empty(t, es[0].Email)
	require.Equal(t, "Sunset", es[0].Title, "the entry itself stays")
	counts, err := s.VoteCounts(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, counts[0].Votes, "the tally stays")
	mine, err := s.VotesByIdentity(ctx, w.ID, "who")
	require.NoError(t, err)
	require.Len(t, mine, 1, "the other contest is within its retention")
	ne, nv, err = s.PurgeContestData(ctx, later)
	require.NoError(t, err)
	require.Zero(t, ne+nv, "purging twice changes nothing")
}
