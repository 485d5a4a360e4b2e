package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/compose"
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
	p.Form["approval"] = string(compose.PolicyOf(ws.Workspace))
	if ws.Workspace.SelfApproval {
		p.Form["self_approval"] = "on"
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
	keep(p, r, "name", "slug", "timezone", "approval", "self_approval", "max_publish_attempts")
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
	// The approval policy: nobody, editors or everyone ("on", the old checkbox, is everyone).
	policy := compose.Policy(r.PostFormValue("approval"))
	switch {
	case policy == "on":
		policy = compose.PolicyEveryone
	case policy == "":
		policy = compose.PolicyNobody
	case !policy.Valid():
		p.Errors["approval"] = p.T("settings.approval_invalid")
		h.render(w, r, http.StatusUnprocessableEntity, "settings", p)
		return
	}
	required, scope := policy.Settings()
	ws, err := h.d.Auth.UpdateWorkspace(r.Context(), visitOf(r).P, auth.WorkspaceSettings{Name: r.PostFormValue("name"), Slug: r.PostFormValue("slug"),
		Timezone: r.PostFormValue("timezone"), ApprovalRequired: required, ApprovalFor: scope, SelfApproval: r.PostFormValue("self_approval") == "on",
		MaxPublishAttempts: attempts})
	if err != nil {
		h.fail(w, r, err, "settings", p)
		return
	}
	h.redirectWithFlash(w, r, "/workspaces/"+ws.Slug+"/settings", "flash.settings_saved")
}
