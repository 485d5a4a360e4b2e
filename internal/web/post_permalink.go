package web

import (
	"context"
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
	h.permalink(w, r, func(ctx context.Context, wsID, id int64) error {
		_, err := h.d.Store.Post(ctx, wsID, id)
		return err
	}, func(id int64) string { return "/posts/" + strconv.FormatInt(id, 10) })
}

// permalink redirects to the page (rest) of the thing {id} in the first of
// the caller's workspaces where find finds it, and answers 404 when none
// has it. It looks only in the caller's own workspaces, so a link never
// reads another workspace's rows.
func (h *handler) permalink(w http.ResponseWriter, r *http.Request, find func(ctx context.Context, wsID, id int64) error, rest func(id int64) string) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFoundPage(w, r)
		return
	}
	list, err := h.d.Store.WorkspacesOf(r.Context(), visitOf(r).User.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	for _, ws := range list {
		err := find(r.Context(), ws.ID, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		http.Redirect(w, r, "/workspaces/"+url.PathEscape(ws.Slug)+rest(id), http.StatusSeeOther)
		return
	}
	h.notFoundPage(w, r)
}
