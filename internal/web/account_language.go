package web

import "net/http"

// saveLanguage saves the UI language; empty means "follow the browser".
func (h *handler) saveLanguage(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	lang := r.PostFormValue("lang")
	if _, ok := languageNames[lang]; !ok && lang != "" {
		p := h.newPage(r, "account.title")
		keep(p, r, "lang")
		p.Errors["lang"] = p.T("account.lang_invalid")
		h.renderAccount(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	if err := h.d.Store.UpdateUserLang(r.Context(), visitOf(r).User.ID, lang); err != nil {
		h.serverError(w, r, err)
		return
	}
	h.redirectWithFlash(w, r, "/account", "flash.language_saved")
}
