package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/influencer"
	"github.com/relais/relais/internal/link"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// influencerRoutes registers the influencer pages.
func (h *handler) influencerRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /workspaces/{slug}/influencers", h.member(h.influencerDirectory))
	mux.HandleFunc("POST /workspaces/{slug}/influencers", h.member(h.addInfluencer))
	mux.HandleFunc("POST /workspaces/{slug}/influencers/import", h.member(h.importInfluencers))
	mux.HandleFunc("POST /workspaces/{slug}/influencers/settings", h.member(h.saveInfluencerSettings))
	mux.HandleFunc("GET /workspaces/{slug}/influencers/{id}", h.member(h.showInfluencer))
	mux.HandleFunc("POST /workspaces/{slug}/influencers/{id}/collect", h.member(h.collectInfluencer))
	mux.HandleFunc("POST /workspaces/{slug}/influencers/{id}/shortlist", h.member(h.shortlistInfluencer))
	mux.HandleFunc("GET /workspaces/{slug}/campaigns/{id}/influencers", h.member(h.influencerPipeline))
	mux.HandleFunc("GET /workspaces/{slug}/campaigns/{id}/influencers/report", h.member(h.influencerReport))
	mux.HandleFunc("POST /workspaces/{slug}/campaigns/{id}/influencers/conversions", h.member(h.importDealConversions))
	mux.HandleFunc("POST /workspaces/{slug}/influencer-deals/{id}/move", h.member(h.moveInfluencerDeal))
	h.dealRoutes(mux)
}

func (h *handler) influencerService() *influencer.Service {
	s := &influencer.Service{Store: h.d.Store, Links: h.d.Links}
	if s.Links == nil {
		s.Links = &link.Service{Store: h.d.Store, BaseURL: h.d.BaseURL}
	}
	if h.d.Channels != nil {
		s.Connectors = h.d.Channels
	}
	return s
}

// influencersData is the directory page.
type influencersData struct {
	List      []influencer.InfluencerView
	Campaigns []store.Campaign
	Networks  []string
	Query     string
	Tag       string
	Import    *influencer.ImportResult
	Settings  influencer.Settings
}

func (h *handler) influencerDirectory(w http.ResponseWriter, r *http.Request) {
	h.renderInfluencers(w, r, http.StatusOK, h.newPage(r, "influencer.title"), nil)
}

func (h *handler) renderInfluencers(w http.ResponseWriter, r *http.Request, status int, p *page, imp *influencer.ImportResult) {
	ws := visitOf(r).P.Workspace.ID
	svc := h.influencerService()
	q, tag := strings.TrimSpace(r.URL.Query().Get("q")), strings.ToLower(strings.TrimSpace(r.URL.Query().Get("tag")))
	list, err := svc.List(r.Context(), ws, store.InfluencerFilter{Query: q, Tag: tag})
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	camps, err := h.d.Store.Campaigns(r.Context(), ws)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	set, err := svc.Settings(r.Context(), ws)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	if p.Form["network"] == "" {
		p.Form["network"] = "instagram"
	}
	p.Data = influencersData{List: list, Campaigns: camps, Networks: influencer.Networks, Query: q, Tag: tag, Import: imp, Settings: set}
	h.render(w, r, status, "influencers", p)
}

func (h *handler) addInfluencer(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	v := visitOf(r).P
	p := h.newPage(r, "influencer.title")
	keep(p, r, "name", "network", "handle", "tags", "email", "consent", "notes")
	in := influencer.Input{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), Consent: r.PostFormValue("consent") != "",
		Tags: influencer.SplitTags(r.PostFormValue("tags")), Notes: r.PostFormValue("notes")}
	if hd := strings.TrimSpace(r.PostFormValue("handle")); hd != "" {
		in.Accounts = []influencer.Account{{Network: r.PostFormValue("network"), Handle: hd}}
	}
	rec, err := h.influencerService().Add(r.Context(), v.Workspace.ID, v.User.ID, in)
	if e, ok := valid.As(err); ok {
		field := e.Field
		if strings.HasPrefix(field, "accounts[") {
			field = "handle"
		}
		p.Errors[field] = translateInvalid(p, e)
		h.renderInfluencers(w, r, http.StatusUnprocessableEntity, p, nil)
		return
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/influencers/"+strconv.FormatInt(rec.ID, 10)), "influencer.flash_added")
}

func (h *handler) importInfluencers(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, influencer.MaxImportBytes+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.errorPage(w, r, http.StatusRequestEntityTooLarge, "error.too_large", tooBig.Limit>>10)
			return
		}
		h.errorPage(w, r, http.StatusBadRequest, "error.bad_request")
		return
	}
	v := visitOf(r).P
	p := h.newPage(r, "influencer.title")
	var data []byte
	if f, _, err := r.FormFile("file"); err == nil {
		var b bytes.Buffer
		_, _ = b.ReadFrom(f)
		f.Close()
		data = b.Bytes()
	} else {
		data = []byte(r.PostFormValue("csv"))
	}
	res, err := h.influencerService().Import(r.Context(), v.Workspace.ID, v.User.ID, bytes.NewReader(data))
	if err != nil {
		p.Errors["file"] = err.Error()
		h.renderInfluencers(w, r, http.StatusUnprocessableEntity, p, nil)
		return
	}
	status := http.StatusOK
	if len(res.Created) == 0 && len(res.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	h.renderInfluencers(w, r, status, p, &res)
}

func (h *handler) saveInfluencerSettings(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r).P
	if !v.Can("manage_workspace") {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	svc := h.influencerService()
	set, err := svc.Settings(r.Context(), v.Workspace.ID)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	set.TargetLanguages = influencer.SplitTags(r.PostFormValue("target_languages"))
	set.BrandSafetyTerms = influencer.SplitTags(r.PostFormValue("brand_safety_terms"))
	for i, rule := range set.EMV {
		if s := r.PostFormValue("emv_" + rule.Network + "_" + rule.Action); s != "" {
			if f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64); err == nil {
				set.EMV[i].Value = f
			}
		}
	}
	p := h.newPage(r, "influencer.title")
	if err := svc.SaveSettings(r.Context(), v.Workspace.ID, set); err != nil {
		if e, ok := valid.As(err); ok {
			p.Errors["settings"] = translateInvalid(p, e)
			h.renderInfluencers(w, r, http.StatusUnprocessableEntity, p, nil)
			return
		}
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/influencers"), "influencer.flash_settings")
}

// influencerData is an influencer's page.
type influencerData struct {
	Influencer influencer.InfluencerView
	Scores     []influencer.AccountScore
	History    map[int64][]influencer.SnapshotView
	Campaigns  []store.Campaign
	Deals      []influencer.DealView
}

func (h *handler) showInfluencer(w http.ResponseWriter, r *http.Request) {
	ws, id := visitOf(r).P.Workspace.ID, pathID(r, "id")
	svc := h.influencerService()
	rec, err := h.d.Store.Influencer(r.Context(), ws, id)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	p := h.newPage(r, "influencer.show_title")
	view, err := svc.View(r.Context(), ws, rec)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	d := influencerData{Influencer: view, History: map[int64][]influencer.SnapshotView{}}
	for _, a := range view.Accounts {
		if d.History[a.ID], err = svc.Snapshots(r.Context(), ws, a.ID); err != nil {
			h.fail(w, r, err, "", nil)
			return
		}
	}
	if d.Scores, err = svc.Score(r.Context(), ws, id); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	if d.Campaigns, err = h.d.Store.Campaigns(r.Context(), ws); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	deals, err := h.d.Store.InfluencerDeals(r.Context(), ws, 0, id)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	for _, dl := range deals {
		d.Deals = append(d.Deals, influencer.ViewDeal(dl, rec.Name))
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "influencer", p)
}

func (h *handler) collectInfluencer(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	ws, id := visitOf(r).P.Workspace.ID, pathID(r, "id")
	accs, err := h.d.Store.InfluencerAccounts(r.Context(), ws, id)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	if _, err := h.d.Store.Influencer(r.Context(), ws, id); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	svc := h.influencerService()
	flash := "influencer.flash_collected"
	for _, a := range accs {
		if _, err := svc.Collect(r.Context(), ws, a.ID); err != nil {
			flash = "influencer.flash_collect_failed"
		}
	}
	h.redirectWithFlash(w, r, wsPath(r, "/influencers/"+strconv.FormatInt(id, 10)), flash)
}

func (h *handler) shortlistInfluencer(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	v := visitOf(r).P
	id := pathID(r, "id")
	campID, _ := strconv.ParseInt(r.PostFormValue("campaign_id"), 10, 64)
	if _, err := h.d.Store.Influencer(r.Context(), v.Workspace.ID, id); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	if _, err := h.d.Store.Campaign(r.Context(), v.Workspace.ID, campID); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	_, err := h.influencerService().Shortlist(r.Context(), v.Workspace.ID, v.User.ID, campID, id, influencer.DealInput{})
	flash := "influencer.flash_shortlisted"
	if _, ok := valid.As(err); ok {
		flash = "influencer.flash_already"
	} else if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/campaigns/"+strconv.FormatInt(campID, 10)+"/influencers"), flash)
}

// pipelineData is a campaign's influencer pipeline.
type pipelineData struct {
	Campaign store.Campaign
	Stages   []string
	ByStage  map[string][]influencer.DealView
	Results  influencer.CampaignResults
	Langs    []string
}

func (h *handler) influencerPipeline(w http.ResponseWriter, r *http.Request) {
	h.renderPipeline(w, r, http.StatusOK, h.newPage(r, "influencer.pipeline_title"))
}

// importDealConversions reads a shop's CSV of conversions and revenue per
// discount code into the campaign's deals; refused rows are listed by line.
func (h *handler) importDealConversions(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, influencer.MaxImportBytes+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.errorPage(w, r, http.StatusRequestEntityTooLarge, "error.too_large", tooBig.Limit>>10)
			return
		}
		h.errorPage(w, r, http.StatusBadRequest, "error.bad_request")
		return
	}
	v := visitOf(r).P
	id := pathID(r, "id")
	if _, err := h.d.Store.Campaign(r.Context(), v.Workspace.ID, id); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		p := h.newPage(r, "influencer.pipeline_title")
		p.Errors["conversions"] = p.T("influencer.conversions_file_required")
		h.renderPipeline(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	defer f.Close()
	updated, bad, err := h.influencerService().ImportConversions(r.Context(), v.Workspace.ID, id, f)
	if err != nil || len(bad) > 0 {
		p := h.newPage(r, "influencer.pipeline_title")
		var msgs []string
		if err != nil {
			msgs = append(msgs, err.Error())
		}
		for _, b := range bad {
			msgs = append(msgs, b.Error())
		}
		p.Errors["conversions"] = p.T("influencer.conversions_result", updated) + " " + strings.Join(msgs, "; ")
		h.renderPipeline(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	h.redirectWithFlash(w, r, fmt.Sprintf("/workspaces/%s/campaigns/%d/influencers", v.Workspace.Slug, id), "flash.influencer_conversions")
}

func (h *handler) renderPipeline(w http.ResponseWriter, r *http.Request, status int, p *page) {
	ws, id := visitOf(r).P.Workspace.ID, pathID(r, "id")
	svc := h.influencerService()
	camp, err := h.d.Store.Campaign(r.Context(), ws, id)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	rows, err := svc.Pipeline(r.Context(), ws, id)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	res, err := svc.Results(r.Context(), ws, id)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	d := pipelineData{Campaign: camp, Stages: influencer.Stages, ByStage: map[string][]influencer.DealView{}, Results: res, Langs: influencer.ReportLangs}
	for _, row := range rows {
		d.ByStage[row.Stage] = append(d.ByStage[row.Stage], influencer.ViewDeal(row.InfluencerDeal, row.Influencer))
	}
	p.Data = d
	h.render(w, r, status, "influencer_pipeline", p)
}

func (h *handler) influencerReport(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r).P
	id := pathID(r, "id")
	format, lang := r.URL.Query().Get("format"), r.URL.Query().Get("lang")
	if !slices.Contains(influencer.ReportLangs, lang) {
		lang = "en"
	}
	res, err := h.influencerService().Results(r.Context(), v.Workspace.ID, id)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	var b bytes.Buffer
	now := time.Now()
	ct := "text/csv; charset=utf-8"
	switch format {
	case "html":
		ct, err = "text/html; charset=utf-8", influencer.WriteHTML(&b, res, lang, now)
	case "pdf":
		ct, err = "application/pdf", influencer.WritePDF(&b, res, lang, v.Workspace.Name, now)
	default:
		format, err = "csv", influencer.WriteCSV(&b, res, lang)
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	w.Header().Set("Content-Type", ct)
	if format != "html" {
		w.Header().Set("Content-Disposition", `attachment; filename="influencer-report-`+lang+`.`+format+`"`)
	}
	_, _ = w.Write(b.Bytes())
}

func (h *handler) moveInfluencerDeal(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	v := visitOf(r).P
	d, err := h.influencerService().Move(r.Context(), v.Workspace.ID, v.User.ID, pathID(r, "id"), r.PostFormValue("stage"), r.PostFormValue("note"))
	if errors.Is(err, store.ErrNotFound) {
		h.notFoundPage(w, r)
		return
	}
	flash := "influencer.flash_moved"
	if _, ok := valid.As(err); ok {
		flash = "influencer.flash_move_refused"
	} else if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/campaigns/"+strconv.FormatInt(d.CampaignID, 10)+"/influencers"), flash)
}

// ScoreReason tells a score component's reason in the page's language: the
// domain's English reason (with every number) in English, a translated
// sentence with the component's measured value otherwise.
func (p *page) ScoreReason(c influencer.Component) string {
	if p.Lang == "en" {
		return c.Reason
	}
	if c.Status == influencer.StatusUnknown {
		return p.T("influencer.reason_unknown")
	}
	return p.T("influencer.reason_"+c.Key+"_"+c.Status, c.Value)
}

// dealData is a deal's page.
type dealData struct {
	Deal     influencer.DealDetail
	Campaign store.Campaign
	Kinds    []string
	Networks []string
	Stages   []string
	// Members may own the deal; Media are the library's files a contract can be.
	Members []store.Member
	Media   []store.Media
	// Statuses are the deliverable statuses a deliverable can be set to.
	Statuses []string
}

func (h *handler) showInfluencerDeal(w http.ResponseWriter, r *http.Request) {
	h.renderDeal(w, r, http.StatusOK, h.newPage(r, "influencer.deal_title"), pathID(r, "id"))
}

func (h *handler) renderDeal(w http.ResponseWriter, r *http.Request, status int, p *page, id int64) {
	ws := visitOf(r).P.Workspace.ID
	d, err := h.influencerService().Deal(r.Context(), ws, id)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	camp, err := h.d.Store.Campaign(r.Context(), ws, d.CampaignID)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	members, err := h.d.Store.Members(r.Context(), ws)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	files, err := h.d.Store.ListMedia(r.Context(), ws, 200, 0, "")
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	p.Data = dealData{Deal: d, Campaign: camp, Kinds: influencer.DeliverableKinds, Networks: influencer.Networks, Stages: influencer.Stages,
		Members: members, Media: files, Statuses: influencer.DeliverableStatuses}
	h.render(w, r, status, "influencer_deal", p)
}

// dealAction runs do on a deal from one of the deal page's forms and goes
// back to the page; a refused input re-renders it with the error.
func (h *handler) dealAction(do func(r *http.Request, svc *influencer.Service, ws, user, id int64) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !canCompose(r) {
			h.notFoundPage(w, r)
			return
		}
		if !h.parseForm(w, r) {
			return
		}
		v := visitOf(r).P
		id := pathID(r, "id")
		svc := h.influencerService()
		if _, err := h.d.Store.InfluencerDeal(r.Context(), v.Workspace.ID, id); err != nil {
			h.fail(w, r, err, "", nil)
			return
		}
		err := do(r, svc, v.Workspace.ID, v.User.ID, id)
		if e, ok := valid.As(err); ok {
			p := h.newPage(r, "influencer.deal_title")
			p.Errors["deal"] = translateInvalid(p, e)
			h.renderDeal(w, r, http.StatusUnprocessableEntity, p, id)
			return
		}
		if err != nil {
			h.fail(w, r, err, "", nil)
			return
		}
		h.redirectWithFlash(w, r, wsPath(r, "/influencer-deals/"+strconv.FormatInt(id, 10)), "influencer.flash_saved")
	}
}

func formCents(r *http.Request, name string) (*int64, error) {
	s := strings.TrimSpace(r.PostFormValue(name))
	if s == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	if err != nil || f < 0 {
		return nil, valid.Errorf(name, "format", "%q is not an amount, like 499.90", s)
	}
	c := int64(f*100 + 0.5)
	return &c, nil
}

func (h *handler) dealRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /workspaces/{slug}/influencer-deals/{id}", h.member(h.showInfluencerDeal))
	mux.HandleFunc("POST /workspaces/{slug}/influencer-deals/{id}/terms", h.member(h.dealAction(func(r *http.Request, svc *influencer.Service, ws, _, id int64) error {
		rate, err := formCents(r, "rate")
		if err != nil {
			return err
		}
		revenue, err := formCents(r, "revenue")
		if err != nil {
			return err
		}
		in := influencer.DealInput{RateCents: rate, RevenueCents: revenue}
		code, notes := r.PostFormValue("discount_code"), r.PostFormValue("notes")
		in.DiscountCode, in.Notes = &code, &notes
		if s := strings.TrimSpace(r.PostFormValue("conversions")); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return valid.Errorf("conversions", "format", "%q is not a whole number", s)
			}
			in.Conversions = &n
		}
		_, err = svc.UpdateDeal(r.Context(), ws, id, in)
		return err
	})))
	mux.HandleFunc("POST /workspaces/{slug}/influencer-deals/{id}/messages", h.member(h.dealAction(func(r *http.Request, svc *influencer.Service, ws, user, id int64) error {
		_, err := svc.Message(r.Context(), ws, user, id, r.PostFormValue("body"))
		return err
	})))
	mux.HandleFunc("POST /workspaces/{slug}/influencer-deals/{id}/link", h.member(h.dealAction(func(r *http.Request, svc *influencer.Service, ws, user, id int64) error {
		_, err := svc.DealLink(r.Context(), ws, user, id, r.PostFormValue("target_url"), r.PostFormValue("network"))
		return err
	})))
	mux.HandleFunc("POST /workspaces/{slug}/influencer-deals/{id}/deliverables", h.member(h.dealAction(func(r *http.Request, svc *influencer.Service, ws, _, id int64) error {
		kind, netw, brief := r.PostFormValue("kind"), r.PostFormValue("network"), r.PostFormValue("brief")
		in := influencer.DeliverableInput{Kind: &kind, Network: &netw, Brief: &brief}
		if s := r.PostFormValue("due"); s != "" {
			t, err := time.Parse(time.DateOnly, s)
			if err != nil {
				return valid.Errorf("due", "format", "%q is not a date", s)
			}
			in.DueAt = &t
		}
		_, err := svc.AddDeliverable(r.Context(), ws, id, in)
		return err
	})))
	mux.HandleFunc("POST /workspaces/{slug}/influencer-deals/{id}/detect", h.member(h.dealAction(func(r *http.Request, svc *influencer.Service, ws, _, id int64) error {
		_, err := svc.Detect(r.Context(), ws, id)
		return err
	})))
	mux.HandleFunc("POST /workspaces/{slug}/influencer-deals/{id}/owner", h.member(h.dealAction(func(r *http.Request, svc *influencer.Service, ws, _, id int64) error {
		owner, err := formID(r, "owner")
		if err != nil {
			return err
		}
		// UpdateDeal refuses an owner who is not a member of the workspace.
		_, err = svc.UpdateDeal(r.Context(), ws, id, influencer.DealInput{OwnerID: &owner})
		return err
	})))
	mux.HandleFunc("POST /workspaces/{slug}/influencer-deals/{id}/contracts", h.member(h.dealAction(func(r *http.Request, svc *influencer.Service, ws, user, id int64) error {
		media, err := formID(r, "media_id")
		if err != nil {
			return err
		}
		if media == 0 {
			return valid.Errorf("media_id", "required", "choose the contract's file in the media library")
		}
		_, err = svc.AttachContract(r.Context(), ws, user, id, media, r.PostFormValue("note"))
		return err
	})))
	mux.HandleFunc("POST /workspaces/{slug}/influencer-deals/{id}/deliverables/{did}", h.member(h.dealAction(func(r *http.Request, svc *influencer.Service, ws, _, id int64) error {
		did := pathID(r, "did")
		d, err := h.d.Store.InfluencerDeliverable(r.Context(), ws, did)
		if err != nil || d.DealID != id {
			return valid.Errorf("deliverable", "exists", "deliverable %d is not one of this deal's", did)
		}
		st, u := r.PostFormValue("status"), strings.TrimSpace(r.PostFormValue("url"))
		_, err = svc.UpdateDeliverable(r.Context(), ws, did, influencer.DeliverableInput{Status: &st, URL: &u})
		return err
	})))
}

// formID reads an optional id field of a form (empty: 0).
func formID(r *http.Request, name string) (int64, error) {
	s := strings.TrimSpace(r.PostFormValue(name))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, valid.Errorf(name, "format", "%q is not an id", s)
	}
	return n, nil
}
