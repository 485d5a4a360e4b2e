package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/store"
)

// membersData is the members page: members, pending invitations, and the link
// of an invitation just created (shown once).
type membersData struct {
	Members     []store.Member
	Invitations []store.Invitation
	NewLink     string
	// Rights is the table of what each role may do, read from the role
	// table itself, and Policy the workspace's approval policy under it.
	Rights       []roleRight
	Policy       compose.Policy
	SelfApproval bool
}

// roleRight is one row of the roles table: an action and, per role in
// store.Roles order, whether the role grants it.
type roleRight struct {
	Action auth.Action
	Can    []bool
}

// rightsOrder is the order of the roles table's rows.
var rightsOrder = []auth.Action{auth.ActView, auth.ActCompose, auth.ActApprove, auth.ActPublish,
	auth.ActManageChannels, auth.ActManageMembers, auth.ActManageWorkspace}

// roleRights builds the roles table from auth.Can.
func roleRights() []roleRight {
	out := make([]roleRight, 0, len(rightsOrder))
	for _, a := range rightsOrder {
		row := roleRight{Action: a}
		for _, role := range store.Roles {
			row.Can = append(row.Can, auth.Can(role, a))
		}
		out = append(out, row)
	}
	return out
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
	wsp := visitOf(r).P.Workspace
	p.Data = membersData{Members: members, Invitations: pending, NewLink: newLink, Rights: roleRights(),
		Policy: compose.PolicyOf(wsp), SelfApproval: wsp.SelfApproval}
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
