package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/listen"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// listenData is the listening page: the queries, a preview, the volume
// and share of voice over 30 days, and the latest mentions.
type listenData struct {
	Queries  []listen.Query
	Names    map[int64]string
	Volume   listen.Volume
	MaxDaily int64
	Mentions []listen.MentionView
	Preview  *listen.PreviewResult
	QueryID  int64
	Feeds    []listen.Feed
	// Searchers are the channels whose network search listening runs.
	Searchers []searchChannel
	// HashtagLimit is Instagram's hashtags per account in 7 days.
	HashtagLimit int
	// Chart is the JSON of the volume, sentiment and share-of-voice charts.
	Chart string
}

// searchChannel is a connected channel listening searches through.
type searchChannel struct {
	Network, Handle string
	// Hashtags counts the Instagram hashtags searched in 7 days (-1: not Instagram).
	Hashtags int
}

func (h *handler) listenSvc() *listen.Service {
	if h.d.Listen != nil {
		return h.d.Listen
	}
	return &listen.Service{Store: h.d.Store, Connectors: h.d.Channels, Log: h.d.Log}
}

// listenPage shows the listening queries and their mentions.
func (h *handler) listenPage(w http.ResponseWriter, r *http.Request) {
	h.renderListen(w, r, http.StatusOK, h.newPage(r, "listen.title"), nil)
}

func (h *handler) renderListen(w http.ResponseWriter, r *http.Request, status int, p *page, preview *listen.PreviewResult) {
	ws := visitOf(r).P.Workspace.ID
	svc := h.listenSvc()
	qs, err := svc.Queries(r.Context(), ws)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	vol, err := svc.Volume(r.Context(), ws, 30)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	qid, _ := strconv.ParseInt(r.URL.Query().Get("query"), 10, 64)
	ms, err := h.d.Store.Mentions(r.Context(), ws, store.MentionFilter{QueryID: qid, Limit: 100})
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	feeds, err := svc.Feeds(r.Context(), ws)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	d := listenData{Queries: qs, Names: map[int64]string{}, Volume: vol, Preview: preview, QueryID: qid, Feeds: feeds, HashtagLimit: listen.InstagramHashtags}
	if d.Searchers, err = h.searchChannels(r, svc, ws); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	for _, q := range qs {
		d.Names[q.ID] = q.Name
	}
	for _, q := range vol.Queries {
		for _, n := range q.Daily {
			d.MaxDaily = max(d.MaxDaily, n)
		}
	}
	chart, _ := json.Marshal(vol.Chart())
	d.Chart = string(chart)
	for _, m := range ms {
		d.Mentions = append(d.Mentions, listen.View(m))
	}
	p.Data = d
	h.render(w, r, status, "listen", p)
}

func splitList(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

// addListenQuery previews or adds a query; a refused one comes back with
// the error at its field.
func (h *handler) addListenQuery(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	v := visitOf(r).P
	spec := listen.Spec{Name: r.PostFormValue("name"), Keywords: r.PostFormValue("keywords"),
		Hashtags: splitList(r.PostFormValue("hashtags")), Mentions: splitList(r.PostFormValue("mentions")),
		Authors: splitList(r.PostFormValue("authors")), ExcludeAuthors: splitList(r.PostFormValue("exclude_authors")),
		Languages: splitList(r.PostFormValue("languages")), Networks: r.PostForm["networks"],
		AlertMentions: r.PostFormValue("alert_mentions") != "", AlertBursts: r.PostFormValue("alert_bursts") != "",
		AlertEmail: r.PostFormValue("alert_email") != ""}
	fields := []string{"name", "keywords", "hashtags", "mentions", "authors", "exclude_authors", "languages", "alert_min_reach", "alert_mentions", "alert_bursts", "alert_email"}
	if v := strings.TrimSpace(r.PostFormValue("alert_min_reach")); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			n = -1 // refused by Compile, at the field
		}
		spec.AlertMinReach = n
	}
	if r.PostFormValue("action") == "preview" {
		if spec.Name == "" {
			spec.Name = "preview"
		}
		res, err := h.listenSvc().Preview(r.Context(), v.Workspace.ID, spec, 20)
		p := h.newPage(r, "listen.title")
		keep(p, r, fields...)
		if e, ok := valid.As(err); ok {
			p.Errors[e.Field] = translateInvalid(p, e)
			h.renderListen(w, r, http.StatusUnprocessableEntity, p, nil)
			return
		}
		if err != nil {
			h.fail(w, r, err, "", nil)
			return
		}
		h.renderListen(w, r, http.StatusOK, p, &res)
		return
	}
	_, err := h.listenSvc().AddQuery(r.Context(), v.Workspace.ID, v.User.ID, spec)
	if e, ok := valid.As(err); ok {
		p := h.newPage(r, "listen.title")
		keep(p, r, fields...)
		p.Errors[e.Field] = translateInvalid(p, e)
		h.renderListen(w, r, http.StatusUnprocessableEntity, p, nil)
		return
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/listen"), "listen.flash_added")
}

// deleteListenQuery deletes a query.
func (h *handler) deleteListenQuery(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	if err := h.listenSvc().DeleteQuery(r.Context(), visitOf(r).P.Workspace.ID, pathID(r, "id")); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/listen"), "listen.flash_deleted")
}

// pauseListenQuery pauses or resumes a query (paused=1 or 0).
func (h *handler) pauseListenQuery(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	paused := r.PostFormValue("paused") == "1"
	if err := h.listenSvc().SetPaused(r.Context(), visitOf(r).P.Workspace.ID, pathID(r, "id"), paused); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	flash := "listen.flash_resumed"
	if paused {
		flash = "listen.flash_paused"
	}
	h.redirectWithFlash(w, r, wsPath(r, "/listen"), flash)
}

// mentionToInbox makes a mention an inbox conversation and opens it.
func (h *handler) mentionToInbox(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	in := h.d.Inbox
	if in == nil {
		in = &inbox.Service{Store: h.d.Store, Connectors: h.d.Channels, Log: h.d.Log}
	}
	id, err := h.listenSvc().ToConversation(r.Context(), in, visitOf(r).P.Workspace.ID, pathID(r, "id"))
	if e, ok := valid.As(err); ok && e.Code == "no_channel" {
		h.redirectWithFlash(w, r, wsPath(r, "/listen"), "listen.flash_no_channel")
		return
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	http.Redirect(w, r, wsPath(r, "/inbox/"+strconv.FormatInt(id, 10)), http.StatusSeeOther)
}
