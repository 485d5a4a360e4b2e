package web

import "net/http"

// accountData is the account page: the language choices.
type accountData struct {
	Languages []string
	Names     map[string]string
}

// showAccount shows language and password settings.
func (h *handler) showAccount(w http.ResponseWriter, r *http.Request) {
	h.renderAccount(w, r, http.StatusOK, h.newPage(r, "account.title"))
}

func (h *handler) renderAccount(w http.ResponseWriter, r *http.Request, status int, p *page) {
	if _, ok := p.Form["lang"]; !ok {
		p.Form["lang"] = visitOf(r).User.Lang
	}
	p.Data = accountData{Languages: languages, Names: languageNames}
	h.render(w, r, status, "account", p)
}
