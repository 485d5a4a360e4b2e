package web

import (
	"net/http"
)

// workspaceForm is the data of the workspace create and settings forms.
type workspaceForm struct {
	Zones   []string
	Welcome bool
}

// showFirstWorkspace asks a new owner for the first workspace.
func (h *handler) showFirstWorkspace(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "workspace.new_title")
	p.Form["timezone"], p.Form["detect_tz"] = p.ZoneName(), "1"
	p.Data = workspaceForm{Zones: timeZones, Welcome: len(p.Workspaces) == 0}
	h.render(w, r, http.StatusOK, "workspace_new", p)
}

// showCreateWorkspace shows the new-workspace form.
func (h *handler) showCreateWorkspace(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "workspace.new_title")
	p.Form["timezone"], p.Form["detect_tz"] = p.ZoneName(), "1"
	p.Data = workspaceForm{Zones: timeZones}
	h.render(w, r, http.StatusOK, "workspace_new", p)
}

// createWorkspace creates a workspace owned by the caller and switches to it.
func (h *handler) createWorkspace(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	v := visitOf(r)
	p := h.newPage(r, "workspace.new_title")
	keep(p, r, "name", "slug", "timezone")
	p.Data = workspaceForm{Zones: timeZones, Welcome: len(p.Workspaces) == 0}
	ws, err := h.d.Auth.CreateWorkspace(r.Context(), *v.User, r.PostFormValue("name"), r.PostFormValue("slug"), r.PostFormValue("timezone"))
	if err != nil {
		h.fail(w, r, err, "workspace_new", p)
		return
	}
	if err := h.d.Auth.SwitchWorkspace(r.Context(), v.Token, *v.User, ws.ID); err != nil {
		h.serverError(w, r, err)
		return
	}
	h.redirectWithFlash(w, r, "/workspaces/"+ws.Slug+"/", "flash.workspace_created")
}
