package web

import (
	"errors"
	"net/http"

	"github.com/relais/relais/internal/store"
)

// removeHook deletes a notification webhook of the workspace.
func (h *handler) removeHook(w http.ResponseWriter, r *http.Request) {
	if !h.canManageHooks(w, r) {
		return
	}
	id, ok := h.hookID(w, r)
	if !ok {
		return
	}
	err := h.d.Store.DeleteHook(r.Context(), visitOf(r).P.Workspace.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		h.notFoundPage(w, r)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/hooks"), "flash.hook_removed")
}
