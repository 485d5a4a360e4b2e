package listen

import (
	"context"
	"time"

	"github.com/relais/relais/internal/crisis"
	"github.com/relais/relais/internal/store"
)

// Burst windows: the terms of the last BurstWindow of mentions are tested
// against their rate over the BurstBaseline before it.
const (
	BurstWindow   = 24 * time.Hour
	BurstBaseline = 7 * 24 * time.Hour
	burstMentions = 20000
)

// Bursts is the burst detection of methods.md §4 applied to mentions: the
// words and two-word phrases over-represented in the last 24 hours of a
// workspace's mentions (one query's when queryID is not 0) against their
// rate in the 7 days before (Poisson tail below 0.001, at least 3
// mentions; crisis.SpikingTerms).
func (s *Service) Bursts(ctx context.Context, workspaceID, queryID int64, limit int) ([]crisis.SpikingTerm, error) {
	now := s.now()
	from := now.Add(-BurstWindow - BurstBaseline)
	ms, err := s.Store.Mentions(ctx, workspaceID, store.MentionFilter{QueryID: queryID, Since: from, Limit: burstMentions})
	if err != nil {
		return nil, err
	}
	var window, baseline []crisis.Message
	for _, m := range ms {
		cm := crisis.Message{ID: m.ID, Author: m.Author, Text: m.Text, URL: m.URL, ReceivedAt: m.PostedAt}
		if m.PostedAt.After(now.Add(-BurstWindow)) {
			window = append(window, cm)
		} else {
			baseline = append(baseline, cm)
		}
	}
	out := crisis.SpikingTerms(window, baseline, BurstWindow.Hours(), BurstBaseline.Hours(), limit)
	if out == nil {
		out = []crisis.SpikingTerm{}
	}
	return out, nil
}
