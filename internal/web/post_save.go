package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// savePost creates or updates a post from the composer, then takes the
// chosen action: keep as draft, submit for review, schedule, queue or
// publish now.
func (h *handler) savePost(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	v := visitOf(r)
	id := pathID(r, "id")
	if r.PathValue("id") != "" && id == 0 {
		h.notFoundPage(w, r)
		return
	}
	title := "compose.title"
	if id != 0 {
		title = "compose.edit_title"
	}
	p := h.newPage(r, title)
	f, err := readPostForm(r, p)
	action := r.PostFormValue("action")
	if err != nil {
		h.composeFailed(w, r, p, f, id, "", err)
		return
	}
	f.In.AllowInvalid = action == "draft" || action == ""
	if raw := r.PostFormValue("at"); strings.TrimSpace(raw) != "" {
		// The date and time typed are the planned time, kept through review.
		at, _, ok := parseAt(raw, r.PostFormValue("timezone"), v.P.Workspace.Timezone)
		if !ok {
			h.composeFailed(w, r, p, f, id, "", valid.Errorf("at", "format", "choose a date and a time"))
			return
		}
		f.In.PlannedAt = &at
	}
	var post compose.PostView
	if id == 0 {
		post, err = h.d.Compose.Create(r.Context(), v.P, f.In)
	} else {
		post, err = h.d.Compose.Update(r.Context(), v.P, id, f.In)
	}
	if err != nil {
		h.composeFailed(w, r, p, f, id, "", err)
		return
	}
	flash := "flash.post_saved"
	switch action {
	case "submit":
		// An edit of a post already in review (or sent back to it by the
		// change) stays there; an unchanged approved post stays approved.
		switch post.State {
		case string(store.PostDraft):
			_, err = h.d.Compose.Submit(r.Context(), v.P, post.ID)
			flash = "flash.post_submitted"
		case string(store.PostInReview):
			flash = "flash.post_submitted"
		}
	case "schedule":
		at, tz, ok := parseAt(r.PostFormValue("at"), r.PostFormValue("timezone"), v.P.Workspace.Timezone)
		if !ok {
			err = valid.Errorf("at", "format", "choose a date and a time")
		} else {
			_, err = h.d.Compose.Schedule(r.Context(), v.P, post.ID, at, tz)
		}
		flash = "flash.post_scheduled"
	case "queue":
		_, err = h.d.Compose.Queue(r.Context(), v.P, post.ID)
		flash = "flash.post_queued"
	case "now":
		_, err = h.d.Compose.PublishNow(r.Context(), v.P, post.ID)
		flash = "flash.post_publishing"
	}
	if err != nil {
		// The content is saved; the action failed: show it on the edit form.
		p.Title = "compose.edit_title"
		h.composeFailed(w, r, p, f, post.ID, post.State, err)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/posts/"+strconv.FormatInt(post.ID, 10)), flash)
}

// composeFailed shows the composer again with every problem next to its field.
func (h *handler) composeFailed(w http.ResponseWriter, r *http.Request, p *page, f postForm, id int64, state string, err error) {
	if ve, ok := compose.AsValidation(err); ok {
		// The check in the page's language names each problem.
		if check, cerr := h.d.Compose.Validate(r.Context(), visitOf(r).P, f.In, p.Lang); cerr == nil {
			for _, vc := range check.Variants {
				for _, fp := range vc.Problems {
					addProblem(p, fp)
				}
			}
		} else {
			for _, fp := range ve.Problems {
				addProblem(p, fp)
			}
		}
		h.renderComposer(w, r, http.StatusUnprocessableEntity, p, f, id, state)
		return
	}
	e, ok := valid.As(err)
	if !ok {
		h.fail(w, r, err, "", nil)
		return
	}
	p.Errors[formField(e.Field)] = translateInvalid(p, e)
	h.renderComposer(w, r, http.StatusUnprocessableEntity, p, f, id, state)
}

// addProblem shows a blocking variant problem next to its field.
func addProblem(p *page, fp compose.FieldProblem) {
	if fp.Severity != compose.SeverityError {
		return
	}
	key := "v." + strconv.FormatInt(fp.ChannelID, 10) + "." + variantField(fp.Field)
	if p.Errors[key] == "" {
		p.Errors[key] = fp.Message
	} else {
		p.Errors[key] += " " + fp.Message
	}
}

// variantField maps a problem's field ("thread[2]", "media[1]") to its input.
func variantField(f string) string {
	f, _, _ = strings.Cut(f, "[")
	f, _, _ = strings.Cut(f, ".")
	switch f {
	case "thread", "media", "first_comment", "link":
		return f
	}
	return "text"
}

// formField maps a core error's field to the composer input it concerns.
func formField(f string) string {
	switch {
	case strings.HasPrefix(f, "variants["):
		rest := strings.TrimPrefix(f, "variants[")
		id, sub, _ := strings.Cut(rest, "]")
		sub = strings.TrimPrefix(sub, ".")
		if sub == "" || sub == "channel_id" {
			return "channel"
		}
		return "v." + id + "." + variantField(sub)
	case f == "variants" || f == "channels":
		return "channel"
	case strings.HasPrefix(f, "labels"):
		return "labels"
	case f == "text", f == "link", f == "timezone", f == "at", f == "language":
		return f
	case strings.HasPrefix(f, "media"):
		return "media"
	}
	return "action"
}
