package web

import (
	"net/http"
	"strconv"
	"strings"

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
	p.Form["max_publish_attempts"] = strconv.Itoa(ws.Workspace.MaxPublishAttempts)
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
	keep(p, r, "name", "slug", "timezone", "approval", "max_publish_attempts")
	p.Data = workspaceForm{Zones: timeZones}
	// Empty keeps the current value; anything else must be a number the core accepts.
	attempts := 0
	if raw := strings.TrimSpace(r.PostFormValue("max_publish_attempts")); raw != "" {
		n, perr := strconv.Atoi(raw)
		if perr != nil || n == 0 {
			n = -1 // reported by the core as out of range, naming the field
		}
		attempts = n
	}
	ws, err := h.d.Auth.UpdateWorkspace(r.Context(), visitOf(r).P, auth.WorkspaceSettings{Name: r.PostFormValue("name"), Slug: r.PostFormValue("slug"),
		Timezone: r.PostFormValue("timezone"), ApprovalRequired: r.PostFormValue("approval") == "on", MaxPublishAttempts: attempts})
	if err != nil {
		h.fail(w, r, err, "settings", p)
		return
	}
	h.redirectWithFlash(w, r, "/workspaces/"+ws.Slug+"/settings", "flash.settings_saved")
}
