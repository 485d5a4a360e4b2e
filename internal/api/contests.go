package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/contest"
	"github.com/relais/relais/internal/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		op := func(method, path, id, summary string, status int) huma.Operation {
			return huma.Operation{OperationID: id, Method: method, Path: "/api/v1" + path, Summary: summary, Tags: []string{"Contests"},
				DefaultStatus: status, MaxBodyBytes: 64 << 10}
		}
		huma.Register(h.api, op(http.MethodGet, "/contests", "list-contests", "The workspace's contests, newest first", 200), h.listContests)
		huma.Register(h.api, op(http.MethodPost, "/contests", "create-contest", "Create a contest (photo, video, candidates, giveaway, quiz or comment-to-enter giveaway) served at /c/{slug}", 201), h.createContest)
		huma.Register(h.api, op(http.MethodGet, "/contests/{id}", "get-contest", "A contest with its live standings (valid, flagged and void votes per entry)", 200), h.getContest)
		huma.Register(h.api, op(http.MethodGet, "/contests/{id}/entries", "list-contest-entries", "A contest's entries with the entrants' contact and consent", 200), h.listContestEntries)
		huma.Register(h.api, op(http.MethodPost, "/contests/{id}/entries", "add-contest-candidate", "Add an approved candidate", 201), h.addContestCandidate)
		huma.Register(h.api, op(http.MethodPost, "/contests/{id}/entries/{entry_id}/moderate", "moderate-contest-entry", "Approve or reject an entry; the entrant is told by e-mail", 200), h.moderateContestEntry)
		huma.Register(h.api, op(http.MethodGet, "/contests/{id}/votes", "list-contest-votes", "A contest's votes with their anomaly scores and signals, newest first", 200), h.listContestVotes)
		huma.Register(h.api, op(http.MethodPost, "/contests/{id}/votes/{vote_id}/void", "void-contest-vote", "Void a vote under the published rules (it stays stored, with the reason)", 204), h.voidContestVote)
		huma.Register(h.api, op(http.MethodPost, "/contests/{id}/commit", "commit-contest-draw", "Close entries now and publish the SHA-256 of the draw seed and of the entry ids", 200), h.commitContest)
		huma.Register(h.api, op(http.MethodPost, "/contests/{id}/draw", "draw-contest", "Reveal the seed and draw the winners among the committed entries", 200), h.drawContest)
		huma.Register(h.api, op(http.MethodGet, "/contests/{id}/audit", "contest-audit", "A contest's audit log, oldest first", 200), h.contestAudit)
		huma.Register(h.api, op(http.MethodPost, "/contests/{id}/comments", "read-contest-comments", "Read the comments under a comment-to-enter giveaway's post and add their distinct authors as entrants (until entries close)", 200), h.readContestComments)
		huma.Register(h.api, op(http.MethodPut, "/contests/{id}/branding", "set-contest-branding", "Set the public pages' accent colour (checked for WCAG AA contrast) and logo (an image of the media library)", 200), h.setContestBranding)
		huma.Register(h.api, op(http.MethodGet, "/contests/{id}/jury", "get-contest-jury", "The jury, its scores and the final ranking combining jury and public vote", 200), h.getContestJury)
		huma.Register(h.api, op(http.MethodPut, "/contests/{id}/jury", "set-contest-jury", "Choose the jury among the workspace's members", 200), h.setContestJury)
		huma.Register(h.api, op(http.MethodPost, "/contests/{id}/jury/scores", "score-contest-entry", "Score a finalist from 0 to 10 as a juror (the caller must sit on the jury)", 204), h.scoreContestEntry)
		huma.Register(h.api, op(http.MethodPost, "/contests/personal-data/export", "export-contest-personal-data", "What relais holds about an entrant or voter, by e-mail address", 200), h.exportContestData)
		huma.Register(h.api, op(http.MethodPost, "/contests/personal-data/erase", "erase-contest-personal-data", "Erase an entrant's or voter's data, by e-mail address", 200), h.eraseContestData)
	})
}

// ContestFields are a contest's settings.
type ContestFields struct {
	Slug            string         `json:"slug" maxLength:"60" doc:"Public address /c/{slug}: 3 to 60 lowercase letters, digits or hyphens"`
	Title           string         `json:"title" maxLength:"200"`
	Description     string         `json:"description,omitempty" maxLength:"5000"`
	Kind            string         `json:"kind" enum:"photo,video,candidates,giveaway,quiz,comments"`
	EntryOpens      time.Time      `json:"entry_opens"`
	EntryCloses     time.Time      `json:"entry_closes"`
	VoteOpens       time.Time      `json:"vote_opens"`
	VoteCloses      time.Time      `json:"vote_closes"`
	VotePeriod      string         `json:"vote_period,omitempty" enum:"contest,day" doc:"One vote per identity for the whole contest or per UTC day (default contest)"`
	Prizes          string         `json:"prizes,omitempty" maxLength:"2000"`
	RulesText       string         `json:"rules_text,omitempty" maxLength:"20000" doc:"The organiser's legal text, shown after the rules relais writes from the fields"`
	MinAge          int            `json:"min_age,omitempty" minimum:"0" maximum:"120"`
	Countries       []string       `json:"countries,omitempty" maxItems:"250" doc:"Eligible ISO country codes (empty: everywhere)"`
	Lang            string         `json:"lang,omitempty" enum:"en,fr,de" doc:"Language of the public pages (default en)"`
	Winners         int            `json:"winners,omitempty" minimum:"0" maximum:"100" doc:"Winners drawn (default 1)"`
	RetentionDays   int            `json:"retention_days,omitempty" minimum:"0" maximum:"3650" doc:"Days the entrants' data is kept after the contest (default 90)"`
	Questions       []QuestionBody `json:"questions,omitempty" maxItems:"50" doc:"A quiz's questions (kind quiz only)"`
	JuryWeight      int            `json:"jury_weight,omitempty" minimum:"0" maximum:"100" doc:"The jury's share of the final ranking in percent (0: no jury stage)"`
	Finalists       int            `json:"finalists,omitempty" minimum:"0" maximum:"1000" doc:"How many of the public vote's best the jury scores (0: all)"`
	Accent          string         `json:"accent,omitempty" maxLength:"7" doc:"Accent colour #rrggbb of the public pages; white text on it needs a 4.5:1 contrast"`
	LogoMediaID     int64          `json:"logo_media_id,omitempty" doc:"Logo of the public pages: an image of the media library"`
	SourceChannelID int64          `json:"source_channel_id,omitempty" doc:"Comment-to-enter: the channel of the post"`
	SourceRemoteID  string         `json:"source_remote_id,omitempty" maxLength:"500" doc:"Comment-to-enter: the post's id on its network (a publication's remote_id)"`
	Keyword         string         `json:"keyword,omitempty" maxLength:"100" doc:"Comment-to-enter: a word or hashtag the comment must contain"`
}

// QuestionBody is a quiz question.
type QuestionBody struct {
	Prompt  string   `json:"prompt" maxLength:"500"`
	Choices []string `json:"choices" minItems:"2" maxItems:"10"`
	Correct int      `json:"correct" minimum:"0" maximum:"9" doc:"Index of the right choice"`
}

// ContestInput creates a contest.
type ContestInput struct {
	Body ContestFields
}

// ContestOutput is one contest.
type ContestOutput struct {
	Body contest.ContestView
}

// ContestsOutput lists contests.
type ContestsOutput struct {
	Body struct {
		Contests []contest.ContestView `json:"contests"`
	}
}

func (h *Handler) listContests(ctx context.Context, _ *struct{}) (*ContestsOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	list, err := h.d.Store.Contests(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &ContestsOutput{}
	out.Body.Contests = []contest.ContestView{}
	for _, c := range list {
		out.Body.Contests = append(out.Body.Contests, h.d.Contests.View(c))
	}
	return out, nil
}

func (h *Handler) createContest(ctx context.Context, in *ContestInput) (*ContestOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	f := in.Body
	c := store.Contest{WorkspaceID: p.Workspace.ID, Slug: f.Slug, Title: f.Title, Description: f.Description, Kind: f.Kind,
		EntryOpens: f.EntryOpens.UTC(), EntryCloses: f.EntryCloses.UTC(), VoteOpens: f.VoteOpens.UTC(), VoteCloses: f.VoteCloses.UTC(),
		VotePeriod: f.VotePeriod, Prizes: f.Prizes, RulesText: f.RulesText, MinAge: f.MinAge, Countries: f.Countries, Lang: f.Lang,
		Winners: f.Winners, RetentionDays: f.RetentionDays, CreatedBy: p.User.ID, JuryWeight: f.JuryWeight, Finalists: f.Finalists, Accent: f.Accent,
		LogoMediaID: f.LogoMediaID, SourceChannelID: f.SourceChannelID, SourceRemoteID: f.SourceRemoteID, Keyword: f.Keyword}
	for _, q := range f.Questions {
		c.Questions = append(c.Questions, store.Question{Prompt: q.Prompt, Choices: q.Choices, Correct: q.Correct})
	}
	if err := h.d.Contests.Create(ctx, &c, actorOf(p)); err != nil {
		return nil, h.fail(err)
	}
	return &ContestOutput{Body: h.d.Contests.View(c)}, nil
}

func actorOf(p auth.Principal) string { return "api:" + p.User.Email }

// contestOf reads one of the caller's contests.
func (h *Handler) contestOf(ctx context.Context, a auth.Action, id int64) (auth.Principal, store.Contest, error) {
	p, err := h.need(ctx, a)
	if err != nil {
		return p, store.Contest{}, err
	}
	c, err := h.d.Store.Contest(ctx, p.Workspace.ID, id)
	if err != nil {
		return p, c, h.fail(err)
	}
	return p, c, nil
}

// ContestReportOutput is a contest with its standings.
type ContestReportOutput struct {
	Body struct {
		Contest   contest.ContestView `json:"contest"`
		Standings []contest.Standing  `json:"standings"`
	}
}

func (h *Handler) getContest(ctx context.Context, in *IDInput) (*ContestReportOutput, error) {
	_, c, err := h.contestOf(ctx, auth.ActView, in.ID)
	if err != nil {
		return nil, err
	}
	st, err := h.d.Contests.Results(ctx, c)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &ContestReportOutput{}
	out.Body.Contest, out.Body.Standings = h.d.Contests.View(c), append([]contest.Standing{}, st...)
	return out, nil
}

// ContestEntriesInput filters entries.
type ContestEntriesInput struct {
	ID     int64  `path:"id"`
	Status string `query:"status" enum:"pending,approved,rejected," doc:"Only entries in this state"`
}

// ContestEntriesOutput lists entries.
type ContestEntriesOutput struct {
	Body struct {
		Entries []contest.EntryView `json:"entries"`
	}
}

func (h *Handler) listContestEntries(ctx context.Context, in *ContestEntriesInput) (*ContestEntriesOutput, error) {
	p, c, err := h.contestOf(ctx, auth.ActView, in.ID)
	if err != nil {
		return nil, err
	}
	es, err := h.d.Store.Entries(ctx, p.Workspace.ID, c.ID, in.Status)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &ContestEntriesOutput{}
	out.Body.Entries = contest.ViewEntries(es)
	return out, nil
}

// CandidateInput adds a candidate.
type CandidateInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Title string `json:"title" maxLength:"200"`
	}
}

// EntryOutput is one entry.
type EntryOutput struct {
	Body contest.EntryView
}

func (h *Handler) addContestCandidate(ctx context.Context, in *CandidateInput) (*EntryOutput, error) {
	p, c, err := h.contestOf(ctx, auth.ActCompose, in.ID)
	if err != nil {
		return nil, err
	}
	e, err := h.d.Contests.AddCandidate(ctx, c, in.Body.Title, actorOf(p))
	if err != nil {
		return nil, h.fail(err)
	}
	return &EntryOutput{Body: contest.ViewEntry(e)}, nil
}

// ModerateInput approves or rejects an entry.
type ModerateInput struct {
	ID      int64 `path:"id"`
	EntryID int64 `path:"entry_id"`
	Body    struct {
		Status string `json:"status" enum:"approved,rejected"`
		Reason string `json:"reason,omitempty" maxLength:"500" doc:"Required to reject; told to the entrant"`
	}
}

func (h *Handler) moderateContestEntry(ctx context.Context, in *ModerateInput) (*EntryOutput, error) {
	p, c, err := h.contestOf(ctx, auth.ActCompose, in.ID)
	if err != nil {
		return nil, err
	}
	e, err := h.d.Store.Entry(ctx, p.Workspace.ID, in.EntryID)
	if err != nil || e.ContestID != c.ID {
		return nil, h.fail(store.ErrNotFound)
	}
	e, err = h.d.Contests.Moderate(ctx, p.Workspace.ID, e.ID, in.Body.Status, in.Body.Reason, actorOf(p))
	if err != nil {
		return nil, h.fail(err)
	}
	return &EntryOutput{Body: contest.ViewEntry(e)}, nil
}

// ContestVotesInput filters votes.
type ContestVotesInput struct {
	ID      int64 `path:"id"`
	Flagged bool  `query:"flagged" doc:"Only flagged votes"`
	EntryID int64 `query:"entry_id" doc:"Only this entry's votes"`
	Limit   int   `query:"limit" minimum:"1" maximum:"100000" default:"1000"`
}

// ContestVotesOutput lists votes.
type ContestVotesOutput struct {
	Body struct {
		Votes []contest.VoteView `json:"votes"`
	}
}

func (h *Handler) listContestVotes(ctx context.Context, in *ContestVotesInput) (*ContestVotesOutput, error) {
	p, c, err := h.contestOf(ctx, auth.ActView, in.ID)
	if err != nil {
		return nil, err
	}
	vs, err := h.d.Store.Votes(ctx, p.Workspace.ID, c.ID, store.VoteFilter{FlaggedOnly: in.Flagged, EntryID: in.EntryID, Limit: in.Limit})
	if err != nil {
		return nil, h.fail(err)
	}
	out := &ContestVotesOutput{}
	out.Body.Votes = contest.ViewVotes(vs)
	return out, nil
}

// VoidInput voids a vote.
type VoidInput struct {
	ID     int64 `path:"id"`
	VoteID int64 `path:"vote_id"`
	Body   struct {
		Reason string `json:"reason" maxLength:"500"`
	}
}

func (h *Handler) voidContestVote(ctx context.Context, in *VoidInput) (*struct{}, error) {
	p, c, err := h.contestOf(ctx, auth.ActCompose, in.ID)
	if err != nil {
		return nil, err
	}
	if err := h.d.Contests.VoidVote(ctx, p.Workspace.ID, c.ID, in.VoteID, in.Body.Reason, actorOf(p)); err != nil {
		return nil, h.fail(err)
	}
	return nil, nil
}

func (h *Handler) contestFail(err error) error {
	switch {
	case errors.Is(err, contest.ErrNotCommitted):
		return &ErrorBody{status: http.StatusConflict, Detail: ErrorDetail{Code: "not_committed", Message: err.Error()}}
	case errors.Is(err, contest.ErrNoEntries):
		return &ErrorBody{status: http.StatusConflict, Detail: ErrorDetail{Code: "no_entries", Message: err.Error()}}
	case errors.Is(err, contest.ErrChanged):
		return &ErrorBody{status: http.StatusConflict, Detail: ErrorDetail{Code: "entries_changed", Message: err.Error()}}
	case errors.Is(err, contest.ErrFrozen):
		return &ErrorBody{status: http.StatusConflict, Detail: ErrorDetail{Code: "frozen", Message: err.Error()}}
	}
	return h.fail(err)
}

func (h *Handler) commitContest(ctx context.Context, in *IDInput) (*ContestOutput, error) {
	p, c, err := h.contestOf(ctx, auth.ActCompose, in.ID)
	if err != nil {
		return nil, err
	}
	c, err = h.d.Contests.CloseEntries(ctx, p.Workspace.ID, c.ID, actorOf(p))
	if err != nil {
		return nil, h.contestFail(err)
	}
	return &ContestOutput{Body: h.d.Contests.View(c)}, nil
}

func (h *Handler) drawContest(ctx context.Context, in *IDInput) (*ContestOutput, error) {
	p, c, err := h.contestOf(ctx, auth.ActCompose, in.ID)
	if err != nil {
		return nil, err
	}
	c, err = h.d.Contests.Draw(ctx, p.Workspace.ID, c.ID, actorOf(p))
	if err != nil {
		return nil, h.contestFail(err)
	}
	return &ContestOutput{Body: h.d.Contests.View(c)}, nil
}

// ContestAuditOutput is the audit log.
type ContestAuditOutput struct {
	Body struct {
		Audit []store.ContestAudit `json:"audit"`
	}
}

func (h *Handler) contestAudit(ctx context.Context, in *IDInput) (*ContestAuditOutput, error) {
	p, c, err := h.contestOf(ctx, auth.ActView, in.ID)
	if err != nil {
		return nil, err
	}
	log, err := h.d.Store.ContestAuditLog(ctx, p.Workspace.ID, c.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &ContestAuditOutput{}
	out.Body.Audit = append([]store.ContestAudit{}, log...)
	return out, nil
}

// PersonInput names an entrant or voter.
type PersonInput struct {
	Body struct {
		Email string `json:"email" maxLength:"320"`
	}
}

// PersonalDataOutput is what relais holds about a person.
type PersonalDataOutput struct {
	Body struct {
		Email   string              `json:"email"`
		Entries []contest.EntryView `json:"entries"`
		Votes   []contest.VoteView  `json:"votes"`
	}
}

func (h *Handler) exportContestData(ctx context.Context, in *PersonInput) (*PersonalDataOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	d, err := h.d.Contests.Export(ctx, p.Workspace.ID, in.Body.Email)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &PersonalDataOutput{}
	out.Body.Email, out.Body.Entries, out.Body.Votes = d.Email, contest.ViewEntries(d.Entries), contest.ViewVotes(d.Votes)
	return out, nil
}

// ErasedOutput counts what was erased.
type ErasedOutput struct {
	Body struct {
		EntriesErased int64 `json:"entries_erased"`
		VotesErased   int64 `json:"votes_erased"`
	}
}

func (h *Handler) eraseContestData(ctx context.Context, in *PersonInput) (*ErasedOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	ne, nv, err := h.d.Contests.Erase(ctx, p.Workspace.ID, in.Body.Email, actorOf(p))
	if err != nil {
		return nil, h.fail(err)
	}
	out := &ErasedOutput{}
	out.Body.EntriesErased, out.Body.VotesErased = ne, nv
	return out, nil
}

// CommentImportOutput is what reading a post's comments found.
type CommentImportOutput struct {
	Body contest.CommentImport
}

func (h *Handler) readContestComments(ctx context.Context, in *IDInput) (*CommentImportOutput, error) {
	p, c, err := h.contestOf(ctx, auth.ActCompose, in.ID)
	if err != nil {
		return nil, err
	}
	res, err := h.d.Contests.ImportComments(ctx, p.Workspace.ID, c.ID, actorOf(p))
	if err != nil {
		return nil, h.contestFail(err)
	}
	return &CommentImportOutput{Body: res}, nil
}

// BrandingInput sets a contest's branding.
type BrandingInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Accent      string `json:"accent" maxLength:"7" doc:"#rrggbb, or empty for the default; white text on it needs a 4.5:1 contrast (WCAG AA)"`
		LogoMediaID int64  `json:"logo_media_id" doc:"An image of the media library, or 0 for none"`
	}
}

func (h *Handler) setContestBranding(ctx context.Context, in *BrandingInput) (*ContestOutput, error) {
	p, c, err := h.contestOf(ctx, auth.ActCompose, in.ID)
	if err != nil {
		return nil, err
	}
	c, err = h.d.Contests.SetBranding(ctx, p.Workspace.ID, c.ID, in.Body.Accent, in.Body.LogoMediaID, actorOf(p))
	if err != nil {
		return nil, h.fail(err)
	}
	return &ContestOutput{Body: h.d.Contests.View(c)}, nil
}

// JuryOutput is a contest's jury stage.
type JuryOutput struct {
	Body struct {
		JuryWeight int               `json:"jury_weight"`
		UserIDs    []int64           `json:"user_ids"`
		Scores     []store.JuryScore `json:"scores"`
		Ranking    []contest.Ranked  `json:"ranking"`
	}
}

func (h *Handler) juryOf(ctx context.Context, c store.Contest) (*JuryOutput, error) {
	out := &JuryOutput{}
	var err error
	out.Body.JuryWeight = c.JuryWeight
	if out.Body.UserIDs, err = h.d.Store.ContestJury(ctx, c.WorkspaceID, c.ID); err == nil {
		if out.Body.Scores, err = h.d.Store.JuryScores(ctx, c.WorkspaceID, c.ID); err == nil {
			out.Body.Ranking, err = h.d.Contests.FinalRanking(ctx, c)
		}
	}
	if err != nil {
		return nil, h.fail(err)
	}
	out.Body.UserIDs = append([]int64{}, out.Body.UserIDs...)
	out.Body.Scores = append([]store.JuryScore{}, out.Body.Scores...)
	out.Body.Ranking = append([]contest.Ranked{}, out.Body.Ranking...)
	return out, nil
}

func (h *Handler) getContestJury(ctx context.Context, in *IDInput) (*JuryOutput, error) {
	_, c, err := h.contestOf(ctx, auth.ActView, in.ID)
	if err != nil {
		return nil, err
	}
	return h.juryOf(ctx, c)
}

// JuryInput chooses the jury.
type JuryInput struct {
	ID   int64 `path:"id"`
	Body struct {
		UserIDs []int64 `json:"user_ids" maxItems:"50" doc:"Members of the workspace; others are left out"`
	}
}

func (h *Handler) setContestJury(ctx context.Context, in *JuryInput) (*JuryOutput, error) {
	p, c, err := h.contestOf(ctx, auth.ActCompose, in.ID)
	if err != nil {
		return nil, err
	}
	if _, err := h.d.Contests.SetJury(ctx, p.Workspace.ID, c.ID, in.Body.UserIDs, actorOf(p)); err != nil {
		return nil, h.fail(err)
	}
	return h.juryOf(ctx, c)
}

// JuryScoreInput is a juror's score of a finalist.
type JuryScoreInput struct {
	ID   int64 `path:"id"`
	Body struct {
		EntryID int64 `json:"entry_id"`
		Score   int   `json:"score" minimum:"0" maximum:"10"`
	}
}

func (h *Handler) scoreContestEntry(ctx context.Context, in *JuryScoreInput) (*struct{}, error) {
	p, c, err := h.contestOf(ctx, auth.ActView, in.ID)
	if err != nil {
		return nil, err
	}
	if err := h.d.Contests.ScoreEntry(ctx, p.Workspace.ID, c.ID, in.Body.EntryID, p.User.ID, in.Body.Score, actorOf(p)); err != nil {
		return nil, h.fail(err)
	}
	return nil, nil
}
