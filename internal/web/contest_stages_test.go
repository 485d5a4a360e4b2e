package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/contest"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// TestContestQuizFlow creates a quiz from the form, answers it on the public
// page with the proof of work and the mailed link, refuses a second
// participation of the address, and shows the scores and the right answers
// once the quiz closed.
func TestContestQuizFlow(t *testing.T) {
	t.Parallel()
	cb := setupContests(t, 8)
	org := cb.browser(t)
	u := org.signIn("quiz@lune.example")
	ws := mustWorkspace(t, cb.st, "lune-q", u.ID)
	now := time.Now().UTC()
	form := url.Values{"title": {"Le quiz du fleuve"}, "slug": {"quiz-fleuve"}, "kind": {"quiz"}, "lang": {"de"}, "vote_period": {"contest"},
		"entry_opens": {now.Add(-5 * time.Hour).Format("2006-01-02T15:04")}, "entry_closes": {now.Add(5 * time.Hour).Format("2006-01-02T15:04")},
		"vote_opens": {now.Add(-5 * time.Hour).Format("2006-01-02T15:04")}, "vote_closes": {now.Add(5 * time.Hour).Format("2006-01-02T15:04")},
		"questions": {"Welcher Fluss fließt durch Hamburg?\n- Rhein\n- Elbe"}}
	res := org.post("/workspaces/lune-q/contests", form)
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "right choice", "a question without its right answer is named")
	form.Set("questions", "Welcher Fluss fließt durch Hamburg?\n- Rhein\n* Elbe\n\nWie viele Beine hat eine Spinne?\n* 8\n- 6")
	form.Set("accent", "#ffdd00")
	res = org.post("/workspaces/lune-q/contests", form)
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "4.5:1", "a pale accent fails the contrast check")
	form.Set("accent", "#0a7d5a")
	res = org.post("/workspaces/lune-q/contests", form)
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	c, err := cb.st.ContestBySlug(context.Background(), "quiz-fleuve")
	require.NoError(t, err)
	require.Len(t, c.Questions, 2)
	require.Equal(t, 1, c.Questions[0].Correct)

	pub := cb.browser(t)
	page := pub.get("/c/quiz-fleuve")
	require.Equal(t, http.StatusOK, page.StatusCode)
	require.Contains(t, page.Body, "Welcher Fluss fließt durch Hamburg?")
	require.Contains(t, page.Body, `/static/pow.js`, "the proof of work runs on the quiz")
	require.Contains(t, page.Body, `href="/c/quiz-fleuve/brand.css"`)
	css := pub.get("/c/quiz-fleuve/brand.css")
	require.Contains(t, css.Body, "--accent:#0a7d5a")

	answer := func(email string, a0, a1 string) response {
		page := pub.get("/c/quiz-fleuve")
		m := challengeRE.FindStringSubmatch(page.Body)
		require.NotNil(t, m)
		ch := strings.ReplaceAll(m[1], "&#43;", "+")
		v := url.Values{"name": {"Ada Martin"}, "email": {email}, "consent": {"on"}, "pow_challenge": {ch}, "pow_solution": {contest.Solve(ch)}}
		if a0 != "" {
			v.Set("q0", a0)
		}
		v.Set("q1", a1)
		return pub.post("/c/quiz-fleuve/quiz", v)
	}
	res = answer("ada@example.org", "", "0")
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Beantworten Sie alle Fragen")
	res = answer("ada@example.org", "1", "0")
	require.Equal(t, http.StatusOK, res.StatusCode, res.Body)
	require.Eventually(t, func() bool { return len(cb.smtp.Messages()) == 1 }, 5*time.Second, 20*time.Millisecond)
	link := linkRE.FindString(cb.smtp.Messages()[0].Body())
	lu, err := url.Parse(link)
	require.NoError(t, err)
	res = pub.get(lu.RequestURI())
	require.Equal(t, http.StatusOK, res.StatusCode)
	res = pub.post("/c/quiz-fleuve/confirm", url.Values{"t": {lu.Query().Get("t")}})
	require.Equal(t, http.StatusOK, res.StatusCode, res.Body)
	require.Contains(t, res.Body, "Ihre Antworten sind gespeichert")
	res = pub.post("/c/quiz-fleuve/confirm", url.Values{"t": {lu.Query().Get("t")}})
	require.Equal(t, http.StatusConflict, res.StatusCode)
	require.Contains(t, res.Body, "bereits beantwortet")
	es, err := cb.st.Entries(context.Background(), ws.ID, c.ID, store.EntryApproved)
	require.NoError(t, err)
	require.Len(t, es, 1)
	require.Equal(t, 2, es[0].Score)

	c.VoteCloses = time.Now().Add(-time.Minute)
	require.NoError(t, cb.st.UpdateContest(context.Background(), &c))
	res = pub.get("/c/quiz-fleuve/results")
	require.NotContains(t, res.Body, "Elbe</strong>", "the answers stay secret while the quiz runs, whatever the voting window")
	require.NotContains(t, res.Body, "2 / 2")
	c.EntryCloses = time.Now().Add(-time.Minute)
	require.NoError(t, cb.st.UpdateContest(context.Background(), &c))
	res = pub.get("/c/quiz-fleuve/results")
	require.Contains(t, res.Body, "2 / 2")
	require.Contains(t, res.Body, "<strong>Elbe</strong>")
	require.Equal(t, http.StatusSeeOther, org.post(fmt.Sprintf("/workspaces/lune-q/contests/%d/commit", c.ID), nil).StatusCode)
	require.Equal(t, http.StatusSeeOther, org.post(fmt.Sprintf("/workspaces/lune-q/contests/%d/draw", c.ID), nil).StatusCode)
	res = pub.get("/c/quiz-fleuve/results")
	require.Contains(t, res.Body, fmt.Sprintf("--scores %d:2", es[0].ID))
	admin := org.get(fmt.Sprintf("/workspaces/lune-q/contests/%d", c.ID))
	require.Contains(t, admin.Body, "ada@example.org")
	require.Contains(t, admin.Body, "2 / 2")
}

// TestContestJuryAndBranding chooses a jury, scores as a viewer who sits on
// it, shows the weighted ranking, and sets the logo and accent.
func TestContestJuryAndBranding(t *testing.T) {
	t.Parallel()
	cb := setupContests(t, 8)
	org := cb.browser(t)
	u := org.signIn("jury@lune.example")
	ws := mustWorkspace(t, cb.st, "lune-j", u.ID)
	juror := cb.browser(t)
	ju := juror.signIn("juror@lune.example")
	require.NoError(t, cb.st.AddMember(context.Background(), ws.ID, ju.ID, store.RoleViewer))
	c := newOpenContest(t, cb.st, ws.ID, "jury-c", store.ContestCandidates, "en")
	c.JuryWeight, c.Finalists = 60, 2
	require.NoError(t, cb.st.UpdateContest(context.Background(), &c))
	a, err := cb.svc.AddCandidate(context.Background(), c, "Brigitte", "u")
	require.NoError(t, err)
	b, err := cb.svc.AddCandidate(context.Background(), c, "Otto", "u")
	require.NoError(t, err)
	_, err = cb.st.RecordVotes(context.Background(), []store.Vote{{WorkspaceID: ws.ID, ContestID: c.ID, EntryID: a.ID, Identity: "x", Period: "all"}})
	require.NoError(t, err)

	path := fmt.Sprintf("/workspaces/lune-j/contests/%d", c.ID)
	require.Equal(t, http.StatusNotFound, juror.post(path+"/jury", url.Values{"jury": {fmt.Sprint(ju.ID)}}).StatusCode, "a viewer does not choose the jury")
	require.Equal(t, http.StatusNotFound, juror.post(path+"/jury/scores", url.Values{fmt.Sprintf("score-%d", b.ID): {"9"}}).StatusCode, "not on the jury yet")
	require.Equal(t, http.StatusSeeOther, org.post(path+"/jury", url.Values{"jury": {fmt.Sprint(ju.ID)}}).StatusCode)
	res := juror.get(path)
	require.Contains(t, res.Body, `id="jury-scores"`)
	res = juror.post(path+"/jury/scores", url.Values{fmt.Sprintf("score-%d", b.ID): {"11"}})
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Equal(t, http.StatusSeeOther, juror.post(path+"/jury/scores", url.Values{fmt.Sprintf("score-%d", b.ID): {"10"}, fmt.Sprintf("score-%d", a.ID): {"0"}}).StatusCode)
	rk, err := cb.svc.FinalRanking(context.Background(), c)
	require.NoError(t, err)
	require.Equal(t, b.ID, rk[0].Entry.ID, "0.4×0 + 0.6×1 beats 0.4×1 + 0.6×0")
	res = org.get(path)
	require.Contains(t, res.Body, `id="admin-final-ranking"`)
	require.Contains(t, res.Body, "0.600")

	var png bytes.Buffer
	png.Write(pngBytes(t))
	m, err := cb.media.Upload(context.Background(), ws.ID, u.ID, "logo.png", &png, 1<<20)
	require.NoError(t, err)
	res = org.post(path+"/branding", url.Values{"accent": {"#eeeeee"}, "logo_media_id": {fmt.Sprint(m.ID)}})
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Equal(t, http.StatusSeeOther, org.post(path+"/branding", url.Values{"accent": {"#5a1f7a"}, "logo_media_id": {fmt.Sprint(m.ID)}}).StatusCode)
	pub := cb.browser(t)
	page := pub.get("/c/jury-c")
	require.Contains(t, page.Body, `id="contest-logo"`)
	require.Contains(t, page.Body, "/c/jury-c/brand.css")
	wres, err := http.Get(cb.srv.URL + "/c/jury-c/widget")
	require.NoError(t, err)
	var wbody bytes.Buffer
	_, _ = wbody.ReadFrom(wres.Body)
	wres.Body.Close()
	require.Contains(t, wbody.String(), `class="logo"`, "the widget carries the logo")
	require.Contains(t, pub.get("/c/jury-c/rules").Body, "60 %")
	log, err := cb.st.ContestAuditLog(context.Background(), ws.ID, c.ID)
	require.NoError(t, err)
	var actions []string
	for _, l := range log {
		actions = append(actions, l.Action)
	}
	require.Contains(t, actions, "jury")
	require.Contains(t, actions, "jury_score")
	require.Contains(t, actions, "branding")

	// A comment-to-enter giveaway's page offers to read the comments.
	ch := storetest.NewChannel(t, cb.st, ws.ID, "mastodon", "lune-j")
	g := newOpenContest(t, cb.st, ws.ID, "jury-g", store.ContestComments, "en")
	g.SourceChannelID, g.SourceRemoteID, g.Keyword = ch.ID, "1098765", "#win"
	require.NoError(t, cb.st.UpdateContest(context.Background(), &g))
	res = org.get(fmt.Sprintf("/workspaces/lune-j/contests/%d", g.ID))
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `id="contest-read-comments"`)
	require.Contains(t, pub.get("/c/jury-g").Body, "Comment on our post with #win to take part.")
	res = org.post(fmt.Sprintf("/workspaces/lune-j/contests/%d/comments", g.ID), nil)
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, "a channel that cannot be opened reads nothing, and says why")
}
