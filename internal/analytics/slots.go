package analytics

import (
	"context"
	"slices"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/calendar"
	"github.com/relais/relais/internal/compose"
)

// SlotSuggestion is what the best-time model proposes for a channel's
// posting slots: the recommended hours of week (methods.md §3: the buckets
// whose posterior lower bound beats the channel's typical post, best first,
// at most three) as weekly slots at the full hour, in the zone the model
// was fitted in.
type SlotSuggestion struct {
	ChannelID int64 `json:"channel_id"`
	// Posts is how many of the channel's posts of the last 16 weeks have an engagement rate.
	Posts int `json:"posts"`
	// Prior names what a channel with little history was shrunk toward
	// ("network", "workspace" or "channel"); empty without posts.
	Prior    string          `json:"prior,omitempty"`
	Timezone string          `json:"timezone"`
	Slots    []SuggestedSlot `json:"slots"`
}

// SuggestedSlot is one recommended weekly slot with its model figures.
type SuggestedSlot struct {
	calendar.Slot
	// Index is the estimated engagement relative to the channel's typical post, in % (100 = typical).
	Index float64 `json:"index"`
	// Lower is the index at the posterior's 10th percentile (> 100 for a recommendation).
	Lower float64 `json:"lower"`
}

// SlotOfBucket turns an hour-of-week bucket (0 = Monday 00:00) into a weekly slot.
func SlotOfBucket(b int) calendar.Slot {
	return calendar.Slot{Weekday: time.Weekday((b/24 + 1) % 7), Hour: b % 24}
}

// SuggestSlots fits the best-time model of the workspace in tz (the zone of
// the channel's slots) and returns the channel's recommended slots; none
// when the channel has no detectable timing effect yet.
func (s *Service) SuggestSlots(ctx context.Context, workspaceID, channelID int64, tz string, now time.Time) (SlotSuggestion, error) {
	list, err := s.BestTimes(ctx, workspaceID, tz, now)
	if err != nil {
		return SlotSuggestion{}, err
	}
	return SuggestionFor(list, channelID, tz), nil
}

// SuggestionFor picks a channel's suggestion from a workspace's model fitted in tz.
func SuggestionFor(list []ChannelBestTimes, channelID int64, tz string) SlotSuggestion {
	i := slices.IndexFunc(list, func(c ChannelBestTimes) bool { return c.ChannelID == channelID })
	if i < 0 {
		return SlotSuggestion{ChannelID: channelID, Timezone: tz, Slots: []SuggestedSlot{}}
	}
	return suggestionOf(list[i], tz)
}

func suggestionOf(c ChannelBestTimes, tz string) SlotSuggestion {
	out := SlotSuggestion{ChannelID: c.ChannelID, Posts: c.Posts, Prior: c.Prior, Timezone: tz, Slots: []SuggestedSlot{}}
	for _, b := range c.Recommended {
		ss := SuggestedSlot{Slot: SlotOfBucket(b)}
		for _, h := range c.Slots {
			if h.Bucket == b {
				ss.Index, ss.Lower = h.Index, h.Lower
			}
		}
		out.Slots = append(out.Slots, ss)
	}
	return out
}

// WithSuggested adds the suggested slots that are not already among current.
func (sg SlotSuggestion) WithSuggested(current []calendar.Slot) []calendar.Slot {
	out := slices.Clone(current)
	for _, s := range sg.Slots {
		if !slices.Contains(out, s.Slot) {
			out = append(out, s.Slot)
		}
	}
	return out
}

// ChannelSlots is what a suggestion needs of the composer (compose.Service).
type ChannelSlots interface {
	GetSlots(ctx context.Context, p auth.Principal, channelID int64) (compose.Slots, error)
	SetSlots(ctx context.Context, p auth.Principal, channelID int64, spec, tz string) (compose.Slots, error)
}

// SuggestForChannel reads a channel's slots (which checks that the channel
// is p's workspace's) and the recommendation in the zone of those slots;
// with add, the recommended slots are added to them (those already there
// kept once) and the new slots returned.
func (s *Service) SuggestForChannel(ctx context.Context, slots ChannelSlots, p auth.Principal, channelID int64, add bool) (compose.Slots, SlotSuggestion, error) {
	cur, err := slots.GetSlots(ctx, p, channelID)
	if err != nil {
		return cur, SlotSuggestion{}, err
	}
	sg, err := s.SuggestSlots(ctx, p.Workspace.ID, channelID, cur.Timezone, time.Now())
	if err != nil || !add {
		return cur, sg, err
	}
	cur, err = slots.SetSlots(ctx, p, channelID, calendar.FormatSlots(sg.WithSuggested(cur.Slots)), cur.Timezone)
	return cur, sg, err
}
