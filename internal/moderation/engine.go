package moderation

import (
	"slices"
	"strings"
	"time"
)

// Policy is what the workspace's settings impose on rules.
type Policy struct {
	// Location is the workspace's time zone, for time-of-day conditions (nil: UTC).
	Location *time.Location
	// CriticismNeedsPerson turns a rule's hide or spam action on criticism
	// (negative sentiment or a complaint) into a flag for a person's review.
	CriticismNeedsPerson bool
}

// Applied is one action a rule took on a message.
type Applied struct {
	RuleID int64  `json:"rule_id"`
	Kind   string `json:"kind" doc:"assign, label, priority, spam, hide, auto_reply, notify or flag_review"`
	Value  string `json:"value,omitempty"`
	// Note explains an action the policy changed.
	Note string `json:"note,omitempty"`
}

// Outcome is what the rules do with one message.
type Outcome struct {
	// Matched are the ids of the rules that matched, in order.
	Matched []int64
	// Actions to apply, in rule order. A single-valued action (assign,
	// priority, auto_reply) comes from the first rule that sets it; labels
	// and notifications add up; duplicates are left out.
	Actions []Applied
}

// NoteCriticism is the note on a hide or spam action the policy turned into a review.
const NoteCriticism = "criticism needs a person: the rule's %s became a flag for review (answer, don't delete)"

// Engine evaluates a workspace's compiled rules. Safe for concurrent use.
type Engine struct {
	rules  []compiled
	policy Policy
}

type compiled struct {
	Rule
	query    *Query
	networks []string
	langs    []string
	authors  []string
	from, to int // minutes after midnight; from == to: any time
	hasTime  bool
}

// Compile prepares enabled rules for evaluation, in position order. Rules
// are checked again here, so a stored rule that no longer validates is an
// error rather than a silently different rule.
func Compile(rules []Rule, p Policy) (*Engine, error) {
	if p.Location == nil {
		p.Location = time.UTC
	}
	sorted := slices.Clone(rules)
	slices.SortStableFunc(sorted, func(a, b Rule) int {
		if a.Position != b.Position {
			return a.Position - b.Position
		}
		return int(a.ID - b.ID)
	})
	e := &Engine{policy: p}
	for _, r := range sorted {
		if !r.Enabled {
			continue
		}
		if err := r.Check(); err != nil {
			return nil, err
		}
		q, _ := ParseQuery(r.Conditions.Keywords)
		c := compiled{Rule: r, query: q, networks: r.Conditions.Networks, langs: r.Conditions.Languages, authors: r.Conditions.Authors}
		if r.Conditions.TimeFrom != "" {
			c.from, _ = clockMinutes("", r.Conditions.TimeFrom)
			c.to, _ = clockMinutes("", r.Conditions.TimeTo)
			c.hasTime = true
		}
		e.rules = append(e.rules, c)
	}
	return e, nil
}

// Len is the number of enabled rules.
func (e *Engine) Len() int { return len(e.rules) }

// UsesFirstContact reports whether an enabled rule has a first-contact
// condition: only then need the caller look up Message.FirstContact.
func (e *Engine) UsesFirstContact() bool {
	for i := range e.rules {
		if e.rules[i].Conditions.FirstContact != nil {
			return true
		}
	}
	return false
}

// Takes reports whether an enabled rule takes an action of one of the kinds
// (hide and spam may become flag_review: ask for them to learn of it).
func (e *Engine) Takes(kinds ...string) bool {
	for i := range e.rules {
		for _, a := range e.rules[i].Actions {
			if slices.Contains(kinds, a.Kind) {
				return true
			}
		}
	}
	return false
}

// RuleName names an enabled rule of the engine ("" when it has none of that id).
func (e *Engine) RuleName(id int64) string {
	for i := range e.rules {
		if e.rules[i].ID == id {
			return e.rules[i].Name
		}
	}
	return ""
}

// Evaluate runs the rules over one message.
func (e *Engine) Evaluate(m Message) Outcome {
	var out Outcome
	e.evaluate(m, &out, nil)
	return out
}

// evaluate fills out; when perRule is set it also receives each matching
// rule's own actions (for the dry run's per-rule counts).
func (e *Engine) evaluate(m Message, out *Outcome, perRule func(ruleIdx int, acts []Applied)) {
	var words []string
	wordsDone := false
	minute := -1
	for i := range e.rules {
		r := &e.rules[i]
		if r.hasTime && minute < 0 {
			t := m.ReceivedAt.In(e.policy.Location)
			minute = t.Hour()*60 + t.Minute()
		}
		if r.query != nil && !wordsDone {
			words, wordsDone = Words(m.Text), true
		}
		if !r.matches(m, words, minute) {
			continue
		}
		out.Matched = append(out.Matched, r.ID)
		var own []Applied
		for _, a := range r.Actions {
			ap := Applied{RuleID: r.ID, Kind: a.Kind, Value: a.Value}
			if (a.Kind == ActHide || a.Kind == ActSpam) && e.policy.CriticismNeedsPerson && m.Criticism() {
				ap = Applied{RuleID: r.ID, Kind: ActFlagReview, Note: strings.Replace(NoteCriticism, "%s", a.Kind, 1)}
			}
			if perRule != nil {
				own = append(own, ap)
			}
			if !out.has(ap) {
				out.Actions = append(out.Actions, ap)
			}
		}
		if perRule != nil {
			perRule(i, own)
		}
		if r.StopAfterMatch {
			break
		}
	}
}

// has reports whether an action of the same effect is already decided.
func (o *Outcome) has(a Applied) bool {
	for _, b := range o.Actions {
		if b.Kind != a.Kind {
			continue
		}
		switch a.Kind {
		case ActAssign, ActPriority, ActAutoReply, ActSpam, ActHide, ActFlagReview:
			return true
		}
		if b.Value == a.Value {
			return true
		}
	}
	return false
}

func (r *compiled) matches(m Message, words []string, minute int) bool {
	c := &r.Conditions
	if len(r.networks) > 0 && !containsFold(r.networks, m.Network) {
		return false
	}
	if len(c.ChannelIDs) > 0 && !slices.Contains(c.ChannelIDs, m.ChannelID) {
		return false
	}
	if len(r.langs) > 0 && !containsFold(r.langs, m.Language) {
		return false
	}
	if len(c.Sentiments) > 0 && !slices.Contains(c.Sentiments, m.Sentiment) {
		return false
	}
	if len(c.Themes) > 0 && !slices.ContainsFunc(m.Themes, func(t string) bool { return containsFold(c.Themes, t) }) {
		return false
	}
	if len(r.authors) > 0 && !containsFold(r.authors, strings.TrimPrefix(m.Author, "@")) {
		return false
	}
	if c.FirstContact != nil && *c.FirstContact != m.FirstContact {
		return false
	}
	if r.hasTime {
		if r.from < r.to {
			if minute < r.from || minute >= r.to {
				return false
			}
		} else if minute < r.from && minute >= r.to {
			return false
		}
	}
	return r.query == nil || r.query.Match(words)
}

// containsFold: list holds lower-case values; v is compared case-insensitively.
func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}
