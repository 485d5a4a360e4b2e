package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/relais/relais/internal/store"
)

// membersData is the members page: members, pending invitations, and the link
// of an invitation just created (shown once).
type membersData struct {
	Members     []store.Member
	Invitations []store.Invitation
	NewLink     string
}

// members lists the workspace's members and pending invitations.
func (h *handler) members(w http.ResponseWriter, r *http.Request) {
	h.renderMembers(w, r, http.StatusOK, h.newPage(r, "members.title"), "")
}

// renderMembers renders the members page around p (which may carry form errors).
func (h *handler) renderMembers(w http.ResponseWriter, r *http.Request, status int, p *page, newLink string) {
	ws := visitOf(r).P.Workspace.ID
	members, err := h.d.Store.Members(r.Context(), ws)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	invs, err := h.d.Store.Invitations(r.Context(), ws)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	pending := invs[:0]
	for _, inv := range invs {
		if inv.AcceptedAt == nil && inv.ExpiresAt.After(time.Now()) {
			pending = append(pending, inv)
		}
	}
	p.Data = membersData{Members: members, Invitations: pending, NewLink: newLink}
	h.render(w, r, status, "members", p)
}

// pathID reads a numeric path parameter; 0 when it is not a number.
func pathID(r *http.Request, name string) int64 {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}
