package web

import (
	"context"
	"time"

	"github.com/relais/relais/internal/store"
)

// maxDashboardCampaigns bounds the campaigns the dashboard measures.
const maxDashboardCampaigns = 6

// campaignStatus is an active campaign's progress against its goals.
type campaignStatus struct {
	ID    int64
	Name  string
	Ends  string
	Goals []goalRow
}

// activeCampaigns measures the workspace's campaigns running now (started,
// not ended), the soonest ending first.
func (h *handler) activeCampaigns(ctx context.Context, workspaceID int64, now time.Time) ([]campaignStatus, error) {
	list, err := h.d.Store.Campaigns(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	var active []store.Campaign
	for _, c := range list {
		if (c.StartsAt == nil || !c.StartsAt.After(now)) && (c.EndsAt == nil || c.EndsAt.After(now)) {
			active = append(active, c)
		}
	}
	// Those with an end first, soonest first; the open-ended after, in list order.
	for i := 1; i < len(active); i++ {
		for j := i; j > 0 && endsBefore(active[j], active[j-1]); j-- {
			active[j], active[j-1] = active[j-1], active[j]
		}
	}
	var out []campaignStatus
	for _, c := range active[:min(len(active), maxDashboardCampaigns)] {
		res, err := h.d.Campaigns.Results(ctx, workspaceID, c.ID)
		if err != nil {
			return nil, err
		}
		st := campaignStatus{ID: c.ID, Name: c.Name, Goals: goalRows(res)}
		if c.EndsAt != nil {
			st.Ends = c.EndsAt.UTC().Format(time.DateOnly)
		}
		out = append(out, st)
	}
	return out, nil
}

func endsBefore(a, b store.Campaign) bool {
	switch {
	case a.EndsAt == nil:
		return false
	case b.EndsAt == nil:
		return true
	}
	return a.EndsAt.Before(*b.EndsAt)
}
