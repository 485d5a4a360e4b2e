package web

import (
	"errors"
	"net/http"

	"github.com/relais/relais/internal/store"
)

// pingHook sends a signed test delivery now; the outcome shows in the list.
func (h *handler) pingHook(w http.ResponseWriter, r *http.Request) {
	if !h.canManageHooks(w, r) {
		return
	}
	id, ok := h.hookID(w, r)
	if !ok {
		return
	}
	err := h.webhooks().Test(r.Context(), visitOf(r).P.Workspace.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		h.notFoundPage(w, r)
		return
	}
	flash := "flash.hook_test_ok"
	if err != nil {
		// The receiver's answer is recorded on the hook and shown in the list.
		flash = "flash.hook_test_failed"
	}
	h.redirectWithFlash(w, r, wsPath(r, "/hooks"), flash)
}
