package web

import (
	"context"
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

// The public contest pages (/c/{slug}…): served by relais without a
// session, in the contest's language, under the same CSP as every page (no
// third-party script: the proof of work runs in the vendored pow.js).

// publicEntry is an entry as the public pages show it.
type publicEntry struct {
	ID    int64
	Title string
	Name  string
	Image string
	Video string
	URL   string
}

// shareLink is a "make sharing easy" button: a plain link, no script.
type shareLink struct {
	Label string
	URL   string
}

// contestPage is the data of every public contest page.
type contestPage struct {
	C         store.Contest
	View      string
	EntryOpen bool
	VoteOpen  bool
	Entries   []publicEntry
	Entry     publicEntry
	Share     []shareLink
	Challenge string
	Bits      int
	Token     string
	Result    contest.VoteResult
	Standings []contest.Standing
	Titles    map[int64]string
	Seed      string
	EntryIDs  string
	Winners   string
	Message   string
	Status    int
	BaseURL   string
	// Logo is the branding's logo (a signed media URL); Questions a quiz's
	// questions (without their answers); Ranking the jury stage's final ranking.
	Logo      string
	Questions []store.Question
	Quiz      store.ContestEntry
	Ranking   []contest.Ranked
	Answers   []int
	// FormEntry is true while people may enter with the form (photo, video,
	// giveaway); Pow when the page runs pow.js.
	FormEntry, Pow bool
	// PublicWeight is the public vote's share of the final ranking (percent).
	PublicWeight int
	// Scores are a quiz's "id:score" pairs for the verification command.
	Scores string
	// SocialChallenge is the Mastodon vote form's own proof of work; GoTo the
	// instance's OAuth page the voter continues to.
	SocialChallenge string
	GoTo            string
	GoHost          string
}

// publicContest finds the contest named by the URL.
func (h *handler) publicContest(w http.ResponseWriter, r *http.Request) (store.Contest, bool) {
	c, err := h.d.Store.ContestBySlug(r.Context(), r.PathValue("cslug"))
	if err != nil {
		h.fail(w, r, err, "", nil)
		return c, false
	}
	return c, true
}

func (h *handler) contestData(c store.Contest, view string) *contestPage {
	eo, vo := contest.Phase(c, time.Now())
	d := &contestPage{C: c, View: view, EntryOpen: eo, VoteOpen: vo, BaseURL: h.d.BaseURL, PublicWeight: 100 - c.JuryWeight, Pow: view == "entry",
		FormEntry: eo && (c.Kind == store.ContestPhoto || c.Kind == store.ContestVideo || c.Kind == store.ContestGiveaway)}
	if c.LogoMediaID != 0 && h.d.Media != nil {
		if m, err := h.d.Store.Media(context.Background(), c.WorkspaceID, c.LogoMediaID); err == nil && m.Kind == store.MediaImage {
			d.Logo = h.d.Media.SignedURL(m, "fit-1000000", 24*time.Hour)
		}
	}
	return d
}

// contestBrandCSS is the contest's accent colour as a style sheet (the CSP
// allows no inline style); the accent was checked for contrast when set.
func (h *handler) contestBrandCSS(w http.ResponseWriter, r *http.Request) {
	c, ok := h.publicContest(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=60")
	if contest.CheckAccent(c.Accent) == nil && c.Accent != "" {
		fmt.Fprintf(w, ":root{--accent:%s}\n", c.Accent)
	}
}

// contestQuiz checks a participant's answers and mails the confirmation link.
func (h *handler) contestQuiz(w http.ResponseWriter, r *http.Request) {
	c, ok := h.publicContest(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	if c.Kind != store.ContestQuiz {
		h.notFoundPage(w, r)
		return
	}
	form := map[string]string{}
	for _, k := range []string{"name", "email", "country"} {
		form[k] = r.PostFormValue(k)
	}
	answers := make([]int, len(c.Questions))
	for i := range c.Questions {
		answers[i] = -1
		if v, err := strconv.Atoi(r.PostFormValue(fmt.Sprintf("q%d", i))); err == nil {
			answers[i] = v
		}
	}
	_, err := h.d.Contests.RequestQuiz(r.Context(), c, contest.QuizRequest{Submission: contest.Submission{Name: form["name"], Email: form["email"],
		Country: form["country"], Consent: r.PostFormValue("consent") == "on", AgeConfirmed: r.PostFormValue("age") == "on", RemoteAddr: clientIP(r)},
		Answers: answers, Challenge: r.PostFormValue("pow_challenge"), Solution: r.PostFormValue("pow_solution")})
	if ve, ok := valid.As(err); ok {
		d := h.quizData(c)
		d.Answers = answers
		h.renderContest(w, r, http.StatusUnprocessableEntity, d, form, map[string]string{ve.Field: h.contestFieldError(c, ve)})
		return
	}
	if err != nil {
		h.contestRefusal(w, r, c, err)
		return
	}
	h.renderContest(w, r, http.StatusOK, h.contestData(c, "quiz_mail"), nil, nil)
}

// quizData is the home page of a quiz: its questions without their answers and a fresh challenge.
func (h *handler) quizData(c store.Contest) *contestPage {
	d := h.contestData(c, "home")
	d.Questions = make([]store.Question, len(c.Questions))
	for i, q := range c.Questions {
		d.Questions[i] = store.Question{Prompt: q.Prompt, Choices: q.Choices}
	}
	d.Challenge, d.Bits, d.Pow = h.d.Contests.PoW.Issue(c.Slug), powBits(h.d.Contests.PoW), true
	return d
}

func (h *handler) renderContest(w http.ResponseWriter, r *http.Request, status int, d *contestPage, form map[string]string, errs map[string]string) {
	lang := d.C.Lang
	if _, ok := h.pages.catalogs[lang]; !ok {
		lang = "en"
	}
	if form == nil {
		form = map[string]string{}
	}
	if errs == nil {
		errs = map[string]string{}
	}
	p := &page{Lang: lang, cat: h.pages.catalogs[lang], Title: d.C.Title, Form: form, Errors: errs, Data: d}
	if d.Message != "" {
		d.Message = p.T(d.Message)
	}
	h.execute(w, r, status, h.pages.lookup(lang, "contest_public"), "contest-page", p)
}

func (h *handler) viewEntry(c store.Contest, e store.ContestEntry) publicEntry {
	// Only the first name shows publicly.
	pe := publicEntry{ID: e.ID, Title: e.Title, URL: fmt.Sprintf("/c/%s/e/%d", c.Slug, e.ID)}
	if f := strings.Fields(e.Name); len(f) > 0 {
		pe.Name = f[0]
	}
	return pe
}

// withMedia adds signed media URLs to the entries (the media library's checks ran at upload).
func (h *handler) withMedia(r *http.Request, c store.Contest, pe *publicEntry, mediaID int64) {
	if mediaID == 0 || h.d.Media == nil {
		return
	}
	m, err := h.d.Store.Media(r.Context(), c.WorkspaceID, mediaID)
	if err != nil {
		return
	}
	switch m.Kind {
	case store.MediaImage:
		pe.Image = h.d.Media.SignedURL(m, "fit-1000000", 24*time.Hour)
	case store.MediaVideo:
		pe.Video = h.d.Media.SignedURL(m, "original", 24*time.Hour)
	}
}

// contestHome is the contest's page: what it is, its dates, and the gallery.
func (h *handler) contestHome(w http.ResponseWriter, r *http.Request) {
	c, ok := h.publicContest(w, r)
	if !ok {
		return
	}
	d := h.contestData(c, "home")
	if c.Kind == store.ContestQuiz {
		// A quiz shows its questions, not a gallery of its participants.
		h.renderContest(w, r, http.StatusOK, h.quizData(c), nil, nil)
		return
	}
	es, err := h.d.Store.Entries(r.Context(), c.WorkspaceID, c.ID, store.EntryApproved)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	for _, e := range es {
		pe := h.viewEntry(c, e)
		h.withMedia(r, c, &pe, e.MediaID)
		d.Entries = append(d.Entries, pe)
	}
	w.Header().Set("Cache-Control", "public, max-age=30")
	h.renderContest(w, r, http.StatusOK, d, nil, nil)
}

// contestRules is the rules page generated from the contest's fields, then the organiser's text.
func (h *handler) contestRules(w http.ResponseWriter, r *http.Request) {
	c, ok := h.publicContest(w, r)
	if !ok {
		return
	}
	h.renderContest(w, r, http.StatusOK, h.contestData(c, "rules"), nil, nil)
}

func (h *handler) contestEntryOf(w http.ResponseWriter, r *http.Request, c store.Contest) (store.ContestEntry, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFoundPage(w, r)
		return store.ContestEntry{}, false
	}
	e, err := h.d.Store.Entry(r.Context(), c.WorkspaceID, id)
	if err != nil || e.ContestID != c.ID || e.Status != store.EntryApproved {
		h.notFoundPage(w, r)
		return e, false
	}
	return e, true
}

// contestEntry is one entry's page: its media, share buttons and the vote form.
func (h *handler) contestEntry(w http.ResponseWriter, r *http.Request) {
	c, ok := h.publicContest(w, r)
	if !ok {
		return
	}
	e, ok := h.contestEntryOf(w, r, c)
	if !ok {
		return
	}
	h.renderEntry(w, r, http.StatusOK, c, e, nil, nil)
}

func (h *handler) renderEntry(w http.ResponseWriter, r *http.Request, status int, c store.Contest, e store.ContestEntry, form, errs map[string]string) {
	d := h.contestData(c, "entry")
	d.Entry = h.viewEntry(c, e)
	h.withMedia(r, c, &d.Entry, e.MediaID)
	d.Share = shareLinks(h.d.BaseURL+d.Entry.URL, e.Title+" – "+c.Title)
	d.Challenge, d.Bits = h.d.Contests.PoW.Issue(c.Slug), powBits(h.d.Contests.PoW)
	d.SocialChallenge = h.d.Contests.PoW.Issue(c.Slug)
	h.renderContest(w, r, status, d, form, errs)
}

// entryForm reads the contest, the approved entry and the form of a vote request.
func (h *handler) entryForm(w http.ResponseWriter, r *http.Request) (store.Contest, store.ContestEntry, bool) {
	c, ok := h.publicContest(w, r)
	if !ok {
		return c, store.ContestEntry{}, false
	}
	e, ok := h.contestEntryOf(w, r, c)
	return c, e, ok && h.parseForm(w, r)
}

// contestSocialVote checks a vote with a Mastodon account and shows the link
// to the voter's instance (a plain link: the CSP lets forms post only here).
func (h *handler) contestSocialVote(w http.ResponseWriter, r *http.Request) {
	c, e, ok := h.entryForm(w, r)
	if !ok {
		return
	}
	to, err := h.d.Contests.StartSocialVote(r.Context(), c, contest.SocialVoteRequest{EntryID: e.ID, Instance: r.PostFormValue("instance"),
		Challenge: r.PostFormValue("pow_challenge"), Solution: r.PostFormValue("pow_solution"), RemoteAddr: clientIP(r), UserAgent: r.UserAgent(), Referer: r.Referer()})
	if ve, ok := valid.As(err); ok {
		h.renderEntry(w, r, http.StatusUnprocessableEntity, c, e, map[string]string{"instance": r.PostFormValue("instance")}, map[string]string{ve.Field: h.contestFieldError(c, ve)})
		return
	}
	if err != nil {
		h.contestRefusal(w, r, c, err)
		return
	}
	d := h.contestData(c, "social_go")
	d.Entry, d.GoTo = h.viewEntry(c, e), to
	if u, err := url.Parse(to); err == nil {
		d.GoHost = u.Host
	}
	h.renderContest(w, r, http.StatusOK, d, nil, nil)
}

// contestSocialCallback is where the voter's instance sends them back: the
// vote of the confirmed account is counted.
func (h *handler) contestSocialCallback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	c, res, err := h.d.Contests.FinishSocialVote(r.Context(), q.Get("state"), q.Get("code"))
	if c.ID == 0 {
		h.errorPage(w, r, http.StatusBadRequest, "error.bad_request")
		return
	}
	if err != nil {
		h.contestRefusal(w, r, c, err)
		return
	}
	h.renderCounted(w, r, c, res)
}

func powBits(p *contest.PoW) int {
	if p.Bits <= 0 {
		return 18
	}
	return p.Bits
}

// shareLinks builds the share buttons: each network's own share address.
func shareLinks(u, text string) []shareLink {
	q, t := url.QueryEscape(u), url.QueryEscape(text)
	return []shareLink{
		{"Mastodon", "https://toot.kytta.dev/?text=" + url.QueryEscape(text+" "+u)},
		{"Bluesky", "https://bsky.app/intent/compose?text=" + url.QueryEscape(text+" "+u)},
		{"X", "https://x.com/intent/post?url=" + q + "&text=" + t},
		{"Facebook", "https://www.facebook.com/sharer/sharer.php?u=" + q},
		{"LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?url=" + q},
		{"WhatsApp", "https://wa.me/?text=" + url.QueryEscape(text+" "+u)},
		{"Telegram", "https://t.me/share/url?url=" + q + "&text=" + t},
		{"E-mail", "mailto:?subject=" + url.PathEscape(text) + "&body=" + url.PathEscape(u)},
	}
}

// contestVote checks the vote form and mails the confirmation link.
func (h *handler) contestVote(w http.ResponseWriter, r *http.Request) {
	c, e, ok := h.entryForm(w, r)
	if !ok {
		return
	}
	_, err := h.d.Contests.RequestVote(r.Context(), c, contest.VoteRequest{EntryID: e.ID, Email: r.PostFormValue("email"),
		Challenge: r.PostFormValue("pow_challenge"), Solution: r.PostFormValue("pow_solution"),
		RemoteAddr: clientIP(r), UserAgent: r.UserAgent(), Referer: r.Referer()})
	form := map[string]string{"email": r.PostFormValue("email")}
	if ve, ok := valid.As(err); ok {
		h.renderEntry(w, r, http.StatusUnprocessableEntity, c, e, form, map[string]string{ve.Field: h.contestFieldError(c, ve)})
		return
	}
	if err != nil {
		h.contestRefusal(w, r, c, err)
		return
	}
	d := h.contestData(c, "check_mail")
	d.Entry = h.viewEntry(c, e)
	h.renderContest(w, r, http.StatusOK, d, nil, nil)
}

func (h *handler) contestFieldError(c store.Contest, e *valid.Error) string {
	cat := h.pages.catalogs[c.Lang]
	if cat == nil {
		cat = h.pages.catalogs["en"]
	}
	if s, ok := cat["contest.field_"+e.Field]; ok {
		if strings.Contains(s, "%") {
			return fmt.Sprintf(s, c.MinAge)
		}
		return s
	}
	return e.Message
}

// contestRefusal shows why a public action was refused, with the right status.
func (h *handler) contestRefusal(w http.ResponseWriter, r *http.Request, c store.Contest, err error) {
	status, key := http.StatusInternalServerError, ""
	switch {
	case errors.Is(err, contest.ErrNotOpen):
		status, key = http.StatusConflict, "contest.err_not_open"
	case errors.Is(err, contest.ErrRateLimited):
		status, key = http.StatusTooManyRequests, "contest.err_rate"
		w.Header().Set("Retry-After", "60")
	case errors.Is(err, contest.ErrPoW):
		status, key = http.StatusBadRequest, "contest.err_pow"
	case errors.Is(err, contest.ErrBadToken):
		status, key = http.StatusBadRequest, "contest.err_token"
	case errors.Is(err, contest.ErrSocial):
		status, key = http.StatusBadGateway, "contest.err_social"
	case errors.Is(err, contest.ErrAlreadyAnswered):
		status, key = http.StatusConflict, "contest.err_answered"
	case errors.Is(err, store.ErrNotFound):
		h.notFoundPage(w, r)
		return
	default:
		h.log.Error("contest: public action failed", "contest", c.ID, "err", err)
		key = "contest.err_internal"
	}
	d := h.contestData(c, "message")
	d.Message, d.Status = key, status
	h.renderContest(w, r, status, d, nil, nil)
}

// contestConfirmForm shows the button that confirms a vote (a GET never
// votes: mail scanners open links).
func (h *handler) contestConfirmForm(w http.ResponseWriter, r *http.Request) {
	c, ok := h.publicContest(w, r)
	if !ok {
		return
	}
	d := h.contestData(c, "confirm")
	d.Token = r.URL.Query().Get("t")
	h.renderContest(w, r, http.StatusOK, d, nil, nil)
}

// contestConfirm counts the vote; the answer comes after the commit.
func (h *handler) contestConfirm(w http.ResponseWriter, r *http.Request) {
	c, ok := h.publicContest(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	if t := r.PostFormValue("t"); contest.IsQuizToken(t) {
		e, err := h.d.Contests.ConfirmQuiz(r.Context(), c, t)
		if err != nil {
			h.contestRefusal(w, r, c, err)
			return
		}
		d := h.contestData(c, "quiz_done")
		d.Quiz = e
		h.renderContest(w, r, http.StatusOK, d, nil, nil)
		return
	}
	res, err := h.d.Contests.Confirm(r.Context(), c, r.PostFormValue("t"))
	if err != nil {
		h.contestRefusal(w, r, c, err)
		return
	}
	h.renderCounted(w, r, c, res)
}

// renderCounted shows a counted (or already counted) vote with the share buttons.
func (h *handler) renderCounted(w http.ResponseWriter, r *http.Request, c store.Contest, res contest.VoteResult) {
	d := h.contestData(c, "counted")
	d.Result = res
	if e, err := h.d.Store.Entry(r.Context(), c.WorkspaceID, res.EntryID); err == nil {
		d.Entry = h.viewEntry(c, e)
		d.Share = shareLinks(h.d.BaseURL+d.Entry.URL, e.Title+" – "+c.Title)
	}
	status := http.StatusOK
	if res.Already {
		status = http.StatusConflict
	}
	h.renderContest(w, r, status, d, nil, nil)
}

// contestEnterForm is the entry form.
func (h *handler) contestEnterForm(w http.ResponseWriter, r *http.Request) {
	c, ok := h.publicContest(w, r)
	if !ok {
		return
	}
	h.renderContest(w, r, http.StatusOK, h.contestData(c, "enter"), nil, nil)
}

// contestEnter stores an entry (with its upload, checked by the media library), pending moderation.
func (h *handler) contestEnter(w http.ResponseWriter, r *http.Request) {
	c, ok := h.publicContest(w, r)
	if !ok {
		return
	}
	d := h.contestData(c, "enter")
	if !d.EntryOpen {
		h.contestRefusal(w, r, c, contest.ErrNotOpen)
		return
	}
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(15 * time.Minute))
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.errorPage(w, r, http.StatusRequestEntityTooLarge, "error.too_large", tooBig.Limit>>10)
			return
		}
		h.errorPage(w, r, http.StatusBadRequest, "error.bad_request")
		return
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	form := map[string]string{}
	for _, k := range []string{"title", "name", "email", "country"} {
		form[k] = r.PostFormValue(k)
	}
	refuse := func(field, msg string) {
		h.renderContest(w, r, http.StatusUnprocessableEntity, d, form, map[string]string{field: msg})
	}
	sub := contest.Submission{Title: form["title"], Name: form["name"], Email: form["email"], Country: form["country"],
		Consent: r.PostFormValue("consent") == "on", AgeConfirmed: r.PostFormValue("age") == "on", RemoteAddr: clientIP(r)}
	if c.Kind == store.ContestPhoto || c.Kind == store.ContestVideo {
		file, hdr, err := r.FormFile("file")
		if err == nil && h.d.Media != nil {
			m, err := h.d.Media.Upload(r.Context(), c.WorkspaceID, 0, hdr.Filename, file, h.maxUp)
			file.Close()
			if ve, ok := valid.As(err); ok {
				refuse("file", ve.Message)
				return
			}
			if err != nil {
				h.serverError(w, r, err)
				return
			}
			want := store.MediaImage
			if c.Kind == store.ContestVideo {
				want = store.MediaVideo
			}
			if m.Kind != want {
				refuse("file", h.contestFieldError(c, valid.Errorf("file_kind", "invalid", "the file must be a %s", want)))
				return
			}
			sub.MediaID = m.ID
		}
	}
	e, err := h.d.Contests.Enter(r.Context(), c, sub)
	if ve, ok := valid.As(err); ok {
		refuse(ve.Field, h.contestFieldError(c, ve))
		return
	}
	if err != nil {
		h.contestRefusal(w, r, c, err)
		return
	}
	d.View, d.Entry = "entered", h.viewEntry(c, e)
	h.renderContest(w, r, http.StatusCreated, d, nil, nil)
}

// contestResults shows the standings once voting closed (counts are hidden
// while it runs: deny feedback to anyone tuning an attack) and the draw with
// what anyone needs to verify it.
func (h *handler) contestResults(w http.ResponseWriter, r *http.Request) {
	c, ok := h.publicContest(w, r)
	if !ok {
		return
	}
	d := h.contestData(c, "results")
	// A quiz's scores and answers show once it closed; votes once voting closed.
	closes := c.VoteCloses
	if c.Kind == store.ContestQuiz {
		closes = c.EntryCloses
	}
	if !time.Now().Before(closes) {
		st, err := h.d.Contests.Results(r.Context(), c)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		d.Standings = st
		if c.JuryWeight > 0 {
			if d.Ranking, err = h.d.Contests.FinalRanking(r.Context(), c); err != nil {
				h.serverError(w, r, err)
				return
			}
		}
	}
	d.Titles = map[int64]string{}
	if c.DrawnAt != nil {
		es, err := h.d.Store.Entries(r.Context(), c.WorkspaceID, c.ID, store.EntryApproved)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		var ids, scores []string
		for _, e := range es {
			ids = append(ids, strconv.FormatInt(e.ID, 10))
			scores = append(scores, fmt.Sprintf("%d:%d", e.ID, e.Score))
			d.Titles[e.ID] = e.Title
		}
		d.Scores = strings.Join(scores, ",")
		d.Seed, d.EntryIDs = contest.PublicSeed(c), strings.Join(ids, ",")
		var ws []string
		for _, id := range c.WinnerIDs {
			ws = append(ws, strconv.FormatInt(id, 10))
		}
		d.Winners = strings.Join(ws, ",")
	}
	h.renderContest(w, r, http.StatusOK, d, nil, nil)
}

// widgetPolicy is the CSP of the embeddable widget: the page's own policy,
// but any site may frame it.
var widgetPolicy = strings.Replace(contentSecurityPolicy, "frame-ancestors 'none'", "frame-ancestors *", 1)

// contestWidget is the embeddable gallery (<iframe src="…/c/{slug}/widget">):
// no script, links open the contest's own pages in a new tab.
func (h *handler) contestWidget(w http.ResponseWriter, r *http.Request) {
	c, ok := h.publicContest(w, r)
	if !ok {
		return
	}
	d := h.contestData(c, "widget")
	es, err := h.d.Store.Entries(r.Context(), c.WorkspaceID, c.ID, store.EntryApproved)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	for _, e := range es {
		pe := h.viewEntry(c, e)
		h.withMedia(r, c, &pe, e.MediaID)
		d.Entries = append(d.Entries, pe)
	}
	w.Header().Set("Content-Security-Policy", widgetPolicy)
	w.Header().Del("X-Frame-Options")
	h.renderContest(w, r, http.StatusOK, d, nil, nil)
}
