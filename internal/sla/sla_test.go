package sla

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) // a Monday

func rec(id, channel int64, at time.Time, after time.Duration, responder int64) Record {
	r := Record{ConversationID: id, ChannelID: channel, ReceivedAt: at, Responder: responder}
	if after >= 0 {
		x := at.Add(after)
		r.FirstResponseAt = &x
	}
	return r
}

func TestCompute(t *testing.T) {
	t.Parallel()
	rs := []Record{
		rec(1, 10, t0, 10*time.Minute, 100),
		rec(2, 10, t0.Add(time.Hour), 90*time.Minute, 100),
		rec(3, 10, t0.Add(2*time.Hour), -1, 0),
		rec(4, 20, t0.Add(24*time.Hour), 30*time.Minute, 200),
		rec(5, 20, t0.AddDate(0, 0, 7), 5*time.Minute, 0), // an auto-reply: no member
		rec(6, 10, t0.AddDate(0, 0, 8), 60*time.Minute, 200),
	}
	rep := Compute(rs, time.Hour, Week, nil)
	require.Equal(t, 60, rep.TargetMinutes)
	require.Equal(t, Figures{Key: "total", Conversations: 6, Answered: 5, WithinTarget: 4, ResponseRate: 5.0 / 6, TargetRate: 4.0 / 6,
		MedianMinutes: 30, P90Minutes: 90}, rep.Total, "60 minutes is within a 60-minute target")
	require.Len(t, rep.ByChannel, 2)
	require.Equal(t, Figures{Key: "10", Conversations: 4, Answered: 3, WithinTarget: 2, ResponseRate: 0.75, TargetRate: 0.5, MedianMinutes: 60, P90Minutes: 90}, rep.ByChannel[0])
	require.Equal(t, "20", rep.ByChannel[1].Key)
	require.Equal(t, []string{"100", "200"}, []string{rep.ByMember[0].Key, rep.ByMember[1].Key})
	require.Equal(t, 2, rep.ByMember[0].Answered)
	require.Equal(t, 50.0, rep.ByMember[0].MedianMinutes)
	require.Equal(t, []string{"2026-11-30", "2026-12-07"}, []string{rep.ByPeriod[0].Key, rep.ByPeriod[1].Key}, "weeks from Monday")
	require.Equal(t, 4, rep.ByPeriod[0].Conversations)

	days := Compute(rs, time.Hour, Day, nil)
	require.Len(t, days.ByPeriod, 4)
	months := Compute(rs, time.Hour, Month, nil)
	require.Equal(t, []string{"2026-11-01", "2026-12-01"}, []string{months.ByPeriod[0].Key, months.ByPeriod[1].Key})

	// Periods start at midnight in the workspace's zone: 23:30 UTC on Sunday is Monday in Paris.
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	late := []Record{rec(1, 1, time.Date(2026, 12, 6, 23, 30, 0, 0, time.UTC), -1, 0)}
	require.Equal(t, "2026-12-07", Compute(late, time.Hour, Week, paris).ByPeriod[0].Key)
	require.Equal(t, "2026-11-30", Compute(late, time.Hour, Week, nil).ByPeriod[0].Key)

	empty := Compute(nil, time.Hour, Day, nil)
	require.Zero(t, empty.Total.Conversations)
	require.Empty(t, empty.ByChannel)
}

func TestDueReminders(t *testing.T) {
	t.Parallel()
	now := t0.Add(3 * time.Hour)
	rs := []Record{
		rec(1, 1, now.Add(-50*time.Minute), -1, 0),       // 50 of 60 minutes: due (lead 80 %)
		rec(2, 1, now.Add(-40*time.Minute), -1, 0),       // 40 minutes: not yet
		rec(3, 2, now.Add(-2*time.Hour), -1, 0),          // overdue
		rec(4, 2, now.Add(-2*time.Hour), time.Minute, 7), // answered
		rec(5, 2, now.Add(-60*time.Minute), -1, 0),       // exactly at the target: overdue
	}
	got := DueReminders(rs, time.Hour, 0, now)
	require.Len(t, got, 3)
	require.Equal(t, []int64{3, 5, 1}, []int64{got[0].ConversationID, got[1].ConversationID, got[2].ConversationID}, "soonest due first")
	require.True(t, got[0].Overdue)
	require.True(t, got[1].Overdue)
	require.False(t, got[2].Overdue)
	require.Equal(t, now.Add(10*time.Minute), got[2].DueAt)
	require.Len(t, DueReminders(rs, time.Hour, 0.5, now), 4, "a reminder at half the target")
}

type src []Record

func (s src) Records(_ context.Context, _ int64, from, to time.Time) ([]Record, error) {
	var out []Record
	for _, r := range s {
		if !r.ReceivedAt.Before(from) && r.ReceivedAt.Before(to) {
			out = append(out, r)
		}
	}
	return out, nil
}

func TestBuild(t *testing.T) {
	t.Parallel()
	s := src{rec(1, 1, t0, time.Minute, 5), rec(2, 1, t0.AddDate(0, 0, 40), time.Minute, 5)}
	rep, err := Build(context.Background(), s, 1, t0.Add(-time.Hour), t0.AddDate(0, 0, 30), 30*time.Minute, Day, nil)
	require.NoError(t, err)
	require.Equal(t, 1, rep.Total.Conversations)
}
