package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
)

// isNotFound reports a missing thing or one outside the caller's reach.
func isNotFound(err error) bool {
	return errors.Is(err, store.ErrNotFound) || errors.Is(err, auth.ErrForbidden)
}

// newPost shows an empty composer; ?date=2026-12-01 pre-fills the moment
// (from the calendar), ?text= and ?link= the text and link (a contest's
// announcement draft).
func (h *handler) newPost(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	p := h.newPage(r, "compose.title")
	if d, err := time.Parse(time.DateOnly, r.URL.Query().Get("date")); err == nil {
		p.Form["at"] = d.Format(time.DateOnly) + "T09:00"
	}
	if q := r.URL.Query(); q.Get("text") != "" || q.Get("link") != "" {
		p.Form["text"], p.Form["link"] = q.Get("text"), q.Get("link")
	}
	f := postForm{Selected: map[int64]bool{}, BaseMedia: map[int64]bool{}, VarMedia: map[int64]map[int64]bool{}}
	h.renderComposer(w, r, http.StatusOK, p, f, 0, "")
}

// editPost shows the composer filled with a saved post.
func (h *handler) editPost(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	post, err := h.d.Compose.Get(r.Context(), v.P, pathID(r, "id"))
	if err != nil || !canCompose(r) {
		h.fail(w, r, errOr(err, store.ErrNotFound), "", nil)
		return
	}
	p := h.newPage(r, "compose.edit_title")
	f := formOfPost(post, p, p.loc)
	h.renderComposer(w, r, http.StatusOK, p, f, post.ID, post.State)
}

// errOr returns err, or def when err is nil.
func errOr(err, def error) error {
	if err != nil {
		return err
	}
	return def
}

// renderComposer renders the composer with the live panel already filled.
func (h *handler) renderComposer(w http.ResponseWriter, r *http.Request, status int, p *page, f postForm, postID int64, state string) {
	d, err := h.composer(r.Context(), r, p, f)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d.PostID, d.State = postID, state
	d.Action = wsPath(r, "/posts")
	if postID != 0 {
		d.Action += "/" + strconv.FormatInt(postID, 10)
	}
	if len(f.In.Variants) > 0 || f.In.Text != "" {
		d.Live = h.live(r.Context(), r, p, f, nil)
	}
	p.Data = d
	h.render(w, r, status, "compose", p)
}
