package contest

import (
	"context"
	"fmt"
	"sort"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// The jury stage (methods.md §6, "hybrid result"): the public vote's best
// entries (the finalists) are scored 0 to 10 by a jury of workspace members,
// and the final ranking combines both with the published weight:
//
//	public = valid votes of the entry / valid votes of the finalists' best (0 when nobody voted)
//	jury   = mean of the jurors' scores / 10 (0 while no juror scored it)
//	final  = (100 − jury_weight)/100 × public + jury_weight/100 × jury
//
// ties by entry id.

// Ranked is a finalist with its public, jury and final scores.
type Ranked struct {
	Standing
	Public   float64 `json:"public"`
	JuryMean float64 `json:"jury_mean"`
	Jurors   int     `json:"jurors"`
	Final    float64 `json:"final"`
}

// MaxJuryScore is the highest score a juror gives.
const MaxJuryScore = 10

// Finalists are the entries the jury scores: the public vote's best
// Finalists (all approved entries when 0).
func (s *Service) Finalists(ctx context.Context, c store.Contest) ([]Standing, error) {
	st, err := s.Results(ctx, c)
	if err != nil {
		return nil, err
	}
	if c.Finalists > 0 && len(st) > c.Finalists {
		st = st[:c.Finalists]
	}
	return st, nil
}

// FinalRanking ranks the finalists by the weighted public and jury scores.
func (s *Service) FinalRanking(ctx context.Context, c store.Contest) ([]Ranked, error) {
	fin, err := s.Finalists(ctx, c)
	if err != nil {
		return nil, err
	}
	scores, err := s.Store.JuryScores(ctx, c.WorkspaceID, c.ID)
	if err != nil {
		return nil, err
	}
	sum, n := map[int64]int{}, map[int64]int{}
	for _, sc := range scores {
		sum[sc.EntryID] += sc.Score
		n[sc.EntryID]++
	}
	var top int64
	for _, f := range fin {
		top = max(top, f.Votes)
	}
	w := float64(c.JuryWeight) / 100
	out := make([]Ranked, len(fin))
	for i, f := range fin {
		r := Ranked{Standing: f, Jurors: n[f.Entry.ID]}
		if top > 0 {
			r.Public = float64(f.Votes) / float64(top)
		}
		if r.Jurors > 0 {
			r.JuryMean = float64(sum[f.Entry.ID]) / float64(r.Jurors)
		}
		r.Final = (1-w)*r.Public + w*r.JuryMean/MaxJuryScore
		out[i] = r
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Final != out[j].Final {
			return out[i].Final > out[j].Final
		}
		return out[i].Entry.ID < out[j].Entry.ID
	})
	return out, nil
}

// SetJury chooses the jury among the workspace's members.
func (s *Service) SetJury(ctx context.Context, workspaceID, id int64, userIDs []int64, actor string) ([]int64, error) {
	c, err := s.Store.Contest(ctx, workspaceID, id)
	if err != nil {
		return nil, err
	}
	if c.JuryWeight == 0 {
		return nil, valid.Errorf("jury", "invalid", "jury: this contest has no jury stage (jury_weight is 0)")
	}
	if len(userIDs) > 50 {
		return nil, valid.Errorf("jury", "range", "jury: at most 50 members; got %d", len(userIDs))
	}
	if err := s.Store.SetContestJury(ctx, workspaceID, id, userIDs); err != nil {
		return nil, err
	}
	got, err := s.Store.ContestJury(ctx, workspaceID, id)
	if err != nil {
		return nil, err
	}
	s.audit(ctx, workspaceID, id, actor, "jury", fmt.Sprintf("jury set: users %v", got))
	return got, nil
}

// ScoreEntry records a juror's score of a finalist.
func (s *Service) ScoreEntry(ctx context.Context, workspaceID, id, entryID, userID int64, score int, actor string) error {
	if score < 0 || score > MaxJuryScore {
		return valid.Errorf("score", "range", "score must be between 0 and %d; got %d", MaxJuryScore, score)
	}
	c, err := s.Store.Contest(ctx, workspaceID, id)
	if err != nil {
		return err
	}
	fin, err := s.Finalists(ctx, c)
	if err != nil {
		return err
	}
	found := false
	for _, f := range fin {
		found = found || f.Entry.ID == entryID
	}
	if !found {
		return valid.Errorf("entry_id", "invalid", "entry_id: entry %d is not a finalist", entryID)
	}
	if err := s.Store.SetJuryScore(ctx, workspaceID, id, store.JuryScore{EntryID: entryID, UserID: userID, Score: score, At: s.now()}); err != nil {
		return err
	}
	s.audit(ctx, workspaceID, id, actor, "jury_score", fmt.Sprintf("entry %d scored %d by user %d", entryID, score, userID))
	return nil
}

// IsJuror tells whether a user sits on the contest's jury.
func (s *Service) IsJuror(ctx context.Context, c store.Contest, userID int64) bool {
	ids, err := s.Store.ContestJury(ctx, c.WorkspaceID, c.ID)
	if err != nil {
		return false
	}
	for _, id := range ids {
		if id == userID {
			return true
		}
	}
	return false
}
