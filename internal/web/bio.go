package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/link"
	"github.com/relais/relais/internal/media"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// bioRows is how many link rows the bio editor offers.
const bioRows = 8

// bioEditorData is the bio editor: the page's settings and its public address.
type bioEditorData struct {
	Page store.BioPage
	// Images are the media library's images the avatar can be chosen from.
	Images []store.Media
	Rows   []store.BioItem
	URL    string
	Kinds  []string
	Langs  []string
}

// bioEditor shows the link-in-bio settings; managers of the workspace edit them.
func (h *handler) bioEditor(w http.ResponseWriter, r *http.Request) {
	bp, err := h.d.Store.BioPage(r.Context(), visitOf(r).P.Workspace.ID)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.renderBioEditor(w, r, http.StatusOK, h.newPage(r, "bio.title"), bp)
}

func (h *handler) renderBioEditor(w http.ResponseWriter, r *http.Request, status int, p *page, bp store.BioPage) {
	rows := append([]store.BioItem(nil), bp.Items...)
	for len(rows) < bioRows {
		rows = append(rows, store.BioItem{Kind: "link"})
	}
	var images []store.Media
	if h.d.Media != nil {
		images, _ = h.d.Media.List(r.Context(), visitOf(r).P.Workspace.ID, media.Filter{Kind: store.MediaImage, Limit: 100})
	}
	p.Data = bioEditorData{Page: bp, Images: images, Rows: rows, URL: h.d.BaseURL + "/bio/" + visitOf(r).P.Workspace.Slug, Kinds: link.BioKinds, Langs: link.BioLangs}
	h.render(w, r, status, "bio_edit", p)
}

// saveBio validates and stores the bio page; a refused field is shown at its input.
func (h *handler) saveBio(w http.ResponseWriter, r *http.Request) {
	if !visitOf(r).P.Can(auth.ActManageWorkspace) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	f := r.PostFormValue
	recent, _ := strconv.Atoi(f("recent_posts"))
	avatarMedia, _ := strconv.ParseInt(f("avatar_media_id"), 10, 64)
	bp := store.BioPage{WorkspaceID: visitOf(r).P.Workspace.ID, Enabled: f("enabled") == "on", Title: f("title"), Description: f("description"),
		AvatarURL: f("avatar_url"), Background: f("background"), Foreground: f("foreground"), Accent: f("accent"), Lang: f("lang"),
		ShowChannels: f("show_channels") == "on", RecentPosts: recent, AvatarMediaID: avatarMedia}
	for i := range bioRows {
		it := store.BioItem{Label: f(fmt.Sprintf("items[%d].label", i)), URL: f(fmt.Sprintf("items[%d].url", i)), Kind: f(fmt.Sprintf("items[%d].kind", i))}
		if strings.TrimSpace(it.Label) != "" || strings.TrimSpace(it.URL) != "" {
			bp.Items = append(bp.Items, it)
		}
	}
	checked, err := link.CheckBio(bp)
	if err == nil && bp.AvatarMediaID != 0 {
		if _, merr := h.d.Store.Media(r.Context(), bp.WorkspaceID, bp.AvatarMediaID); merr != nil {
			err = valid.Errorf("avatar_media_id", "not_found", "avatar_media_id %d is not an image of this workspace's media library", bp.AvatarMediaID)
		}
	}
	if e, ok := valid.As(err); ok {
		p := h.newPage(r, "bio.title")
		p.Errors[e.Field] = translateInvalid(p, e)
		h.renderBioEditor(w, r, http.StatusUnprocessableEntity, p, bp)
		return
	}
	if err == nil {
		err = h.d.Store.SaveBioPage(r.Context(), checked)
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/bio"), "bio.flash_saved")
}

// enabledBio finds the enabled bio page of the workspace named by the URL.
func (h *handler) enabledBio(r *http.Request) (store.Workspace, store.BioPage, error) {
	ws, err := h.d.Store.WorkspaceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return ws, store.BioPage{}, err
	}
	bp, err := h.d.Store.BioPage(r.Context(), ws.ID)
	if err == nil && !bp.Enabled {
		err = store.ErrNotFound
	}
	return ws, bp, err
}

// bioPage is the public link-in-bio page: plain HTML, no script, every link
// through a short link so its clicks count, in the page's own language.
func (h *handler) bioPage(w http.ResponseWriter, r *http.Request) {
	ws, _, err := h.enabledBio(r)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	view, err := h.d.Links.Bio(r.Context(), ws.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if id := view.Page.AvatarMediaID; id != 0 && h.d.Media != nil {
		// A library image is served through a signed URL, fresh on each view.
		if m, err := h.d.Store.Media(r.Context(), ws.ID, id); err == nil && m.Kind == store.MediaImage {
			view.Avatar = h.d.Media.SignedURL(m, "fit-1000000", 24*time.Hour)
		}
	}
	lang := view.Page.Lang
	if _, ok := h.pages.catalogs[lang]; !ok {
		lang = "en"
	}
	p := &page{Lang: lang, cat: h.pages.catalogs[lang], Title: "bio.public_title", Workspace: &ws, Form: map[string]string{}, Errors: map[string]string{}, Data: view}
	w.Header().Set("Cache-Control", "public, max-age=60")
	h.execute(w, r, http.StatusOK, h.pages.lookup(lang, "bio_public"), "bio-page", p)
}

// bioStyle is the bio page's colours as a style sheet (the CSP refuses inline styles).
func (h *handler) bioStyle(w http.ResponseWriter, r *http.Request) {
	_, bp, err := h.enabledBio(r)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	// The colours were checked as #rrggbb when saved; check again before writing CSS.
	if _, err := link.CheckBio(bp); err != nil {
		bp = store.DefaultBioPage(bp.WorkspaceID)
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=60")
	fmt.Fprintf(w, `*{box-sizing:border-box}
body{margin:0;background:%[1]s;color:%[2]s;font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:36rem;margin:0 auto;padding:2.5rem 1.25rem}
header{text-align:center;margin-bottom:2rem}
.avatar{width:6rem;height:6rem;border-radius:50%%;object-fit:cover}
h1{font-size:1.6rem;margin:.75rem 0 .25rem}
h2{font-size:1rem;text-transform:uppercase;letter-spacing:.05em;margin:2rem 0 .75rem}
ul{list-style:none;margin:0;padding:0}
li{margin:.6rem 0}
a{color:%[3]s}
.button{display:block;padding:.9rem 1rem;border:2px solid %[3]s;border-radius:.75rem;text-align:center;font-weight:600;text-decoration:none}
.button:hover,.button:focus{text-decoration:underline}
a:focus-visible{outline:3px solid %[3]s;outline-offset:3px}
.kind{font-weight:400}
footer{margin-top:3rem;text-align:center;font-size:.875rem}
`, bp.Background, bp.Foreground, bp.Accent)
}
