package web

import (
	"net/http"
	"sort"

	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/store"
)

// snippetsData is the snippets page: the workspace's reusable texts, sorted
// by name, and the kinds the create form offers.
type snippetsData struct {
	Snippets []store.Snippet
	Kinds    []string
}

// snippets lists the workspace's snippets; editors and above also get the
// create form and delete buttons, viewers only read (like the media library).
func (h *handler) snippets(w http.ResponseWriter, r *http.Request) {
	h.renderSnippets(w, r, http.StatusOK, h.newPage(r, "snippets.title"))
}

func (h *handler) renderSnippets(w http.ResponseWriter, r *http.Request, status int, p *page) {
	list, err := h.d.Compose.Snippets(r.Context(), visitOf(r).P)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	if p.Form["kind"] == "" {
		p.Form["kind"] = "text"
	}
	p.Data = snippetsData{Snippets: list, Kinds: compose.SnippetKinds}
	h.render(w, r, status, "snippets", p)
}
