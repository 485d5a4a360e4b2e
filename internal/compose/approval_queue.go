package compose

import (
	"context"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
)

// maxQueue bounds the approval queue a page or a call shows.
const maxQueue = 1000

// awaiting reads the posts in review that p may approve: every one but
// their own where the workspace does not let authors approve their posts.
func (s *Service) awaiting(ctx context.Context, p auth.Principal) (map[int64]bool, error) {
	posts, err := s.Store.Posts(ctx, p.Workspace.ID, store.PostFilter{States: []store.PostState{store.PostInReview}, Limit: maxQueue})
	if err != nil {
		return nil, err
	}
	ids := map[int64]bool{}
	for _, x := range posts {
		if mayDecide(p, x) == nil {
			ids[x.ID] = true
		}
	}
	return ids, nil
}

// AwaitingApproval is the approval queue of an approver: the posts in
// review the principal may approve, planned soonest first (posts without a
// planned time last). Members who may not approve get auth.ErrForbidden.
func (s *Service) AwaitingApproval(ctx context.Context, p auth.Principal) ([]CalendarItem, error) {
	if err := need(p, auth.ActApprove); err != nil {
		return nil, err
	}
	ids, err := s.awaiting(ctx, p)
	if err != nil {
		return nil, err
	}
	items, err := s.List(ctx, p, Query{States: []store.PostState{store.PostInReview}, Limit: maxQueue})
	if err != nil {
		return nil, err
	}
	out := []CalendarItem{}
	for _, it := range items {
		if ids[it.ID] {
			out = append(out, it)
		}
	}
	return out, nil
}

// AwaitingCount is how many posts wait for the principal's approval (0 for
// members who may not approve), for the menu.
func (s *Service) AwaitingCount(ctx context.Context, p auth.Principal) int {
	if !p.Can(auth.ActApprove) {
		return 0
	}
	ids, err := s.awaiting(ctx, p)
	if err != nil {
		return 0
	}
	return len(ids)
}
