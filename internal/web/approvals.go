package web

import (
	"net/http"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/compose"
)

// approvalRow is a post waiting for the caller's approval.
type approvalRow struct {
	compose.CalendarItem
	Networks []string
}

// approvals is the approver's queue: the posts in review they may approve,
// planned soonest first. Members who may not approve get 404.
func (h *handler) approvals(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	if !v.P.Can(auth.ActApprove) {
		h.notFoundPage(w, r)
		return
	}
	items, err := h.d.Compose.AwaitingApproval(r.Context(), v.P)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	netOf := map[int64]string{}
	if chans, err := h.d.Store.Channels(r.Context(), v.P.Workspace.ID); err == nil {
		for _, c := range chans {
			netOf[c.ID] = c.Network
		}
	}
	rows := make([]approvalRow, 0, len(items))
	for _, it := range items {
		row := approvalRow{CalendarItem: it}
		for _, id := range it.ChannelIDs {
			row.Networks = append(row.Networks, netOf[id])
		}
		rows = append(rows, row)
	}
	p := h.newPage(r, "approvals.title")
	p.Data = rows
	h.render(w, r, http.StatusOK, "approvals", p)
}
