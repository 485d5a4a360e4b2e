package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/link"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// linksData is the links page: the workspace's short links with their
// clicks, the campaigns a new link can belong to, and the link settings.
type linksData struct {
	Links     []link.ShortLink
	Campaigns []store.Campaign
	Settings  store.LinkSettings
	Templates map[string]string
	UTMKeys   []string
	Holders   string
}

// links lists the short links; editors create them, managers change the settings.
func (h *handler) links(w http.ResponseWriter, r *http.Request) {
	h.renderLinks(w, r, http.StatusOK, h.newPage(r, "links.title"))
}

func (h *handler) renderLinks(w http.ResponseWriter, r *http.Request, status int, p *page) {
	ws := visitOf(r).P.Workspace.ID
	list, err := h.d.Store.Links(r.Context(), ws, store.ClickFilter{}, 200)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	camps, err := h.d.Store.Campaigns(r.Context(), ws)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	settings, err := h.d.Store.LinkSettings(r.Context(), ws)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	d := linksData{Campaigns: camps, Settings: settings, Templates: link.Templates(settings), UTMKeys: link.UTMKeys,
		Holders: strings.Join(link.Placeholders, " ")}
	for _, l := range list {
		d.Links = append(d.Links, h.d.Links.View(l.Link, l.ClickCount))
	}
	p.Data = d
	h.render(w, r, status, "links", p)
}

// createLink makes a short link; a refused one comes back with the error at its field.
func (h *handler) createLink(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	v := visitOf(r).P
	campaignID, _ := strconv.ParseInt(r.PostFormValue("campaign_id"), 10, 64)
	l, err := h.d.Links.Create(r.Context(), v.Workspace.ID, v.User.ID, link.Input{TargetURL: r.PostFormValue("target_url"),
		Title: r.PostFormValue("title"), Code: r.PostFormValue("code"), Network: r.PostFormValue("network"), CampaignID: campaignID})
	if e, ok := valid.As(err); ok {
		p := h.newPage(r, "links.title")
		keep(p, r, "target_url", "title", "code", "network", "campaign_id")
		p.Errors[e.Field] = translateInvalid(p, e)
		h.renderLinks(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/links/"+strconv.FormatInt(l.ID, 10)), "links.flash_created")
}

// saveLinkSettings turns automatic shortening on or off and saves the UTM templates.
func (h *handler) saveLinkSettings(w http.ResponseWriter, r *http.Request) {
	if !visitOf(r).P.Can(auth.ActManageWorkspace) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	tpl := map[string]string{}
	for _, k := range link.UTMKeys {
		if v := strings.TrimSpace(r.PostFormValue(k)); v != "" {
			tpl[k] = v
		}
	}
	if err := link.CheckTemplates(tpl); err != nil {
		p := h.newPage(r, "links.title")
		if e, ok := valid.As(err); ok {
			p.Errors[strings.TrimPrefix(e.Field, "utm_templates.")] = translateInvalid(p, e)
		}
		h.renderLinks(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	s := store.LinkSettings{WorkspaceID: visitOf(r).P.Workspace.ID, AutoShorten: r.PostFormValue("auto_shorten") == "on", UTMTemplates: tpl}
	if err := h.d.Store.SaveLinkSettings(r.Context(), s); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/links"), "links.flash_settings")
}

// linkData is one link's page: its clicks over the last 30 days.
type linkData struct {
	Link  link.ShortLink
	Stats link.ClickStats
}

// showLink shows a link's clicks, bots apart, and its QR code.
func (h *handler) showLink(w http.ResponseWriter, r *http.Request) {
	ws := visitOf(r).P.Workspace.ID
	list, err := h.d.Store.Links(r.Context(), ws, store.ClickFilter{LinkID: pathID(r, "id")}, 1)
	if err == nil && len(list) == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	// The last 30 UTC days, today included to its end.
	to := time.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	st, err := link.Stats(r.Context(), h.d.Store, ws, store.ClickFilter{LinkID: list[0].ID}, to.AddDate(0, 0, -30), to)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	p := h.newPage(r, "links.link_title")
	p.Data = linkData{Link: h.d.Links.View(list[0].Link, list[0].ClickCount), Stats: st}
	h.render(w, r, http.StatusOK, "link", p)
}

// linkQR serves a link's QR code as PNG or SVG (a download when asked).
func (h *handler) linkQR(w http.ResponseWriter, r *http.Request) {
	l, err := h.d.Store.Link(r.Context(), visitOf(r).P.Workspace.ID, pathID(r, "id"))
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	var body []byte
	switch r.PathValue("format") {
	case "svg":
		body, err = link.QRSVG(h.d.Links.ShortURL(l))
		w.Header().Set("Content-Type", "image/svg+xml")
	case "png":
		body, err = link.QRPNG(h.d.Links.ShortURL(l), 512)
		w.Header().Set("Content-Type", "image/png")
	default:
		h.notFoundPage(w, r)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if r.URL.Query().Has("download") {
		w.Header().Set("Content-Disposition", `attachment; filename="`+l.Code+`.`+r.PathValue("format")+`"`)
	}
	_, _ = w.Write(body)
}

// deleteLink removes a link and its clicks; it stops redirecting.
func (h *handler) deleteLink(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if err := h.d.Links.Delete(r.Context(), visitOf(r).P.Workspace.ID, pathID(r, "id")); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/links"), "links.flash_deleted")
}
