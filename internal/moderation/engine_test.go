package moderation

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/valid"
)

func ptr[T any](v T) *T { return &v }

func rule(id int64, pos int, c Conditions, acts ...Action) Rule {
	return Rule{ID: id, Name: fmt.Sprintf("rule %d", id), Position: pos, Enabled: true, Conditions: c, Actions: acts}
}

func TestConditions(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	// 21:30 UTC on a winter day is 22:30 in Paris.
	late := time.Date(2026, 12, 1, 21, 30, 0, 0, time.UTC)
	base := Message{ID: 1, ChannelID: 7, Network: "mastodon", Author: "@Alice", Text: "Where is my refund?", Language: "en",
		Sentiment: "negative", Themes: []string{"refund_return"}, FirstContact: true, ReceivedAt: late}
	for _, tc := range []struct {
		name string
		c    Conditions
		want bool
	}{
		{"no condition", Conditions{}, true},
		{"network", Conditions{Networks: []string{"Bluesky", "MASTODON"}}, true},
		{"other network", Conditions{Networks: []string{"bluesky"}}, false},
		{"channel", Conditions{ChannelIDs: []int64{7}}, true},
		{"other channel", Conditions{ChannelIDs: []int64{8}}, false},
		{"keywords", Conditions{Keywords: "refund AND NOT spam"}, true},
		{"keywords miss", Conditions{Keywords: "invoice"}, false},
		{"language", Conditions{Languages: []string{"fr", "en"}}, true},
		{"other language", Conditions{Languages: []string{"de"}}, false},
		{"sentiment", Conditions{Sentiments: []string{"negative"}}, true},
		{"other sentiment", Conditions{Sentiments: []string{"positive", "neutral"}}, false},
		{"theme", Conditions{Themes: []string{"delivery", "refund_return"}}, true},
		{"other theme", Conditions{Themes: []string{"price"}}, false},
		{"author without @, other case", Conditions{Authors: []string{"alice"}}, true},
		{"other author", Conditions{Authors: []string{"@bob"}}, false},
		{"first contact", Conditions{FirstContact: ptr(true)}, true},
		{"not first contact", Conditions{FirstContact: ptr(false)}, false},
		{"evening in Paris", Conditions{TimeFrom: "22:00", TimeTo: "23:00"}, true},
		{"evening in UTC would match, not in Paris", Conditions{TimeFrom: "21:00", TimeTo: "22:00"}, false},
		{"night window wrapping midnight", Conditions{TimeFrom: "22:00", TimeTo: "06:00"}, true},
		{"day window", Conditions{TimeFrom: "06:00", TimeTo: "22:00"}, false},
		{"end is exclusive", Conditions{TimeFrom: "20:00", TimeTo: "22:30"}, false},
		{"all together", Conditions{Networks: []string{"mastodon"}, Keywords: "refund", Sentiments: []string{"negative"}, TimeFrom: "22:00", TimeTo: "06:00"}, true},
		{"all but one", Conditions{Networks: []string{"mastodon"}, Keywords: "refund", Sentiments: []string{"positive"}}, false},
	} {
		e, err := Compile([]Rule{rule(1, 0, tc.c, Action{Kind: ActLabel, Value: "x"})}, Policy{Location: paris})
		require.NoError(t, err, tc.name)
		got := e.Evaluate(base)
		require.Equal(t, tc.want, len(got.Matched) == 1, tc.name)
	}
}

func TestOrderStopAndMerge(t *testing.T) {
	t.Parallel()
	m := Message{Text: "refund late", Sentiment: "neutral", ReceivedAt: time.Now()}
	label := func(v string) Action { return Action{Kind: ActLabel, Value: v} }
	rules := []Rule{
		rule(3, 30, Conditions{Keywords: "refund"}, label("c"), Action{Kind: ActAssign, Value: "9"}),
		rule(1, 10, Conditions{Keywords: "refund"}, label("a"), Action{Kind: ActAssign, Value: "5"}, Action{Kind: ActPriority, Value: "high"}),
		rule(2, 20, Conditions{Keywords: "late"}, label("b"), label("a"), Action{Kind: ActPriority, Value: "low"}),
		rule(4, 5, Conditions{Keywords: "nothing"}, label("z")),
	}
	rules = append(rules, Rule{ID: 5, Name: "off", Position: 0, Enabled: false, Conditions: Conditions{}, Actions: []Action{label("off")}})
	e, err := Compile(rules, Policy{})
	require.NoError(t, err)
	require.Equal(t, 4, e.Len(), "disabled rules are left out")
	require.False(t, e.UsesFirstContact())
	require.True(t, e.Takes(ActHide, ActPriority))
	require.False(t, e.Takes(ActHide, ActAutoReply), "no enabled rule hides or replies")
	require.Equal(t, "rule 2", e.RuleName(2))
	require.Empty(t, e.RuleName(5), "a disabled rule is not the engine's")
	got := e.Evaluate(m)
	require.Equal(t, []int64{1, 2, 3}, got.Matched, "position order")
	require.Equal(t, []Applied{
		{RuleID: 1, Kind: ActLabel, Value: "a"},
		{RuleID: 1, Kind: ActAssign, Value: "5"},
		{RuleID: 1, Kind: ActPriority, Value: "high"},
		{RuleID: 2, Kind: ActLabel, Value: "b"},
		{RuleID: 3, Kind: ActLabel, Value: "c"},
	}, got.Actions, "the first rule's assignment and priority win; labels add up without duplicates")

	rules[2].StopAfterMatch = true // rule 2 now stops the evaluation
	e, err = Compile(rules, Policy{})
	require.NoError(t, err)
	require.Equal(t, []int64{1, 2}, e.Evaluate(m).Matched)

	rules[3].Conditions.FirstContact = ptr(false)
	e, err = Compile(rules, Policy{})
	require.NoError(t, err)
	require.True(t, e.UsesFirstContact(), "a first-contact condition, even false, needs the look-up")
}

func TestCriticismNeedsPerson(t *testing.T) {
	t.Parallel()
	hide := rule(1, 0, Conditions{Keywords: "scam"}, Action{Kind: ActHide}, Action{Kind: ActLabel, Value: "scam"})
	spam := rule(2, 1, Conditions{Keywords: "buy"}, Action{Kind: ActSpam})
	for _, tc := range []struct {
		name   string
		policy bool
		m      Message
		want   []string
	}{
		{"negative, policy on", true, Message{Text: "this is a scam", Sentiment: "negative"}, []string{ActFlagReview, ActLabel}},
		{"complaint without negative words, policy on", true, Message{Text: "scam? my parcel has not moved for 9 days", Sentiment: "neutral", Complaint: true}, []string{ActFlagReview, ActLabel}},
		{"neutral abuse, policy on", true, Message{Text: "scam scam scam", Sentiment: "neutral"}, []string{ActHide, ActLabel}},
		{"negative, policy off", false, Message{Text: "this is a scam", Sentiment: "negative"}, []string{ActHide, ActLabel}},
		{"spam on criticism, policy on", true, Message{Text: "buy this, you are terrible", Sentiment: "negative"}, []string{ActFlagReview}},
		{"spam on praise", true, Message{Text: "buy followers great", Sentiment: "positive"}, []string{ActSpam}},
	} {
		e, err := Compile([]Rule{hide, spam}, Policy{CriticismNeedsPerson: tc.policy})
		require.NoError(t, err)
		got := e.Evaluate(tc.m)
		var kinds []string
		for _, a := range got.Actions {
			kinds = append(kinds, a.Kind)
			if a.Kind == ActFlagReview {
				require.Contains(t, a.Note, "answer, don't delete", tc.name)
				require.Contains(t, a.Note, "criticism needs a person", tc.name)
			}
		}
		require.Equal(t, tc.want, kinds, tc.name)
	}
}

func TestRuleCheck(t *testing.T) {
	t.Parallel()
	ok := func() Rule { return rule(1, 0, Conditions{}, Action{Kind: ActLabel, Value: "x"}) }
	for _, tc := range []struct {
		name   string
		edit   func(r *Rule)
		field  string
		substr string
	}{
		{"no name", func(r *Rule) { r.Name = " " }, "name", "Name is required"},
		{"long name", func(r *Rule) { r.Name = strings.Repeat("n", 101) }, "name", "at most 100"},
		{"bad keywords", func(r *Rule) { r.Conditions.Keywords = "a AND" }, "conditions.keywords", "missing at the end"},
		{"bad sentiment", func(r *Rule) { r.Conditions.Sentiments = []string{"angry"} }, "conditions.sentiments", `"angry"`},
		{"half a window", func(r *Rule) { r.Conditions.TimeFrom = "10:00" }, "conditions.time_to", "both"},
		{"bad time", func(r *Rule) { r.Conditions.TimeFrom, r.Conditions.TimeTo = "25:00", "10:00" }, "conditions.time_from", "HH:MM"},
		{"empty window", func(r *Rule) { r.Conditions.TimeFrom, r.Conditions.TimeTo = "10:00", "10:00" }, "conditions.time_to", "empty"},
		{"no action", func(r *Rule) { r.Actions = nil }, "actions", "at least one"},
		{"unknown action", func(r *Rule) { r.Actions = []Action{{Kind: "delete"}} }, "actions[0].kind", `"delete"`},
		{"assign without id", func(r *Rule) { r.Actions = []Action{{Kind: ActAssign, Value: "bob"}} }, "actions[0].value", "user id"},
		{"bad priority", func(r *Rule) { r.Actions = []Action{{Kind: ActLabel, Value: "a"}, {Kind: ActPriority, Value: "max"}} }, "actions[1].value", "low, normal, high, urgent"},
		{"long label", func(r *Rule) { r.Actions = []Action{{Kind: ActLabel, Value: strings.Repeat("l", 51)}} }, "actions[0].value", "at most 50"},
		{"auto-reply without id", func(r *Rule) { r.Actions = []Action{{Kind: ActAutoReply}} }, "actions[0].value", "saved reply"},
	} {
		r := ok()
		tc.edit(&r)
		err := r.Check()
		ve, isValid := valid.As(err)
		require.True(t, isValid, "%s: %v", tc.name, err)
		require.Equal(t, tc.field, ve.Field, tc.name)
		require.Contains(t, ve.Message, tc.substr, tc.name)
	}
	r := ok()
	r.Conditions.Authors = []string{" @Bob ", "bob", ""}
	r.Actions = []Action{{Kind: ActNotify}, {Kind: ActHide, Value: "ignored"}}
	require.NoError(t, r.Check())
	require.Equal(t, []string{"bob"}, r.Conditions.Authors)
	require.Empty(t, r.Actions[1].Value)
}

func TestDryRun(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	var msgs []Message
	for i := range 40 {
		text := "thanks"
		if i%4 == 0 {
			text = "refund please"
		}
		msgs = append(msgs, Message{ID: int64(i + 1), Author: "a", Text: text, Sentiment: "negative", ReceivedAt: now.Add(-time.Duration(i) * 24 * time.Hour)})
	}
	src := SourceFunc(func(_ context.Context, ws int64, since time.Time) ([]Message, error) {
		require.Equal(t, int64(42), ws)
		require.Equal(t, now.Add(-30*24*time.Hour), since)
		return msgs, nil
	})
	e, err := Compile([]Rule{
		rule(1, 0, Conditions{Keywords: "refund"}, Action{Kind: ActHide}, Action{Kind: ActLabel, Value: "refund"}),
		rule(2, 1, Conditions{}, Action{Kind: ActPriority, Value: "low"}),
	}, Policy{CriticismNeedsPerson: true})
	require.NoError(t, err)
	rep, err := DryRun(context.Background(), e, src, 42, now)
	require.NoError(t, err)
	require.Equal(t, 31, rep.Messages, "days 0 to 30")
	require.Equal(t, 31, rep.Matched)
	require.Len(t, rep.Rules, 2)
	require.Equal(t, 8, rep.Rules[0].Matched, "days 0, 4, …, 28")
	require.Equal(t, map[string]int{ActFlagReview: 8, ActLabel: 8}, rep.Rules[0].Actions, "hiding criticism becomes a review")
	require.Len(t, rep.Rules[0].Examples, MaxExamples)
	require.Equal(t, int64(1), rep.Rules[0].Examples[0].MessageID, "the newest example first")
	require.Equal(t, 31, rep.Rules[1].Matched)

	empty, err := DryRun(context.Background(), e, nil, 42, now)
	require.NoError(t, err)
	require.Zero(t, empty.Messages)
	require.Len(t, empty.Rules, 2)
}

// BenchmarkEvaluate20Rules is the ingest cost of rules: 20 rules of every
// condition kind over a realistic message. docs/benchmarks.md has the numbers.
func BenchmarkEvaluate20Rules(b *testing.B) {
	var rules []Rule
	kws := []string{`refund AND (late OR "not arrived") AND NOT spam`, `scam OR fraud OR arnaque OR betrug`, `"customer service" AND (rude OR slow)`,
		`boycott*`, `(livraison OR lieferung OR delivery) AND NOT merci`}
	for i := range 20 {
		c := Conditions{Keywords: kws[i%len(kws)]}
		switch i % 4 {
		case 1:
			c.Networks = []string{"mastodon", "bluesky"}
			c.Sentiments = []string{"negative"}
		case 2:
			c.Languages = []string{"fr", "de"}
			c.TimeFrom, c.TimeTo = "22:00", "06:00"
		case 3:
			c.Themes = []string{"delivery"}
			c.FirstContact = ptr(true)
		}
		rules = append(rules, rule(int64(i+1), i, c, Action{Kind: ActLabel, Value: fmt.Sprint(i)}, Action{Kind: ActHide}))
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	e, err := Compile(rules, Policy{Location: paris, CriticismNeedsPerson: true})
	if err != nil {
		b.Fatal(err)
	}
	msgs := []Message{
		{Network: "mastodon", Text: "@shop Still no refund, my parcel has not arrived after three weeks. Customer service is rude and slow!", Language: "en", Sentiment: "negative", Themes: []string{"delivery", "refund_return"}, ReceivedAt: time.Now()},
		{Network: "bluesky", Text: "Merci pour la livraison rapide, je recommande 😊", Language: "fr", Sentiment: "positive", Themes: []string{"delivery"}, FirstContact: true, ReceivedAt: time.Now()},
		{Network: "telegram", Text: "Wann kommt meine Lieferung? Seit zwei Wochen nichts. Das ist Betrug.", Language: "de", Sentiment: "negative", ReceivedAt: time.Now()},
	}
	b.ReportAllocs()
	b.Run("one core", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_ = e.Evaluate(msgs[i%len(msgs)])
		}
	})
	// Every core of the machine (GOMAXPROCS), as concurrent ingest workers would.
	b.Run("all cores", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				_ = e.Evaluate(msgs[i%len(msgs)])
				i++
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	})
}
