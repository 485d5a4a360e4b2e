package api

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/influencer"
	"github.com/relais/relais/internal/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		op := func(method, path, id, summary string, status int) huma.Operation {
			return huma.Operation{OperationID: id, Method: method, Path: "/api/v1" + path, Summary: summary, Tags: []string{"Influencers"},
				DefaultStatus: status, MaxBodyBytes: 64 << 10}
		}
		huma.Register(h.api, op(http.MethodGet, "/influencers", "list-influencers", "The influencer directory, by name (query: name, handle or notes; tag)", 200), h.listInfluencers)
		huma.Register(h.api, op(http.MethodPost, "/influencers", "create-influencer", "Add an influencer with accounts; contact details need consent", 201), h.createInfluencer)
		imp := op(http.MethodPost, "/influencers/import", "import-influencers", "Import a CSV list of influencers (BOM, ; or , separators, header mapping); refused rows name line and column", 200)
		imp.MaxBodyBytes = influencer.MaxImportBytes
		huma.Register(h.api, imp, h.importInfluencers)
		huma.Register(h.api, op(http.MethodGet, "/influencers/settings", "get-influencer-settings", "The EMV table, target languages and brand-safety terms", 200), h.getInfluencerSettings)
		huma.Register(h.api, op(http.MethodPut, "/influencers/settings", "update-influencer-settings", "Change the EMV table, target languages and brand-safety terms", 200), h.putInfluencerSettings)
		huma.Register(h.api, op(http.MethodGet, "/influencers/{id}", "get-influencer", "An influencer with accounts, daily history, vetting scores and campaigns", 200), h.getInfluencer)
		huma.Register(h.api, op(http.MethodPut, "/influencers/{id}", "update-influencer", "Change an influencer's contact, consent, tags and notes", 200), h.updateInfluencer)
		huma.Register(h.api, op(http.MethodDelete, "/influencers/{id}", "delete-influencer", "Delete an influencer with accounts, history and deals", 204), h.deleteInfluencer)
		huma.Register(h.api, op(http.MethodPost, "/influencers/{id}/accounts", "add-influencer-account", "Add a network account to an influencer", 201), h.addInfluencerAccount)
		huma.Register(h.api, op(http.MethodDelete, "/influencers/{id}/accounts/{accountID}", "delete-influencer-account", "Remove an account and its history", 204), h.deleteInfluencerAccount)
		huma.Register(h.api, op(http.MethodGet, "/influencers/{id}/score", "score-influencer", "The vetting score (0–100) of each account with every component's reason", 200), h.scoreInfluencer)
		huma.Register(h.api, op(http.MethodPost, "/influencers/{id}/collect", "collect-influencer", "Read the accounts' public profiles and recent posts now", 200), h.collectInfluencer)

		huma.Register(h.api, op(http.MethodGet, "/campaigns/{id}/influencers", "list-campaign-influencers", "A campaign's influencer pipeline, by stage", 200), h.campaignPipeline)
		huma.Register(h.api, op(http.MethodPost, "/campaigns/{id}/influencers", "shortlist-influencer", "Put an influencer into a campaign (stage shortlisted)", 201), h.shortlistInfluencer)
		huma.Register(h.api, op(http.MethodGet, "/campaigns/{id}/influencer-results", "campaign-influencer-results", "Results per influencer: reach, interactions, clicks, conversions, cost, EMV, CPE, CPC, ROI", 200), h.campaignInfluencerResults)
		report := op(http.MethodGet, "/campaigns/{id}/influencer-report", "campaign-influencer-report", "The campaign's influencer report as CSV, HTML or PDF in English, French or German", 200)
		report.Responses = map[string]*huma.Response{"200": {Description: "The report file", Content: map[string]*huma.MediaType{
			"text/csv":        {Schema: &huma.Schema{Type: huma.TypeString}},
			"text/html":       {Schema: &huma.Schema{Type: huma.TypeString}},
			"application/pdf": {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}},
		}}}
		huma.Register(h.api, report, h.campaignInfluencerReport)
		conv := op(http.MethodPost, "/campaigns/{id}/influencer-conversions", "import-influencer-conversions", "Import conversions and revenue per discount code (CSV: code, conversions, revenue)", 200)
		conv.MaxBodyBytes = influencer.MaxImportBytes
		huma.Register(h.api, conv, h.importConversions)

		huma.Register(h.api, op(http.MethodGet, "/influencer-deals/{id}", "get-influencer-deal", "A deal: terms, log (moves, messages, contracts) and deliverables", 200), h.getDeal)
		huma.Register(h.api, op(http.MethodPatch, "/influencer-deals/{id}", "update-influencer-deal", "Change a deal's owner, rate, discount code, short link, conversions, revenue or notes", 200), h.patchDeal)
		huma.Register(h.api, op(http.MethodDelete, "/influencer-deals/{id}", "delete-influencer-deal", "Take an influencer out of a campaign", 204), h.deleteDeal)
		huma.Register(h.api, op(http.MethodPost, "/influencer-deals/{id}/move", "move-influencer-deal", "Move a deal to another pipeline stage", 200), h.moveDeal)
		huma.Register(h.api, op(http.MethodPost, "/influencer-deals/{id}/messages", "add-influencer-message", "Log a message exchanged with the influencer", 200), h.dealMessage)
		huma.Register(h.api, op(http.MethodPost, "/influencer-deals/{id}/contracts", "add-influencer-contract", "Attach a contract file of the media library", 200), h.dealContract)
		huma.Register(h.api, op(http.MethodPost, "/influencer-deals/{id}/link", "create-influencer-link", "Make the deal's short link with UTM values naming the influencer", 200), h.dealLink)
		huma.Register(h.api, op(http.MethodPost, "/influencer-deals/{id}/deliverables", "add-influencer-deliverable", "Add a deliverable (post, story, video…) with a due date and a brief", 200), h.addDeliverable)
		huma.Register(h.api, op(http.MethodPost, "/influencer-deals/{id}/detect", "detect-influencer-deliverables", "Attach the influencer's collected posts that name the campaign (hashtag, code, link)", 200), h.detectDeliverables)
		huma.Register(h.api, op(http.MethodPatch, "/influencer-deliverables/{id}", "update-influencer-deliverable", "Change a deliverable: status, draft, published URL, counts", 200), h.patchDeliverable)
		huma.Register(h.api, op(http.MethodDelete, "/influencer-deliverables/{id}", "delete-influencer-deliverable", "Delete a deliverable", 204), h.deleteDeliverable)
	})
}

func (h *Handler) influencers() *influencer.Service {
	s := &influencer.Service{Store: h.d.Store, Links: h.links()}
	if h.d.Channels != nil {
		s.Connectors = h.d.Channels
	}
	return s
}

// InfluencerListInput filters the directory.
type InfluencerListInput struct {
	Query string `query:"query" maxLength:"200" doc:"Name, handle or notes contain this"`
	Tag   string `query:"tag" maxLength:"100"`
	Limit int    `query:"limit" minimum:"1" maximum:"5000" default:"500"`
}

// InfluencersOutput lists influencers.
type InfluencersOutput struct {
	Body struct {
		Influencers []influencer.InfluencerView `json:"influencers"`
	}
}

func (h *Handler) listInfluencers(ctx context.Context, in *InfluencerListInput) (*InfluencersOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	list, err := h.influencers().List(ctx, p.Workspace.ID, store.InfluencerFilter{Query: in.Query, Tag: strings.ToLower(in.Tag), Limit: in.Limit})
	if err != nil {
		return nil, h.fail(err)
	}
	out := &InfluencersOutput{}
	out.Body.Influencers = list
	return out, nil
}

// InfluencerBody is an influencer as a client writes it.
type InfluencerBody struct {
	Name     string               `json:"name" maxLength:"200"`
	Email    string               `json:"email,omitempty" maxLength:"320"`
	Phone    string               `json:"phone,omitempty" maxLength:"40"`
	Consent  bool                 `json:"consent,omitempty" doc:"The influencer agreed to their contact details being kept"`
	Country  string               `json:"country,omitempty" maxLength:"2"`
	Language string               `json:"language,omitempty" maxLength:"3"`
	Tags     []string             `json:"tags,omitempty" maxItems:"30"`
	Notes    string               `json:"notes,omitempty" maxLength:"10000"`
	Accounts []influencer.Account `json:"accounts,omitempty" maxItems:"20"`
}

func (b InfluencerBody) input() influencer.Input {
	return influencer.Input{Name: b.Name, Email: b.Email, Phone: b.Phone, Consent: b.Consent, Country: b.Country, Language: b.Language,
		Tags: b.Tags, Notes: b.Notes, Accounts: b.Accounts}
}

// InfluencerInput creates an influencer.
type InfluencerInput struct {
	Body InfluencerBody
}

// InfluencerOutput is one influencer.
type InfluencerOutput struct {
	Body influencer.InfluencerView
}

func (h *Handler) createInfluencer(ctx context.Context, in *InfluencerInput) (*InfluencerOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	svc := h.influencers()
	rec, err := svc.Add(ctx, p.Workspace.ID, p.User.ID, in.Body.input())
	if err != nil {
		return nil, h.fail(err)
	}
	v, err := svc.View(ctx, p.Workspace.ID, rec)
	if err != nil {
		return nil, h.fail(err)
	}
	return &InfluencerOutput{Body: v}, nil
}

// InfluencerImportInput is a CSV file as the body.
type InfluencerImportInput struct {
	RawBody []byte `contentType:"text/csv" doc:"Columns: name, email, phone, consent, country, language, tags, notes, instagram, mastodon, bluesky, youtube, tiktok (English, French or German names)"`
}

// InfluencerImportOutput says what an import did.
type InfluencerImportOutput struct {
	Body influencer.ImportResult
}

func (h *Handler) importInfluencers(ctx context.Context, in *InfluencerImportInput) (*InfluencerImportOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	res, err := h.influencers().Import(ctx, p.Workspace.ID, p.User.ID, bytes.NewReader(in.RawBody))
	if err != nil {
		return nil, huma.Error422UnprocessableEntity(err.Error())
	}
	return &InfluencerImportOutput{Body: res}, nil
}

// InfluencerSettingsOutput is the workspace's influencer settings.
type InfluencerSettingsOutput struct {
	Body influencer.Settings
}

func (h *Handler) getInfluencerSettings(ctx context.Context, _ *struct{}) (*InfluencerSettingsOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	s, err := h.influencers().Settings(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &InfluencerSettingsOutput{Body: s}, nil
}

// InfluencerSettingsInput replaces the settings.
type InfluencerSettingsInput struct {
	Body influencer.Settings
}

func (h *Handler) putInfluencerSettings(ctx context.Context, in *InfluencerSettingsInput) (*InfluencerSettingsOutput, error) {
	p, err := h.need(ctx, auth.ActManageWorkspace)
	if err != nil {
		return nil, err
	}
	svc := h.influencers()
	if err := svc.SaveSettings(ctx, p.Workspace.ID, in.Body); err != nil {
		return nil, h.fail(err)
	}
	s, err := svc.Settings(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &InfluencerSettingsOutput{Body: s}, nil
}

// InfluencerDetail is an influencer with its history, scores and deals.
type InfluencerDetail struct {
	influencer.InfluencerView
	History map[string][]influencer.SnapshotView `json:"history" doc:"Daily snapshots per account id"`
	Scores  []influencer.AccountScore            `json:"scores"`
	Deals   []influencer.DealView                `json:"deals"`
}

// InfluencerDetailOutput is one influencer in detail.
type InfluencerDetailOutput struct {
	Body InfluencerDetail
}

func (h *Handler) getInfluencer(ctx context.Context, in *IDInput) (*InfluencerDetailOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	svc := h.influencers()
	rec, err := svc.Store.Influencer(ctx, p.Workspace.ID, in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	v, err := svc.View(ctx, p.Workspace.ID, rec)
	if err != nil {
		return nil, h.fail(err)
	}
	d := InfluencerDetail{InfluencerView: v, History: map[string][]influencer.SnapshotView{}, Deals: []influencer.DealView{}}
	for _, a := range v.Accounts {
		snaps, err := svc.Snapshots(ctx, p.Workspace.ID, a.ID)
		if err != nil {
			return nil, h.fail(err)
		}
		d.History[strconv.FormatInt(a.ID, 10)] = snaps
	}
	if d.Scores, err = svc.Score(ctx, p.Workspace.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	deals, err := svc.Store.InfluencerDeals(ctx, p.Workspace.ID, 0, in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	for _, dl := range deals {
		d.Deals = append(d.Deals, influencer.ViewDeal(dl, rec.Name))
	}
	return &InfluencerDetailOutput{Body: d}, nil
}

// UpdateInfluencerInput replaces an influencer's fields.
type UpdateInfluencerInput struct {
	ID   int64 `path:"id"`
	Body InfluencerBody
}

func (h *Handler) updateInfluencer(ctx context.Context, in *UpdateInfluencerInput) (*InfluencerOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	svc := h.influencers()
	rec, err := svc.Update(ctx, p.Workspace.ID, in.ID, in.Body.input())
	if err != nil {
		return nil, h.fail(err)
	}
	v, err := svc.View(ctx, p.Workspace.ID, rec)
	if err != nil {
		return nil, h.fail(err)
	}
	return &InfluencerOutput{Body: v}, nil
}

func (h *Handler) deleteInfluencer(ctx context.Context, in *IDInput) (*struct{}, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	return nil, h.failOrNil(h.d.Store.DeleteInfluencer(ctx, p.Workspace.ID, in.ID))
}

func (h *Handler) failOrNil(err error) error {
	if err != nil {
		return h.fail(err)
	}
	return nil
}

// AddAccountInput adds an account.
type AddAccountInput struct {
	ID   int64 `path:"id"`
	Body influencer.Account
}

// AccountOutput is one account.
type AccountOutput struct {
	Body influencer.AccountView
}

func (h *Handler) addInfluencerAccount(ctx context.Context, in *AddAccountInput) (*AccountOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	svc := h.influencers()
	if _, err := svc.Store.Influencer(ctx, p.Workspace.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	a, err := svc.AddAccount(ctx, p.Workspace.ID, in.ID, in.Body)
	if err != nil {
		return nil, h.fail(err)
	}
	return &AccountOutput{Body: influencer.ViewAccount(a)}, nil
}

// InfluencerAccountInput names an influencer's account.
type InfluencerAccountInput struct {
	ID        int64 `path:"id"`
	AccountID int64 `path:"accountID"`
}

func (h *Handler) deleteInfluencerAccount(ctx context.Context, in *InfluencerAccountInput) (*struct{}, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	a, err := h.d.Store.InfluencerAccount(ctx, p.Workspace.ID, in.AccountID)
	if err != nil || a.InfluencerID != in.ID {
		return nil, h.fail(store.ErrNotFound)
	}
	return nil, h.failOrNil(h.d.Store.DeleteInfluencerAccount(ctx, p.Workspace.ID, in.AccountID))
}

// ScoresOutput lists account scores.
type ScoresOutput struct {
	Body struct {
		Scores []influencer.AccountScore `json:"scores"`
	}
}

func (h *Handler) scoreInfluencer(ctx context.Context, in *IDInput) (*ScoresOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	s, err := h.influencers().Score(ctx, p.Workspace.ID, in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &ScoresOutput{}
	out.Body.Scores = s
	return out, nil
}

// InfluencerCollectOutput says what a collection did.
type InfluencerCollectOutput struct {
	Body struct {
		Accounts []influencer.AccountView `json:"accounts"`
		Errors   []string                 `json:"errors"`
	}
}

func (h *Handler) collectInfluencer(ctx context.Context, in *IDInput) (*InfluencerCollectOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	svc := h.influencers()
	if _, err := svc.Store.Influencer(ctx, p.Workspace.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	accs, err := svc.Store.InfluencerAccounts(ctx, p.Workspace.ID, in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &InfluencerCollectOutput{}
	out.Body.Accounts, out.Body.Errors = []influencer.AccountView{}, []string{}
	for _, a := range accs {
		got, err := svc.Collect(ctx, p.Workspace.ID, a.ID)
		if err != nil {
			out.Body.Errors = append(out.Body.Errors, a.Network+":"+a.Handle+": "+err.Error())
		}
		out.Body.Accounts = append(out.Body.Accounts, influencer.ViewAccount(got))
	}
	return out, nil
}

// DealsOutput lists a campaign's deals.
type DealsOutput struct {
	Body struct {
		Deals []influencer.DealView `json:"deals"`
	}
}

func (h *Handler) campaignPipeline(ctx context.Context, in *IDInput) (*DealsOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	rows, err := h.influencers().Pipeline(ctx, p.Workspace.ID, in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &DealsOutput{}
	out.Body.Deals = []influencer.DealView{}
	for _, r := range rows {
		out.Body.Deals = append(out.Body.Deals, influencer.ViewDeal(r.InfluencerDeal, r.Influencer))
	}
	return out, nil
}

// ShortlistInput puts an influencer into a campaign.
type ShortlistInput struct {
	ID   int64 `path:"id"`
	Body struct {
		InfluencerID int64 `json:"influencer_id" minimum:"1"`
	}
}

// DealOutput is a deal in detail.
type DealOutput struct {
	Body influencer.DealDetail
}

func (h *Handler) dealOut(ctx context.Context, ws, id int64) (*DealOutput, error) {
	d, err := h.influencers().Deal(ctx, ws, id)
	if err != nil {
		return nil, h.fail(err)
	}
	return &DealOutput{Body: d}, nil
}

func (h *Handler) shortlistInfluencer(ctx context.Context, in *ShortlistInput) (*DealOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	svc := h.influencers()
	if _, err := svc.Store.Campaign(ctx, p.Workspace.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	if _, err := svc.Store.Influencer(ctx, p.Workspace.ID, in.Body.InfluencerID); err != nil {
		return nil, huma.Error422UnprocessableEntity("influencer_id: not an influencer of this workspace")
	}
	d, err := svc.Shortlist(ctx, p.Workspace.ID, p.User.ID, in.ID, in.Body.InfluencerID, influencer.DealInput{})
	if err != nil {
		return nil, h.fail(err)
	}
	return h.dealOut(ctx, p.Workspace.ID, d.ID)
}

// ResultsOutput is a campaign's influencer results.
type ResultsOutput struct {
	Body influencer.CampaignResults
}

func (h *Handler) campaignInfluencerResults(ctx context.Context, in *IDInput) (*ResultsOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	r, err := h.influencers().Results(ctx, p.Workspace.ID, in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &ResultsOutput{Body: r}, nil
}

// ReportInput picks the report's format and language.
type ReportInput struct {
	ID     int64  `path:"id"`
	Format string `query:"format" enum:"csv,html,pdf" default:"csv"`
	Lang   string `query:"lang" enum:"en,fr,de" default:"en"`
}

func (h *Handler) campaignInfluencerReport(ctx context.Context, in *ReportInput) (*SampleOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	r, err := h.influencers().Results(ctx, p.Workspace.ID, in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	var b bytes.Buffer
	now := time.Now()
	ct := "text/csv; charset=utf-8"
	switch in.Format {
	case "html":
		ct, err = "text/html; charset=utf-8", influencer.WriteHTML(&b, r, in.Lang, now)
	case "pdf":
		ct, err = "application/pdf", influencer.WritePDF(&b, r, in.Lang, p.Workspace.Name, now)
	default:
		err = influencer.WriteCSV(&b, r, in.Lang)
	}
	if err != nil {
		return nil, h.fail(err)
	}
	return &SampleOutput{ContentType: ct, ContentDisposition: `attachment; filename="influencer-report.` + in.Format + `"`, Body: b.Bytes()}, nil
}

// onDeal runs do on one of the workspace's deals (404 when it is not one)
// for a member who may compose, and answers the deal as it is then.
func (h *Handler) onDeal(ctx context.Context, id int64, do func(svc *influencer.Service, p auth.Principal) error) (*DealOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	svc := h.influencers()
	if _, err := svc.Store.InfluencerDeal(ctx, p.Workspace.ID, id); err != nil {
		return nil, h.fail(err)
	}
	if err := do(svc, p); err != nil {
		return nil, h.fail(err)
	}
	return h.dealOut(ctx, p.Workspace.ID, id)
}

func (h *Handler) getDeal(ctx context.Context, in *IDInput) (*DealOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	return h.dealOut(ctx, p.Workspace.ID, in.ID)
}

// PatchDealInput changes a deal's terms.
type PatchDealInput struct {
	ID   int64 `path:"id"`
	Body influencer.DealInput
}

func (h *Handler) patchDeal(ctx context.Context, in *PatchDealInput) (*DealOutput, error) {
	return h.onDeal(ctx, in.ID, func(svc *influencer.Service, p auth.Principal) error {
		_, err := svc.UpdateDeal(ctx, p.Workspace.ID, in.ID, in.Body)
		return err
	})
}

func (h *Handler) deleteDeal(ctx context.Context, in *IDInput) (*struct{}, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	return nil, h.failOrNil(h.d.Store.DeleteInfluencerDeal(ctx, p.Workspace.ID, in.ID))
}

// MoveInput moves a deal.
type MoveInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Stage string `json:"stage" enum:"shortlisted,contacted,negotiating,contracted,live,delivered,paid,declined"`
		Note  string `json:"note,omitempty" maxLength:"2000"`
	}
}

func (h *Handler) moveDeal(ctx context.Context, in *MoveInput) (*DealOutput, error) {
	return h.onDeal(ctx, in.ID, func(svc *influencer.Service, p auth.Principal) error {
		_, err := svc.Move(ctx, p.Workspace.ID, p.User.ID, in.ID, in.Body.Stage, in.Body.Note)
		return err
	})
}

// DealMessageInput logs a message.
type DealMessageInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Body string `json:"body" maxLength:"10000"`
	}
}

func (h *Handler) dealMessage(ctx context.Context, in *DealMessageInput) (*DealOutput, error) {
	return h.onDeal(ctx, in.ID, func(svc *influencer.Service, p auth.Principal) error {
		_, err := svc.Message(ctx, p.Workspace.ID, p.User.ID, in.ID, in.Body.Body)
		return err
	})
}

// DealContractInput attaches a contract.
type DealContractInput struct {
	ID   int64 `path:"id"`
	Body struct {
		MediaID int64  `json:"media_id" minimum:"1" doc:"A file of the media library"`
		Note    string `json:"note,omitempty" maxLength:"2000"`
	}
}

func (h *Handler) dealContract(ctx context.Context, in *DealContractInput) (*DealOutput, error) {
	return h.onDeal(ctx, in.ID, func(svc *influencer.Service, p auth.Principal) error {
		_, err := svc.AttachContract(ctx, p.Workspace.ID, p.User.ID, in.ID, in.Body.MediaID, in.Body.Note)
		return err
	})
}

// DealLinkInput makes a deal's short link.
type DealLinkInput struct {
	ID   int64 `path:"id"`
	Body struct {
		TargetURL string `json:"target_url" maxLength:"2048"`
		Network   string `json:"network,omitempty" maxLength:"40"`
	}
}

func (h *Handler) dealLink(ctx context.Context, in *DealLinkInput) (*DealOutput, error) {
	return h.onDeal(ctx, in.ID, func(svc *influencer.Service, p auth.Principal) error {
		_, err := svc.DealLink(ctx, p.Workspace.ID, p.User.ID, in.ID, in.Body.TargetURL, in.Body.Network)
		return err
	})
}

// DeliverableInput adds a deliverable.
type DeliverableInput struct {
	ID   int64 `path:"id"`
	Body influencer.DeliverableInput
}

func (h *Handler) addDeliverable(ctx context.Context, in *DeliverableInput) (*DealOutput, error) {
	return h.onDeal(ctx, in.ID, func(svc *influencer.Service, p auth.Principal) error {
		_, err := svc.AddDeliverable(ctx, p.Workspace.ID, in.ID, in.Body)
		return err
	})
}

func (h *Handler) detectDeliverables(ctx context.Context, in *IDInput) (*DealOutput, error) {
	return h.onDeal(ctx, in.ID, func(svc *influencer.Service, p auth.Principal) error {
		_, err := svc.Detect(ctx, p.Workspace.ID, in.ID)
		return err
	})
}

// DeliverableOutput is one deliverable.
type DeliverableOutput struct {
	Body influencer.DeliverableView
}

func (h *Handler) patchDeliverable(ctx context.Context, in *DeliverableInput) (*DeliverableOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	v, err := h.influencers().UpdateDeliverable(ctx, p.Workspace.ID, in.ID, in.Body)
	if err != nil {
		return nil, h.fail(err)
	}
	return &DeliverableOutput{Body: influencer.ViewDeliverable(v)}, nil
}

func (h *Handler) deleteDeliverable(ctx context.Context, in *IDInput) (*struct{}, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	return nil, h.failOrNil(h.d.Store.DeleteInfluencerDeliverable(ctx, p.Workspace.ID, in.ID))
}

// ConversionsInput is a CSV of conversions per discount code.
type ConversionsInput struct {
	ID      int64  `path:"id"`
	RawBody []byte `contentType:"text/csv" doc:"Columns: code, conversions, revenue (English, French or German names)"`
}

// ConversionsOutput says what a conversions import did.
type ConversionsOutput struct {
	Body struct {
		Updated int                   `json:"updated"`
		Errors  []influencer.RowError `json:"errors"`
	}
}

func (h *Handler) importConversions(ctx context.Context, in *ConversionsInput) (*ConversionsOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	if _, err := h.d.Store.Campaign(ctx, p.Workspace.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	n, bad, err := h.influencers().ImportConversions(ctx, p.Workspace.ID, in.ID, bytes.NewReader(in.RawBody))
	if err != nil {
		return nil, huma.Error422UnprocessableEntity(err.Error())
	}
	out := &ConversionsOutput{}
	out.Body.Updated, out.Body.Errors = n, bad
	if out.Body.Errors == nil {
		out.Body.Errors = []influencer.RowError{}
	}
	return out, nil
}
