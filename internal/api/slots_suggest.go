package api

import (
	"context"

	"github.com/relais/relais/internal/analytics"
)

// SlotSuggestionOutput is the best-time model's proposal for a channel.
type SlotSuggestionOutput struct {
	Body analytics.SlotSuggestion
}

func (h *Handler) suggestSlots(ctx context.Context, in *IDInput) (*SlotSuggestionOutput, error) {
	_, sg, err := h.d.Analytics.SuggestForChannel(ctx, h.d.Compose, principal(ctx), in.ID, false)
	if err != nil {
		return nil, h.fail(err)
	}
	return &SlotSuggestionOutput{Body: sg}, nil
}

func (h *Handler) addSuggestedSlots(ctx context.Context, in *IDInput) (*SlotsOutput, error) {
	s, _, err := h.d.Analytics.SuggestForChannel(ctx, h.d.Compose, principal(ctx), in.ID, true)
	if err != nil {
		return nil, h.fail(err)
	}
	return &SlotsOutput{Body: s}, nil
}
