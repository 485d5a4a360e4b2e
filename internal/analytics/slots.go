package analytics

import (
	"context"
	"slices"
	"time"

	"github.com/relais/relais/internal/calendar"
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
