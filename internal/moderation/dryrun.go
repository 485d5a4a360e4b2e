package moderation

import (
	"context"
	"slices"
	"time"
)

// DryRunWindow is how far back a dry run looks.
const DryRunWindow = 30 * 24 * time.Hour

// MaxExamples is how many example messages a dry run shows per rule.
const MaxExamples = 5

// Source supplies a workspace's messages received since a time, oldest
// first; the inbox implements it over its message store.
type Source interface {
	Messages(ctx context.Context, workspaceID int64, since time.Time) ([]Message, error)
}

// SourceFunc adapts a function to Source.
type SourceFunc func(ctx context.Context, workspaceID int64, since time.Time) ([]Message, error)

// Messages calls f.
func (f SourceFunc) Messages(ctx context.Context, workspaceID int64, since time.Time) ([]Message, error) {
	return f(ctx, workspaceID, since)
}

// DryRunReport is what the rules would have done over past messages.
type DryRunReport struct {
	Since    time.Time   `json:"since"`
	Until    time.Time   `json:"until"`
	Messages int         `json:"messages" doc:"Messages read"`
	Matched  int         `json:"matched" doc:"Messages at least one rule matched"`
	Rules    []RuleTally `json:"rules" doc:"One entry per enabled rule, in evaluation order"`
}

// RuleTally is one rule's part of a dry run.
type RuleTally struct {
	RuleID  int64          `json:"rule_id"`
	Name    string         `json:"name"`
	Matched int            `json:"matched" doc:"Messages the rule matched (and reached: an earlier stopping rule hides later ones)"`
	Actions map[string]int `json:"actions" doc:"Count per action kind, flag_review included"`
	// Examples are the most recent matches, at most MaxExamples.
	Examples []Example `json:"examples"`
}

// Example is one message a rule matched, with what it would have done.
type Example struct {
	MessageID  int64     `json:"message_id"`
	Author     string    `json:"author"`
	Text       string    `json:"text"`
	ReceivedAt time.Time `json:"received_at"`
	Actions    []Applied `json:"actions"`
}

// DryRun evaluates the engine over the workspace's messages of the last 30
// days before now, changing nothing.
func DryRun(ctx context.Context, e *Engine, src Source, workspaceID int64, now time.Time) (DryRunReport, error) {
	rep := DryRunReport{Since: now.Add(-DryRunWindow).UTC(), Until: now.UTC(), Rules: make([]RuleTally, len(e.rules))}
	for i, r := range e.rules {
		rep.Rules[i] = RuleTally{RuleID: r.ID, Name: r.Name, Actions: map[string]int{}, Examples: []Example{}}
	}
	var msgs []Message
	if src != nil {
		var err error
		if msgs, err = src.Messages(ctx, workspaceID, rep.Since); err != nil {
			return DryRunReport{}, err
		}
	}
	for _, m := range msgs {
		if m.ReceivedAt.After(now) || m.ReceivedAt.Before(rep.Since) {
			continue
		}
		rep.Messages++
		var out Outcome
		e.evaluate(m, &out, func(i int, acts []Applied) {
			t := &rep.Rules[i]
			t.Matched++
			for _, a := range acts {
				t.Actions[a.Kind]++
			}
			ex := Example{MessageID: m.ID, Author: m.Author, Text: m.Text, ReceivedAt: m.ReceivedAt.UTC(), Actions: acts}
			// Keep the most recent ones, whatever order the source used.
			if len(t.Examples) < MaxExamples {
				t.Examples = append(t.Examples, ex)
			} else if oldest := oldestExample(t.Examples); m.ReceivedAt.After(t.Examples[oldest].ReceivedAt) {
				t.Examples[oldest] = ex
			}
		})
		if len(out.Matched) > 0 {
			rep.Matched++
		}
	}
	for i := range rep.Rules {
		slices.SortFunc(rep.Rules[i].Examples, func(a, b Example) int { return b.ReceivedAt.Compare(a.ReceivedAt) })
	}
	return rep, nil
}

func oldestExample(xs []Example) int {
	o := 0
	for i, x := range xs {
		if x.ReceivedAt.Before(xs[o].ReceivedAt) {
			o = i
		}
	}
	return o
}
