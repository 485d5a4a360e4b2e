package crisis

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/relais/relais/internal/moderation"
)

// Message is a negative message, for the spiking terms and the examples.
type Message struct {
	ID         int64     `json:"id"`
	Author     string    `json:"author"`
	Text       string    `json:"text"`
	URL        string    `json:"url,omitempty"`
	ReceivedAt time.Time `json:"received_at"`
}

// SpikingTerm is a word or two-word phrase over-represented in the spike window.
type SpikingTerm struct {
	Term     string  `json:"term"`
	Count    int     `json:"count" doc:"Messages of the window that contain it"`
	Expected float64 `json:"expected" doc:"Messages expected from its baseline rate"`
	P        float64 `json:"p"`
}

// Term selection limits.
const (
	// MinTermCount: a term must be in at least this many window messages.
	MinTermCount = 3
	// TermAlpha is the tail probability a term must be below.
	TermAlpha = 0.001
)

// stopWords are the function words of English, French and German (accents
// folded like moderation.Words), never reported as terms.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its just me my no not of on or our so than that the their them then there they this to too up us was we were what when where which who why will with would you your
		au aux avec ce ces c dans de des du elle en et eux il ils je j l la le les leur lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous y d n s est sont ete etre ai a as avez ont
		aber als am an auch auf aus bei bin bis bist da das dass dem den der des die dir doch du ein eine einem einen einer er es fur hat hatte ich ihr im in ist ja kein mich mir mit nach nicht noch nur oder sich sie sind so uber um und uns von vor war was wie wir zu zum zur`) {
		m[w] = true
	}
	return m
}()

// terms lists a text's distinct unigrams and bigrams without stop words.
func terms(text string) []string {
	ws := moderation.Words(text)
	var out []string
	add := func(t string) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	for i, w := range ws {
		if stopWords[w] || len(w) < 2 {
			continue
		}
		add(w)
		if i+1 < len(ws) && !stopWords[ws[i+1]] && len(ws[i+1]) >= 2 {
			add(w + " " + ws[i+1])
		}
	}
	return out
}

// SpikingTerms finds the terms of the window's messages (windowHours long)
// that are over-represented against their rate in the baseline messages
// (baselineHours long): for each term the Poisson tail P(X ≥ count |
// expected), expected = (baseline count + 0.5) / baselineHours ×
// windowHours. Terms in at least MinTermCount messages with p < TermAlpha,
// most significant first; a bigram hides its words when it is as frequent.
func SpikingTerms(window, baseline []Message, windowHours, baselineHours float64, limit int) []SpikingTerm {
	if windowHours <= 0 || baselineHours <= 0 {
		return nil
	}
	count := func(ms []Message) map[string]int {
		c := map[string]int{}
		for _, m := range ms {
			for _, t := range terms(m.Text) {
				c[t]++
			}
		}
		return c
	}
	win, base := count(window), count(baseline)
	var out []SpikingTerm
	for t, n := range win {
		if n < MinTermCount {
			continue
		}
		exp := (float64(base[t]) + 0.5) / baselineHours * windowHours
		if p := PoissonTail(n, exp); p < TermAlpha {
			out = append(out, SpikingTerm{Term: t, Count: n, Expected: exp, P: p})
		}
	}
	// A word that only ever appears inside a reported bigram adds nothing.
	out = slices.DeleteFunc(out, func(w SpikingTerm) bool {
		if strings.Contains(w.Term, " ") {
			return false
		}
		for _, b := range out {
			if b.Count == w.Count && strings.Contains(" "+b.Term+" ", " "+w.Term+" ") && b.Term != w.Term {
				return true
			}
		}
		return false
	})
	slices.SortFunc(out, func(a, b SpikingTerm) int {
		return cmp.Or(cmp.Compare(a.P, b.P), cmp.Compare(b.Count, a.Count), cmp.Compare(a.Term, b.Term))
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// Examples picks up to limit window messages that best show the spike: the
// most spiking terms they contain, then the earliest (where it started).
func Examples(window []Message, ts []SpikingTerm, limit int) []Message {
	type scored struct {
		m     Message
		score int
	}
	var all []scored
	for _, m := range window {
		mt := terms(m.Text)
		s := 0
		for i, t := range ts {
			if slices.Contains(mt, t.Term) {
				s += len(ts) - i
			}
		}
		all = append(all, scored{m, s})
	}
	slices.SortStableFunc(all, func(a, b scored) int {
		return cmp.Or(cmp.Compare(b.score, a.score), a.m.ReceivedAt.Compare(b.m.ReceivedAt))
	})
	out := []Message{}
	for i := 0; i < len(all) && i < limit; i++ {
		out = append(out, all[i].m)
	}
	return out
}

// Group is the window's messages that share a spiking term, for a team to
// answer together.
type Group struct {
	// Term is the spiking term; empty for the messages with none of them.
	Term string `json:"term"`
	// Count is how many messages the group holds; Messages shows the first ones.
	Count    int       `json:"count"`
	Messages []Message `json:"messages"`
}

// Groups puts each window message in the group of the most spiking term it
// contains (ts in order), the others last; each group lists at most
// perGroup messages, earliest first. Empty groups are left out.
func Groups(window []Message, ts []SpikingTerm, perGroup int) []Group {
	groups := make([]Group, len(ts)+1)
	for i, t := range ts {
		groups[i].Term = t.Term
	}
	sorted := slices.Clone(window)
	slices.SortStableFunc(sorted, func(a, b Message) int { return a.ReceivedAt.Compare(b.ReceivedAt) })
	for _, m := range sorted {
		mt := terms(m.Text)
		g := len(ts)
		for i, t := range ts {
			if slices.Contains(mt, t.Term) {
				g = i
				break
			}
		}
		groups[g].Count++
		if len(groups[g].Messages) < perGroup {
			groups[g].Messages = append(groups[g].Messages, m)
		}
	}
	return slices.DeleteFunc(groups, func(g Group) bool { return g.Count == 0 })
}
