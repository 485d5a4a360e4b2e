package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/contest"
	"github.com/relais/relais/internal/mail"
	"github.com/relais/relais/internal/mail/mailtest"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// contestBundle is a web bundle whose contests mail through a mailtest server.
type contestBundle struct {
	*bundle
	smtp *mailtest.Server
	svc  *contest.Service
}

func setupContests(t *testing.T, bits int) *contestBundle {
	t.Helper()
	cb := &contestBundle{smtp: mailtest.NewServer(t)}
	sender, err := mail.New("smtp://"+cb.smtp.Addr(), "relais <relais@example.com>")
	require.NoError(t, err)
	cb.bundle = setupDeps(t, func(d *Deps) {
		cb.svc = contest.New(d.Store, contest.RandomKey(), sender, d.BaseURL, nil)
		cb.svc.PoW.Bits = bits
		d.Contests = cb.svc
	})
	t.Cleanup(cb.svc.Close)
	return cb
}

// newOpenContest stores a contest open for entries and votes.
func newOpenContest(t *testing.T, st store.Store, workspaceID int64, slug, kind, lang string) store.Contest {
	t.Helper()
	now := time.Now().UTC()
	c := store.Contest{WorkspaceID: workspaceID, Slug: slug, Title: "Lune " + slug, Kind: kind, EntryOpens: now.Add(-time.Hour), EntryCloses: now.Add(time.Hour),
		VoteOpens: now.Add(-time.Hour), VoteCloses: now.Add(48 * time.Hour), VotePeriod: "contest", Lang: lang, Winners: 1, RetentionDays: 30,
		MinAge: 16, Countries: []string{"DE", "FR"}, Prizes: "Un vélo", RulesText: "Organisateur : Lune SAS"}
	require.NoError(t, st.CreateContest(context.Background(), &c))
	return c
}

func (br *browser) postMultipart(path string, fields map[string]string, file []byte) response {
	br.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		require.NoError(br.t, mw.WriteField(k, v))
	}
	if file != nil {
		fw, err := mw.CreateFormFile("file", "entry.png")
		require.NoError(br.t, err)
		_, _ = fw.Write(file)
	}
	require.NoError(br.t, mw.Close())
	req, err := http.NewRequest(http.MethodPost, br.b.srv.URL+path, &body)
	require.NoError(br.t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return br.do(req)
}

var challengeRE = regexp.MustCompile(`name="pow_challenge" value="([^"]+)"`)
var linkRE = regexp.MustCompile(`https?://\S+/confirm\?t=\S+`)

// TestContestPublicFlow enters through the public form (upload checked by the
// media library), moderates as the organiser, votes with the proof of work
// and the mailed confirmation link, and checks a second vote is refused.
func TestContestPublicFlow(t *testing.T) {
	t.Parallel()
	cb := setupContests(t, 8)
	org := cb.browser(t)
	u := org.signIn("org@lune.example")
	ws := mustWorkspace(t, cb.st, "lune-c", u.ID)
	c := newOpenContest(t, cb.st, ws.ID, "printemps", store.ContestPhoto, "fr")
	pub := cb.browser(t)

	res := pub.get("/c/printemps")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `lang="fr"`)
	require.Contains(t, res.Body, "Participer")
	require.NotContains(t, res.Body, "<script", "the gallery needs no script")

	fields := map[string]string{"title": "Coucher de soleil", "name": "Ada Martin", "email": "ada@example.org", "country": "FR", "age": "on"}
	res = pub.postMultipart("/c/printemps/enter", fields, pngBytes(t))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Veuillez accepter le règlement", "consent is required, in the contest's language")
	fields["consent"] = "on"
	res = pub.postMultipart("/c/printemps/enter", fields, []byte("GIF89a not really"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, "the media library's checks refuse a broken file")
	res = pub.postMultipart("/c/printemps/enter", fields, pngBytes(t))
	require.Equal(t, http.StatusCreated, res.StatusCode, res.Body)
	entries, err := cb.st.Entries(context.Background(), ws.ID, c.ID, store.EntryPending)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	e := entries[0]
	require.NotZero(t, e.MediaID)
	require.Equal(t, http.StatusNotFound, pub.get(fmt.Sprintf("/c/printemps/e/%d", e.ID)).StatusCode, "pending entries do not show")

	res = org.get(fmt.Sprintf("/workspaces/lune-c/contests/%d", c.ID))
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "Coucher de soleil")
	res = org.post(fmt.Sprintf("/workspaces/lune-c/contests/%d/entries/%d/moderate", c.ID, e.ID), url.Values{"status": {"approved"}})
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Eventually(t, func() bool { return len(cb.smtp.Messages()) == 1 }, 5*time.Second, 20*time.Millisecond)
	require.Equal(t, "<ada@example.org>", cb.smtp.Messages()[0].To)

	vote := func(email string) response {
		page := pub.get(fmt.Sprintf("/c/printemps/e/%d", e.ID))
		require.Equal(t, http.StatusOK, page.StatusCode)
		require.Contains(t, page.Body, "facebook.com/sharer", "share buttons")
		m := challengeRE.FindStringSubmatch(page.Body)
		require.NotNil(t, m)
		ch := strings.ReplaceAll(m[1], "&#43;", "+")
		return pub.post(fmt.Sprintf("/c/printemps/e/%d/vote", e.ID), url.Values{"email": {email}, "pow_challenge": {ch}, "pow_solution": {contest.Solve(ch)}})
	}
	res = vote("bo@example.org")
	require.Equal(t, http.StatusOK, res.StatusCode, res.Body)
	require.Contains(t, res.Body, "Consultez votre messagerie")
	require.Eventually(t, func() bool { return len(cb.smtp.Messages()) == 2 }, 5*time.Second, 20*time.Millisecond)
	link := linkRE.FindString(cb.smtp.Messages()[1].Body())
	require.NotEmpty(t, link, cb.smtp.Messages()[1].Body())
	lu, err := url.Parse(link)
	require.NoError(t, err)
	res = pub.get(lu.RequestURI())
	require.Equal(t, http.StatusOK, res.StatusCode)
	counts, err := cb.st.VoteCounts(context.Background(), ws.ID, c.ID)
	require.NoError(t, err)
	require.Empty(t, counts, "opening the link does not vote (mail scanners open links)")
	res = pub.post("/c/printemps/confirm", url.Values{"t": {lu.Query().Get("t")}})
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "Votre vote est compté")
	res = pub.post("/c/printemps/confirm", url.Values{"t": {lu.Query().Get("t")}})
	require.Equal(t, http.StatusConflict, res.StatusCode)
	require.Contains(t, res.Body, "Vous avez déjà voté")

	res = pub.post(fmt.Sprintf("/c/printemps/e/%d/vote", e.ID), url.Values{"email": {"x@example.org"}, "pow_challenge": {"v1.printemps.1.8.aa.bb"}, "pow_solution": {"1"}})
	require.Equal(t, http.StatusBadRequest, res.StatusCode, "a forged challenge is refused")
	res = pub.post("/c/printemps/confirm", url.Values{"t": {"forged.token"}})
	require.Equal(t, http.StatusBadRequest, res.StatusCode)

	counts, err = cb.st.VoteCounts(context.Background(), ws.ID, c.ID)
	require.NoError(t, err)
	require.Equal(t, []store.VoteCount{{EntryID: e.ID, Votes: 1}}, counts)
	res = pub.get("/c/printemps/results")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.NotContains(t, res.Body, "<td>1</td>", "counts stay hidden while voting runs")
	res = pub.get("/c/printemps/rules")
	require.Contains(t, res.Body, "Organisateur : Lune SAS")
	require.Contains(t, res.Body, "au moins 16 ans")

	// The organiser closes entries, draws, and the results page shows the proof.
	require.Equal(t, http.StatusSeeOther, org.post(fmt.Sprintf("/workspaces/lune-c/contests/%d/commit", c.ID), nil).StatusCode)
	require.Equal(t, http.StatusSeeOther, org.post(fmt.Sprintf("/workspaces/lune-c/contests/%d/draw", c.ID), nil).StatusCode)
	res = pub.get("/c/printemps/results")
	require.Contains(t, res.Body, "relais contest verify --seed")
	got, err := cb.st.Contest(context.Background(), ws.ID, c.ID)
	require.NoError(t, err)
	require.Equal(t, []int64{e.ID}, got.WinnerIDs)
	require.NoError(t, contest.Verify(got.Seed, got.SeedHash, []int64{e.ID}, got.EntriesHash, got.WinnerIDs))
	res = org.get(fmt.Sprintf("/workspaces/lune-c/contests/%d", c.ID))
	require.Contains(t, res.Body, `id="contest-announce"`, "the announcement is drafted in the composer")
}

// TestContestPublicPagesInEachLanguage renders the public pages in the contest's language.
func TestContestPublicPagesInEachLanguage(t *testing.T) {
	t.Parallel()
	cb := setupContests(t, 8)
	u := storeUser(t, cb.st, "lang@lune.example")
	ws := mustWorkspace(t, cb.st, "lune-l", u.ID)
	pub := cb.browser(t)
	for lang, want := range map[string]string{"en": ">Rules<", "fr": ">Règlement<", "de": ">Teilnahmebedingungen<"} {
		c := newOpenContest(t, cb.st, ws.ID, "c-"+lang, store.ContestCandidates, lang)
		e, err := cb.svc.AddCandidate(context.Background(), c, "Kandidat "+lang, "test")
		require.NoError(t, err)
		for _, p := range []string{"", "/rules", "/results", "/enter", fmt.Sprintf("/e/%d", e.ID), "/confirm?t=x"} {
			res := pub.get("/c/c-" + lang + p)
			require.Equal(t, http.StatusOK, res.StatusCode, p)
			require.Contains(t, res.Body, `lang="`+lang+`"`, p)
			require.Contains(t, res.Body, want, p)
		}
	}
	require.Equal(t, http.StatusNotFound, pub.get("/c/nope").StatusCode)
}

func mustWorkspace(t *testing.T, st store.Store, slug string, owner int64) store.Workspace {
	t.Helper()
	w := store.Workspace{Name: "Lune", Slug: slug, Timezone: "Europe/Paris"}
	require.NoError(t, st.CreateWorkspace(context.Background(), &w, owner))
	return w
}

func storeUser(t *testing.T, st store.Store, email string) store.User {
	t.Helper()
	u := store.User{Email: email, Name: "Lune", PasswordHash: "x"}
	require.NoError(t, st.CreateUser(context.Background(), &u))
	return u
}

// seedContest gives the walk a drawn contest with entries, a flagged and a
// voided vote, a rejected entry and its audit log.
func (s *walkSite) seedContest(t *testing.T, b *bundle) {
	t.Helper()
	ctx := context.Background()
	c := newOpenContest(t, b.st, s.ws.ID, "lune-printemps", store.ContestPhoto, "fr")
	svc := contest.New(b.st, contest.RandomKey(), nil, b.srv.URL, nil)
	svc.OnMail = func(mail.Message) {}
	t.Cleanup(svc.Close)
	a, err := svc.AddCandidate(ctx, c, "Coucher de soleil", "user:1")
	require.NoError(t, err)
	p, err := svc.Enter(ctx, c, contest.Submission{Title: "Aube", Name: "Ada Martin", Email: "ada@lune.example", Country: "FR", Consent: true, AgeConfirmed: true, MediaID: 0, RemoteAddr: "192.0.2.1"})
	require.Error(t, err, "a photo contest needs a file")
	p = store.ContestEntry{WorkspaceID: s.ws.ID, ContestID: c.ID, Title: "Aube", Name: "Ada Martin", Email: "ada@lune.example", Country: "FR"}
	require.NoError(t, b.st.CreateEntry(ctx, &p))
	r := store.ContestEntry{WorkspaceID: s.ws.ID, ContestID: c.ID, Title: "Hors sujet", Name: "Bo", Email: "bo@lune.example"}
	require.NoError(t, b.st.CreateEntry(ctx, &r))
	_, err = svc.Moderate(ctx, s.ws.ID, r.ID, store.EntryRejected, "Photo floue", "user:1")
	require.NoError(t, err)
	_, err = b.st.RecordVotes(ctx, []store.Vote{
		{WorkspaceID: s.ws.ID, ContestID: c.ID, EntryID: a.ID, Identity: "i1", Period: "all", NetBlock: "192.0.2.0/24", Score: 0.1},
		{WorkspaceID: s.ws.ID, ContestID: c.ID, EntryID: a.ID, Identity: "i2", Period: "all", NetBlock: "198.51.100.0/24", Score: 0.72, Flags: []string{"disposable", "night"}},
		{WorkspaceID: s.ws.ID, ContestID: c.ID, EntryID: a.ID, Identity: "i3", Period: "all", NetBlock: "198.51.100.0/24", Score: 0.8, Flags: []string{"fixed_interval", "net_block"}},
	})
	require.NoError(t, err)
	vs, err := b.st.Votes(ctx, s.ws.ID, c.ID, store.VoteFilter{FlaggedOnly: true})
	require.NoError(t, err)
	require.NoError(t, svc.VoidVote(ctx, s.ws.ID, c.ID, vs[0].ID, "Même appareil", "user:1"))
	c.JuryWeight, c.Finalists, c.Accent = 30, 2, "#0a7d5a"
	require.NoError(t, b.st.UpdateContest(ctx, &c))
	_, err = svc.SetJury(ctx, s.ws.ID, c.ID, []int64{s.user.ID}, "user:1")
	require.NoError(t, err)
	require.NoError(t, svc.ScoreEntry(ctx, s.ws.ID, c.ID, a.ID, s.user.ID, 8, "user:1"))
	_, err = svc.CloseEntries(ctx, s.ws.ID, c.ID, "user:1")
	require.NoError(t, err)
	_, err = svc.Draw(ctx, s.ws.ID, c.ID, "user:1")
	require.NoError(t, err)
	s.contest = c.ID
	q := newOpenContest(t, b.st, s.ws.ID, "lune-quiz", store.ContestQuiz, "fr")
	q.Questions = []store.Question{{Prompt: "Quelle rivière ?", Choices: []string{"Seine", "Loire"}, Correct: 0}}
	require.NoError(t, b.st.UpdateContest(ctx, &q))
	qe := store.ContestEntry{WorkspaceID: s.ws.ID, ContestID: q.ID, Title: "Léa", Name: "Léa Roux", Email: "lea@lune.example", Status: store.EntryApproved,
		Identity: "lea", Answers: []int{0}, Score: 1}
	require.NoError(t, b.st.CreateEntry(ctx, &qe))
	s.quiz = q.ID
	g := newOpenContest(t, b.st, s.ws.ID, "lune-tirage", store.ContestComments, "fr")
	g.SourceChannelID, g.SourceRemoteID, g.Keyword = s.mastodon.ID, "109876543210", "#lune"
	require.NoError(t, b.st.UpdateContest(ctx, &g))
	s.giveaway = g.ID
	s.data = append(s.data, "Lune lune-quiz", "Quelle rivière ?", "Seine", "Loire", "Léa", "Léa Roux", "lea@lune.example", "1 / 1", "#0a7d5a",
		"/c/lune-quiz", "#win", "#0b5cad", "website", "https://lune.example/posts/",
		"Lune lune-tirage", "/c/lune-tirage", "109876543210", "#lune")
	s.data = append(s.data, "Lune lune-printemps", "Coucher de soleil", "Aube", "Ada Martin", "ada@lune.example", "Hors sujet", "Photo floue", "Même appareil",
		"lune-printemps", "/c/lune-printemps", "FR")
	log, err := b.st.ContestAuditLog(ctx, s.ws.ID, c.ID)
	require.NoError(t, err)
	for _, l := range log {
		s.data = append(s.data, l.Actor, l.Action, l.Detail)
	}
}

// TestContestWidget serves the gallery for other sites to frame, without script.
func TestContestWidget(t *testing.T) {
	t.Parallel()
	cb := setupContests(t, 8)
	u := storeUser(t, cb.st, "widget@lune.example")
	ws := mustWorkspace(t, cb.st, "lune-w", u.ID)
	c := newOpenContest(t, cb.st, ws.ID, "widget", store.ContestCandidates, "de")
	_, err := cb.svc.AddCandidate(context.Background(), c, "Brigitte", "test")
	require.NoError(t, err)
	res, err := http.Get(cb.srv.URL + "/c/widget/widget")
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Header.Get("Content-Security-Policy"), "frame-ancestors *")
	require.Contains(t, res.Header.Get("Content-Security-Policy"), "script-src 'self'")
	require.Empty(t, res.Header.Get("X-Frame-Options"))
	require.Contains(t, string(body), "Brigitte")
	require.Contains(t, string(body), ">Abstimmen<")
	require.NotContains(t, string(body), "<script")
	res2, err := http.Get(cb.srv.URL + "/c/widget")
	require.NoError(t, err)
	res2.Body.Close()
	require.Equal(t, "DENY", res2.Header.Get("X-Frame-Options"), "the other pages are not framed")
}
