package web

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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
		// Waits grow from one second: short ones are said in seconds, since
		// the date shows only minutes.
		wait := int(math.Ceil(time.Until(throttled.Until).Seconds()))
		w.Header().Set("Retry-After", strconv.Itoa(max(wait, 1)))
		if wait <= 120 {
			p.Errors["password"] = p.T("login.wait", max(wait, 1))
		} else {
			p.Errors["password"] = p.T("login.throttled", p.Date(throttled.Until))
		}
		h.render(w, r, http.StatusTooManyRequests, "login", p)
	case errors.Is(err, auth.ErrBusy):
		h.busy(w, r)
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

// busy answers 503 when every password-hashing slot stayed taken.
func (h *handler) busy(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "5")
	h.errorPage(w, r, http.StatusServiceUnavailable, "error.busy")
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

// safeNext keeps a post-login target only when it is a path on this site:
// it is parsed as a URL (no scheme, host or user), its path starts with one
// slash, and neither the raw nor the decoded form holds a control character
// or a backslash, which browsers strip or read as a slash ("/%09/evil",
// "/\\evil" and "/%2F%2Fevil" all lead off-site otherwise).
func safeNext(next string) string {
	if next == "" || len(next) > 2048 || hasURLTrap(next) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	if !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || hasURLTrap(u.Path) {
		return "/"
	}
	if q, err := url.QueryUnescape(u.RawQuery); err != nil || hasURLTrap(q) {
		return "/"
	}
	return next
}

// hasURLTrap reports a control character, a backslash or a non-ASCII space.
func hasURLTrap(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == '\\' || (r >= 0x80 && unicode.IsSpace(r)) || r == utf8.RuneError {
			return true
		}
	}
	return false
}
