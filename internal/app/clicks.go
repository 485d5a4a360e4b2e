package app

import (
	"context"
	"time"

	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/store"
)

// publicationClicks counts, for analytics, the people's clicks (bots and
// link previews apart) on the short links made for each publication's post
// on its network. A publication whose post has no short link is left out:
// its clicks are unknown, not zero.
type publicationClicks struct{ st store.Store }

func (p publicationClicks) PublicationClicks(ctx context.Context, workspaceID int64, publicationIDs []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	byPost := map[int64][]store.LinkWithClicks{}
	for _, id := range publicationIDs {
		pub, err := p.st.Publication(ctx, workspaceID, id)
		if err != nil {
			return nil, err
		}
		links, ok := byPost[pub.PostID]
		if !ok {
			if links, err = p.st.Links(ctx, workspaceID, store.ClickFilter{PostID: pub.PostID}, 100); err != nil {
				return nil, err
			}
			byPost[pub.PostID] = links
		}
		var n int64
		found := false
		for _, l := range links {
			if l.Network == pub.Network {
				n += l.Clicks
				found = true
			}
		}
		if found {
			out[id] = n
		}
	}
	return out, nil
}

// campaignMetric measures a campaign goal's analytics metric over the
// campaign's posts in [from, to) (campaign.Service.MetricFunc); ok is false
// when the networks did not report it or the campaign has no posts.
func campaignMetric(s *analytics.Service) func(ctx context.Context, workspaceID int64, postIDs []int64, metric string, from, to time.Time) (float64, bool, error) {
	return func(ctx context.Context, workspaceID int64, postIDs []int64, metric string, from, to time.Time) (float64, bool, error) {
		if len(postIDs) == 0 {
			return 0, false, nil
		}
		r, err := s.Report(ctx, workspaceID, from, to, analytics.Filter{PostIDs: postIDs})
		if err != nil {
			return 0, false, err
		}
		m := r.Workspace.Measures
		var v *int64
		switch metric {
		case "reach":
			v = m.Reach
		case "impressions":
			v = m.Impressions
		case "interactions":
			v = m.Interactions
		case "likes":
			v = m.Likes
		case "reposts":
			v = m.Reposts
		case "replies":
			v = m.Replies
		case "followers":
			v = m.Followers
		case "engagement_rate":
			if m.EngagementRate == nil {
				return 0, false, nil
			}
			return *m.EngagementRate, true, nil
		}
		if v == nil {
			return 0, false, nil
		}
		return float64(*v), true, nil
	}
}
