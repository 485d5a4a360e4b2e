package storetest

import (
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

func testContestQuiz(t *testing.T, s store.Store) {
	u := NewUser(t, s, "contest@quiz.example")
	w := NewWorkspace(t, s, "contest-quiz", u.ID)
	c := NewContest(t, s, w.ID, "spring-quiz", store.ContestQuiz)
	c.Questions = []store.Question{{Prompt: "2+2?", Choices: []string{"3", "4"}, Correct: 1}}
	c.JuryWeight, c.Finalists, c.LogoMediaID = 40, 5, 0
	c.SourceChannelID, c.SourceRemoteID, c.Keyword = 7, "remote-1", "#win"
	require.NoError(t, s.UpdateContest(ctx, &c))
	got, err := s.ContestBySlug(ctx, "spring-quiz")
	require.NoError(t, err)
	require.Equal(t, c.Questions, got.Questions)
	require.Equal(t, 40, got.JuryWeight)
	require.Equal(t, 5, got.Finalists)
	require.Equal(t, "remote-1", got.SourceRemoteID)
	require.Equal(t, int64(7), got.SourceChannelID)
	require.Equal(t, "#win", got.Keyword)

	e := store.ContestEntry{WorkspaceID: w.ID, ContestID: c.ID, Title: "Ann", Name: "Ann", Email: "ann@example.com", Status: store.EntryApproved,
		Identity: "id-ann", Answers: []int{1}, Score: 1}
	require.NoError(t, s.CreateEntry(ctx, &e))
	again := e
	again.ID = 0
	require.ErrorIs(t, s.CreateEntry(ctx, &again), store.ErrConflict, "one entry per identity")
	plain := store.ContestEntry{WorkspaceID: w.ID, ContestID: c.ID, Title: "Bob"}
	require.NoError(t, s.CreateEntry(ctx, &plain))
	plain2 := store.ContestEntry{WorkspaceID: w.ID, ContestID: c.ID, Title: "Carl"}
	require.NoError(t, s.CreateEntry(ctx, &plain2), "entries without identity are not unique")
	ge, err := s.Entry(ctx, w.ID, e.ID)
	require.NoError(t, err)
	require.Equal(t, []int{1}, ge.Answers)
	require.Equal(t, 1, ge.Score)
	require.Equal(t, "id-ann", ge.Identity)
	require.NoError(t, s.EraseEntry(ctx, w.ID, e.ID))
	ge, err = s.Entry(ctx, w.ID, e.ID)
	require.NoError(t, err)
	require.Empty(t, ge.Identity, "erasure blanks the identity")
}

func testContestJury(t *testing.T, s store.Store) {
	u := NewUser(t, s, "contest@jury.example")
	juror := NewUser(t, s, "juror@jury.example")
	outsider := NewUser(t, s, "outsider@jury.example")
	w := NewWorkspace(t, s, "contest-jury", u.ID)
	require.NoError(t, s.AddMember(ctx, w.ID, juror.ID, store.RoleViewer))
	other := NewWorkspace(t, s, "contest-jury-other", outsider.ID)
	c := NewContest(t, s, w.ID, "jury-photo", store.ContestPhoto)
	e := store.ContestEntry{WorkspaceID: w.ID, ContestID: c.ID, Title: "A", Status: store.EntryApproved}
	require.NoError(t, s.CreateEntry(ctx, &e))

	require.NoError(t, s.SetContestJury(ctx, w.ID, c.ID, []int64{juror.ID, outsider.ID}))
	jury, err := s.ContestJury(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.Equal(t, []int64{juror.ID}, jury, "only workspace members sit on the jury")
	require.ErrorIs(t, s.SetContestJury(ctx, other.ID, c.ID, []int64{outsider.ID}), store.ErrNotFound)

	require.NoError(t, s.SetJuryScore(ctx, w.ID, c.ID, store.JuryScore{EntryID: e.ID, UserID: juror.ID, Score: 7}))
	require.NoError(t, s.SetJuryScore(ctx, w.ID, c.ID, store.JuryScore{EntryID: e.ID, UserID: juror.ID, Score: 9}))
	require.ErrorIs(t, s.SetJuryScore(ctx, w.ID, c.ID, store.JuryScore{EntryID: e.ID, UserID: u.ID, Score: 9}), store.ErrNotFound, "not on the jury")
	require.ErrorIs(t, s.SetJuryScore(ctx, other.ID, c.ID, store.JuryScore{EntryID: e.ID, UserID: juror.ID, Score: 9}), store.ErrNotFound)
	scores, err := s.JuryScores(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.Len(t, scores, 1)
	require.Equal(t, 9, scores[0].Score)
	none, err := s.JuryScores(ctx, other.ID, c.ID)
	require.NoError(t, err)
	require.Empty(t, none)

	require.NoError(t, s.SetContestJury(ctx, w.ID, c.ID, nil))
	jury, err = s.ContestJury(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.Empty(t, jury)
}

func testContestSharedLimits(t *testing.T, s store.Store) {
	now := time.Now().UTC().Truncate(time.Millisecond)
	nonce := "n-" + now.Format("150405.000000")
	ok, err := s.SpendChallenge(ctx, nonce, now.Add(10*time.Minute))
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = s.SpendChallenge(ctx, nonce, now.Add(10*time.Minute))
	require.NoError(t, err)
	require.False(t, ok, "a challenge is used once")

	bucket := "vote/198.51.100.0/24-" + nonce
	for i := 0; i < 3; i++ {
		ok, err := s.TakeRateToken(ctx, bucket, 60, 3, now)
		require.NoError(t, err)
		require.True(t, ok, "token %d of the burst", i)
	}
	ok, err = s.TakeRateToken(ctx, bucket, 60, 3, now)
	require.NoError(t, err)
	require.False(t, ok, "the burst is spent")
	ok, err = s.TakeRateToken(ctx, bucket, 60, 3, now.Add(500*time.Millisecond))
	require.NoError(t, err)
	require.False(t, ok, "half a token refilled")
	ok, err = s.TakeRateToken(ctx, bucket, 60, 3, now.Add(1100*time.Millisecond))
	require.NoError(t, err)
	require.True(t, ok, "a token a second refills")

	require.NoError(t, s.PruneContestLimits(ctx, now.Add(2*time.Hour)))
	ok, err = s.SpendChallenge(ctx, nonce, now.Add(3*time.Hour))
	require.NoError(t, err)
	require.True(t, ok, "expired challenges are pruned")
	ok, err = s.TakeRateToken(ctx, bucket, 60, 3, now.Add(2*time.Hour))
	require.NoError(t, err)
	require.True(t, ok)
}

func testContestOAuthApps(t *testing.T, s store.Store) {
	inst := "https://social.example/" + time.Now().Format("150405.000000")
	_, _, err := s.ContestOAuthApp(ctx, inst)
	require.ErrorIs(t, err, store.ErrNotFound)
	require.NoError(t, s.SaveContestOAuthApp(ctx, inst, "first", []byte{1, 2}, time.Now()))
	require.NoError(t, s.SaveContestOAuthApp(ctx, inst, "second", []byte{3}, time.Now()))
	id, enc, err := s.ContestOAuthApp(ctx, inst)
	require.NoError(t, err)
	require.Equal(t, "first", id, "the first registration stays")
	require.Equal(t, []byte{1, 2}, enc)
}
