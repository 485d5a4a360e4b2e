package api

import (
	"context"
	"time"

	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/calendar"
	"github.com/relais/relais/internal/compose"
)

// SlotSuggestionOutput is the best-time model's proposal for a channel.
type SlotSuggestionOutput struct {
	Body analytics.SlotSuggestion
}

// suggestion reads a channel's slots (which checks the channel is the
// workspace's) and the model's proposal in the zone of those slots.
func (h *Handler) suggestion(ctx context.Context, p auth.Principal, channelID int64) (compose.Slots, analytics.SlotSuggestion, error) {
	cur, err := h.d.Compose.GetSlots(ctx, p, channelID)
	if err != nil {
		return cur, analytics.SlotSuggestion{}, err
	}
	sg, err := h.d.Analytics.SuggestSlots(ctx, p.Workspace.ID, channelID, cur.Timezone, time.Now())
	return cur, sg, err
}

func (h *Handler) suggestSlots(ctx context.Context, in *IDInput) (*SlotSuggestionOutput, error) {
	_, sg, err := h.suggestion(ctx, principal(ctx), in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &SlotSuggestionOutput{Body: sg}, nil
}

func (h *Handler) addSuggestedSlots(ctx context.Context, in *IDInput) (*SlotsOutput, error) {
	p := principal(ctx)
	cur, sg, err := h.suggestion(ctx, p, in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	s, err := h.d.Compose.SetSlots(ctx, p, in.ID, calendar.FormatSlots(sg.WithSuggested(cur.Slots)), cur.Timezone)
	if err != nil {
		return nil, h.fail(err)
	}
	return &SlotsOutput{Body: s}, nil
}
