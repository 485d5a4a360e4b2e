package web

import (
	"net/http"

	"github.com/relais/relais/internal/valid"
)

// createToken makes an API token for the workspace and shows it once.
func (h *handler) createToken(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := h.newPage(r, "tokens.title")
	token, _, err := h.d.Auth.CreateToken(r.Context(), visitOf(r).P, r.PostFormValue("name"))
	if e, ok := valid.As(err); ok {
		keep(p, r, "name")
		p.Errors[e.Field] = translateInvalid(p, e)
		h.renderTokens(w, r, http.StatusUnprocessableEntity, p, "")
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p.Flash = "flash.token_created"
	h.renderTokens(w, r, http.StatusOK, p, token)
}
