package web

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"
)

// splitThread splits one variant's text into thread parts that fit its
// network and shows the composer again with the parts filled in (the
// "split into thread" button of a variant; nothing is saved).
func (h *handler) splitThread(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	id := pathIDValue(r.PostFormValue("split"))
	p := h.newPage(r, "compose.title")
	f, _ := readPostForm(r, p)
	postID := pathIDValue(r.PostFormValue("post_id"))
	if postID != 0 {
		p.Title = "compose.edit_title"
	}
	pre := "v." + strconv.FormatInt(id, 10) + "."
	text := p.Form[pre+"text"]
	if text == "" {
		text = p.Form["text"]
	}
	if th := strings.TrimSpace(p.Form[pre+"thread"]); th != "" {
		text += "\n\n" + strings.ReplaceAll(th, threadSeparator, "\n\n")
	}
	link := cmp.Or(strings.TrimSpace(p.Form[pre+"link"]), strings.TrimSpace(p.Form["link"]))
	parts, err := h.d.Compose.SplitThread(r.Context(), visitOf(r).P, id, text, link)
	if err != nil {
		h.composeFailed(w, r, p, f, postID, r.PostFormValue("state"), err)
		return
	}
	if len(parts) > 0 {
		p.Form[pre+"text"] = parts[0]
		p.Form[pre+"thread"] = strings.Join(parts[1:], threadSeparator)
		for i := range f.In.Variants {
			if f.In.Variants[i].ChannelID == id {
				f.In.Variants[i].Text, f.In.Variants[i].ThreadParts = parts[0], parts[1:]
			}
		}
	}
	h.renderComposer(w, r, http.StatusOK, p, f, postID, r.PostFormValue("state"))
}

// pathIDValue reads a positive id; 0 otherwise.
func pathIDValue(s string) int64 {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}
