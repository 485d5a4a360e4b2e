package compose

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/calendar"
	"github.com/relais/relais/internal/store"
)

// Slots is a channel's posting schedule as the API shows it.
type Slots struct {
	ChannelID int64           `json:"channel_id"`
	Spec      string          `json:"spec" doc:"Like 'Mon-Fri 09:00,12:30,18:00; Sat 10:00'"`
	Timezone  string          `json:"timezone"`
	Slots     []calendar.Slot `json:"slots"`
}

// SetSlots saves a channel's weekly posting slots, wall-clock times in tz
// (IANA; "" means the workspace's zone). An empty spec clears them.
func (s *Service) SetSlots(ctx context.Context, p auth.Principal, channelID int64, spec, tz string) (Slots, error) {
	if err := need(p, auth.ActPublish); err != nil {
		return Slots{}, err
	}
	if _, err := s.Store.Channel(ctx, p.Workspace.ID, channelID); err != nil {
		return Slots{}, err // another workspace's channel is not found before any input is judged
	}
	tz, err := checkTimezone("timezone", tz, p.Workspace.Timezone)
	if err != nil {
		return Slots{}, err
	}
	var slots []calendar.Slot
	if spec != "" {
		if slots, err = calendar.ParseSlots(spec); err != nil {
			return Slots{}, validErr("spec", "format", "%s", err.Error())
		}
		spec = calendar.FormatSlots(slots)
	}
	if err := s.Store.SetChannelSlots(ctx, store.ChannelSlots{WorkspaceID: p.Workspace.ID, ChannelID: channelID, Spec: spec, Timezone: tz, UpdatedAt: s.now()}); err != nil {
		return Slots{}, err
	}
	if slots == nil {
		slots = []calendar.Slot{}
	}
	return Slots{ChannelID: channelID, Spec: spec, Timezone: tz, Slots: slots}, nil
}

// GetSlots reads a channel's posting slots (none set: an empty schedule).
func (s *Service) GetSlots(ctx context.Context, p auth.Principal, channelID int64) (Slots, error) {
	if err := need(p, auth.ActView); err != nil {
		return Slots{}, err
	}
	if _, err := s.Store.Channel(ctx, p.Workspace.ID, channelID); err != nil {
		return Slots{}, err
	}
	cs, err := s.Store.ChannelSlots(ctx, p.Workspace.ID, channelID)
	if errors.Is(err, store.ErrNotFound) {
		tz, _ := checkTimezone("timezone", "", p.Workspace.Timezone)
		return Slots{ChannelID: channelID, Timezone: tz, Slots: []calendar.Slot{}}, nil
	}
	if err != nil {
		return Slots{}, err
	}
	slots, _ := calendar.ParseSlots(cs.Spec)
	if slots == nil {
		slots = []calendar.Slot{}
	}
	return Slots{ChannelID: channelID, Spec: cs.Spec, Timezone: cs.Timezone, Slots: slots}, nil
}

// queueHorizon bounds how far ahead the queue looks for a free slot.
const queueHorizon = 3 * 366 * 24 * time.Hour

// channelQueue is one channel's slots and taken times.
type channelQueue struct {
	slots []calendar.Slot
	loc   *time.Location
	taken map[int64]bool
}

// NextSlot returns the next free posting slot after the current time common
// to the post's channels that have slots: a slot is free on a channel when
// none of its scheduled or published posts is due at that instant. Slots
// are wall-clock times in each channel's zone, daylight-saving safe.
func (s *Service) NextSlot(ctx context.Context, p auth.Principal, postID int64) (time.Time, error) {
	if err := need(p, auth.ActView); err != nil {
		return time.Time{}, err
	}
	chans, err := s.Store.PostChannels(ctx, p.Workspace.ID, []int64{postID})
	if err != nil {
		return time.Time{}, err
	}
	if _, err := s.Store.Post(ctx, p.Workspace.ID, postID); err != nil {
		return time.Time{}, err
	}
	return s.nextSlot(ctx, p.Workspace.ID, postID, chans[postID])
}

func (s *Service) nextSlot(ctx context.Context, workspaceID, postID int64, channelIDs []int64) (time.Time, error) {
	now := s.now()
	var queues []channelQueue
	for _, ch := range channelIDs {
		cs, err := s.Store.ChannelSlots(ctx, workspaceID, ch)
		if errors.Is(err, store.ErrNotFound) || (err == nil && cs.Spec == "") {
			continue
		}
		if err != nil {
			return time.Time{}, err
		}
		slots, err := calendar.ParseSlots(cs.Spec)
		if err != nil {
			return time.Time{}, fmt.Errorf("compose: channel %d slots: %w", ch, err)
		}
		loc, err := time.LoadLocation(cs.Timezone)
		if err != nil {
			return time.Time{}, fmt.Errorf("compose: channel %d slots: %w", ch, err)
		}
		times, err := s.Store.ChannelTimes(ctx, workspaceID, ch, now, now.Add(queueHorizon))
		if err != nil {
			return time.Time{}, err
		}
		q := channelQueue{slots: slots, loc: loc, taken: map[int64]bool{}}
		for _, t := range times {
			q.taken[t.UnixMilli()] = true
		}
		queues = append(queues, q)
	}
	if len(queues) == 0 {
		return time.Time{}, validErr("channels", "no_slots", "none of post %d's channels has posting slots; set them first", postID)
	}
	// Look for an instant every channel's next free slot agrees on: move
	// to the latest candidate until they meet.
	after := now
	for range 10_000 {
		var latest time.Time
		agree := true
		for i, q := range queues {
			t, err := calendar.NextFree(q.slots, q.loc, after, func(t time.Time) bool { return q.taken[t.UnixMilli()] })
			if err != nil {
				return time.Time{}, validErr("channels", "no_free_slot", "no free posting slot in the next three years")
			}
			if i > 0 && !t.Equal(latest) {
				agree = false
			}
			if t.After(latest) {
				latest = t
			}
		}
		if agree {
			return latest, nil
		}
		after = latest.Add(-time.Nanosecond)
	}
	return time.Time{}, validErr("channels", "no_common_slot", "the channels of post %d share no free posting slot; post to them separately", postID)
}

// Queue schedules a post at its channels' next free posting slot ("add to queue").
func (s *Service) Queue(ctx context.Context, p auth.Principal, postID int64) (PostView, error) {
	if err := need(p, auth.ActPublish); err != nil {
		return PostView{}, err
	}
	at, err := s.NextSlot(ctx, p, postID)
	if err != nil {
		return PostView{}, err
	}
	return s.Schedule(ctx, p, postID, at, "")
}

// QueuedSlot is one upcoming posting slot of a channel and the post due
// then on the channel, if any.
type QueuedSlot struct {
	At     time.Time `json:"at"`
	PostID int64     `json:"post_id,omitempty"`
	Text   string    `json:"text,omitempty"`
	State  string    `json:"state,omitempty"`
}

// maxSlotQueue bounds how many upcoming slots SlotQueue lists.
const maxSlotQueue = 100

// SlotQueue lists a channel's next n posting slots (at most 100) after
// now, each with the post due then on the channel: what the queue holds
// and where it has room.
func (s *Service) SlotQueue(ctx context.Context, p auth.Principal, channelID int64, n int) ([]QueuedSlot, error) {
	sl, err := s.GetSlots(ctx, p, channelID)
	if err != nil {
		return nil, err
	}
	out := []QueuedSlot{}
	if len(sl.Slots) == 0 || n <= 0 {
		return out, nil
	}
	loc, err := time.LoadLocation(sl.Timezone)
	if err != nil {
		return nil, fmt.Errorf("compose: channel %d slots: %w", channelID, err)
	}
	after := s.now()
	for range min(n, maxSlotQueue) {
		t, err := calendar.NextFree(sl.Slots, loc, after, nil)
		if err != nil {
			return nil, fmt.Errorf("compose: channel %d slots: %w", channelID, err)
		}
		out = append(out, QueuedSlot{At: t})
		after = t
	}
	items, err := s.List(ctx, p, Query{ChannelIDs: []int64{channelID}, From: out[0].At, To: out[len(out)-1].At.Add(time.Second)})
	if err != nil {
		return nil, err
	}
	byTime := map[int64]CalendarItem{}
	for _, it := range items {
		if it.ScheduledAt != nil {
			if _, dup := byTime[it.ScheduledAt.UnixMilli()]; !dup {
				byTime[it.ScheduledAt.UnixMilli()] = it
			}
		}
	}
	for i := range out {
		if it, ok := byTime[out[i].At.UnixMilli()]; ok {
			out[i].PostID, out[i].Text, out[i].State = it.ID, it.Text, it.State
		}
	}
	return out, nil
}
