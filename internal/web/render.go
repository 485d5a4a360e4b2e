package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"text/template/parse"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageSet holds the pages, each parsed once per language (so T is bound)
// the first time it is shown: an idle server keeps none of them in memory.
// Every template is checked at start, so a broken one still fails there.
type pageSet struct {
	catalogs map[string]catalog
	fsys     fs.FS
	funcs    map[string]template.FuncMap
	files    map[string]string // page name → template file

	mu     sync.Mutex
	base   map[string]*template.Template // language → layout and partials
	byLang map[string]map[string]*template.Template
}

// parsePages loads the catalogues and checks the layout, the partials and
// every page; the pages themselves are parsed per language on first use.
func parsePages(fsys fs.FS, static *staticFiles) (*pageSet, error) {
	cats, err := loadCatalogs()
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	ps := &pageSet{catalogs: cats, fsys: fsys, funcs: map[string]template.FuncMap{}, files: map[string]string{},
		base: map[string]*template.Template{}, byLang: map[string]map[string]*template.Template{}}
	for _, lang := range languages {
		ps.funcs[lang] = pageFuncs(lang, cats[lang], static)
		ps.byLang[lang] = map[string]*template.Template{}
	}
	funcs := ps.funcs[languages[0]]
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("web: templates: %w", err)
		}
		name := strings.TrimSuffix(path.Base(n), ".html")
		if _, err := parse.Parse(name, string(b), "", "", funcs, builtinFuncs); err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		if name != "layout" && name != "partials" {
			ps.files[name] = n
		}
	}
	return ps, nil
}

// builtinFuncs names text/template's own functions for the start-up check.
var builtinFuncs = func() map[string]any {
	m := map[string]any{}
	for _, f := range []string{"and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println", "urlquery",
		"eq", "ge", "gt", "le", "lt", "ne"} {
		m[f] = fmt.Sprint
	}
	return m
}()

// get returns a page's template for a language, parsing it the first time.
func (ps *pageSet) get(lang, name string) (*template.Template, bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	pages, ok := ps.byLang[lang]
	if !ok {
		return nil, false
	}
	if t, ok := pages[name]; ok {
		return t, true
	}
	file, ok := ps.files[name]
	if !ok {
		return nil, false
	}
	base, ok := ps.base[lang]
	if !ok {
		var err error
		base, err = template.New("layout.html").Funcs(ps.funcs[lang]).ParseFS(ps.fsys, "templates/layout.html", "templates/partials.html")
		if err != nil {
			return nil, false // checked at start
		}
		ps.base[lang] = base
	}
	t, err := base.Clone()
	if err == nil {
		t, err = t.ParseFS(ps.fsys, file)
	}
	if err != nil {
		return nil, false // checked at start
	}
	pages[name] = t
	return t, true
}

// lookup is get without the second result (nil for an unknown page).
func (ps *pageSet) lookup(lang, name string) *template.Template {
	t, _ := ps.get(lang, name)
	return t
}

// pageFuncs are the template functions of one language.
func pageFuncs(lang string, cat catalog, static *staticFiles) template.FuncMap {
	return template.FuncMap{
		"T": cat.T,
		"N": func(key string, n int, args ...any) string { return cat.N(lang, key, n, args...) },
		// netName translates a network's English display name ("Website").
		"netName": func(name string) string {
			return cat.TOr("network."+strings.ReplaceAll(strings.ToLower(name), " ", "_"), name)
		},
		"TOr":     cat.TOr,
		"static":  static.url,
		"roles":   func() []store.Role { return store.Roles },
		"fieldOf": fieldOf,
		"hasSecret": func(fs []network.Field) bool {
			for _, f := range fs {
				if f.Secret {
					return true
				}
			}
			return false
		},
		"minPassword": func() int { return auth.MinPasswordLength },
		"mediaPick":   mediaPick,
		"list":        func(xs ...int) []int { return xs },
		"words":       func(xs ...string) []string { return xs },
		"isoWeekday":  func(wd int) int { return (wd+6)%7 + 1 },
		"excerpt":     excerpt,
		"netLetter":   netLetter,
		"netTitle":    networkName,
		"calItemOf":   func(slug string, it calItem) calItemRef { return calItemRef{Slug: slug, Item: it} },
		"kb":          func(n int64) int64 { return (n + 999) / 1000 },
		"percent":     func(f float64) int { return int(f*100 + 0.5) },
		"add1":        func(i int) int { return i + 1 },
		"approvalPolicies": func() []string {
			return []string{string(compose.PolicyNobody), string(compose.PolicyEditors), string(compose.PolicyEveryone)}
		},
	}
}

// page is what every template receives.
type page struct {
	Lang       string
	Title      string
	User       *store.User
	Workspace  *store.Workspace
	Role       store.Role
	Workspaces []store.MemberWorkspace
	Unread     int
	// Problems counts the workspace's stuck or failed publications (header link).
	Problems int
	// Awaiting counts the posts waiting for the caller's approval (menu link).
	Awaiting int
	// InboxOn says the inbox is wired; InboxOpen counts its open messages (menu link).
	InboxOn   bool
	InboxOpen int64
	// Compose and MediaOn say whether the composer and the media library are wired.
	Compose, MediaOn bool
	Flash            string
	Version          string
	// Form holds what the user typed, shown again after an error.
	Form map[string]string
	// Errors holds one translated message per invalid field.
	Errors map[string]string
	// Data is the page's own content.
	Data any

	cat catalog
	loc *time.Location
	// wsLoc is the workspace's zone, which the calendar plans in.
	wsLoc *time.Location
}

// Date formats t for the page's language, in the viewer's time zone (the
// browser's, as app.js reports it) or else the workspace's.
func (p *page) Date(t time.Time) string { return p.cat.formatDate(p.Lang, t, p.loc) }

// ZoneName is the IANA name of the zone the page shows times in.
func (p *page) ZoneName() string {
	if p.loc == nil {
		return "UTC"
	}
	return p.loc.String()
}

// DatePtr formats an optional time.
func (p *page) DatePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return p.Date(*t)
}

// Can reports whether the caller may do action in the current workspace.
func (p *page) Can(action string) bool { return auth.Can(p.Role, auth.Action(action)) }

// newPage prepares the common part of a page for the caller of r.
func (h *handler) newPage(r *http.Request, title string) *page {
	v := visitOf(r)
	p := &page{Title: title, User: v.User, Version: h.d.Version, Form: map[string]string{}, Errors: map[string]string{},
		Compose: h.d.Compose != nil, MediaOn: h.d.Media != nil, InboxOn: h.d.Inbox != nil}
	saved := ""
	if v.User != nil {
		saved = v.User.Lang
	}
	p.Lang = pickLanguage(saved, r)
	p.cat = h.pages.catalogs[p.Lang]
	if v.P.Workspace.ID == 0 && v.User != nil && v.Session.WorkspaceID != 0 {
		// Outside a workspace URL the header shows the session's workspace.
		if cur, err := h.d.Auth.Principal(r.Context(), *v.User, v.Session.WorkspaceID); err == nil {
			v.P = cur
		}
	}
	if v.P.Workspace.ID != 0 {
		p.Workspace, p.Role = &v.P.Workspace, v.P.Role
		p.loc, _ = time.LoadLocation(v.P.Workspace.Timezone)
		if list, err := h.d.Store.Notifications(r.Context(), v.P.Workspace.ID, v.User.ID, 100); err == nil {
			for _, n := range list {
				if n.ReadAt == nil {
					p.Unread++
				}
			}
		}
		if h.d.Inbox != nil {
			p.InboxOpen, _ = h.d.Store.CountOpenMessages(r.Context(), v.P.Workspace.ID)
		}
		if h.d.Compose != nil {
			if list, err := h.d.Store.ProblemPublications(r.Context(), v.P.Workspace.ID, time.Now(), stuckAfter, 100); err == nil {
				p.Problems = len(list)
			}
			p.Awaiting = h.d.Compose.AwaitingCount(r.Context(), v.P)
		}
	}
	p.wsLoc = p.loc
	if loc := viewerZone(r); loc != nil {
		p.loc = loc
	}
	if v.User != nil {
		p.Workspaces, _ = h.d.Store.WorkspacesOf(r.Context(), v.User.ID)
	}
	return p
}

// viewerZoneCookie carries the browser's IANA time zone, set by app.js.
const viewerZoneCookie = "relais_tz"

// viewerZone is the viewer's time zone from the browser's cookie (nil when
// absent or not an IANA zone).
func viewerZone(r *http.Request) *time.Location {
	c, err := r.Cookie(viewerZoneCookie)
	if err != nil || c.Value == "" || c.Value == "Local" || len(c.Value) > 64 {
		return nil
	}
	loc, err := time.LoadLocation(c.Value)
	if err != nil {
		return nil
	}
	return loc
}

// T translates key in the page's language (for handlers).
func (p *page) T(key string, args ...any) string { return p.cat.T(key, args...) }

// N translates the plural form of key for the count n in the page's language.
func (p *page) N(key string, n int, args ...any) string { return p.cat.N(p.Lang, key, n, args...) }

// Notice tells a notification in the page's language.
func (p *page) Notice(n store.Notification) string { return p.cat.notice(n.Kind, n.Message, n.Args) }

// PubMessage tells a publication's error or hold reason in the page's language.
func (p *page) PubMessage(msg string) string { return p.cat.publicationMessage(p.Lang, msg) }

// HistoryDetail tells the detail of a post's history entry in the page's language.
func (p *page) HistoryDetail(detail string) string { return p.cat.historyDetail(p.Lang, p.loc, detail) }

// render writes the named page with status.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	if c, err := r.Cookie(flashCookie); err == nil && p.Flash == "" {
		if _, ok := p.cat[c.Value]; ok {
			p.Flash = c.Value
		}
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
	}
	t, ok := h.pages.get(p.Lang, name)
	if !ok {
		h.serverError(w, r, fmt.Errorf("web: no page %q", name))
		return
	}
	h.execute(w, r, status, t, "layout.html", p)
}

// renderPart writes one named template of a page alone (an htmx fragment).
func (h *handler) renderPart(w http.ResponseWriter, r *http.Request, name, part string, p *page) {
	t, ok := h.pages.get(p.Lang, name)
	if !ok {
		h.serverError(w, r, fmt.Errorf("web: no page %q", name))
		return
	}
	h.execute(w, r, http.StatusOK, t, part, p)
}

func (h *handler) execute(w http.ResponseWriter, r *http.Request, status int, t *template.Template, name string, p *page) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, p); err != nil {
		h.serverError(w, r, fmt.Errorf("web: render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorPage renders a status page with one translated message.
func (h *handler) errorPage(w http.ResponseWriter, r *http.Request, status int, key string, args ...any) {
	r, p := h.statusPage(r, status, key, args...)
	h.render(w, r, status, "error", p)
}

// statusPage prepares the error page for status with the message key.
func (h *handler) statusPage(r *http.Request, status int, key string, args ...any) (*http.Request, *page) {
	if _, ok := r.Context().Value(visitKey{}).(*visit); !ok {
		r, _ = h.loadVisit(r)
	}
	p := h.newPage(r, "error.title")
	p.Data = struct {
		Status  int
		Message string
	}{status, p.T(key, args...)}
	return r, p
}

// notFoundPage answers anything missing or outside the caller's workspaces.
func (h *handler) notFoundPage(w http.ResponseWriter, r *http.Request) {
	h.errorPage(w, r, http.StatusNotFound, "error.not_found")
}

// serverError logs err and shows the error page in the user's language,
// without the error's details (they are in the log); plain text only when
// even the error page cannot be rendered.
func (h *handler) serverError(w http.ResponseWriter, r *http.Request, err error) {
	h.log.Error("web: request failed", "method", r.Method, "path", auth.RedactURL(r.URL.Path), "err", err)
	// Rendered here rather than by render: a failing render must not come back.
	_, p := h.statusPage(r, http.StatusInternalServerError, "error.internal")
	var buf bytes.Buffer
	if t, ok := h.pages.get(p.Lang, "error"); ok && t.ExecuteTemplate(&buf, "layout.html", p) == nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write(buf.Bytes())
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write([]byte("Internal error; the details are in the server log.\n"))
}

// fail maps a core error to the right page: a form error re-renders the form,
// missing and forbidden things are 404, a too large body says so.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error, formPage string, p *page) {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		h.errorPage(w, r, http.StatusRequestEntityTooLarge, "error.too_large", tooBig.Limit>>10)
	case errors.Is(err, store.ErrNotFound), errors.Is(err, auth.ErrForbidden):
		h.notFoundPage(w, r)
	case errors.Is(err, auth.ErrBusy):
		h.busy(w, r)
	default:
		if e, ok := valid.As(err); ok && formPage != "" {
			p.Errors[e.Field] = translateInvalid(p, e)
			h.render(w, r, http.StatusUnprocessableEntity, formPage, p)
			return
		}
		h.serverError(w, r, err)
	}
}

// translateInvalid shows a validation error in the page's language: English
// keeps the core's precise message; other languages use the catalog when it
// has the code (filled with the error's Args), else the English message.
func translateInvalid(p *page, e *valid.Error) string {
	if p.Lang == "en" {
		return e.Message
	}
	// A variant's field ("variants[3].link") also finds the post field's message ("valid.format.link").
	last := e.Field[strings.LastIndexByte(e.Field, '.')+1:]
	for _, k := range []string{"valid." + e.Code + "." + e.Field, "valid." + e.Code + "." + last, "valid." + e.Code} {
		if s, ok := p.cat[k]; ok {
			switch {
			case len(e.Args) > 0:
				return fmt.Sprintf(s, e.Args...)
			case e.Code == "too_short" && e.Field == "password":
				return fmt.Sprintf(s, auth.MinPasswordLength)
			case strings.Contains(s, "%"):
				// The error did not bring the values the translation shows.
				return e.Message
			}
			return s
		}
	}
	return e.Message
}

const flashCookie = "relais_flash"

// redirectWithFlash redirects and shows a translated confirmation on the next page.
func (h *handler) redirectWithFlash(w http.ResponseWriter, r *http.Request, to, key string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: key, Path: "/", MaxAge: 60, HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// parseForm reads the form; false means an error page was written.
func (h *handler) parseForm(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.errorPage(w, r, http.StatusRequestEntityTooLarge, "error.too_large", tooBig.Limit>>10)
			return false
		}
		h.errorPage(w, r, http.StatusBadRequest, "error.bad_request")
		return false
	}
	return true
}

// keep copies the named form values into the page so the form shows them again.
func keep(p *page, r *http.Request, names ...string) {
	for _, n := range names {
		p.Form[n] = r.PostFormValue(n)
	}
}

// wsPath is a path inside the current workspace.
func wsPath(r *http.Request, rest string) string {
	return "/workspaces/" + visitOf(r).P.Workspace.Slug + rest
}
