package web

import (
	"net/http"
	"time"

	"github.com/relais/relais/internal/store"
)

// stuckAfter is how long past its due time a queued publication counts as stuck.
const stuckAfter = 15 * time.Minute

// problemRow is a publication that needs a person, with why.
type problemRow struct {
	store.Publication
	Name   string
	Handle string
	Text   string
	// Reason is the message key saying why it is listed.
	Reason string
}

// problems lists the stuck or failed publications of the workspace.
func (h *handler) problems(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	p := h.newPage(r, "problems.title")
	list, err := h.d.Store.ProblemPublications(r.Context(), v.P.Workspace.ID, time.Now(), stuckAfter, 200)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var rows []problemRow
	for _, pub := range list {
		row := problemRow{Publication: pub, Name: networkName(pub.Network)}
		if c, err := h.d.Store.Channel(r.Context(), v.P.Workspace.ID, pub.ChannelID); err == nil {
			row.Handle = c.Handle
		}
		if post, err := h.d.Store.Post(r.Context(), v.P.Workspace.ID, pub.PostID); err == nil {
			row.Text = excerpt(post.Text, 80)
		}
		switch {
		case pub.State == store.PubFailed:
			row.Reason = "problems.reason_failed"
		case pub.State == store.PubNeedsReview:
			row.Reason = "problems.reason_needs_review"
		case pub.HoldReason != "":
			row.Reason = "problems.reason_held"
		default:
			row.Reason = "problems.reason_stuck"
		}
		rows = append(rows, row)
	}
	p.Data = rows
	h.render(w, r, http.StatusOK, "problems", p)
}
