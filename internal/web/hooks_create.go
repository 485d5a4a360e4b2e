package web

import (
	"net/http"

	"github.com/relais/relais/internal/alert"
	"github.com/relais/relais/internal/valid"
)

// createHook adds a notification webhook and shows its signing secret once.
func (h *handler) createHook(w http.ResponseWriter, r *http.Request) {
	if !h.canManageHooks(w, r) || !h.parseForm(w, r) {
		return
	}
	p := h.newPage(r, "hooks.title")
	v := visitOf(r)
	events := r.PostForm["events"]
	_, secret, err := h.webhooks().Create(r.Context(), v.P.Workspace.ID, alert.NewHook{URL: r.PostFormValue("url"),
		Description: r.PostFormValue("description"), Events: events, CreatedBy: v.User.ID})
	if e, ok := valid.As(err); ok {
		keep(p, r, "url", "description")
		p.Errors[e.Field] = translateInvalid(p, e)
		h.renderHooks(w, r, http.StatusUnprocessableEntity, p, events, "")
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p.Flash = "flash.hook_created"
	h.renderHooks(w, r, http.StatusOK, p, nil, secret)
}
