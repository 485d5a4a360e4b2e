package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/relais/relais/internal/store"
)

// postPermalink is every post's stable address, /posts/{id}, the one that
// e-mails, notifications, the iCal feed and webhooks carry: it sends a
// signed-in member to the post's page in its workspace. For anyone else the
// post does not exist (404), so the link tells nothing about another
// workspace; the signed-out are asked to sign in first and come back here.
func (h *handler) postPermalink(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFoundPage(w, r)
		return
	}
	v := visitOf(r)
	list, err := h.d.Store.WorkspacesOf(r.Context(), v.User.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	for _, ws := range list {
		_, err := h.d.Store.Post(r.Context(), ws.ID, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		http.Redirect(w, r, "/workspaces/"+url.PathEscape(ws.Slug)+"/posts/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return
	}
	h.notFoundPage(w, r)
}
