package web

import (
	"net/http"

	"github.com/relais/relais/internal/auth"
)

// showSettings shows the workspace settings form to owners and admins.
func (h *handler) showSettings(w http.ResponseWriter, r *http.Request) {
	ws := visitOf(r).P
	if !ws.Can(auth.ActManageWorkspace) {
		h.notFoundPage(w, r)
		return
	}
	p := h.newPage(r, "settings.title")
	p.Form["name"], p.Form["slug"], p.Form["timezone"] = ws.Workspace.Name, ws.Workspace.Slug, ws.Workspace.Timezone
	if ws.Workspace.ApprovalRequired {
		p.Form["approval"] = "on"
	}
	p.Data = workspaceForm{Zones: timeZones}
	h.render(w, r, http.StatusOK, "settings", p)
}

// saveSettings saves name, slug, time zone and the approval setting.
func (h *handler) saveSettings(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := h.newPage(r, "settings.title")
	keep(p, r, "name", "slug", "timezone", "approval")
	p.Data = workspaceForm{Zones: timeZones}
	ws, err := h.d.Auth.UpdateWorkspace(r.Context(), visitOf(r).P, r.PostFormValue("name"), r.PostFormValue("slug"), r.PostFormValue("timezone"), r.PostFormValue("approval") == "on")
	if err != nil {
		h.fail(w, r, err, "settings", p)
		return
	}
	h.redirectWithFlash(w, r, "/workspaces/"+ws.Slug+"/settings", "flash.settings_saved")
}
