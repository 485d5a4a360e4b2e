package web

import (
	"errors"
	"net/http"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/valid"
)

// changePassword checks the current password, sets the new one, ends every
// session of the account and signs this browser in again.
func (h *handler) changePassword(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	u := *visitOf(r).User
	p := h.newPage(r, "account.title")
	err := h.d.Auth.ChangePassword(r.Context(), u, clientIP(r), r.PostFormValue("current"), r.PostFormValue("password"))
	var throttled *auth.ThrottledError
	if e, ok := valid.As(err); ok {
		if e.Field == "current_password" {
			p.Errors["current"] = p.T("account.current_wrong")
		} else {
			p.Errors["password"] = translateInvalid(p, e)
		}
		h.renderAccount(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	switch {
	case errors.As(err, &throttled):
		p.Errors["current"] = p.T("account.throttled", p.Date(throttled.Until))
		h.renderAccount(w, r, http.StatusTooManyRequests, p)
		return
	case errors.Is(err, auth.ErrBusy):
		h.busy(w, r)
		return
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
