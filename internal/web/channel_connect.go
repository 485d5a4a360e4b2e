package web

import (
	"net/http"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/valid"
)

// connectChannel connects an account with the network's form fields.
func (h *handler) connectChannel(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	prov, err := network.ProviderFor(network.Kind(r.PathValue("kind")))
	if err != nil || h.d.Channels == nil || !v.P.Can(auth.ActManageChannels) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	kind, input := string(prov.Kind()), map[string]string{}
	for _, f := range prov.Fields() {
		input[f.Name] = r.PostFormValue(f.Name)
	}
	c, err := h.d.Channels.Connect(r.Context(), v.P, prov.Kind(), input)
	if e, ok := valid.As(err); ok {
		p := h.newPage(r, "channels.title")
		for _, f := range prov.Fields() {
			if !f.Secret {
				p.Form[kind+"."+f.Name] = input[f.Name]
			}
		}
		connectError(p, kind, prov.Fields(), e)
		h.renderChannels(w, r, http.StatusUnprocessableEntity, p, kind)
		return
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	// A secret the receiver needs (a webhook's signing secret) is shown
	// once, on this answer (never cached), instead of redirecting.
	shown, err := h.d.Channels.SecretsToShow(c)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if len(shown) > 0 {
		p := h.newPage(r, "channels.title")
		p.Flash = "flash.channel_connected"
		h.renderChannelsShowing(w, r, http.StatusOK, p, "", shownSecrets{Kind: kind, Secrets: shown})
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/channels"), "flash.channel_connected")
}
