package web

import (
	"errors"
	"net/http"

	"github.com/relais/relais/internal/store"
)

// switchWorkspace points the session at another of the caller's workspaces.
func (h *handler) switchWorkspace(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	v := visitOf(r)
	ws, err := h.d.Store.WorkspaceBySlug(r.Context(), r.PostFormValue("slug"))
	if err == nil {
		err = h.d.Auth.SwitchWorkspace(r.Context(), v.Token, *v.User, ws.ID)
	}
	if errors.Is(err, store.ErrNotFound) {
		h.notFoundPage(w, r)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/workspaces/"+ws.Slug+"/", http.StatusSeeOther)
}
