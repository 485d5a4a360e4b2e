package web

import (
	"net/http"
	"strings"

	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/valid"
)

// deletePost removes a post and goes back to the calendar's list. For a
// published post the form chooses: remote=true deletes it on its networks
// too; when one of them fails, the post stays and the page says which.
func (h *handler) deletePost(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	remote := r.PostFormValue("remote") == "true"
	rep, err := h.d.Compose.DeletePost(r.Context(), visitOf(r).P, pathID(r, "id"), remote)
	if e, ok := valid.As(err); ok {
		p := h.newPage(r, "post.title")
		p.Errors["action"] = translateInvalid(p, e)
		h.renderPost(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	if !rep.Removed {
		p := h.newPage(r, "post.title")
		p.Errors["action"] = p.T("post.delete_remote_failed", remoteFailures(rep.Remote))
		h.renderPost(w, r, http.StatusConflict, p)
		return
	}
	flash := "flash.post_deleted"
	if len(rep.Remote) > 0 {
		flash = "flash.post_deleted_remote"
	}
	h.redirectWithFlash(w, r, wsPath(r, "/calendar?view=list"), flash)
}

// remoteFailures names each network that did not delete its copy, with its message.
func remoteFailures(rs []compose.RemoteOutcome) string {
	var out []string
	for _, o := range rs {
		if o.Outcome != compose.RemoteDeleted {
			out = append(out, networkName(o.Network)+": "+o.Message)
		}
	}
	return strings.Join(out, "; ")
}
