package contest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/mail"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// ErrAlreadyAnswered is returned when an identity confirms a second set of quiz answers.
var ErrAlreadyAnswered = errors.New("contest: this address has already answered the quiz")

// Quiz limits.
const (
	MaxQuestions = 50
	MaxChoices   = 10
)

// ParseQuestions reads questions written as text: a question's prompt on
// its own line, then its choices, one a line, starting with "* " for the
// right one and "- " for the others; a blank line between questions.
func ParseQuestions(text string) ([]store.Question, error) {
	var out []store.Question
	var cur *store.Question
	for n, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			cur = nil
		case strings.HasPrefix(line, "* ") || strings.HasPrefix(line, "- "):
			if cur == nil {
				return nil, valid.Errorf("questions", "invalid", "questions: line %d is a choice without a question above it", n+1)
			}
			if line[0] == '*' {
				if cur.Correct >= 0 {
					return nil, valid.Errorf("questions", "invalid", "questions: %q has more than one right choice (*)", cur.Prompt)
				}
				cur.Correct = len(cur.Choices)
			}
			cur.Choices = append(cur.Choices, strings.TrimSpace(line[2:]))
		default:
			out = append(out, store.Question{Prompt: line, Correct: -1})
			cur = &out[len(out)-1]
		}
	}
	return out, CheckQuestions(out)
}

// FormatQuestions writes questions in the text form ParseQuestions reads.
func FormatQuestions(qs []store.Question) string {
	var b strings.Builder
	for i, q := range qs {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(q.Prompt + "\n")
		for j, c := range q.Choices {
			mark := "- "
			if j == q.Correct {
				mark = "* "
			}
			b.WriteString(mark + c + "\n")
		}
	}
	return b.String()
}

// CheckQuestions validates a quiz: 1 to 50 questions of 2 to 10 choices,
// each with one right choice.
func CheckQuestions(qs []store.Question) error {
	if len(qs) == 0 || len(qs) > MaxQuestions {
		return valid.Errorf("questions", "range", "questions: a quiz has 1 to %d questions; got %d", MaxQuestions, len(qs))
	}
	for i, q := range qs {
		if q.Prompt == "" || utf8.RuneCountInString(q.Prompt) > 500 {
			return valid.Errorf("questions", "invalid", "questions: question %d needs a prompt of at most 500 characters", i+1)
		}
		if len(q.Choices) < 2 || len(q.Choices) > MaxChoices {
			return valid.Errorf("questions", "invalid", "questions: question %d (%q) needs 2 to %d choices; it has %d", i+1, q.Prompt, MaxChoices, len(q.Choices))
		}
		for _, c := range q.Choices {
			if c == "" || utf8.RuneCountInString(c) > 200 {
				return valid.Errorf("questions", "invalid", "questions: the choices of question %d must have 1 to 200 characters", i+1)
			}
		}
		if q.Correct < 0 || q.Correct >= len(q.Choices) {
			return valid.Errorf("questions", "invalid", "questions: question %d (%q) needs exactly one right choice (marked *)", i+1, q.Prompt)
		}
	}
	return nil
}

// QuizScore counts the right answers.
func QuizScore(qs []store.Question, answers []int) int {
	n := 0
	for i, q := range qs {
		if i < len(answers) && answers[i] == q.Correct {
			n++
		}
	}
	return n
}

// RankedDraw orders ids by score, best first, and breaks ties by the
// verifiable draw: the seed's full draw order over the sorted ids (Draw with
// n = len(ids)) decides among equal scores. It returns the first n.
func RankedDraw(seed string, ids []int64, scores map[int64]int, n int) []int64 {
	order := Draw(seed, ids, len(ids))
	pos := make(map[int64]int, len(order))
	for i, id := range order {
		pos[id] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		if scores[order[a]] != scores[order[b]] {
			return scores[order[a]] > scores[order[b]]
		}
		return pos[order[a]] < pos[order[b]]
	})
	if n < len(order) {
		order = order[:n]
	}
	return order
}

// QuizRequest is a participant's answers before the confirmation.
type QuizRequest struct {
	Submission
	Answers             []int
	Challenge, Solution string
}

// quizBallot is what a quiz confirmation link carries, signed.
type quizBallot struct {
	Contest   int64  `json:"c"`
	Workspace int64  `json:"w"`
	Name      string `json:"n"`
	Email     string `json:"m"`
	Country   string `json:"k,omitempty"`
	Identity  string `json:"i"`
	Answers   []int  `json:"a"`
	Consent   int64  `json:"s"`
	Expires   int64  `json:"t"`
}

// RequestQuiz checks a participant's answers (entry window, rate limit,
// proof of work, name, address, eligibility, consent) and mails the
// confirmation link; the answers count once the participant follows it.
func (s *Service) RequestQuiz(ctx context.Context, c store.Contest, r QuizRequest) (string, error) {
	now := s.now()
	if c.Kind != store.ContestQuiz {
		return "", store.ErrNotFound
	}
	if open, _ := Phase(c, now); !open {
		return "", ErrNotOpen
	}
	if err := s.allow(ctx, "enter/"+NetBlock(r.RemoteAddr), now); err != nil {
		return "", err
	}
	if len(r.Answers) != len(c.Questions) {
		return "", valid.Errorf("answers", "required", "answers: answer all %d questions", len(c.Questions))
	}
	for i, a := range r.Answers {
		if a < 0 || a >= len(c.Questions[i].Choices) {
			return "", valid.Errorf("answers", "required", "answers: answer all %d questions", len(c.Questions))
		}
	}
	r.Title = r.Name
	e, err := s.checkEntrant(c, r.Submission)
	if err != nil {
		return "", err
	}
	if err := s.PoW.VerifyContext(ctx, c.Slug, r.Challenge, r.Solution); err != nil {
		return "", err
	}
	norm, _ := NormalizeEmail(e.Email)
	b := quizBallot{Contest: c.ID, Workspace: c.WorkspaceID, Name: e.Name, Email: e.Email, Country: e.Country, Identity: Identity(s.Key, norm),
		Answers: r.Answers, Consent: now.Unix(), Expires: now.Add(48 * time.Hour).Unix()}
	body, _ := json.Marshal(b)
	p := base64.RawURLEncoding.EncodeToString(body)
	link := s.BaseURL + "/c/" + c.Slug + "/confirm?t=q." + p + "." + s.quizMAC(p)
	if err := s.send(ctx, QuizConfirmation(c.Lang, e.Email, c.Title, link)); err != nil {
		return "", fmt.Errorf("contest: the confirmation mail could not be sent: %w", err)
	}
	return link, nil
}

func (s *Service) quizMAC(p string) string {
	m := hmac.New(sha256.New, s.Key)
	m.Write([]byte("quiz/" + p))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// IsQuizToken tells a quiz confirmation from a vote's.
func IsQuizToken(token string) bool { return strings.HasPrefix(token, "q.") }

// ConfirmQuiz stores the answers a confirmation link carries as an approved
// entry with its score; one entry per address (ErrAlreadyAnswered).
func (s *Service) ConfirmQuiz(ctx context.Context, c store.Contest, token string) (store.ContestEntry, error) {
	p, mac, ok := strings.Cut(strings.TrimPrefix(token, "q."), ".")
	if !IsQuizToken(token) || !ok || !hmac.Equal([]byte(mac), []byte(s.quizMAC(p))) {
		return store.ContestEntry{}, ErrBadToken
	}
	body, err := base64.RawURLEncoding.DecodeString(p)
	var b quizBallot
	if err != nil || json.Unmarshal(body, &b) != nil || b.Contest != c.ID || b.Workspace != c.WorkspaceID {
		return store.ContestEntry{}, ErrBadToken
	}
	now := s.now()
	if now.Unix() > b.Expires {
		return store.ContestEntry{}, ErrBadToken
	}
	if open, _ := Phase(c, now); !open {
		return store.ContestEntry{}, ErrNotOpen
	}
	consent := time.Unix(b.Consent, 0).UTC()
	e := store.ContestEntry{WorkspaceID: c.WorkspaceID, ContestID: c.ID, Title: firstName(b.Name), Name: b.Name, Email: b.Email, Country: b.Country,
		Status: store.EntryApproved, ConsentAt: &consent, Identity: b.Identity, Answers: b.Answers, Score: QuizScore(c.Questions, b.Answers)}
	if err := s.Store.CreateEntry(ctx, &e); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return e, ErrAlreadyAnswered
		}
		return e, err
	}
	s.audit(ctx, c.WorkspaceID, c.ID, "public", "quiz", fmt.Sprintf("entry %d: answers confirmed, score %d of %d, consent recorded", e.ID, e.Score, len(c.Questions)))
	return e, nil
}

func firstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return ""
}

// QuizConfirmation is the mail with the quiz's confirmation link.
func QuizConfirmation(lang, to, contest, link string) mail.Message {
	t, ok := quizText[lang]
	if !ok {
		t = quizText["en"]
	}
	return mail.Message{To: to, Subject: fmt.Sprintf(t[0], contest), Body: fmt.Sprintf(t[1], contest, link)}
}

var quizText = map[string][2]string{
	"en": {"Confirm your answers: %s", "You answered the quiz %s.\n\nOpen this link and press the button to confirm your answers (it works for 48 hours):\n%s\n\nIf you did not answer it, ignore this message: nothing is recorded without it.\n"},
	"fr": {"Confirmez vos réponses : %s", "Vous avez répondu au quiz %s.\n\nOuvrez ce lien et appuyez sur le bouton pour confirmer vos réponses (valable 48 heures) :\n%s\n\nSi vous n'avez pas répondu, ignorez ce message : rien n'est enregistré sans confirmation.\n"},
	"de": {"Bestätigen Sie Ihre Antworten: %s", "Sie haben das Quiz %s beantwortet.\n\nÖffnen Sie diesen Link und drücken Sie die Schaltfläche, um Ihre Antworten zu bestätigen (48 Stunden gültig):\n%s\n\nFalls Sie nicht teilgenommen haben, ignorieren Sie diese Nachricht: ohne Bestätigung wird nichts gespeichert.\n"},
}
