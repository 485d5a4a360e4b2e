package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/contest"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// contestsData is the contests page.
type contestsData struct {
	Contests []store.Contest
	Kinds    []string
	Langs    []string
	// Sources are the published posts a comment-to-enter giveaway can read.
	Sources []contestSource
	// Logos are the media library's images for the branding.
	Logos []store.Media
}

// contestSource is a published post of a channel that reads comments.
type contestSource struct {
	Value string // "channelID:remoteID"
	Label string
}

// contests lists the workspace's contests with the create form.
func (h *handler) contests(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "contest.title")
	now := time.Now().UTC().Truncate(time.Hour)
	p.Form["kind"], p.Form["lang"], p.Form["winners"], p.Form["vote_period"] = store.ContestPhoto, p.Lang, "1", "contest"
	p.Form["entry_opens"], p.Form["entry_closes"] = now.Format("2006-01-02T15:04"), now.Add(14*24*time.Hour).Format("2006-01-02T15:04")
	p.Form["vote_opens"], p.Form["vote_closes"] = now.Format("2006-01-02T15:04"), now.Add(21*24*time.Hour).Format("2006-01-02T15:04")
	h.renderContests(w, r, http.StatusOK, p)
}

func (h *handler) renderContests(w http.ResponseWriter, r *http.Request, status int, p *page) {
	list, err := h.d.Store.Contests(r.Context(), visitOf(r).P.Workspace.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := contestsData{Contests: list, Kinds: contest.Kinds, Langs: contest.Langs}
	ws := visitOf(r).P.Workspace.ID
	if d.Sources, err = h.contestSources(r, ws); err == nil {
		d.Logos, err = h.d.Store.ListMedia(r.Context(), ws, 100, 0, store.MediaImage)
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p.Data = d
	h.render(w, r, status, "contests", p)
}

// contestSources lists the last 30 days' publications of the workspace's channels.
func (h *handler) contestSources(r *http.Request, ws int64) ([]contestSource, error) {
	chs, err := h.d.Store.Channels(r.Context(), ws)
	if err != nil {
		return nil, err
	}
	var out []contestSource
	for _, ch := range chs {
		pubs, err := h.d.Store.RecentPublications(r.Context(), ws, ch.ID, time.Now().AddDate(0, 0, -30), 20)
		if err != nil {
			return nil, err
		}
		for _, pub := range pubs {
			label := ch.DisplayName + " (" + ch.Network + ")"
			if pub.PublishedAt != nil {
				label += " · " + pub.PublishedAt.Format("2006-01-02 15:04")
			}
			if pub.URL != "" {
				label += " · " + pub.URL
			}
			out = append(out, contestSource{Value: fmt.Sprintf("%d:%s", ch.ID, pub.RemoteID), Label: label})
		}
	}
	return out, nil
}

// createContest creates a contest from the form (dates in the viewer's zone).
func (h *handler) createContest(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	p := h.newPage(r, "contest.title")
	fields := []string{"slug", "title", "description", "kind", "entry_opens", "entry_closes", "vote_opens", "vote_closes", "vote_period",
		"prizes", "rules_text", "min_age", "countries", "lang", "winners", "retention_days", "questions", "source", "keyword", "jury_weight", "finalists",
		"accent", "logo_media_id"}
	keep(p, r, fields...)
	loc := p.loc
	if loc == nil {
		loc = time.UTC
	}
	c := store.Contest{WorkspaceID: visitOf(r).P.Workspace.ID, Slug: strings.TrimSpace(p.Form["slug"]), Title: p.Form["title"], Description: p.Form["description"],
		Kind: p.Form["kind"], VotePeriod: p.Form["vote_period"], Prizes: p.Form["prizes"], RulesText: p.Form["rules_text"], Lang: p.Form["lang"],
		CreatedBy: visitOf(r).User.ID, Keyword: p.Form["keyword"], Accent: strings.TrimSpace(p.Form["accent"])}
	bad := func(field, key string) {
		p.Errors[field] = p.T(key)
		h.renderContests(w, r, http.StatusUnprocessableEntity, p)
	}
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"entry_opens", &c.EntryOpens}, {"entry_closes", &c.EntryCloses}, {"vote_opens", &c.VoteOpens}, {"vote_closes", &c.VoteCloses}} {
		t, err := time.ParseInLocation("2006-01-02T15:04", p.Form[f.name], loc)
		if err != nil {
			bad(f.name, "contest.bad_date")
			return
		}
		*f.dst = t.UTC()
	}
	for _, f := range []struct {
		name string
		dst  *int
	}{{"min_age", &c.MinAge}, {"winners", &c.Winners}, {"retention_days", &c.RetentionDays}, {"jury_weight", &c.JuryWeight}, {"finalists", &c.Finalists}} {
		if s := strings.TrimSpace(p.Form[f.name]); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				bad(f.name, "contest.bad_number")
				return
			}
			*f.dst = n
		}
	}
	for _, cc := range strings.FieldsFunc(p.Form["countries"], func(r rune) bool { return r == ',' || r == ' ' }) {
		c.Countries = append(c.Countries, cc)
	}
	c.LogoMediaID, _ = strconv.ParseInt(p.Form["logo_media_id"], 10, 64)
	if c.Kind == store.ContestQuiz {
		qs, err := contest.ParseQuestions(p.Form["questions"])
		if ve, ok := valid.As(err); ok {
			p.Errors[ve.Field] = ve.Message
			h.renderContests(w, r, http.StatusUnprocessableEntity, p)
			return
		}
		c.Questions = qs
	}
	if c.Kind == store.ContestComments {
		chID, remote, _ := strings.Cut(p.Form["source"], ":")
		c.SourceChannelID, _ = strconv.ParseInt(chID, 10, 64)
		c.SourceRemoteID = remote
	} else {
		c.Keyword = ""
	}
	if err := h.d.Contests.Create(r.Context(), &c, fmt.Sprintf("user:%d", visitOf(r).User.ID)); err != nil {
		if ve, ok := valid.As(err); ok {
			p.Errors[ve.Field] = translateInvalid(p, ve)
			h.renderContests(w, r, http.StatusUnprocessableEntity, p)
			return
		}
		h.serverError(w, r, err)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, fmt.Sprintf("/contests/%d", c.ID)), "contest.flash_created")
}

// contestAdminData is the organiser's view of one contest.
type contestAdminData struct {
	C         store.Contest
	View      contest.ContestView
	Standings []contest.Standing
	Pending   []store.ContestEntry
	Rejected  []store.ContestEntry
	Flagged   []store.Vote
	Audit     []store.ContestAudit
	Titles    map[int64]string
	Total     int64
	FlagCount int64
	Announce  string
	EntryOpen bool
	VoteOpen  bool
	// Jury stage: the workspace's members (to choose from), the jury, the
	// viewer's own scores and the final ranking.
	Members  []store.Member
	Jury     map[int64]bool
	IsJuror  bool
	MyScores map[int64]int
	Ranking  []contest.Ranked
	Logos    []store.Media
}

// contestAdmin shows one contest: live counts, the moderation queue, flagged
// votes, the audit log, the draw and the announcement.
func (h *handler) contestAdmin(w http.ResponseWriter, r *http.Request) {
	h.renderContestAdmin(w, r, http.StatusOK, h.newPage(r, "contest.title"))
}

func (h *handler) renderContestAdmin(w http.ResponseWriter, r *http.Request, status int, p *page) {
	ws := visitOf(r).P.Workspace
	c, err := h.d.Store.Contest(r.Context(), ws.ID, pathID(r, "id"))
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	d := contestAdminData{C: c, View: h.d.Contests.View(c), Titles: map[int64]string{}}
	d.EntryOpen, d.VoteOpen = contest.Phase(c, time.Now())
	if d.Standings, err = h.d.Contests.Results(r.Context(), c); err == nil {
		d.Pending, err = h.d.Store.Entries(r.Context(), ws.ID, c.ID, store.EntryPending)
	}
	if err == nil {
		d.Rejected, err = h.d.Store.Entries(r.Context(), ws.ID, c.ID, store.EntryRejected)
	}
	if err == nil {
		d.Flagged, err = h.d.Store.Votes(r.Context(), ws.ID, c.ID, store.VoteFilter{FlaggedOnly: true, Limit: 200})
	}
	if err == nil {
		d.Audit, err = h.d.Store.ContestAuditLog(r.Context(), ws.ID, c.ID)
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if err := h.contestStages(r, c, &d); err != nil {
		h.serverError(w, r, err)
		return
	}
	for _, s := range d.Standings {
		d.Titles[s.Entry.ID] = s.Entry.Title
		d.Total += s.Votes
		d.FlagCount += s.Flagged
	}
	if len(c.WinnerIDs) == 0 && len(d.Ranking) > 0 && !time.Now().Before(c.VoteCloses) {
		text := p.T("contest.announce_text", c.Title, d.Ranking[0].Entry.Title)
		d.Announce = wsPath(r, "/posts/new?text="+url.QueryEscape(text)+"&link="+url.QueryEscape(h.d.BaseURL+"/c/"+c.Slug+"/results"))
	} else if len(c.WinnerIDs) > 0 {
		var names []string
		for _, id := range c.WinnerIDs {
			names = append(names, d.Titles[id])
		}
		text := p.T("contest.announce_text", c.Title, strings.Join(names, ", "))
		d.Announce = wsPath(r, "/posts/new?text="+url.QueryEscape(text)+"&link="+url.QueryEscape(h.d.BaseURL+"/c/"+c.Slug+"/results"))
	} else if len(d.Standings) > 0 && !time.Now().Before(c.VoteCloses) {
		text := p.T("contest.announce_text", c.Title, d.Standings[0].Entry.Title)
		d.Announce = wsPath(r, "/posts/new?text="+url.QueryEscape(text)+"&link="+url.QueryEscape(h.d.BaseURL+"/c/"+c.Slug+"/results"))
	}
	p.Data = d
	h.render(w, r, status, "contest", p)
}

func actor(r *http.Request) string { return fmt.Sprintf("user:%d", visitOf(r).User.ID) }

// contestAction runs one organiser action and comes back to the contest page.
func (h *handler) contestAction(fn func(r *http.Request, ws, id int64) error, flash string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !canCompose(r) || !h.parseForm(w, r) {
			if canCompose(r) {
				return
			}
			h.notFoundPage(w, r)
			return
		}
		ws := visitOf(r).P.Workspace.ID
		id := pathID(r, "id")
		if _, err := h.d.Store.Contest(r.Context(), ws, id); err != nil {
			h.fail(w, r, err, "", nil)
			return
		}
		err := fn(r, ws, id)
		if ve, ok := valid.As(err); ok {
			p := h.newPage(r, "contest.title")
			p.Flash = ""
			p.Errors[ve.Field] = translateInvalid(p, ve)
			h.renderContestAdmin(w, r, http.StatusUnprocessableEntity, p)
			return
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			var key string
			switch {
			case errors.Is(err, contest.ErrNotCommitted):
				key = "contest.err_not_committed"
			case errors.Is(err, contest.ErrNoEntries):
				key = "contest.err_no_entries"
			case errors.Is(err, contest.ErrChanged):
				key = "contest.err_changed"
			case errors.Is(err, contest.ErrFrozen):
				key = "contest.err_frozen"
			}
			if key != "" {
				h.errorPage(w, r, http.StatusConflict, key)
				return
			}
		}
		if err != nil {
			h.fail(w, r, err, "", nil)
			return
		}
		h.redirectWithFlash(w, r, wsPath(r, fmt.Sprintf("/contests/%d", id)), flash)
	}
}

func (h *handler) contestModerate(r *http.Request, ws, id int64) error {
	e, err := h.d.Store.Entry(r.Context(), ws, pathID(r, "eid"))
	if err != nil || e.ContestID != id {
		return store.ErrNotFound
	}
	_, err = h.d.Contests.Moderate(r.Context(), ws, e.ID, r.PostFormValue("status"), r.PostFormValue("reason"), actor(r))
	return err
}

func (h *handler) contestVoid(r *http.Request, ws, id int64) error {
	return h.d.Contests.VoidVote(r.Context(), ws, id, pathID(r, "vid"), r.PostFormValue("reason"), actor(r))
}

func (h *handler) contestCommit(r *http.Request, ws, id int64) error {
	_, err := h.d.Contests.CloseEntries(r.Context(), ws, id, actor(r))
	return err
}

func (h *handler) contestDraw(r *http.Request, ws, id int64) error {
	_, err := h.d.Contests.Draw(r.Context(), ws, id, actor(r))
	return err
}

func (h *handler) contestCandidate(r *http.Request, ws, id int64) error {
	c, err := h.d.Store.Contest(r.Context(), ws, id)
	if err != nil {
		return err
	}
	_, err = h.d.Contests.AddCandidate(r.Context(), c, r.PostFormValue("title"), actor(r))
	return err
}

// contestStages fills the jury stage and the branding choices of the organiser's page.
func (h *handler) contestStages(r *http.Request, c store.Contest, d *contestAdminData) error {
	ctx := r.Context()
	var err error
	if d.Logos, err = h.d.Store.ListMedia(ctx, c.WorkspaceID, 100, 0, store.MediaImage); err != nil {
		return err
	}
	if c.JuryWeight == 0 {
		return nil
	}
	if d.Members, err = h.d.Store.Members(ctx, c.WorkspaceID); err != nil {
		return err
	}
	jury, err := h.d.Store.ContestJury(ctx, c.WorkspaceID, c.ID)
	if err != nil {
		return err
	}
	d.Jury, d.MyScores = map[int64]bool{}, map[int64]int{}
	me := visitOf(r).User.ID
	for _, id := range jury {
		d.Jury[id] = true
	}
	d.IsJuror = d.Jury[me]
	scores, err := h.d.Store.JuryScores(ctx, c.WorkspaceID, c.ID)
	if err != nil {
		return err
	}
	for _, s := range scores {
		if s.UserID == me {
			d.MyScores[s.EntryID] = s.Score
		}
	}
	d.Ranking, err = h.d.Contests.FinalRanking(ctx, c)
	return err
}

func (h *handler) contestImportComments(r *http.Request, ws, id int64) error {
	_, err := h.d.Contests.ImportComments(r.Context(), ws, id, actor(r))
	return err
}

func (h *handler) contestBranding(r *http.Request, ws, id int64) error {
	logo, _ := strconv.ParseInt(r.PostFormValue("logo_media_id"), 10, 64)
	_, err := h.d.Contests.SetBranding(r.Context(), ws, id, strings.TrimSpace(r.PostFormValue("accent")), logo, actor(r))
	return err
}

func (h *handler) contestSetJury(r *http.Request, ws, id int64) error {
	var ids []int64
	for _, v := range r.PostForm["jury"] {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			ids = append(ids, n)
		}
	}
	_, err := h.d.Contests.SetJury(r.Context(), ws, id, ids, actor(r))
	return err
}

// contestJuryScore records the viewer's scores of the finalists: jurors may
// be any member of the workspace (viewers too), so it does not need compose.
func (h *handler) contestJuryScore(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ws, id, me := visitOf(r).P.Workspace.ID, pathID(r, "id"), visitOf(r).User.ID
	c, err := h.d.Store.Contest(r.Context(), ws, id)
	if err != nil || !h.d.Contests.IsJuror(r.Context(), c, me) {
		h.notFoundPage(w, r)
		return
	}
	for k, vs := range r.PostForm {
		eid, ok := strings.CutPrefix(k, "score-")
		if !ok || len(vs) == 0 || strings.TrimSpace(vs[0]) == "" {
			continue
		}
		entryID, err1 := strconv.ParseInt(eid, 10, 64)
		score, err2 := strconv.Atoi(strings.TrimSpace(vs[0]))
		if err1 != nil || err2 != nil {
			score = -1
		}
		err := h.d.Contests.ScoreEntry(r.Context(), ws, id, entryID, me, score, actor(r))
		if ve, ok := valid.As(err); ok {
			p := h.newPage(r, "contest.title")
			p.Errors["score"] = translateInvalid(p, ve)
			h.renderContestAdmin(w, r, http.StatusUnprocessableEntity, p)
			return
		}
		if err != nil {
			h.fail(w, r, err, "", nil)
			return
		}
	}
	h.redirectWithFlash(w, r, wsPath(r, fmt.Sprintf("/contests/%d", id)), "contest.flash_scored")
}
