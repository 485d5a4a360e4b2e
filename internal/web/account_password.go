package web

import (
	"net/http"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/valid"
)

// changePassword checks the current password, sets the new one, ends every
// other session and keeps this browser signed in.
func (h *handler) changePassword(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	u := *visitOf(r).User
	p := h.newPage(r, "account.title")
	if ok, err := auth.CheckPassword(u.PasswordHash, r.PostFormValue("current")); err != nil || !ok {
		p.Errors["current"] = p.T("account.current_wrong")
		h.renderAccount(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	next := r.PostFormValue("password")
	if err := auth.CheckPasswordPolicy(next); err != nil {
		e, _ := valid.As(err)
		p.Errors["password"] = translateInvalid(p, e)
		h.renderAccount(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	hash, err := auth.HashPassword(next)
	if err == nil {
		err = h.d.Store.UpdateUserPassword(r.Context(), u.ID, hash)
	}
	if err == nil {
		err = h.d.Store.DeleteUserSessions(r.Context(), u.ID)
	}
	if err == nil {
		err = h.startSession(w, r, u)
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.redirectWithFlash(w, r, "/account", "flash.password_changed")
}
