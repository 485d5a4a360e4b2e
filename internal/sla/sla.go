// Package sla owns response-time targets: first-response time and response
// rate per channel, member and period, computed from one record per
// conversation, and the reminders for conversations nearing their target.
// The inbox supplies the records; the workspace's target is in
// store.InboxSettings (SLAMinutes). See docs/inbox-rules.md.
package sla

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"
	"time"
)

// Record is one conversation's first message and first answer.
type Record struct {
	ConversationID int64
	ChannelID      int64
	ReceivedAt     time.Time
	// FirstResponseAt is nil while nobody answered.
	FirstResponseAt *time.Time
	// Responder is the member who answered first (0: unanswered or a rule's auto-reply).
	Responder int64
}

// Source supplies the records of conversations started in [from, to); the
// inbox implements it.
type Source interface {
	Records(ctx context.Context, workspaceID int64, from, to time.Time) ([]Record, error)
}

// Period is the length of the report's time buckets.
type Period string

// The periods.
const (
	Day   Period = "day"
	Week  Period = "week" // ISO weeks, from Monday
	Month Period = "month"
)

// Figures are the numbers of one group of conversations.
type Figures struct {
	// Key names the group: the channel or member id, or the period's first day (2006-01-02).
	Key           string  `json:"key"`
	Conversations int     `json:"conversations"`
	Answered      int     `json:"answered"`
	WithinTarget  int     `json:"within_target" doc:"Answered within the target"`
	ResponseRate  float64 `json:"response_rate" doc:"Answered / conversations, 0 to 1"`
	TargetRate    float64 `json:"target_rate" doc:"Answered within the target / conversations, 0 to 1"`
	MedianMinutes float64 `json:"median_minutes" doc:"Median first-response time of the answered ones"`
	P90Minutes    float64 `json:"p90_minutes" doc:"90th percentile first-response time (nearest rank)"`
}

// ResponseReport is the response-time report of a workspace.
type ResponseReport struct {
	TargetMinutes int       `json:"target_minutes"`
	Total         Figures   `json:"total"`
	ByChannel     []Figures `json:"by_channel"`
	// ByMember holds answered conversations only, by who answered first.
	ByMember []Figures `json:"by_member"`
	ByPeriod []Figures `json:"by_period"`
}

// Compute builds the report of records with the target; periods start at
// midnight in loc (nil: UTC).
func Compute(records []Record, target time.Duration, period Period, loc *time.Location) ResponseReport {
	if loc == nil {
		loc = time.UTC
	}
	rep := ResponseReport{TargetMinutes: int(target / time.Minute)}
	type acc struct{ rs []Record }
	channels, members, periods := map[string]*acc{}, map[string]*acc{}, map[string]*acc{}
	add := func(m map[string]*acc, k string, r Record) {
		a := m[k]
		if a == nil {
			a = &acc{}
			m[k] = a
		}
		a.rs = append(a.rs, r)
	}
	for _, r := range records {
		add(channels, strconv.FormatInt(r.ChannelID, 10), r)
		if r.FirstResponseAt != nil && r.Responder != 0 {
			add(members, strconv.FormatInt(r.Responder, 10), r)
		}
		add(periods, periodStart(r.ReceivedAt, period, loc).Format("2006-01-02"), r)
	}
	rep.Total = row("total", records, target)
	rows := func(m map[string]*acc, numeric bool) []Figures {
		out := []Figures{}
		for k, a := range m {
			out = append(out, row(k, a.rs, target))
		}
		slices.SortFunc(out, func(a, b Figures) int {
			if numeric {
				x, _ := strconv.ParseInt(a.Key, 10, 64)
				y, _ := strconv.ParseInt(b.Key, 10, 64)
				return cmp.Compare(x, y)
			}
			return cmp.Compare(a.Key, b.Key)
		})
		return out
	}
	rep.ByChannel, rep.ByMember, rep.ByPeriod = rows(channels, true), rows(members, true), rows(periods, false)
	return rep
}

func periodStart(t time.Time, p Period, loc *time.Location) time.Time {
	t = t.In(loc)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	switch p {
	case Week:
		return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	case Month:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
	}
	return day
}

func row(key string, rs []Record, target time.Duration) Figures {
	r := Figures{Key: key, Conversations: len(rs)}
	var mins []float64
	for _, x := range rs {
		if x.FirstResponseAt == nil {
			continue
		}
		d := x.FirstResponseAt.Sub(x.ReceivedAt)
		r.Answered++
		if d <= target {
			r.WithinTarget++
		}
		mins = append(mins, d.Minutes())
	}
	if r.Conversations > 0 {
		r.ResponseRate = float64(r.Answered) / float64(r.Conversations)
		r.TargetRate = float64(r.WithinTarget) / float64(r.Conversations)
	}
	if len(mins) > 0 {
		slices.Sort(mins)
		n := len(mins)
		if n%2 == 1 {
			r.MedianMinutes = mins[n/2]
		} else {
			r.MedianMinutes = (mins[n/2-1] + mins[n/2]) / 2
		}
		r.P90Minutes = mins[int(math.Ceil(0.9*float64(n)))-1]
	}
	return r
}

// Reminder is a conversation nearing (or past) its response-time target.
type Reminder struct {
	ConversationID int64     `json:"conversation_id"`
	ChannelID      int64     `json:"channel_id"`
	ReceivedAt     time.Time `json:"received_at"`
	DueAt          time.Time `json:"due_at"`
	Overdue        bool      `json:"overdue"`
}

// DefaultLead is the share of the target after which a reminder is due (80 %).
const DefaultLead = 0.8

// DueReminders lists the unanswered conversations whose age has reached
// lead × target at now (lead ≤ 0: DefaultLead), the soonest due first;
// those past the target are marked overdue.
func DueReminders(records []Record, target time.Duration, lead float64, now time.Time) []Reminder {
	if lead <= 0 || lead > 1 {
		lead = DefaultLead
	}
	remindAfter := time.Duration(float64(target) * lead)
	out := []Reminder{}
	for _, r := range records {
		if r.FirstResponseAt != nil || now.Sub(r.ReceivedAt) < remindAfter {
			continue
		}
		due := r.ReceivedAt.Add(target)
		out = append(out, Reminder{ConversationID: r.ConversationID, ChannelID: r.ChannelID, ReceivedAt: r.ReceivedAt, DueAt: due, Overdue: !now.Before(due)})
	}
	slices.SortFunc(out, func(a, b Reminder) int {
		return cmp.Or(a.DueAt.Compare(b.DueAt), cmp.Compare(a.ConversationID, b.ConversationID))
	})
	return out
}

// Build reads the records of [from, to) from src and computes the report.
func Build(ctx context.Context, src Source, workspaceID int64, from, to time.Time, target time.Duration, period Period, loc *time.Location) (ResponseReport, error) {
	rs, err := src.Records(ctx, workspaceID, from, to)
	if err != nil {
		return ResponseReport{}, err
	}
	return Compute(rs, target, period, loc), nil
}
