package web

import "net/http"

// listWorkspaces lists the caller's workspaces with their role in each.
func (h *handler) listWorkspaces(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "workspaces", h.newPage(r, "workspaces.title"))
}
