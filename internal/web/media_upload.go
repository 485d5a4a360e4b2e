package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/relais/relais/internal/valid"
)

// uploadMedia stores a file sent from the library page (multipart), with
// an optional alt text.
func (h *handler) uploadMedia(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	p := h.newPage(r, "media.title")
	// A large video over a slow line takes longer than the server's default read timeout.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(15 * time.Minute))
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.errorPage(w, r, http.StatusRequestEntityTooLarge, "error.too_large", tooBig.Limit>>10)
			return
		}
		p.Errors["file"] = p.T("media.choose_file")
		h.renderMedia(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	keep(p, r, "alt_text")
	file, hdr, err := r.FormFile("file")
	if err != nil {
		p.Errors["file"] = p.T("media.choose_file")
		h.renderMedia(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	defer file.Close()
	m, err := h.d.Media.Upload(r.Context(), v.P.Workspace.ID, v.User.ID, hdr.Filename, file, h.maxUp)
	if err == nil && r.PostFormValue("alt_text") != "" {
		_, err = h.d.Media.SetAlt(r.Context(), v.P.Workspace.ID, m.ID, r.PostFormValue("alt_text"))
	}
	if e, ok := valid.As(err); ok {
		p.Errors[formMediaField(e.Field)] = translateInvalid(p, e)
		h.renderMedia(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/media"), "flash.media_uploaded")
}

// formMediaField names the upload form's input a core error concerns.
func formMediaField(f string) string {
	if f == "alt_text" {
		return f
	}
	return "file"
}
