package web

import (
	"net/http"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// savedRepliesData is the saved replies page.
type savedRepliesData struct {
	Replies      []store.SavedReply
	Langs        []string
	Placeholders []string
}

// savedReplies lists the workspace's saved replies with the add form.
func (h *handler) savedReplies(w http.ResponseWriter, r *http.Request) {
	h.renderSavedReplies(w, r, http.StatusOK, h.newPage(r, "inboxrules.replies_title"))
}

func (h *handler) renderSavedReplies(w http.ResponseWriter, r *http.Request, status int, p *page) {
	list, err := h.moderation().SavedReplies(r.Context(), visitOf(r).P.Workspace.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if p.Form["lang"] == "" {
		p.Form["lang"] = p.Lang
	}
	p.Data = savedRepliesData{Replies: list, Langs: moderation.ReplyLangs, Placeholders: moderation.Placeholders}
	h.render(w, r, status, "inbox_replies", p)
}

// createSavedReply adds a saved reply.
func (h *handler) createSavedReply(w http.ResponseWriter, r *http.Request) {
	if !visitOf(r).P.Can(auth.ActCompose) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	_, err := h.moderation().CreateSavedReply(r.Context(), visitOf(r).P.Workspace.ID,
		store.SavedReply{Name: r.PostFormValue("name"), Lang: r.PostFormValue("lang"), Body: r.PostFormValue("body")})
	if e, ok := valid.As(err); ok {
		p := h.newPage(r, "inboxrules.replies_title")
		keep(p, r, "name", "lang", "body")
		p.Errors[e.Field] = translateInvalid(p, e)
		h.renderSavedReplies(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/inbox/saved-replies"), "flash.saved_reply_created")
}

// removeSavedReply deletes a saved reply.
func (h *handler) removeSavedReply(w http.ResponseWriter, r *http.Request) {
	if !visitOf(r).P.Can(auth.ActCompose) {
		h.notFoundPage(w, r)
		return
	}
	id, ok := h.hookID(w, r)
	if !ok {
		return
	}
	if err := h.moderation().DeleteSavedReply(r.Context(), visitOf(r).P.Workspace.ID, id); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/inbox/saved-replies"), "flash.saved_reply_removed")
}
