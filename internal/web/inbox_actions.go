package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// inboxFail shows a refused inbox action on the message page, with the
// message under the field it concerns; other errors go the usual way.
func (h *handler) inboxFail(w http.ResponseWriter, r *http.Request, err error, field string) {
	p := h.newPage(r, "inbox.message_title")
	switch e, ok := valid.As(err); {
	case ok:
		p.Errors[field] = translateInvalid(p, e)
	case errors.Is(err, inbox.ErrNotSupported):
		p.Errors[field] = p.T("inbox.not_supported")
	case errors.Is(err, inbox.ErrReplyNeedsReview):
		p.Errors[field] = p.T("inbox.reply_needs_review")
	case errors.Is(err, store.ErrNotFound):
		h.fail(w, r, err, "", nil)
		return
	case field == "text" || field == "reason":
		// The network refused the reply or the hiding: say so where it was typed.
		p.Errors[field] = p.T("inbox.network_refused", err.Error())
	default:
		h.fail(w, r, err, "", nil)
		return
	}
	for k, v := range r.PostForm {
		if len(v) > 0 {
			p.Form[k] = v[0]
		}
	}
	h.renderThread(w, r, http.StatusUnprocessableEntity, p)
}

// replyInbox answers a message through its network.
func (h *handler) replyInbox(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	id := pathID(r, "id")
	if _, err := h.d.Inbox.Reply(r.Context(), visitOf(r).P, id, r.PostFormValue("text"), r.PostFormValue("key")); err != nil {
		h.inboxFail(w, r, err, "text")
		return
	}
	h.redirectWithFlash(w, r, inboxMessagePath(r, id), "inbox.flash_replied")
}

// changeInbox applies one change (state, assignee, label, priority) to one message.
func (h *handler) changeInbox(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	id := pathID(r, "id")
	c, field, err := changeOf(r)
	if err == nil {
		var n int
		n, err = h.d.Inbox.Update(r.Context(), visitOf(r).P, []int64{id}, c)
		if err == nil && n == 0 {
			err = store.ErrNotFound
		}
	}
	if err != nil {
		h.inboxFail(w, r, err, field)
		return
	}
	h.redirectWithFlash(w, r, inboxMessagePath(r, id), "inbox.flash_saved")
}

// changeOf reads a change from a form: state, assignee, add_label,
// remove_label, priority (the fields present are changed); field names the
// form field an error belongs to.
func changeOf(r *http.Request) (inbox.Change, string, error) {
	var c inbox.Change
	field := "change"
	if s := r.PostFormValue("state"); s != "" {
		st := store.MessageState(s)
		c.State = &st
		field = "state"
	}
	if _, ok := r.PostForm["assignee"]; ok {
		a := r.PostFormValue("assignee")
		c.Assignee = &a
		field = "assignee"
	}
	if s := r.PostFormValue("priority"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return c, "priority", valid.Errorf("priority", "invalid", "priority must be a number from 0 to %d", inbox.MaxPriority)
		}
		c.Priority = &n
		field = "priority"
	}
	if s := r.PostFormValue("add_label"); s != "" {
		c.AddLabel, field = s, "add_label"
	}
	if s := r.PostFormValue("remove_label"); s != "" {
		c.RemoveLabel, field = s, "add_label"
	}
	return c, field, nil
}

// bulkInbox applies one change to the ticked messages of the list.
func (h *handler) bulkInbox(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	var ids []int64
	for _, s := range r.PostForm["id"] {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			ids = append(ids, n)
		}
	}
	c, _, err := changeOf(r)
	if err == nil {
		_, err = h.d.Inbox.Update(r.Context(), visitOf(r).P, ids, c)
	}
	back := wsPath(r, "/inbox")
	if q := r.PostFormValue("query"); q != "" {
		back += "?" + q
	}
	if _, ok := valid.As(err); ok {
		h.redirectWithFlash(w, r, back, "inbox.flash_bulk_refused")
		return
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, back, "inbox.flash_saved")
}

// noteInbox adds an internal note.
func (h *handler) noteInbox(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	id := pathID(r, "id")
	if _, err := h.d.Inbox.AddNote(r.Context(), visitOf(r).P, id, r.PostFormValue("note")); err != nil {
		h.inboxFail(w, r, err, "note")
		return
	}
	h.redirectWithFlash(w, r, inboxMessagePath(r, id), "inbox.flash_noted")
}

// hideInbox hides or deletes a message on its network, with a reason.
func (h *handler) hideInbox(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	id := pathID(r, "id")
	if _, err := h.d.Inbox.Moderate(r.Context(), visitOf(r).P, id, r.PostFormValue("action"), r.PostFormValue("reason")); err != nil {
		h.inboxFail(w, r, err, "reason")
		return
	}
	h.redirectWithFlash(w, r, inboxMessagePath(r, id), "inbox.flash_hidden")
}

// saveInboxView saves the list's current filters under a name.
func (h *handler) saveInboxView(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	q := r.PostFormValue("query")
	_, err := h.d.Inbox.SaveView(r.Context(), visitOf(r).P, r.PostFormValue("name"), q)
	if _, ok := valid.As(err); ok {
		h.redirectWithFlash(w, r, wsPath(r, "/inbox?"+q), "inbox.flash_view_refused")
		return
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/inbox?"+q), "inbox.flash_view_saved")
}

// syncInbox reads the workspace's channels now.
func (h *handler) syncInbox(w http.ResponseWriter, r *http.Request) {
	if _, err := h.d.Inbox.Sync(r.Context(), visitOf(r).P); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/inbox"), "inbox.flash_synced")
}
