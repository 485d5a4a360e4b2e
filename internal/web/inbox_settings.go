package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// inboxSettings shows the response-time target and the criticism setting.
func (h *handler) inboxSettings(w http.ResponseWriter, r *http.Request) {
	if !h.canManageRules(w, r) {
		return
	}
	set, err := h.moderation().Settings(r.Context(), visitOf(r).P.Workspace.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p := h.newPage(r, "inboxrules.settings_title")
	p.Form["sla_minutes"] = strconv.Itoa(set.SLAMinutes)
	if set.CriticismNeedsPerson {
		p.Form["criticism"] = "on"
	}
	h.render(w, r, http.StatusOK, "inbox_settings", p)
}

// saveInboxSettings saves them; only an owner changes the criticism setting.
func (h *handler) saveInboxSettings(w http.ResponseWriter, r *http.Request) {
	if !h.canManageRules(w, r) || !h.parseForm(w, r) {
		return
	}
	v := visitOf(r)
	p := h.newPage(r, "inboxrules.settings_title")
	keep(p, r, "sla_minutes", "criticism")
	sla, err := strconv.Atoi(r.PostFormValue("sla_minutes"))
	if err != nil {
		sla = 0 // refused below with the range
	}
	criticism := r.PostFormValue("criticism") != ""
	if v.P.Role != store.RoleOwner {
		// The box is disabled for others: keep the stored value.
		cur, err := h.moderation().Settings(r.Context(), v.P.Workspace.ID)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		criticism = cur.CriticismNeedsPerson
	}
	_, err = h.moderation().SaveSettings(r.Context(), v.P.Workspace.ID, v.P.Role, sla, criticism)
	if e, ok := valid.As(err); ok {
		p.Errors[e.Field] = translateInvalid(p, e)
		h.render(w, r, http.StatusUnprocessableEntity, "inbox_settings", p)
		return
	}
	if errors.Is(err, moderation.ErrOwnerOnly) {
		p.Errors["criticism"] = p.T("inboxrules.owner_only")
		h.render(w, r, http.StatusForbidden, "inbox_settings", p)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/inbox/settings"), "flash.inbox_settings_saved")
}
