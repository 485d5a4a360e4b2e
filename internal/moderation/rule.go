// Package moderation owns the inbox's moderation rules, saved replies and
// the workspace's inbox settings (response-time target, "answer, don't
// delete"). A rule is conditions on an incoming message (network, channel,
// keywords with boolean logic, language, sentiment, theme, author, first
// contact, time of day in the workspace's zone) and actions (assign, label,
// set priority, mark spam, hide, auto-reply with a saved reply, notify).
// Rules are compiled once into an Engine that evaluates a Message without
// touching the database; the inbox converts its own messages into Message.
// See docs/inbox-rules.md.
package moderation

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/valid"
)

// Message is what rules read of an incoming message, from any network.
type Message struct {
	ID          int64    `json:"id"`
	WorkspaceID int64    `json:"workspace_id"`
	ChannelID   int64    `json:"channel_id"`
	Network     string   `json:"network"`
	Author      string   `json:"author"`
	Text        string   `json:"text"`
	Language    string   `json:"language"`
	Sentiment   string   `json:"sentiment"`
	Themes      []string `json:"themes"`
	Complaint   bool     `json:"complaint"`
	// FirstContact: the author never wrote to the workspace before.
	FirstContact bool      `json:"first_contact"`
	ReceivedAt   time.Time `json:"received_at"`
}

// Criticism reports whether the message criticises: negative sentiment or
// a complaint. The "answer, don't delete" policy protects such messages.
func (m Message) Criticism() bool { return m.Sentiment == "negative" || m.Complaint }

// Action kinds a rule can take.
const (
	ActAssign    = "assign"     // Value: the member's user id
	ActLabel     = "label"      // Value: the label
	ActPriority  = "priority"   // Value: low, normal, high or urgent
	ActSpam      = "spam"       // no value
	ActHide      = "hide"       // no value; hidden on the network where it allows
	ActAutoReply = "auto_reply" // Value: the saved reply's id
	ActNotify    = "notify"     // Value: a member's user id, empty for every member
	// ActFlagReview is not chosen by a rule: it is what a hide or spam action
	// on criticism becomes while the workspace requires a person for it.
	ActFlagReview = "flag_review"
)

// ActionKinds lists the kinds a rule may take, in the order the UI offers them.
var ActionKinds = []string{ActAssign, ActLabel, ActPriority, ActSpam, ActHide, ActAutoReply, ActNotify}

// Priorities lists the priority values, lowest first.
var Priorities = []string{"low", "normal", "high", "urgent"}

// Sentiments lists the sentiment values a condition may name.
var Sentiments = []string{"negative", "neutral", "positive"}

// Limits of a rule, named in the messages that refuse one.
const (
	MaxRuleName   = 100
	MaxActions    = 10
	MaxListValues = 50
	MaxLabel      = 50
	MaxRules      = 200
)

// Conditions are what a message must satisfy; every condition that is set
// must hold (AND); a list matches when the message has any of its values.
type Conditions struct {
	Networks   []string `json:"networks,omitempty" doc:"Network names (mastodon, bluesky, telegram, …); any of them"`
	ChannelIDs []int64  `json:"channel_ids,omitempty" doc:"Channel ids; any of them"`
	Keywords   string   `json:"keywords,omitempty" doc:"Words and \"quoted phrases\" with AND, OR, NOT and parentheses, e.g. refund AND (late OR \"not arrived\") AND NOT spam"`
	Languages  []string `json:"languages,omitempty" doc:"Language codes (en, fr, de, other); any of them"`
	Sentiments []string `json:"sentiments,omitempty" doc:"negative, neutral or positive; any of them"`
	Themes     []string `json:"themes,omitempty" doc:"Feedback theme keys (delivery, refund_return, …); any of them"`
	Authors    []string `json:"authors,omitempty" doc:"Author handles, with or without @, case-insensitive; any of them"`
	// FirstContact, when set, requires the author's first message (true) or not (false).
	FirstContact *bool `json:"first_contact,omitempty" doc:"true: only the author's first message to the workspace; false: only later ones"`
	// TimeFrom and TimeTo ("HH:MM", workspace time) bound the time of day;
	// From later than To wraps past midnight (22:00–06:00).
	TimeFrom string `json:"time_from,omitempty" doc:"Start of the time-of-day window, HH:MM in the workspace's time zone"`
	TimeTo   string `json:"time_to,omitempty" doc:"End of the time-of-day window (exclusive), HH:MM; earlier than time_from wraps past midnight"`
}

// Action is one thing a rule does.
type Action struct {
	Kind  string `json:"kind" enum:"assign,label,priority,spam,hide,auto_reply,notify" doc:"What to do"`
	Value string `json:"value,omitempty" doc:"assign: member user id; label: the label; priority: low, normal, high or urgent; auto_reply: saved reply id; notify: member user id or empty for all"`
}

// Rule is one moderation rule of a workspace.
type Rule struct {
	ID          int64
	WorkspaceID int64
	Name        string
	// Position orders the rules: lower runs first.
	Position int
	Enabled  bool
	// StopAfterMatch: when this rule matches, later rules are not evaluated.
	StopAfterMatch bool
	Conditions     Conditions
	Actions        []Action
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Check validates and normalises a rule's name, conditions and actions. The
// errors name the field ("conditions.keywords", "actions[1].value") and the limit.
func (r *Rule) Check() error {
	name, err := valid.Text("name", "Name", r.Name, MaxRuleName)
	if err != nil {
		return err
	}
	r.Name = name
	c := &r.Conditions
	if _, err := ParseQuery(c.Keywords); err != nil {
		if ve, ok := valid.As(err); ok {
			ve.Field = "conditions.keywords"
		}
		return err
	}
	c.Keywords = strings.TrimSpace(c.Keywords)
	for _, l := range []struct {
		field string
		list  *[]string
	}{{"networks", &c.Networks}, {"languages", &c.Languages}, {"sentiments", &c.Sentiments}, {"themes", &c.Themes}, {"authors", &c.Authors}} {
		if err := cleanList("conditions."+l.field, l.list, l.field == "authors"); err != nil {
			return err
		}
	}
	if len(c.ChannelIDs) > MaxListValues {
		return valid.Errorf("conditions.channel_ids", "too_many", "Channels allow at most %d values; there are %d", MaxListValues, len(c.ChannelIDs))
	}
	for _, s := range c.Sentiments {
		if !slices.Contains(Sentiments, s) {
			return valid.Errorf("conditions.sentiments", "unknown", "Sentiment %q is not one of negative, neutral, positive", s)
		}
	}
	if (c.TimeFrom == "") != (c.TimeTo == "") {
		return valid.Errorf("conditions.time_to", "required", "A time-of-day window needs both a start and an end (HH:MM)")
	}
	if c.TimeFrom != "" {
		if _, err := clockMinutes("conditions.time_from", c.TimeFrom); err != nil {
			return err
		}
		if _, err := clockMinutes("conditions.time_to", c.TimeTo); err != nil {
			return err
		}
		if c.TimeFrom == c.TimeTo {
			return valid.Errorf("conditions.time_to", "empty", "The time-of-day window from %s to %s is empty; leave both out to match at any time", c.TimeFrom, c.TimeTo)
		}
	}
	if len(r.Actions) == 0 {
		return valid.Errorf("actions", "required", "A rule needs at least one action")
	}
	if len(r.Actions) > MaxActions {
		return valid.Errorf("actions", "too_many", "A rule allows at most %d actions; it has %d", MaxActions, len(r.Actions))
	}
	for i := range r.Actions {
		if err := checkAction(fmt.Sprintf("actions[%d]", i), &r.Actions[i]); err != nil {
			return err
		}
	}
	return nil
}

func checkAction(field string, a *Action) error {
	a.Kind = strings.TrimSpace(a.Kind)
	a.Value = strings.TrimSpace(a.Value)
	id := func(what string, allowEmpty bool) error {
		if allowEmpty && a.Value == "" {
			return nil
		}
		if n, err := strconv.ParseInt(a.Value, 10, 64); err != nil || n <= 0 {
			return valid.Errorf(field+".value", "format", "%s needs %s (a number); got %q", a.Kind, what, a.Value)
		}
		return nil
	}
	switch a.Kind {
	case ActAssign:
		return id("a member's user id", false)
	case ActNotify:
		return id("a member's user id or nothing for every member", true)
	case ActAutoReply:
		return id("a saved reply's id", false)
	case ActLabel:
		if a.Value == "" {
			return valid.Errorf(field+".value", "required", "label needs the label to add")
		}
		if n := utf8.RuneCountInString(a.Value); n > MaxLabel {
			return valid.Errorf(field+".value", "too_long", "A label allows at most %d characters; it has %d", MaxLabel, n)
		}
	case ActPriority:
		if !slices.Contains(Priorities, a.Value) {
			return valid.Errorf(field+".value", "unknown", "priority needs one of low, normal, high, urgent; got %q", a.Value)
		}
	case ActSpam, ActHide:
		a.Value = ""
	default:
		return valid.Errorf(field+".kind", "unknown", "Action %q is not one of %s", a.Kind, strings.Join(ActionKinds, ", "))
	}
	return nil
}

// cleanList trims, lower-cases and dedupes a list condition.
func cleanList(field string, list *[]string, handles bool) error {
	if len(*list) > MaxListValues {
		return valid.Errorf(field, "too_many", "%s allow at most %d values; there are %d", field, MaxListValues, len(*list))
	}
	var out []string
	for _, v := range *list {
		v = strings.ToLower(strings.TrimSpace(v))
		if handles {
			v = strings.TrimPrefix(v, "@")
		}
		if v == "" || slices.Contains(out, v) {
			continue
		}
		if utf8.RuneCountInString(v) > 200 {
			return valid.Errorf(field, "too_long", "A value of %s allows at most 200 characters", field)
		}
		out = append(out, v)
	}
	*list = out
	return nil
}

// clockMinutes reads "HH:MM" as minutes after midnight.
func clockMinutes(field, v string) (int, error) {
	t, err := time.Parse("15:04", v)
	if err != nil || len(v) != 5 {
		return 0, valid.Errorf(field, "format", "Time of day must look like 09:30 (HH:MM, 24-hour); got %q", v)
	}
	return t.Hour()*60 + t.Minute(), nil
}
