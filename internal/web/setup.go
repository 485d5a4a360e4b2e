package web

import (
	"errors"
	"net/http"

	"github.com/relais/relais/internal/auth"
)

// showSetup asks for the owner account on first run.
func (h *handler) showSetup(w http.ResponseWriter, r *http.Request) {
	if h.setupOff.Load() {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "setup", h.newPage(r, "setup.title"))
}

// submitSetup creates the owner account, signs it in and asks for the first workspace.
func (h *handler) submitSetup(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := h.newPage(r, "setup.title")
	keep(p, r, "email", "name")
	u, err := h.d.Auth.Setup(r.Context(), r.PostFormValue("email"), r.PostFormValue("name"), r.PostFormValue("password"))
	if errors.Is(err, auth.ErrSetupDone) {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	if err != nil {
		h.fail(w, r, err, "setup", p)
		return
	}
	h.setupOff.Store(true)
	if err := h.startSession(w, r, u); err != nil {
		h.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/setup/workspace", http.StatusSeeOther)
}
