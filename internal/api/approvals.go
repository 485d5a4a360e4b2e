package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/relais/relais/internal/compose"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		huma.Register(h.api, huma.Operation{OperationID: "list-approvals", Method: http.MethodGet, Path: "/api/v1/approvals",
			Summary: "Posts waiting for the caller's approval (in review, not their own where authors may not approve their posts), planned soonest first",
			Tags:    []string{"Posts"}, DefaultStatus: http.StatusOK, MaxBodyBytes: 1 << 20}, h.listApprovals)
	})
}

// ApprovalsOutput is the caller's approval queue.
type ApprovalsOutput struct {
	Body struct {
		Posts []compose.CalendarItem `json:"posts"`
	}
}

func (h *Handler) listApprovals(ctx context.Context, _ *struct{}) (*ApprovalsOutput, error) {
	items, err := h.d.Compose.AwaitingApproval(ctx, principal(ctx))
	if err != nil {
		return nil, h.fail(err)
	}
	out := &ApprovalsOutput{}
	out.Body.Posts = items
	return out, nil
}
