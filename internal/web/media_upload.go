package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/relais/relais/internal/valid"
)

// uploadMedia stores a file sent from the library page (multipart), with
// an optional alt text; from the composer's picker (?picker=1, htmx) it
// answers the picker with the new item chosen.
func (h *handler) uploadMedia(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	p := h.newPage(r, "media.title")
	picker := r.URL.Query().Get("picker") == "1"
	refuse := func() {
		if picker {
			h.renderPicker(w, r, p, 0)
			return
		}
		h.renderMedia(w, r, http.StatusUnprocessableEntity, p)
	}
	// A large video over a slow line takes longer than the server's default read timeout.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(15 * time.Minute))
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.errorPage(w, r, http.StatusRequestEntityTooLarge, "error.too_large", tooBig.Limit>>10)
			return
		}
		p.Errors["file"] = p.T("media.choose_file")
		refuse()
		return
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	keep(p, r, "alt_text")
	file, hdr, err := r.FormFile("file")
	if err != nil {
		p.Errors["file"] = p.T("media.choose_file")
		refuse()
		return
	}
	defer file.Close()
	m, err := h.d.Media.Upload(r.Context(), v.P.Workspace.ID, v.User.ID, hdr.Filename, file, h.maxUp)
	if err == nil && r.PostFormValue("alt_text") != "" {
		_, err = h.d.Media.SetAlt(r.Context(), v.P.Workspace.ID, m.ID, r.PostFormValue("alt_text"))
	}
	if e, ok := valid.As(err); ok {
		p.Errors[formMediaField(e.Field)] = translateInvalid(p, e)
		refuse()
		return
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	if picker {
		// The composer checks the post again with the new item.
		w.Header().Set("HX-Trigger-After-Settle", "mediaAdded")
		h.renderPicker(w, r, p, m.ID)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/media"), "flash.media_uploaded")
}

// renderPicker answers the composer's media picker: the library with the
// items the form had chosen, plus added.
func (h *handler) renderPicker(w http.ResponseWriter, r *http.Request, p *page, added int64) {
	chosen := setOf(ids(r, "media"))
	if added != 0 {
		chosen[added] = true
	}
	items, err := h.d.Media.List(r.Context(), visitOf(r).P.Workspace.ID, mediaFilter())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := composerData{}
	for _, m := range items {
		d.Media = append(d.Media, composeMedia{Media: m, Thumb: mediaThumb(r, m), Selected: chosen[m.ID]})
	}
	// Every channel's picker gets the new item too (out of band), keeping
	// what the form had chosen there, so it can be used on one channel at once.
	chans, err := h.d.Store.Channels(r.Context(), visitOf(r).P.Workspace.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	for _, c := range chans {
		d.Channels = append(d.Channels, composeChannel{Channel: c, Media: setOf(ids(r, "v."+strconv.FormatInt(c.ID, 10)+".media"))})
	}
	p.Data = d
	h.renderPart(w, r, "compose", "picker-answer", p)
}

// formMediaField names the upload form's input a core error concerns.
func formMediaField(f string) string {
	if f == "alt_text" {
		return f
	}
	return "file"
}
