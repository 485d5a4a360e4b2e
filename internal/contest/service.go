// Package contest runs contests on pages relais serves: setup and rules,
// entries moderated before they show, public voting with its integrity
// controls (a self-hosted proof of work, e-mail confirmation, one vote per
// identity per period by construction, rate limits per network block,
// anomaly scoring that flags and keeps), the organiser's audit log, and a
// verifiable commit-reveal draw.
package contest

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/mail"
	"github.com/relais/relais/internal/secret"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// Kinds lists the contest kinds.
var Kinds = []string{store.ContestPhoto, store.ContestVideo, store.ContestCandidates, store.ContestGiveaway, store.ContestQuiz, store.ContestComments}

// Langs are the languages of the public pages and rules.
var Langs = []string{"en", "fr", "de"}

// Errors the handlers map to answers.
var (
	ErrNotOpen      = errors.New("contest: this contest is not open for that now")
	ErrRateLimited  = errors.New("contest: too many requests from your network; try again in a minute")
	ErrBadToken     = errors.New("contest: the confirmation link is invalid or has expired")
	ErrNotCommitted = errors.New("contest: commit the draw seed first (close entries)")
	ErrChanged      = errors.New("contest: the approved entries changed after the commit; the draw uses the committed set only")
	ErrNoEntries    = errors.New("contest: no approved entries to draw from")
)

// Service is the contest core.
type Service struct {
	Store store.Store
	// Mail sends confirmation links and entrant notices (nil: links are logged only).
	Mail *mail.Sender
	// BaseURL is the public address the links in mail point to.
	BaseURL  string
	PoW      *PoW
	Recorder *Recorder
	Scorer   *Scorer
	// HTTP calls voters' Mastodon instances (nil: the guarded client that refuses private addresses).
	HTTP     *http.Client
	httpOnce sync.Once
	// Connectors opens channels' connectors (comment-to-enter giveaways).
	Connectors Connectors
	// Limit bounds vote requests and entries per network block.
	Limit *Limiter
	// Key signs confirmation links and keys the identity hashes.
	Key []byte
	// Secrets seals the voters' servers' app secrets (the instance's
	// keyring, so a key rotation keeps them readable; New derives one from Key).
	Secrets *secret.Keyring
	Log     *slog.Logger
	Now     func() time.Time
	// OnMail, when set, receives every message instead of Mail (tests).
	OnMail func(mail.Message)
}

// New builds a service; key is derived from the instance's key file.
func New(st store.Store, key []byte, m *mail.Sender, baseURL string, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	writers := 1
	if st.Dialect() == "postgres" {
		writers = 4
	}
	derived := hmac.New(sha256.New, key)
	derived.Write([]byte("contest-oauth-app-secrets"))
	ring, err := secret.New("contests", map[string][]byte{"contests": derived.Sum(nil)})
	if err != nil {
		panic(err) // a SHA-256 sum is always a valid key
	}
	return &Service{Store: st, Mail: m, BaseURL: strings.TrimRight(baseURL, "/"), Key: key, Secrets: ring, Log: log,
		PoW: &PoW{Key: key, Spent: st}, Recorder: NewRecorder(st, writers, 512), Scorer: &Scorer{}, Limit: &Limiter{Rate: 10, Burst: 20, Shared: st}}
}

// Close stops the vote recorder after the queued votes are written.
func (s *Service) Close() { s.Recorder.Close() }

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$`)
var countryRE = regexp.MustCompile(`^[A-Z]{2}$`)

// Check validates a contest's fields, naming the field and the limit.
func Check(c *store.Contest) error {
	var err error
	if !slugRE.MatchString(c.Slug) {
		return valid.Errorf("slug", "invalid", "slug must be 3 to 60 lowercase letters, digits or hyphens; got %q", c.Slug)
	}
	if c.Title, err = valid.Text("title", "title", c.Title, 200); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    *string
		max  int
	}{{"description", &c.Description, 5000}, {"prizes", &c.Prizes, 2000}, {"rules_text", &c.RulesText, 20000}} {
		*f.v = strings.TrimSpace(*f.v)
		if n := utf8.RuneCountInString(*f.v); n > f.max {
			return valid.Errorf(f.name, "too_long", "%s allows at most %d characters; it has %d", f.name, f.max, n)
		}
		if err := valid.NoNUL(f.name, *f.v); err != nil {
			return err
		}
	}
	if !slices.Contains(Kinds, c.Kind) {
		return valid.Errorf("kind", "invalid", "kind must be one of %s; got %q", strings.Join(Kinds, ", "), c.Kind)
	}
	if c.VotePeriod == "" {
		c.VotePeriod = "contest"
	}
	if c.VotePeriod != "contest" && c.VotePeriod != "day" {
		return valid.Errorf("vote_period", "invalid", "vote_period must be contest or day; got %q", c.VotePeriod)
	}
	if c.EntryOpens.IsZero() || c.EntryCloses.IsZero() || !c.EntryOpens.Before(c.EntryCloses) {
		return valid.Errorf("entry_closes", "invalid", "entry_closes must be after entry_opens")
	}
	if c.VoteOpens.IsZero() || c.VoteCloses.IsZero() || !c.VoteOpens.Before(c.VoteCloses) {
		return valid.Errorf("vote_closes", "invalid", "vote_closes must be after vote_opens")
	}
	if c.MinAge < 0 || c.MinAge > 120 {
		return valid.Errorf("min_age", "range", "min_age must be between 0 and 120; got %d", c.MinAge)
	}
	for i, cc := range c.Countries {
		c.Countries[i] = strings.ToUpper(strings.TrimSpace(cc))
		if !countryRE.MatchString(c.Countries[i]) {
			return valid.Errorf("countries", "invalid", "countries must be two-letter ISO codes such as DE or FR; got %q", cc)
		}
	}
	if c.Lang == "" {
		c.Lang = "en"
	}
	if !slices.Contains(Langs, c.Lang) {
		return valid.Errorf("lang", "invalid", "lang must be en, fr or de; got %q", c.Lang)
	}
	if err := CheckAccent(c.Accent); err != nil {
		return err
	}
	if c.Kind == store.ContestQuiz {
		if err := CheckQuestions(c.Questions); err != nil {
			return err
		}
	} else if len(c.Questions) > 0 {
		return valid.Errorf("questions", "invalid", "questions are for a quiz only; kind is %s", c.Kind)
	}
	c.Keyword = strings.TrimSpace(c.Keyword)
	if c.Kind == store.ContestComments {
		if c.SourceChannelID == 0 || strings.TrimSpace(c.SourceRemoteID) == "" {
			return valid.Errorf("source", "required", "source: a comment-to-enter giveaway needs a published post of a connected channel")
		}
		if utf8.RuneCountInString(c.Keyword) > 100 {
			return valid.Errorf("keyword", "too_long", "keyword allows at most 100 characters")
		}
	} else if c.SourceChannelID != 0 || c.SourceRemoteID != "" || c.Keyword != "" {
		return valid.Errorf("source", "invalid", "source and keyword are for a comment-to-enter giveaway only; kind is %s", c.Kind)
	}
	if c.JuryWeight < 0 || c.JuryWeight > 100 {
		return valid.Errorf("jury_weight", "range", "jury_weight must be between 0 and 100 (percent); got %d", c.JuryWeight)
	}
	if c.JuryWeight > 0 && !Voted(c.Kind) {
		return valid.Errorf("jury_weight", "invalid", "jury_weight: a jury stage needs a public vote (photo, video or candidates); kind is %s", c.Kind)
	}
	if c.Finalists < 0 || c.Finalists > 1000 {
		return valid.Errorf("finalists", "range", "finalists must be between 0 and 1000; got %d", c.Finalists)
	}
	if c.Winners == 0 {
		c.Winners = 1
	}
	if c.Winners < 1 || c.Winners > 100 {
		return valid.Errorf("winners", "range", "winners must be between 1 and 100; got %d", c.Winners)
	}
	if c.RetentionDays == 0 {
		c.RetentionDays = 90
	}
	if c.RetentionDays < 1 || c.RetentionDays > 3650 {
		return valid.Errorf("retention_days", "range", "retention_days must be between 1 and 3650; got %d", c.RetentionDays)
	}
	return nil
}

// Voted tells the kinds with a public vote.
func Voted(kind string) bool {
	return kind == store.ContestPhoto || kind == store.ContestVideo || kind == store.ContestCandidates
}

// Create validates and stores a contest.
func (s *Service) Create(ctx context.Context, c *store.Contest, actor string) error {
	if err := Check(c); err != nil {
		return err
	}
	if err := s.checkLogo(ctx, c); err != nil {
		return err
	}
	if err := s.checkSource(ctx, c); err != nil {
		return err
	}
	if err := s.Store.CreateContest(ctx, c); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return valid.Errorf("slug", "taken", "slug %q is taken by another contest", c.Slug)
		}
		return err
	}
	s.audit(ctx, c.WorkspaceID, c.ID, actor, "create", fmt.Sprintf("kind %s, entries %s–%s, votes %s–%s, one vote per %s",
		c.Kind, c.EntryOpens.Format(time.RFC3339), c.EntryCloses.Format(time.RFC3339), c.VoteOpens.Format(time.RFC3339), c.VoteCloses.Format(time.RFC3339), c.VotePeriod))
	return nil
}

func (s *Service) audit(ctx context.Context, workspaceID, contestID int64, actor, action, detail string) {
	if err := s.Store.AddContestAudit(ctx, workspaceID, store.ContestAudit{ContestID: contestID, At: s.now(), Actor: actor, Action: action, Detail: detail}); err != nil {
		s.Log.Error("contest audit", "contest", contestID, "action", action, "err", err)
	}
}

// allow takes a rate token for key (shared by every instance).
func (s *Service) allow(ctx context.Context, key string, now time.Time) error {
	ok, err := s.Limit.AllowContext(ctx, key, now)
	if err != nil {
		return err
	}
	if !ok {
		return ErrRateLimited
	}
	return nil
}

// Phase is where a contest stands at now.
func Phase(c store.Contest, now time.Time) (entryOpen, voteOpen bool) {
	return !now.Before(c.EntryOpens) && now.Before(c.EntryCloses), !now.Before(c.VoteOpens) && now.Before(c.VoteCloses)
}

// Submission is an entry sent from the public form (or added by the organiser).
type Submission struct {
	Title, Name, Email, Country string
	MediaID                     int64
	Consent, AgeConfirmed       bool
	RemoteAddr                  string
}

// Enter stores a public entry, pending moderation.
func (s *Service) Enter(ctx context.Context, c store.Contest, sub Submission) (store.ContestEntry, error) {
	if open, _ := Phase(c, s.now()); !open {
		return store.ContestEntry{}, ErrNotOpen
	}
	if err := s.allow(ctx, "enter/"+NetBlock(sub.RemoteAddr), s.now()); err != nil {
		return store.ContestEntry{}, err
	}
	if c.Kind == store.ContestQuiz || c.Kind == store.ContestComments {
		return store.ContestEntry{}, ErrNotOpen
	}
	e, err := s.checkEntrant(c, sub)
	if err != nil {
		return e, err
	}
	e.Status = store.EntryPending
	if err := s.Store.CreateEntry(ctx, &e); err != nil {
		return e, err
	}
	s.audit(ctx, c.WorkspaceID, c.ID, "public", "entry", fmt.Sprintf("entry %d received, consent recorded, pending moderation", e.ID))
	return e, nil
}

// checkEntrant validates what an entrant sends (title, name, address, file,
// country, age, consent).
func (s *Service) checkEntrant(c store.Contest, sub Submission) (store.ContestEntry, error) {
	e := store.ContestEntry{WorkspaceID: c.WorkspaceID, ContestID: c.ID, MediaID: sub.MediaID}
	var err error
	if e.Title, err = valid.Text("title", "title", sub.Title, 200); err != nil {
		return e, err
	}
	if e.Name, err = valid.Text("name", "name", sub.Name, 100); err != nil {
		return e, err
	}
	if e.Email, err = valid.Email("email", sub.Email); err != nil {
		return e, err
	}
	if (c.Kind == store.ContestPhoto || c.Kind == store.ContestVideo) && sub.MediaID == 0 {
		return e, valid.Errorf("file", "required", "file is required: a %s contest takes a %s", c.Kind, c.Kind)
	}
	if len(c.Countries) > 0 {
		e.Country = strings.ToUpper(strings.TrimSpace(sub.Country))
		if !slices.Contains(c.Countries, e.Country) {
			return e, valid.Errorf("country", "not_eligible", "country must be one of %s", strings.Join(c.Countries, ", "))
		}
	}
	if c.MinAge > 0 && !sub.AgeConfirmed {
		return e, valid.Errorf("age", "required", "age: confirm you are at least %d", c.MinAge)
	}
	if !sub.Consent {
		return e, valid.Errorf("consent", "required", "consent is required: accept the rules and the processing of your data")
	}
	now := s.now()
	e.ConsentAt = &now
	return e, nil
}

// AddCandidate adds an approved entry as the organiser (candidates, or entries received elsewhere).
func (s *Service) AddCandidate(ctx context.Context, c store.Contest, title, actor string) (store.ContestEntry, error) {
	e := store.ContestEntry{WorkspaceID: c.WorkspaceID, ContestID: c.ID, Status: store.EntryApproved}
	var err error
	if e.Title, err = valid.Text("title", "title", title, 200); err != nil {
		return e, err
	}
	if err := s.Store.CreateEntry(ctx, &e); err != nil {
		return e, err
	}
	s.audit(ctx, c.WorkspaceID, c.ID, actor, "candidate", fmt.Sprintf("entry %d %q added", e.ID, e.Title))
	return e, nil
}

// Moderate approves or rejects an entry and tells the entrant by mail.
func (s *Service) Moderate(ctx context.Context, workspaceID, entryID int64, status, reason, actor string) (store.ContestEntry, error) {
	if status != store.EntryApproved && status != store.EntryRejected {
		return store.ContestEntry{}, valid.Errorf("status", "invalid", "status must be approved or rejected; got %q", status)
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > 500 {
		return store.ContestEntry{}, valid.Errorf("reason", "too_long", "reason allows at most 500 characters")
	}
	if status == store.EntryRejected && reason == "" {
		return store.ContestEntry{}, valid.Errorf("reason", "required", "reason is required to reject an entry (the entrant is told)")
	}
	e, err := s.Store.Entry(ctx, workspaceID, entryID)
	if err != nil {
		return e, err
	}
	c, err := s.Store.Contest(ctx, workspaceID, e.ContestID)
	if err != nil {
		return e, err
	}
	if err := s.Store.ModerateEntry(ctx, workspaceID, entryID, status, reason); err != nil {
		return e, err
	}
	e.Status, e.Reason = status, reason
	s.audit(ctx, workspaceID, e.ContestID, actor, "moderate", fmt.Sprintf("entry %d %s %s", entryID, status, reason))
	if e.Email != "" {
		msg := EntrantNotice(c.Lang, e.Email, c.Title, status, reason, s.BaseURL+"/c/"+c.Slug+"/e/"+fmt.Sprint(e.ID))
		if err := s.send(ctx, msg); err != nil {
			s.Log.Warn("contest: entrant notice not sent", "entry", e.ID, "err", err)
		} else {
			now := s.now()
			_ = s.Store.MarkEntryNotified(ctx, workspaceID, entryID, now)
			e.NotifiedAt = &now
		}
	}
	return e, nil
}

func (s *Service) send(ctx context.Context, m mail.Message) error {
	if s.OnMail != nil {
		s.OnMail(m)
		return nil
	}
	if s.Mail == nil {
		return errors.New("no SMTP server configured")
	}
	return s.Mail.Send(ctx, m)
}

// VoteRequest is a public vote before its confirmation.
type VoteRequest struct {
	EntryID             int64
	Email               string
	Challenge, Solution string
	RemoteAddr          string
	UserAgent, Referer  string
}

// ballot is what a confirmation link carries, signed.
type ballot struct {
	Contest    int64  `json:"c"`
	Workspace  int64  `json:"w"`
	Entry      int64  `json:"e"`
	Identity   string `json:"i"`
	Block      string `json:"b"`
	Device     string `json:"d"`
	Disposable bool   `json:"x,omitempty"`
	Alias      bool   `json:"a,omitempty"`
	NoReferrer bool   `json:"r,omitempty"`
	Expires    int64  `json:"t"`
}

// RequestVote checks a vote (window, entry, rate limit, proof of work,
// address) and mails the confirmation link; the vote counts once the voter
// follows it. It returns the link too (tests; the page never shows it).
func (s *Service) RequestVote(ctx context.Context, c store.Contest, r VoteRequest) (string, error) {
	now := s.now()
	e, block, err := s.checkVote(ctx, c, r.EntryID, r.RemoteAddr, now)
	if err != nil {
		return "", err
	}
	if err := s.PoW.VerifyContext(ctx, c.Slug, r.Challenge, r.Solution); err != nil {
		return "", err
	}
	norm, ok := NormalizeEmail(r.Email)
	if !ok {
		return "", valid.Errorf("email", "invalid", "email must be an address like name@example.com")
	}
	raw := strings.ToLower(strings.TrimSpace(r.Email))
	b := ballot{Contest: c.ID, Workspace: c.WorkspaceID, Entry: e.ID, Identity: Identity(s.Key, norm), Block: block, Device: Device(r.UserAgent),
		Disposable: Disposable(norm), Alias: raw != norm, NoReferrer: r.Referer == "", Expires: now.Add(48 * time.Hour).Unix()}
	link := s.BaseURL + "/c/" + c.Slug + "/confirm?t=" + s.SignBallot(b)
	if err := s.send(ctx, VoteConfirmation(c.Lang, strings.TrimSpace(r.Email), c.Title, e.Title, link)); err != nil {
		return "", fmt.Errorf("contest: the confirmation mail could not be sent: %w", err)
	}
	return link, nil
}

// checkVote checks what every vote request needs: the voting window, the
// network block's rate limit and an approved entry of the contest.
func (s *Service) checkVote(ctx context.Context, c store.Contest, entryID int64, remoteAddr string, now time.Time) (store.ContestEntry, string, error) {
	if _, open := Phase(c, now); !open {
		return store.ContestEntry{}, "", ErrNotOpen
	}
	block := NetBlock(remoteAddr)
	if err := s.allow(ctx, "vote/"+block, now); err != nil {
		return store.ContestEntry{}, "", err
	}
	e, err := s.Store.Entry(ctx, c.WorkspaceID, entryID)
	if err != nil || e.ContestID != c.ID || e.Status != store.EntryApproved {
		return e, "", store.ErrNotFound
	}
	return e, block, nil
}

// SignBallot encodes and signs a ballot as a confirmation token.
func (s *Service) SignBallot(b ballot) string {
	body, _ := json.Marshal(b)
	p := base64.RawURLEncoding.EncodeToString(body)
	return p + "." + s.tokenMAC(p)
}

// Ballot builds a ballot (the fault test and the benchmark mint links as the mail would carry them).
func Ballot(c store.Contest, entryID int64, identity, block, device string, expires time.Time) ballot {
	return ballot{Contest: c.ID, Workspace: c.WorkspaceID, Entry: entryID, Identity: identity, Block: block, Device: device, Expires: expires.Unix()}
}

func (s *Service) tokenMAC(p string) string {
	m := hmac.New(sha256.New, s.Key)
	m.Write([]byte("ballot/" + p))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// VoteResult is the outcome of a confirmation.
type VoteResult struct {
	EntryID int64    `json:"entry_id"`
	Counted bool     `json:"counted"`
	Already bool     `json:"already_voted"`
	Score   float64  `json:"score"`
	Flags   []string `json:"flags,omitempty"`
}

// Confirm counts the vote a confirmation link carries: scored, written and
// committed before it returns. A second confirmation of the same identity in
// the period is Already (the unique index decides).
func (s *Service) Confirm(ctx context.Context, c store.Contest, token string) (VoteResult, error) {
	p, mac, ok := strings.Cut(token, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(s.tokenMAC(p))) {
		return VoteResult{}, ErrBadToken
	}
	body, err := base64.RawURLEncoding.DecodeString(p)
	var b ballot
	if err != nil || json.Unmarshal(body, &b) != nil || b.Contest != c.ID || b.Workspace != c.WorkspaceID {
		return VoteResult{}, ErrBadToken
	}
	now := s.now()
	if now.Unix() > b.Expires {
		return VoteResult{}, ErrBadToken
	}
	return s.count(ctx, c, b, now)
}

// count scores and records a checked ballot; it returns after the commit.
func (s *Service) count(ctx context.Context, c store.Contest, b ballot, now time.Time) (VoteResult, error) {
	if _, open := Phase(c, now); !open {
		return VoteResult{}, ErrNotOpen
	}
	period := "all"
	if c.VotePeriod == "day" {
		period = now.Format("2006-01-02")
	}
	score, flags := s.Scorer.Score(c.ID, b.Entry, b.Block, b.Device, now, Signals{NoReferrer: b.NoReferrer, Disposable: b.Disposable, Alias: b.Alias})
	v := store.Vote{ContestID: c.ID, WorkspaceID: c.WorkspaceID, EntryID: b.Entry, Identity: b.Identity, Period: period,
		NetBlock: b.Block, Device: b.Device, Score: score, Flags: flags, At: now}
	stored, err := s.Recorder.Record(ctx, v)
	if err != nil {
		return VoteResult{}, err
	}
	return VoteResult{EntryID: b.Entry, Counted: stored, Already: !stored, Score: score, Flags: flags}, nil
}

// CloseEntries closes entry now (if still open) and commits the draw: the
// seed's hash and the approved entries' hash are stored and published.
func (s *Service) CloseEntries(ctx context.Context, workspaceID, id int64, actor string) (store.Contest, error) {
	c, err := s.Store.Contest(ctx, workspaceID, id)
	if err != nil {
		return c, err
	}
	if c.CommittedAt != nil {
		return c, nil
	}
	if c.Kind == store.ContestComments {
		// The last reading: the entrants are frozen with the commit.
		if _, err := s.importComments(ctx, c, actor); err != nil {
			return c, err
		}
	}
	now := s.now()
	if now.Before(c.EntryCloses) {
		c.EntryCloses = now
		if c.EntryOpens.After(now) {
			c.EntryOpens = now.Add(-time.Second)
		}
	}
	ids, err := s.approvedIDs(ctx, c)
	if err != nil {
		return c, err
	}
	seed, hash := NewSeed()
	c.Seed, c.SeedHash, c.EntriesHash, c.CommittedAt = seed, hash, EntriesHash(ids), &now
	if err := s.Store.UpdateContest(ctx, &c); err != nil {
		return c, err
	}
	s.audit(ctx, workspaceID, id, actor, "commit", fmt.Sprintf("entry closed; seed SHA-256 %s; %d approved entries, ids SHA-256 %s", hash, len(ids), c.EntriesHash))
	return c, nil
}

func (s *Service) approvedIDs(ctx context.Context, c store.Contest) ([]int64, error) {
	es, err := s.Store.Entries(ctx, c.WorkspaceID, c.ID, store.EntryApproved)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	return ids, nil
}

// Draw reveals the seed and draws the winners among the committed entries.
func (s *Service) Draw(ctx context.Context, workspaceID, id int64, actor string) (store.Contest, error) {
	c, err := s.Store.Contest(ctx, workspaceID, id)
	if err != nil {
		return c, err
	}
	if c.CommittedAt == nil {
		return c, ErrNotCommitted
	}
	if c.DrawnAt != nil {
		return c, nil
	}
	es, err := s.Store.Entries(ctx, c.WorkspaceID, c.ID, store.EntryApproved)
	if err != nil {
		return c, err
	}
	ids := make([]int64, len(es))
	scores := make(map[int64]int, len(es))
	for i, e := range es {
		ids[i], scores[e.ID] = e.ID, e.Score
	}
	if len(ids) == 0 {
		return c, ErrNoEntries
	}
	if EntriesHash(ids) != c.EntriesHash {
		return c, ErrChanged
	}
	now := s.now()
	c.DrawnAt = &now
	switch {
	case c.Kind == store.ContestQuiz:
		c.WinnerIDs = RankedDraw(c.Seed, ids, scores, c.Winners)
	default:
		c.WinnerIDs = Draw(c.Seed, ids, c.Winners)
	}
	if err := s.Store.UpdateContest(ctx, &c); err != nil {
		return c, err
	}
	s.audit(ctx, workspaceID, id, actor, "draw", fmt.Sprintf("seed %s revealed; winners %v", c.Seed, c.WinnerIDs))
	return c, nil
}

// Purge removes personal data past each contest's retention period, and
// the expired challenges and idle rate buckets (a periodic job).
func (s *Service) Purge(ctx context.Context) (entries, votes int64, err error) {
	if err := s.Store.PruneContestLimits(ctx, s.now()); err != nil {
		return 0, 0, err
	}
	return s.Store.PurgeContestData(ctx, s.now())
}

// PublicSeed is the seed once revealed ("" before the draw: it stays secret).
func PublicSeed(c store.Contest) string {
	if c.DrawnAt == nil {
		return ""
	}
	return c.Seed
}

// Standing is an entry with its tally.
type Standing struct {
	Entry store.ContestEntry `json:"entry"`
	store.VoteCount
}

// Results ranks the approved entries by valid votes (flagged votes count
// until voided; void votes do not), ties by entry id.
func (s *Service) Results(ctx context.Context, c store.Contest) ([]Standing, error) {
	es, err := s.Store.Entries(ctx, c.WorkspaceID, c.ID, store.EntryApproved)
	if err != nil {
		return nil, err
	}
	counts, err := s.Store.VoteCounts(ctx, c.WorkspaceID, c.ID)
	if err != nil {
		return nil, err
	}
	byEntry := map[int64]store.VoteCount{}
	for _, vc := range counts {
		byEntry[vc.EntryID] = vc
	}
	out := make([]Standing, len(es))
	for i, e := range es {
		vc := byEntry[e.ID]
		vc.EntryID = e.ID
		out[i] = Standing{Entry: e, VoteCount: vc}
	}
	if c.Kind == store.ContestQuiz {
		sort.SliceStable(out, func(i, j int) bool { return out[i].Entry.Score > out[j].Entry.Score })
		return out, nil
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Votes > out[j].Votes })
	return out, nil
}

// VoidVote voids a flagged vote under the published rules; it stays stored.
func (s *Service) VoidVote(ctx context.Context, workspaceID, contestID, voteID int64, reason, actor string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return valid.Errorf("reason", "required", "reason is required (at most 500 characters) to void a vote")
	}
	if err := s.Store.VoidVote(ctx, workspaceID, contestID, voteID, reason); err != nil {
		return err
	}
	s.audit(ctx, workspaceID, contestID, actor, "void", fmt.Sprintf("vote %d voided: %s", voteID, reason))
	return nil
}

// Personal is what relais holds about one entrant or voter.
type Personal struct {
	Email   string               `json:"email"`
	Entries []store.ContestEntry `json:"entries"`
	Votes   []store.Vote         `json:"votes"`
}

// Export gathers an address's entries and votes in the workspace.
func (s *Service) Export(ctx context.Context, workspaceID int64, email string) (Personal, error) {
	norm, ok := NormalizeEmail(email)
	if !ok {
		return Personal{}, valid.Errorf("email", "invalid", "email must be an address like name@example.com")
	}
	p := Personal{Email: norm}
	var err error
	if p.Entries, err = s.Store.EntriesByEmail(ctx, workspaceID, strings.ToLower(strings.TrimSpace(email))); err != nil {
		return p, err
	}
	p.Votes, err = s.Store.VotesByIdentity(ctx, workspaceID, Identity(s.Key, norm))
	return p, err
}

// Erase removes an address's personal data: its entries are blanked and
// rejected, its votes deleted. It returns how many of each.
func (s *Service) Erase(ctx context.Context, workspaceID int64, email, actor string) (entries, votes int64, err error) {
	p, err := s.Export(ctx, workspaceID, email)
	if err != nil {
		return 0, 0, err
	}
	for _, e := range p.Entries {
		if err := s.Store.EraseEntry(ctx, workspaceID, e.ID); err != nil {
			return entries, 0, err
		}
		entries++
		s.audit(ctx, workspaceID, e.ContestID, actor, "erase", fmt.Sprintf("entry %d: entrant data erased on request", e.ID))
	}
	if votes, err = s.Store.EraseVotes(ctx, workspaceID, Identity(s.Key, p.Email)); err != nil {
		return entries, 0, err
	}
	contests := map[int64]int{}
	for _, v := range p.Votes {
		contests[v.ContestID]++
	}
	for id, n := range contests {
		s.audit(ctx, workspaceID, id, actor, "erase", fmt.Sprintf("%d vote(s) of one identity erased on request", n))
	}
	return entries, votes, nil
}

func errorf(field, format string, args ...any) error {
	return valid.Errorf(field, "invalid", format, args...)
}

// RandomKey is a fresh key for a service that need not agree with another
// process (tests, and UIs built without the app's key).
func RandomKey() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return k
}
