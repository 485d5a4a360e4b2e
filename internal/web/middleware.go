package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/store"
)

// contentSecurityPolicy forbids inline code and every other origin.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

const sessionCookie = "relais_session"

// secureHeaders sets the security headers on every response.
func (h *handler) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", contentSecurityPolicy)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		// Pages show tokens, invitation links and webhook secrets, and
		// redirects set session cookies: nothing is cached unless a handler
		// says otherwise (static files, media).
		hd.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// crossOrigin rejects unsafe requests sent by another site (CSRF) with a page
// saying so.
func (h *handler) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.errorPage(w, r, http.StatusForbidden, "error.cross_origin")
	}))
	return cop.Handler(next)
}

// limitBody caps request bodies; handlers report the overflow through formError.
func (h *handler) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := h.maxBody
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/workspaces/") && strings.HasSuffix(r.URL.Path, "/media") {
			limit = h.maxUp // media uploads (multipart) are allowed more
		}
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/c/") && strings.HasSuffix(r.URL.Path, "/enter") {
			limit = h.maxUp // a contest entry's upload (multipart)
		}
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/workspaces/") && strings.HasSuffix(r.URL.Path, "/import") {
			limit = max(limit, compose.MaxImportBytes+1<<16) // the API's import limit, and a multipart envelope
		}
		if r.ContentLength > limit {
			h.errorPage(w, r, http.StatusRequestEntityTooLarge, "error.too_large", limit>>10)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// firstRun sends every page to /setup until the first account exists.
func (h *handler) firstRun(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.setupOff.Load() || strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		need, err := h.d.Auth.SetupNeeded(r.Context())
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		if !need {
			h.setupOff.Store(true)
		} else if r.URL.Path != "/setup" {
			http.Redirect(w, r, "/setup", http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// visit is what the middleware learnt about the caller.
type visit struct {
	User    *store.User
	Session store.Session
	Token   string
	// P is the caller in the workspace named by the URL (pages under /workspaces/{slug}/).
	P auth.Principal
}

type visitKey struct{}

// visitOf returns the caller of r (an empty visit when anonymous).
func visitOf(r *http.Request) *visit {
	if v, ok := r.Context().Value(visitKey{}).(*visit); ok {
		return v
	}
	return &visit{}
}

// loadVisit resolves the session cookie, if any.
func (h *handler) loadVisit(r *http.Request) (*http.Request, *visit) {
	v := &visit{}
	if c, err := r.Cookie(sessionCookie); err == nil {
		if u, sess, err := h.d.Auth.Session(r.Context(), c.Value); err == nil {
			v.User, v.Session, v.Token = &u, sess, c.Value
		}
	}
	return r.WithContext(context.WithValue(r.Context(), visitKey{}, v)), v
}

// user lets only signed-in callers through; others go to the login page.
func (h *handler) user(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r, v := h.loadVisit(r)
		if v.User == nil {
			target := "/login"
			if r.Method == http.MethodGet {
				target += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		next(w, r)
	}
}

// member lets through members of the workspace named by {slug}; for anyone
// else the workspace does not exist (404, never 403).
func (h *handler) member(next http.HandlerFunc) http.HandlerFunc {
	return h.user(func(w http.ResponseWriter, r *http.Request) {
		v := visitOf(r)
		ws, err := h.d.Store.WorkspaceBySlug(r.Context(), r.PathValue("slug"))
		if err == nil {
			v.P, err = h.d.Auth.Principal(r.Context(), *v.User, ws.ID)
		}
		if errors.Is(err, store.ErrNotFound) {
			h.notFoundPage(w, r)
			return
		}
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		// The workspace last opened becomes the session's, so pages outside
		// /workspaces/{slug}/ (account, workspaces list) keep its header.
		if v.Session.WorkspaceID != ws.ID {
			if err := h.d.Auth.SwitchWorkspace(r.Context(), v.Token, *v.User, ws.ID); err == nil {
				v.Session.WorkspaceID = ws.ID
			}
		}
		next(w, r)
	})
}

// setSessionCookie hands the browser its session.
func (h *handler) setSessionCookie(w http.ResponseWriter, token string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
}

// clientIP is the address login throttling counts against.
func clientIP(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}

// startSession opens a session for u and hands it to the browser.
func (h *handler) startSession(w http.ResponseWriter, r *http.Request, u store.User) error {
	token, sess, err := h.d.Auth.StartSession(r.Context(), u, clientIP(r), r.UserAgent())
	if err != nil {
		return err
	}
	h.setSessionCookie(w, token, int(sess.ExpiresAt.Sub(sess.CreatedAt).Seconds()))
	return nil
}
