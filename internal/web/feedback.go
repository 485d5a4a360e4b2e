package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/relais/relais/internal/feedback"
)

// feedbackData is the feedback page: the comments pasted and what they say.
type feedbackData struct {
	Summary  *feedback.Summary
	Themes   []feedback.Theme
	MaxLines int
}

// showFeedback shows the form to paste comments.
func (h *handler) showFeedback(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "feedback.title")
	p.Data = feedbackData{Themes: feedback.All, MaxLines: feedback.MaxComments}
	h.render(w, r, http.StatusOK, "feedback", p)
}

// analyzeFeedback reads pasted comments for themes and sentiment and shows
// the summary, or downloads the per-comment results as CSV (format=csv).
func (h *handler) analyzeFeedback(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil { // the body is capped by limitBody
		h.errorPage(w, r, http.StatusRequestEntityTooLarge, "error.too_large", h.maxBody>>10)
		return
	}
	p := h.newPage(r, "feedback.title")
	p.Form["comments"] = r.PostFormValue("comments")
	d := feedbackData{Themes: feedback.All, MaxLines: feedback.MaxComments}
	items, err := feedback.ParseLines(p.Form["comments"])
	var ie *feedback.InputError
	switch {
	case errors.As(err, &ie) && ie.Code == "too_many":
		p.Errors["comments"] = p.T("feedback.too_many", ie.Limit)
	case errors.As(err, &ie):
		p.Errors["comments"] = p.T("feedback.too_long", ie.Line, ie.Limit)
	case err != nil:
		h.fail(w, r, err, "", nil)
		return
	case len(items) == 0:
		p.Errors["comments"] = p.T("feedback.empty")
	}
	if len(p.Errors) > 0 {
		p.Data = d
		h.render(w, r, http.StatusUnprocessableEntity, "feedback", p)
		return
	}
	s := feedback.Summarize(items)
	if r.PostFormValue("format") == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="relais-feedback-`+time.Now().UTC().Format("20060102")+`.csv"`)
		if err := feedback.WriteCSV(w, s.Comments); err != nil {
			h.d.Log.Error("web: feedback export cut short", "err", err)
		}
		return
	}
	d.Summary = &s
	p.Data = d
	h.render(w, r, http.StatusOK, "feedback", p)
}
