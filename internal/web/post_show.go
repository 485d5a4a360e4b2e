package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/store"
)

// postVariant is a variant with its channel's name and effective text.
type postVariant struct {
	compose.VariantView
	Name string
	// Effective is the text published (the override or the post's text).
	Effective string
	// Thumbs are the library media's file URLs; URLs are media fetched by URL.
	Thumbs, URLs []string
}

// postData is the post detail page.
type postData struct {
	Post     compose.PostDetail
	Variants []postVariant
	// Names maps user ids to display names (comments, history, approvals).
	Names map[int64]string
	// At is the scheduled moment in the post's zone for the reschedule form.
	At, Timezone                                                     string
	Zones                                                            []string
	CanSubmit, CanDecide, CanSchedule, CanCancel, CanReopen, CanEdit bool
	// Planned is true when the post's time is its author's plan, not yet a
	// schedule; CanApproveSchedule when the reviewer may approve and
	// schedule at that time in one step; SelfBlocked when the caller could
	// approve but is the author in a workspace that forbids it.
	Planned, CanApproveSchedule, SelfBlocked bool
	// OutOn names the networks the post is out on, comma-separated
	// (deleting asks whether to delete it there too).
	OutOn string
}

// showPost shows a post: variants, state, approval, comments, history and
// per channel the publication and its attempt log.
func (h *handler) showPost(w http.ResponseWriter, r *http.Request) {
	h.renderPost(w, r, http.StatusOK, h.newPage(r, "post.title"))
}

func (h *handler) renderPost(w http.ResponseWriter, r *http.Request, status int, p *page) {
	v := visitOf(r)
	d, err := h.d.Compose.Detail(r.Context(), v.P, pathID(r, "id"))
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	data := postData{Post: d, Names: map[int64]string{}, Zones: timeZones, Timezone: d.Timezone}
	if members, err := h.d.Store.Members(r.Context(), v.P.Workspace.ID); err == nil {
		for _, m := range members {
			data.Names[m.UserID] = m.Name
			if m.Name == "" {
				data.Names[m.UserID] = m.Email
			}
		}
	}
	for _, x := range d.Variants {
		pv := postVariant{VariantView: x, Name: networkName(x.Network), Effective: x.Text}
		if pv.Effective == "" {
			pv.Effective = d.Text
		}
		for _, m := range x.Media {
			if m.MediaID != 0 {
				pv.Thumbs = append(pv.Thumbs, wsPath(r, "/media/"+strconv.FormatInt(m.MediaID, 10)+"/file"))
			} else if m.URL != "" {
				pv.URLs = append(pv.URLs, m.URL)
			}
		}
		data.Variants = append(data.Variants, pv)
		if x.Publication != nil && x.Publication.State == string(store.PubPublished) {
			data.OutOn = strings.TrimPrefix(data.OutOn+", "+pv.Name, ", ")
		}
	}
	if d.ScheduledAt != nil {
		loc, err := time.LoadLocation(d.Timezone)
		if err != nil {
			loc = time.UTC
		}
		data.At = d.ScheduledAt.In(loc).Format(datetimeLayout)
	}
	st := store.PostState(d.State)
	data.CanSubmit = compose.Allowed(v.P, compose.StepSubmit, st) == nil && v.P.Workspace.ApprovalRequired
	post := store.Post{ID: d.ID, AuthorID: d.AuthorID, State: st}
	data.CanDecide = compose.MayApprove(v.P, post) == nil
	data.SelfBlocked = !data.CanDecide && compose.Allowed(v.P, compose.StepApprove, st) == nil
	data.Planned = d.ScheduledAt != nil && plannedState(st)
	data.CanApproveSchedule = data.CanDecide && d.ScheduledAt != nil && d.ScheduledAt.After(time.Now())
	data.CanSchedule = compose.Allowed(v.P, compose.StepSchedule, st) == nil
	data.CanCancel = compose.Allowed(v.P, compose.StepCancel, st) == nil
	data.CanReopen = compose.Allowed(v.P, compose.StepReopen, st) == nil
	data.CanEdit = v.P.Can(auth.ActCompose) && st != store.PostPublishing && st != store.PostPublished && st != store.PostPartiallyPublished && st != store.PostNeedsReview
	if p.Form["at"] == "" {
		p.Form["at"], p.Form["timezone"] = data.At, d.Timezone
	}
	if p.Form["timezone"] == "" {
		p.Form["timezone"] = v.P.Workspace.Timezone
	}
	p.Data = data
	h.render(w, r, status, "post", p)
}
