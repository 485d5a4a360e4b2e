package web

import (
	"net/http"

	"github.com/relais/relais/internal/store"
)

// tokensData is the tokens page; NewToken is shown once, right after creation.
type tokensData struct {
	Tokens   []store.APIToken
	NewToken string
}

// tokens lists the caller's API tokens in the workspace.
func (h *handler) tokens(w http.ResponseWriter, r *http.Request) {
	h.renderTokens(w, r, http.StatusOK, h.newPage(r, "tokens.title"), "")
}

func (h *handler) renderTokens(w http.ResponseWriter, r *http.Request, status int, p *page, newToken string) {
	v := visitOf(r)
	list, err := h.d.Store.Tokens(r.Context(), v.P.Workspace.ID, v.User.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p.Data = tokensData{Tokens: list, NewToken: newToken}
	h.render(w, r, status, "tokens", p)
}
