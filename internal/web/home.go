package web

import (
	"net/http"

	"github.com/relais/relais/internal/sla"
	"github.com/relais/relais/internal/store"
)

// home opens the session's workspace, or asks for a first workspace.
func (h *handler) home(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	if v.Session.WorkspaceID != 0 {
		if ws, err := h.d.Store.WorkspaceByID(r.Context(), v.Session.WorkspaceID); err == nil {
			if _, err := h.d.Store.Membership(r.Context(), ws.ID, v.User.ID); err == nil {
				http.Redirect(w, r, "/workspaces/"+ws.Slug+"/", http.StatusSeeOther)
				return
			}
		}
	}
	list, err := h.d.Store.WorkspacesOf(r.Context(), v.User.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if len(list) == 0 {
		http.Redirect(w, r, "/setup/workspace", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/workspaces/"+list[0].Slug+"/", http.StatusSeeOther)
}

// dashboard summarises a workspace: channels by health and unread notifications.
func (h *handler) dashboard(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	chans, err := h.d.Store.Channels(r.Context(), v.P.Workspace.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	members, err := h.d.Store.Members(r.Context(), v.P.Workspace.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	data := struct {
		Channels, Healthy, Members int
		// Responses are the inbox's response times of the last 30 days (nil without an inbox).
		Responses *sla.Figures
		Target    int
	}{Channels: len(chans), Members: len(members)}
	if h.d.Inbox != nil {
		data.Responses, data.Target = h.responseFigures(r.Context(), v.P.Workspace.ID)
	}
	for _, c := range chans {
		if c.Status == store.ChannelOK {
			data.Healthy++
		}
	}
	p := h.newPage(r, "dashboard.title")
	p.Data = data
	h.render(w, r, http.StatusOK, "dashboard", p)
}
