package feedback

import (
	"fmt"
	"sort"
	"time"

	"github.com/relais/relais/internal/sentiment"
)

// Item is one comment to summarise, with the day it was written when known.
type Item struct {
	Text string
	At   time.Time // zero when unknown
	Lang string    // a language tag, or "" to detect
}

// Analysed is one comment with what was read in it.
type Analysed struct {
	Text      string          `json:"text"`
	At        *time.Time      `json:"at,omitempty"`
	Lang      string          `json:"lang"`
	Sentiment sentiment.Label `json:"sentiment"`
	Compound  float64         `json:"compound"`
	Themes    []Theme         `json:"themes"`
}

// Split counts comments per sentiment label.
type Split struct {
	Positive int `json:"positive"`
	Neutral  int `json:"neutral"`
	Negative int `json:"negative"`
}

func (s *Split) add(l sentiment.Label) {
	switch l {
	case sentiment.Positive:
		s.Positive++
	case sentiment.Negative:
		s.Negative++
	default:
		s.Neutral++
	}
}

// Period is the count of one theme in one week.
type Period struct {
	Week  string `json:"week"` // ISO week, "2026-W49"
	Count int    `json:"count"`
}

// ThemeSummary is what customers said about one theme.
type ThemeSummary struct {
	Theme Theme   `json:"theme"`
	Count int     `json:"count"`
	Share float64 `json:"share"` // of all comments, in [0, 1]
	Split Split   `json:"sentiment"`
	// Trend is the count per ISO week, oldest first, for comments with a date.
	Trend []Period `json:"trend"`
	// Change compares the last week with the one before: +3 means three more mentions.
	Change int `json:"change"`
	// Examples are up to three comments, negative ones first: what to act on.
	Examples []string `json:"examples"`
}

// Summary is a batch of comments read for themes and sentiment.
type Summary struct {
	Total    int            `json:"total"`
	Split    Split          `json:"sentiment"`
	Themes   []ThemeSummary `json:"themes"` // most mentioned first; themes nobody raised are left out
	Comments []Analysed     `json:"comments"`
}

// maxExamples is how many comments illustrate a theme.
const maxExamples = 3

// Summarize reads every item's sentiment and themes and sums them up per
// theme: counts, share, sentiment split, weekly trend and examples.
func Summarize(items []Item) Summary {
	s := Summary{Total: len(items), Comments: make([]Analysed, 0, len(items)), Themes: []ThemeSummary{}}
	type acc struct {
		ThemeSummary
		weeks    map[string]int
		examples []Analysed
	}
	byTheme := map[Theme]*acc{}
	for _, it := range items {
		r := sentiment.Analyze(it.Text, it.Lang)
		a := Analysed{Text: it.Text, Lang: r.Lang, Sentiment: r.Label, Compound: r.Compound, Themes: Themes(it.Text, r.Lang)}
		if !it.At.IsZero() {
			at := it.At
			a.At = &at
		}
		s.Split.add(r.Label)
		for _, th := range a.Themes {
			t := byTheme[th]
			if t == nil {
				t = &acc{ThemeSummary: ThemeSummary{Theme: th}, weeks: map[string]int{}}
				byTheme[th] = t
			}
			t.Count++
			t.Split.add(r.Label)
			if a.At != nil {
				t.weeks[isoWeek(*a.At)]++
			}
			t.examples = append(t.examples, a)
		}
		s.Comments = append(s.Comments, a)
	}
	for _, th := range All {
		t := byTheme[th]
		if t == nil {
			continue
		}
		if s.Total > 0 {
			t.Share = float64(t.Count) / float64(s.Total)
		}
		t.Trend = []Period{}
		for w, n := range t.weeks {
			t.Trend = append(t.Trend, Period{Week: w, Count: n})
		}
		sort.Slice(t.Trend, func(i, j int) bool { return t.Trend[i].Week < t.Trend[j].Week })
		if n := len(t.Trend); n >= 2 {
			t.Change = t.Trend[n-1].Count - t.Trend[n-2].Count
		}
		sort.SliceStable(t.examples, func(i, j int) bool { return t.examples[i].Compound < t.examples[j].Compound })
		t.Examples = []string{}
		for _, e := range t.examples[:min(maxExamples, len(t.examples))] {
			t.Examples = append(t.Examples, e.Text)
		}
		s.Themes = append(s.Themes, t.ThemeSummary)
	}
	sort.SliceStable(s.Themes, func(i, j int) bool { return s.Themes[i].Count > s.Themes[j].Count })
	return s
}

// isoWeek names the ISO week of t, "2026-W49".
func isoWeek(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}
