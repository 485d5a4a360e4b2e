package app

import (
	"errors"
	"net/http"

	"github.com/relais/relais/internal/link"
)

// shortLink is the public redirector: GET /l/{code} answers 302 to the
// link's destination and records the click (batched, without the IP address).
func (a *App) shortLink(w http.ResponseWriter, r *http.Request) {
	dest, err := a.Links.Follow(r.Context(), r.PathValue("code"),
		link.Visit{IP: r.RemoteAddr, UserAgent: r.UserAgent(), Referrer: r.Referer()})
	switch {
	case errors.Is(err, link.ErrNotFound):
		http.NotFound(w, r)
		return
	case err != nil:
		a.Log.Error("links: resolve", "err", err)
		http.Error(w, "short link unavailable, try again", http.StatusServiceUnavailable)
		return
	}
	// Every click must reach the redirector to be counted.
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Location", dest)
	w.WriteHeader(http.StatusFound)
}
