package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/relais/relais/internal/campaign"
	"github.com/relais/relais/internal/link"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// campaignsData is the campaigns page.
type campaignsData struct {
	Campaigns []store.Campaign
	Metrics   []string
}

// campaigns lists the workspace's campaigns with the create form.
func (h *handler) campaigns(w http.ResponseWriter, r *http.Request) {
	h.renderCampaigns(w, r, http.StatusOK, h.newPage(r, "campaign.title"))
}

func (h *handler) renderCampaigns(w http.ResponseWriter, r *http.Request, status int, p *page) {
	list, err := h.d.Store.Campaigns(r.Context(), visitOf(r).P.Workspace.ID)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	if p.Form["goal_metric"] == "" {
		p.Form["goal_metric"] = campaign.MetricClicks
	}
	p.Data = campaignsData{Campaigns: list, Metrics: campaign.Metrics}
	h.render(w, r, status, "campaigns", p)
}

// campaignForm reads the campaign form (one goal); false means the page was
// re-rendered with the error at its field.
func (h *handler) campaignForm(w http.ResponseWriter, r *http.Request, p *page, again func(status int)) (campaign.Input, bool) {
	in := campaign.Input{Name: r.PostFormValue("name"), Description: r.PostFormValue("description"), Currency: r.PostFormValue("currency")}
	keep(p, r, "name", "description", "starts_at", "ends_at", "goal_metric", "goal_target", "budget", "currency")
	bad := func(field, key string) (campaign.Input, bool) {
		p.Errors[field] = p.cat.T(key)
		again(http.StatusUnprocessableEntity)
		return in, false
	}
	for _, d := range []struct {
		field string
		dst   **time.Time
		plus  time.Duration
	}{{"starts_at", &in.StartsAt, 0}, {"ends_at", &in.EndsAt, 24*time.Hour - time.Millisecond}} {
		if s := r.PostFormValue(d.field); s != "" {
			t, err := time.Parse(time.DateOnly, s)
			if err != nil {
				return bad(d.field, "campaign.bad_date")
			}
			t = t.Add(d.plus)
			*d.dst = &t
		}
	}
	if s := r.PostFormValue("goal_target"); s != "" {
		target, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return bad("goals[0].target", "campaign.bad_number")
		}
		in.Goals = []store.CampaignGoal{{Metric: r.PostFormValue("goal_metric"), Target: target}}
	}
	if s := r.PostFormValue("budget"); s != "" {
		b, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return bad("budget", "campaign.bad_number")
		}
		in.BudgetCents = int64(b*100 + 0.5)
	}
	return in, true
}

// createCampaign saves a campaign with at most one goal from the form.
func (h *handler) createCampaign(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	v := visitOf(r).P
	p := h.newPage(r, "campaign.title")
	again := func(status int) { h.renderCampaigns(w, r, status, p) }
	in, ok := h.campaignForm(w, r, p, again)
	if !ok {
		return
	}
	c, err := h.d.Campaigns.Create(r.Context(), v.Workspace.ID, v.User.ID, in)
	if e, ok := valid.As(err); ok {
		p.Errors[e.Field] = translateInvalid(p, e)
		again(http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/campaigns/"+strconv.FormatInt(c.ID, 10)), "campaign.flash_created")
}

// updateCampaign saves the edit form; goals beyond the first (set through
// the API) are kept unless the form's goal names their metric.
func (h *handler) updateCampaign(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	ws, id := visitOf(r).P.Workspace.ID, pathID(r, "id")
	old, err := h.d.Store.Campaign(r.Context(), ws, id)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	p := h.newPage(r, "campaign.show_title")
	again := func(status int) { h.renderCampaign(w, r, status, p, id) }
	in, ok := h.campaignForm(w, r, p, again)
	if !ok {
		return
	}
	for i, g := range old.Goals {
		if i > 0 && (len(in.Goals) == 0 || g.Metric != in.Goals[0].Metric) {
			in.Goals = append(in.Goals, g)
		}
	}
	_, err = h.d.Campaigns.Update(r.Context(), ws, id, in)
	if e, ok := valid.As(err); ok {
		p.Errors[e.Field] = translateInvalid(p, e)
		again(http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/campaigns/"+strconv.FormatInt(id, 10)), "campaign.flash_saved")
}

// campaignData is one campaign's page.
type campaignData struct {
	Result campaign.Result
	Links  []link.ShortLink
	Posts  []store.Post
	// Others are the workspace's recent posts not in the campaign, to attach.
	Others []store.Post
	Goals  []goalRow
	// Budget is the budget in the currency's units ("1200.50"; "" for none).
	Budget string
	// Metrics are the goal metrics the edit form offers.
	Metrics []string
}

// goalRow is a goal as the page shows it; Known is false for metrics not
// measured yet (analytics), shown as unknown, never as zero.
type goalRow struct {
	Metric  string
	Target  float64
	Known   bool
	Actual  float64
	Percent int
}

// goalRows are a campaign's goals against its results.
func goalRows(res campaign.Result) []goalRow {
	var out []goalRow
	for _, g := range res.Goals {
		row := goalRow{Metric: g.Metric, Target: g.Target, Known: g.Actual != nil}
		if row.Known {
			row.Actual, row.Percent = *g.Actual, int(*g.Progress*100+0.5)
		}
		out = append(out, row)
	}
	return out
}

// showCampaign shows a campaign's goals against results, its posts and its links.
// Analytics measures (reach, interactions) fill in through campaign.Service.MetricFunc.
func (h *handler) showCampaign(w http.ResponseWriter, r *http.Request) {
	h.renderCampaign(w, r, http.StatusOK, h.newPage(r, "campaign.show_title"), pathID(r, "id"))
}

func (h *handler) renderCampaign(w http.ResponseWriter, r *http.Request, status int, p *page, id int64) {
	ws := visitOf(r).P.Workspace.ID
	res, err := h.d.Campaigns.Results(r.Context(), ws, id)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	d := campaignData{Result: res}
	if res.Campaign.BudgetCents > 0 {
		d.Budget = strconv.FormatFloat(float64(res.Campaign.BudgetCents)/100, 'f', 2, 64)
	}
	d.Goals = goalRows(res)
	for _, l := range res.Links {
		d.Links = append(d.Links, h.d.Links.View(l.Link, l.ClickCount))
	}
	in := map[int64]bool{}
	for _, id := range res.PostIDs {
		in[id] = true
		if p, err := h.d.Store.Post(r.Context(), ws, id); err == nil {
			d.Posts = append(d.Posts, p)
		}
	}
	if canCompose(r) {
		recent, err := h.d.Store.RecentPublished(r.Context(), ws, 50)
		if err != nil {
			h.fail(w, r, err, "", nil)
			return
		}
		for _, it := range recent {
			if !in[it.PostID] {
				in[it.PostID] = true
				d.Others = append(d.Others, store.Post{ID: it.PostID, Text: it.Text})
			}
		}
	}
	if len(p.Form) == 0 {
		c := res.Campaign
		p.Form = map[string]string{"name": c.Name, "description": c.Description, "currency": c.Currency, "budget": d.Budget,
			"goal_metric": campaign.MetricClicks}
		if c.StartsAt != nil {
			p.Form["starts_at"] = c.StartsAt.UTC().Format(time.DateOnly)
		}
		if c.EndsAt != nil {
			p.Form["ends_at"] = c.EndsAt.UTC().Format(time.DateOnly)
		}
		if len(c.Goals) > 0 {
			p.Form["goal_metric"], p.Form["goal_target"] = c.Goals[0].Metric, strconv.FormatFloat(c.Goals[0].Target, 'f', -1, 64)
		}
	}
	d.Metrics = campaign.Metrics
	p.Data = d
	h.render(w, r, status, "campaign", p)
}

// attachCampaignPost adds a post of the workspace to the campaign.
func (h *handler) attachCampaignPost(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) || !h.parseForm(w, r) {
		if !canCompose(r) {
			h.notFoundPage(w, r)
		}
		return
	}
	id := pathID(r, "id")
	postID, _ := strconv.ParseInt(r.PostFormValue("post_id"), 10, 64)
	if err := h.d.Store.AttachCampaignPost(r.Context(), visitOf(r).P.Workspace.ID, id, postID); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/campaigns/"+strconv.FormatInt(id, 10)), "campaign.flash_attached")
}

// deleteCampaign removes a campaign; its posts and links stay.
func (h *handler) deleteCampaign(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	if err := h.d.Store.DeleteCampaign(r.Context(), visitOf(r).P.Workspace.ID, pathID(r, "id")); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/campaigns"), "campaign.flash_deleted")
}
