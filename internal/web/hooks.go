package web

import (
	"net/http"
	"strconv"

	"github.com/relais/relais/internal/alert"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
)

// hooksData is the notification webhooks page; NewSecret is shown once, right
// after creation.
type hooksData struct {
	Hooks     []store.Hook
	Events    []string
	Checked   map[string]bool
	NewSecret string
}

// webhooks manages the workspace's hooks over the channel service's keyring
// and HTTP client; it only sends test pings, so no worker pool starts.
func (h *handler) webhooks() *alert.Webhooks {
	wh := &alert.Webhooks{Store: h.d.Store, Log: h.log, BaseURL: h.d.BaseURL}
	if h.d.Channels != nil {
		wh.Keyring, wh.Client = h.d.Channels.Keyring, h.d.Channels.Env.Client()
	}
	return wh
}

// canManageHooks answers 404 to members who may not manage the workspace, as
// the settings page does.
func (h *handler) canManageHooks(w http.ResponseWriter, r *http.Request) bool {
	if !visitOf(r).P.Can(auth.ActManageWorkspace) || h.d.Channels == nil || h.d.Channels.Keyring == nil {
		h.notFoundPage(w, r)
		return false
	}
	return true
}

// hooks lists the workspace's notification webhooks with the add form.
func (h *handler) hooks(w http.ResponseWriter, r *http.Request) {
	if !h.canManageHooks(w, r) {
		return
	}
	h.renderHooks(w, r, http.StatusOK, h.newPage(r, "hooks.title"), nil, "")
}

func (h *handler) renderHooks(w http.ResponseWriter, r *http.Request, status int, p *page, checked []string, secret string) {
	list, err := h.d.Store.Hooks(r.Context(), visitOf(r).P.Workspace.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := hooksData{Hooks: list, Events: store.HookEvents, Checked: map[string]bool{}, NewSecret: secret}
	if len(checked) == 0 {
		checked = store.HookEvents
	}
	for _, e := range checked {
		d.Checked[e] = true
	}
	p.Data = d
	h.render(w, r, status, "hooks", p)
}

// hookID reads the {id} path value; false means a 404 was written.
func (h *handler) hookID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.notFoundPage(w, r)
		return 0, false
	}
	return id, true
}
