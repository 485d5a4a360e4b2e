package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/relais/relais/internal/auth"
)

// showLogin shows the sign-in form.
func (h *handler) showLogin(w http.ResponseWriter, r *http.Request) {
	if r, v := h.loadVisit(r); v.User != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	p := h.newPage(r, "login.title")
	p.Form["next"] = safeNext(r.URL.Query().Get("next"))
	h.render(w, r, http.StatusOK, "login", p)
}

// submitLogin checks the credentials (throttled) and opens a session.
func (h *handler) submitLogin(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := h.newPage(r, "login.title")
	keep(p, r, "email")
	p.Form["next"] = safeNext(r.PostFormValue("next"))
	token, sess, err := h.d.Auth.Login(r.Context(), r.PostFormValue("email"), r.PostFormValue("password"), clientIP(r), r.UserAgent())
	var throttled *auth.ThrottledError
	switch {
	case errors.As(err, &throttled):
		p.Errors["password"] = p.T("login.throttled", p.Date(throttled.Until))
		h.render(w, r, http.StatusTooManyRequests, "login", p)
	case errors.Is(err, auth.ErrInvalidCredentials):
		p.Errors["password"] = p.T("login.invalid")
		h.render(w, r, http.StatusUnauthorized, "login", p)
	case err != nil:
		h.serverError(w, r, err)
	default:
		h.setSessionCookie(w, token, int(sess.ExpiresAt.Sub(sess.CreatedAt).Seconds()))
		http.Redirect(w, r, p.Form["next"], http.StatusSeeOther)
	}
}

// logout ends the session.
func (h *handler) logout(w http.ResponseWriter, r *http.Request) {
	if err := h.d.Auth.Logout(r.Context(), visitOf(r).Token); err != nil {
		h.serverError(w, r, err)
		return
	}
	h.setSessionCookie(w, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// safeNext keeps a post-login target only when it is a local path.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}
