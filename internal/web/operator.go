package web

import (
	"net/http"

	"github.com/relais/relais/internal/operator"
)

// appsData is the network apps page's content.
type appsData struct {
	Apps []operator.App
}

// adminApps shows the network apps an instance administrator configures
// (client ids, secrets, webhook tokens, the URLs to register). Anyone else
// gets the not-found page, as for a workspace they are not a member of.
func (h *handler) adminApps(w http.ResponseWriter, r *http.Request) {
	h.renderApps(w, r, http.StatusOK, h.newPage(r, "apps.title"))
}

func (h *handler) renderApps(w http.ResponseWriter, r *http.Request, status int, p *page) {
	if h.d.Operator == nil {
		h.notFoundPage(w, r)
		return
	}
	apps, err := h.d.Operator.Apps(visitOf(r).User.IsAdmin, h.d.BaseURL)
	if err != nil {
		h.notFoundPage(w, r)
		return
	}
	p.Data = appsData{Apps: apps}
	h.render(w, r, status, "apps", p)
}

// saveApp stores one app's settings: a filled input replaces the value, a
// blank one keeps it (secrets are never shown), a ticked "clear" removes it.
func (h *handler) saveApp(w http.ResponseWriter, r *http.Request) {
	if h.d.Operator == nil || !visitOf(r).User.IsAdmin {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	apps, err := h.d.Operator.Apps(true, h.d.BaseURL)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var changes []operator.Change
	found := false
	for _, a := range apps {
		if a.ID != r.PathValue("app") {
			continue
		}
		found = true
		for _, f := range a.Fields {
			if f.Source == operator.SourceEnvironment {
				continue
			}
			changes = append(changes, operator.Change{Env: f.Env, Value: r.PostFormValue(f.Env), Clear: r.PostFormValue("clear."+f.Env) == "on"})
		}
	}
	if !found {
		h.notFoundPage(w, r)
		return
	}
	if err := h.d.Operator.Set(r.Context(), true, visitOf(r).User.ID, changes); err != nil {
		p := h.newPage(r, "apps.title")
		for _, c := range changes {
			if c.Value != "" {
				p.Form[c.Env] = c.Value
			}
		}
		apps, aerr := h.d.Operator.Apps(true, h.d.BaseURL)
		if aerr != nil {
			h.serverError(w, r, aerr)
			return
		}
		p.Data = appsData{Apps: apps}
		h.fail(w, r, err, "apps", p)
		return
	}
	h.redirectWithFlash(w, r, "/admin/apps#app-"+r.PathValue("app"), "flash.apps_saved")
}
