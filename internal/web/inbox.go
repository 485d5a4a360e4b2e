package web

import (
	"net/http"
	"strconv"

	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// inboxData is what the inbox page shows.
type inboxData struct {
	Query    inbox.Query
	Encoded  string
	Messages []inbox.Message
	Next     string
	Views    []store.SavedView
	Channels []store.Channel
	Members  []store.Member
	// Themes are the feedback themes to filter on.
	Themes []string
}

// showInbox lists the workspace's messages with the filters of the query string.
func (h *handler) showInbox(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	p := h.newPage(r, "inbox.title")
	q, err := inbox.ParseQuery(r.URL.Query())
	if e, ok := valid.As(err); ok {
		p.Errors["filter"] = translateInvalid(p, e)
	}
	d := inboxData{Query: q, Encoded: q.Encode(), Themes: inboxThemes}
	pg, err := h.d.Inbox.Find(r.Context(), v.P, q)
	if err != nil {
		e, ok := valid.As(err)
		if !ok {
			h.fail(w, r, err, "", nil)
			return
		}
		p.Errors["filter"] = translateInvalid(p, e)
	}
	d.Messages, d.Next = pg.Messages, pg.NextCursor
	if d.Views, err = h.d.Store.Views(r.Context(), v.P.Workspace.ID); err != nil {
		h.serverError(w, r, err)
		return
	}
	if d.Channels, err = h.d.Store.Channels(r.Context(), v.P.Workspace.ID); err != nil {
		h.serverError(w, r, err)
		return
	}
	if d.Members, err = h.d.Store.Members(r.Context(), v.P.Workspace.ID); err != nil {
		h.serverError(w, r, err)
		return
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "inbox", p)
}

// inboxThemes are the feedback themes offered as a filter.
var inboxThemes = []string{"delivery", "refund_return", "quality", "size_fit", "price", "service", "stock", "website", "store", "ethics", "payment"}

// threadData is what the message page shows.
type threadData struct {
	inbox.Thread
	Members []store.Member
	// Back is the inbox list the message was opened from.
	Back string
	// Saved are the saved replies the reply box can insert (inbox_saved.go).
	Saved []savedChoice
}

// showInboxMessage shows one message in its conversation, with the reply box.
func (h *handler) showInboxMessage(w http.ResponseWriter, r *http.Request) {
	h.renderThread(w, r, http.StatusOK, h.newPage(r, "inbox.message_title"))
}

func (h *handler) renderThread(w http.ResponseWriter, r *http.Request, status int, p *page) {
	v := visitOf(r)
	t, err := h.d.Inbox.Get(r.Context(), v.P, pathID(r, "id"))
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	members, err := h.d.Store.Members(r.Context(), v.P.Workspace.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p.Data = threadData{Thread: t, Members: members, Back: wsPath(r, "/inbox"), Saved: h.savedChoices(r.Context(), t.Message)}
	h.render(w, r, status, "inbox_message", p)
}

// inboxMessagePath is the message page of the request's workspace.
func inboxMessagePath(r *http.Request, id int64) string {
	return wsPath(r, "/inbox/"+strconv.FormatInt(id, 10))
}
