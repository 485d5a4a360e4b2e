package influencer

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/link"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// DealInput are a deal's terms as a user writes them (nil: unchanged).
type DealInput struct {
	OwnerID      *int64  `json:"owner_id,omitempty"`
	RateCents    *int64  `json:"rate_cents,omitempty"`
	Currency     *string `json:"currency,omitempty"`
	DiscountCode *string `json:"discount_code,omitempty"`
	LinkID       *int64  `json:"link_id,omitempty"`
	Conversions  *int64  `json:"conversions,omitempty"`
	RevenueCents *int64  `json:"revenue_cents,omitempty"`
	Notes        *string `json:"notes,omitempty"`
}

var (
	currencyRe = regexp.MustCompile(`^[A-Z]{3}$`)
	codeRe     = regexp.MustCompile(`^[A-Za-z0-9_-]{2,40}$`)
)

func (s *Service) apply(ctx context.Context, d *store.InfluencerDeal, in DealInput) error {
	if in.OwnerID != nil {
		if *in.OwnerID != 0 {
			if _, err := s.Store.Membership(ctx, d.WorkspaceID, *in.OwnerID); err != nil {
				return valid.Errorf("owner_id", "member", "user %d is not a member of this workspace", *in.OwnerID)
			}
		}
		d.OwnerID = *in.OwnerID
	}
	if in.RateCents != nil {
		if *in.RateCents < 0 || *in.RateCents > 1e12 {
			return valid.Errorf("rate_cents", "range", "must be between 0 and 1000000000000")
		}
		d.RateCents = *in.RateCents
	}
	if in.Currency != nil {
		c := strings.ToUpper(strings.TrimSpace(*in.Currency))
		if c != "" && !currencyRe.MatchString(c) {
			return valid.Errorf("currency", "format", "%q is not a currency code (ISO 4217, e.g. EUR)", c)
		}
		d.Currency = c
	}
	if in.DiscountCode != nil {
		c := strings.TrimSpace(*in.DiscountCode)
		if c != "" && !codeRe.MatchString(c) {
			return valid.Errorf("discount_code", "format", "2 to 40 letters, digits, - and _")
		}
		d.DiscountCode = c
	}
	if in.LinkID != nil {
		if *in.LinkID != 0 {
			if _, err := s.Store.Link(ctx, d.WorkspaceID, *in.LinkID); err != nil {
				return valid.Errorf("link_id", "exists", "link %d is not a link of this workspace", *in.LinkID)
			}
		}
		d.LinkID = *in.LinkID
	}
	if in.Conversions != nil {
		if *in.Conversions < -1 {
			return valid.Errorf("conversions", "range", "must be 0 or more (-1: unknown)")
		}
		d.Conversions = *in.Conversions
	}
	if in.RevenueCents != nil {
		if *in.RevenueCents < 0 || *in.RevenueCents > 1e13 {
			return valid.Errorf("revenue_cents", "range", "must be between 0 and 10000000000000")
		}
		d.RevenueCents = *in.RevenueCents
	}
	if in.Notes != nil {
		if n := utf8.RuneCountInString(*in.Notes); n > 10_000 {
			return valid.Errorf("notes", "max", "at most 10000 characters (got %d)", n)
		}
		d.Notes = *in.Notes
	}
	return nil
}

// Shortlist puts an influencer into a campaign at the first stage.
func (s *Service) Shortlist(ctx context.Context, workspaceID, userID, campaignID, influencerID int64, in DealInput) (store.InfluencerDeal, error) {
	camp, err := s.Store.Campaign(ctx, workspaceID, campaignID)
	if err != nil {
		return store.InfluencerDeal{}, err
	}
	d := store.InfluencerDeal{WorkspaceID: workspaceID, CampaignID: campaignID, InfluencerID: influencerID, Stage: StageShortlisted,
		OwnerID: userID, Currency: camp.Currency, Conversions: -1, StageAt: s.now(), CreatedAt: s.now()}
	if err := s.apply(ctx, &d, in); err != nil {
		return d, err
	}
	if err := s.Store.AddInfluencerDeal(ctx, &d); err != nil {
		if strings.Contains(err.Error(), store.ErrConflict.Error()) {
			return d, valid.Errorf("influencer_id", "unique", "this influencer is already in the campaign")
		}
		return d, err
	}
	e := store.InfluencerEvent{WorkspaceID: workspaceID, DealID: d.ID, Kind: "move", ToStage: StageShortlisted, AuthorID: userID, At: s.now()}
	return d, s.Store.AddInfluencerEvent(ctx, &e)
}

// UpdateDeal changes a deal's terms.
func (s *Service) UpdateDeal(ctx context.Context, workspaceID, dealID int64, in DealInput) (store.InfluencerDeal, error) {
	d, err := s.Store.InfluencerDeal(ctx, workspaceID, dealID)
	if err != nil {
		return d, err
	}
	if err := s.apply(ctx, &d, in); err != nil {
		return d, err
	}
	return d, s.Store.UpdateInfluencerDeal(ctx, d)
}

// Move changes a deal's stage (CheckMove) and logs it with an optional note.
func (s *Service) Move(ctx context.Context, workspaceID, userID, dealID int64, stage, note string) (store.InfluencerDeal, error) {
	d, err := s.Store.InfluencerDeal(ctx, workspaceID, dealID)
	if err != nil {
		return d, err
	}
	if err := CheckMove(d.Stage, stage); err != nil {
		return d, valid.Errorf("stage", "move", "%s", err.Error())
	}
	if stage == d.Stage {
		return d, nil
	}
	from := d.Stage
	d.Stage, d.StageAt = stage, s.now()
	if err := s.Store.UpdateInfluencerDeal(ctx, d); err != nil {
		return d, err
	}
	e := store.InfluencerEvent{WorkspaceID: workspaceID, DealID: d.ID, Kind: "move", FromStage: from, ToStage: stage, Body: note, AuthorID: userID, At: s.now()}
	return d, s.Store.AddInfluencerEvent(ctx, &e)
}

// Message logs a message exchanged with the influencer (or a note about one).
func (s *Service) Message(ctx context.Context, workspaceID, userID, dealID int64, body string) (store.InfluencerEvent, error) {
	body, err := valid.Text("body", "message", body, 10_000)
	if err != nil {
		return store.InfluencerEvent{}, err
	}
	e := store.InfluencerEvent{WorkspaceID: workspaceID, DealID: dealID, Kind: "message", Body: body, AuthorID: userID, At: s.now()}
	return e, s.Store.AddInfluencerEvent(ctx, &e)
}

// AttachContract logs a contract file of the media library on a deal.
func (s *Service) AttachContract(ctx context.Context, workspaceID, userID, dealID, mediaID int64, note string) (store.InfluencerEvent, error) {
	if _, err := s.Store.Media(ctx, workspaceID, mediaID); err != nil {
		return store.InfluencerEvent{}, valid.Errorf("media_id", "exists", "media %d is not in this workspace's library", mediaID)
	}
	e := store.InfluencerEvent{WorkspaceID: workspaceID, DealID: dealID, Kind: "contract", MediaID: mediaID, Body: note, AuthorID: userID, At: s.now()}
	return e, s.Store.AddInfluencerEvent(ctx, &e)
}

// DeliverableInput is a deliverable as a user writes it (nil: unchanged).
type DeliverableInput struct {
	Kind        *string    `json:"kind,omitempty"`
	Network     *string    `json:"network,omitempty"`
	DueAt       *time.Time `json:"due_at,omitempty"`
	Brief       *string    `json:"brief,omitempty"`
	Status      *string    `json:"status,omitempty"`
	DraftPostID *int64     `json:"draft_post_id,omitempty"`
	URL         *string    `json:"url,omitempty"`
	Counts      *Counts    `json:"counts,omitempty"`
}

func (s *Service) applyDeliverable(ctx context.Context, d *store.InfluencerDeliverable, in DeliverableInput) error {
	if in.Kind != nil {
		if !slices.Contains(DeliverableKinds, *in.Kind) {
			return valid.Errorf("kind", "enum", "must be one of %s", strings.Join(DeliverableKinds, ", "))
		}
		d.Kind = *in.Kind
	}
	if in.Network != nil {
		if *in.Network != "" && !slices.Contains(Networks, *in.Network) {
			return valid.Errorf("network", "enum", "must be one of %s", strings.Join(Networks, ", "))
		}
		d.Network = *in.Network
	}
	if in.DueAt != nil {
		t := in.DueAt.UTC()
		d.DueAt = &t
	}
	if in.Brief != nil {
		if n := utf8.RuneCountInString(*in.Brief); n > 10_000 {
			return valid.Errorf("brief", "max", "at most 10000 characters (got %d)", n)
		}
		d.Brief = *in.Brief
	}
	if in.Status != nil {
		if !slices.Contains(DeliverableStatuses, *in.Status) {
			return valid.Errorf("status", "enum", "must be one of %s", strings.Join(DeliverableStatuses, ", "))
		}
		d.Status = *in.Status
	}
	if in.DraftPostID != nil {
		if *in.DraftPostID != 0 {
			if _, err := s.Store.Post(ctx, d.WorkspaceID, *in.DraftPostID); err != nil {
				return valid.Errorf("draft_post_id", "exists", "post %d is not a post of this workspace", *in.DraftPostID)
			}
		}
		d.DraftPostID = *in.DraftPostID
	}
	if in.URL != nil {
		if *in.URL != "" {
			if err := valid.HTTPURL("url", *in.URL, 2000); err != nil {
				return err
			}
			if d.PublishedAt == nil {
				t := s.now()
				d.PublishedAt = &t
			}
			if d.Status != "published" {
				d.Status = "published"
			}
		}
		d.URL = *in.URL
	}
	if in.Counts != nil {
		b, err := json.Marshal(in.Counts)
		if err != nil {
			return err
		}
		d.Counts = string(b)
	}
	return nil
}

// AddDeliverable adds a deliverable to a deal.
func (s *Service) AddDeliverable(ctx context.Context, workspaceID, dealID int64, in DeliverableInput) (store.InfluencerDeliverable, error) {
	if in.Kind == nil {
		return store.InfluencerDeliverable{}, valid.Errorf("kind", "required", "a kind is needed: %s", strings.Join(DeliverableKinds, ", "))
	}
	d := store.InfluencerDeliverable{WorkspaceID: workspaceID, DealID: dealID, Status: "planned", CreatedAt: s.now()}
	if err := s.applyDeliverable(ctx, &d, in); err != nil {
		return d, err
	}
	return d, s.Store.CreateInfluencerDeliverable(ctx, &d)
}

// UpdateDeliverable changes a deliverable; a draft post's approval moves
// its status through the approval flow (compose approvals).
func (s *Service) UpdateDeliverable(ctx context.Context, workspaceID, id int64, in DeliverableInput) (store.InfluencerDeliverable, error) {
	d, err := s.Store.InfluencerDeliverable(ctx, workspaceID, id)
	if err != nil {
		return d, err
	}
	if err := s.applyDeliverable(ctx, &d, in); err != nil {
		return d, err
	}
	return d, s.Store.UpdateInfluencerDeliverable(ctx, d)
}

// DeliverableCounts decodes a deliverable's counts (unknown when none).
func DeliverableCounts(d store.InfluencerDeliverable) Counts {
	c := Unknown
	if d.Counts != "" && d.Counts != "{}" {
		_ = json.Unmarshal([]byte(d.Counts), &c)
	}
	return c
}

// detectTerms are what marks an influencer's post as the campaign's: the
// deal's discount code, its short link's code, and the campaign's name as
// a hashtag (#SpringDrop for "Spring drop").
func detectTerms(camp store.Campaign, d store.InfluencerDeal, l *store.Link) []string {
	var terms []string
	if d.DiscountCode != "" {
		terms = append(terms, strings.ToLower(d.DiscountCode))
	}
	if l != nil {
		terms = append(terms, "/l/"+strings.ToLower(l.Code))
	}
	var tag strings.Builder
	for _, w := range strings.Fields(camp.Name) {
		for _, r := range w {
			if r == '-' || r == '_' || r == '\'' {
				continue
			}
			tag.WriteRune(r)
		}
	}
	if tag.Len() > 0 {
		terms = append(terms, "#"+strings.ToLower(tag.String()))
	}
	return terms
}

// Detect looks through the influencer's collected posts since the deal
// was shortlisted for posts naming the campaign (DetectTerms) and attaches
// each to the next deliverable still waiting (planned, draft, approved) of
// the same network or of none. It returns the deliverables it attached.
func (s *Service) Detect(ctx context.Context, workspaceID, dealID int64) ([]store.InfluencerDeliverable, error) {
	d, err := s.Store.InfluencerDeal(ctx, workspaceID, dealID)
	if err != nil {
		return nil, err
	}
	camp, err := s.Store.Campaign(ctx, workspaceID, d.CampaignID)
	if err != nil {
		return nil, err
	}
	var l *store.Link
	if d.LinkID != 0 {
		if got, err := s.Store.Link(ctx, workspaceID, d.LinkID); err == nil {
			l = &got
		}
	}
	terms := detectTerms(camp, d, l)
	dels, err := s.Store.InfluencerDeliverables(ctx, workspaceID, 0, dealID)
	if err != nil {
		return nil, err
	}
	taken := map[string]bool{}
	for _, v := range dels {
		if v.URL != "" {
			taken[v.URL] = true
		}
	}
	accs, err := s.Store.InfluencerAccounts(ctx, workspaceID, d.InfluencerID)
	if err != nil {
		return nil, err
	}
	var attached []store.InfluencerDeliverable
	for _, a := range accs {
		posts, err := s.Store.InfluencerPosts(ctx, workspaceID, a.ID, RecentPosts)
		if err != nil {
			return nil, err
		}
		slices.Reverse(posts) // oldest first
		for _, p := range posts {
			if p.At.Before(d.CreatedAt) || p.URL == "" || taken[p.URL] || !mentions(p.Text, terms) {
				continue
			}
			for i, v := range dels {
				if v.URL != "" || v.Network != "" && v.Network != a.Network {
					continue
				}
				at := p.At
				v.URL, v.PublishedAt, v.Status, v.Network = p.URL, &at, "published", a.Network
				v.Counts = countsJSON(postCounts(p))
				if err := s.Store.UpdateInfluencerDeliverable(ctx, v); err != nil {
					return attached, err
				}
				dels[i] = v
				taken[p.URL] = true
				attached = append(attached, v)
				break
			}
		}
	}
	return attached, nil
}

func mentions(text string, terms []string) bool {
	t := strings.ToLower(text)
	for _, term := range terms {
		if term != "" && strings.Contains(t, term) {
			return true
		}
	}
	return false
}

func postCounts(p store.InfluencerPost) Counts {
	c := Unknown
	c.Likes, c.Comments, c.Shares, c.Views = p.Likes, p.Comments, p.Shares, p.Views
	return c
}

func countsJSON(c Counts) string {
	b, _ := json.Marshal(c)
	return string(b)
}

// measureDeliverables refreshes the counts of published deliverables whose
// URL is one of the just-collected posts (only counts the network gives;
// counts entered by hand for the others stay).
func (s *Service) measureDeliverables(ctx context.Context, workspaceID int64, acc store.InfluencerAccount, posts []store.InfluencerPost) error {
	deals, err := s.Store.InfluencerDeals(ctx, workspaceID, 0, acc.InfluencerID)
	if err != nil || len(deals) == 0 {
		return err
	}
	byURL := map[string]store.InfluencerPost{}
	for _, p := range posts {
		if p.URL != "" {
			byURL[p.URL] = p
		}
	}
	for _, d := range deals {
		dels, err := s.Store.InfluencerDeliverables(ctx, workspaceID, 0, d.ID)
		if err != nil {
			return err
		}
		for _, v := range dels {
			p, ok := byURL[v.URL]
			if !ok {
				continue
			}
			c := DeliverableCounts(v)
			got := postCounts(p)
			for _, pair := range [][2]*int64{{&c.Likes, &got.Likes}, {&c.Comments, &got.Comments}, {&c.Shares, &got.Shares}, {&c.Views, &got.Views}} {
				if *pair[1] >= 0 {
					*pair[0] = *pair[1]
				}
			}
			v.Counts = countsJSON(c)
			if err := s.Store.UpdateInfluencerDeliverable(ctx, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// DealResult is one influencer's results in a campaign.
type DealResult struct {
	Deal         store.InfluencerDeal          `json:"-"`
	Influencer   string                        `json:"influencer"`
	Deliverables []store.InfluencerDeliverable `json:"-"`
	Network      string                        `json:"network"`
	Results
}

// CampaignResults are a campaign's influencer results and their total.
type CampaignResults struct {
	Campaign store.Campaign `json:"-"`
	Currency string         `json:"currency"`
	Rows     []DealResult   `json:"influencers"`
	Total    Results        `json:"total"`
	EMVRules []EMVRule      `json:"emv_rules"`
}

// Results computes a campaign's results per influencer: counts summed over
// the deliverables, clicks of the deal's short link (people, not bots),
// conversions and revenue as entered, cost = the agreed rate, EMV from the
// workspace's table, and CPE, CPC and ROI.
func (s *Service) Results(ctx context.Context, workspaceID, campaignID int64) (CampaignResults, error) {
	camp, err := s.Store.Campaign(ctx, workspaceID, campaignID)
	if err != nil {
		return CampaignResults{}, err
	}
	set, err := s.Settings(ctx, workspaceID)
	if err != nil {
		return CampaignResults{}, err
	}
	deals, err := s.Store.InfluencerDeals(ctx, workspaceID, campaignID, 0)
	if err != nil {
		return CampaignResults{}, err
	}
	out := CampaignResults{Campaign: camp, Currency: camp.Currency, Rows: []DealResult{}, EMVRules: set.EMV}
	total := Results{Counts: Unknown}
	for _, d := range deals {
		in, err := s.Store.Influencer(ctx, workspaceID, d.InfluencerID)
		if err != nil {
			return out, err
		}
		dels, err := s.Store.InfluencerDeliverables(ctx, workspaceID, 0, d.ID)
		if err != nil {
			return out, err
		}
		r := DealResult{Deal: d, Influencer: in.Name, Deliverables: dels, Results: Results{Counts: Unknown}}
		for _, v := range dels {
			c := DeliverableCounts(v)
			r.Counts = r.Counts.Add(c)
			r.EMV += EMV(v.Network, c, set.EMV)
			if r.Network == "" {
				r.Network = v.Network
			}
		}
		if d.LinkID != 0 {
			cc, err := s.Store.CountClicks(ctx, workspaceID, store.ClickFilter{LinkID: d.LinkID}, time.Unix(0, 0), s.now().Add(time.Minute))
			if err != nil {
				return out, err
			}
			clicks := Counts{-1, -1, -1, -1, -1, -1, -1, cc.Clicks, -1}
			r.Counts = r.Counts.Add(clicks)
			r.EMV += EMV(r.Network, clicks, set.EMV)
		}
		if d.Conversions >= 0 {
			r.Counts.Conversions = d.Conversions
		}
		r.Cost, r.Revenue = float64(d.RateCents)/100, float64(d.RevenueCents)/100
		r.EMV = round2(r.EMV)
		r.Results = r.Results.Compute()
		out.Rows = append(out.Rows, r)
		total.Counts = total.Counts.Add(r.Counts)
		total.Cost += r.Cost
		total.Revenue += r.Revenue
		total.EMV += r.EMV
	}
	total.EMV = round2(total.EMV)
	out.Total = total.Compute()
	return out, nil
}

// PipelineRow is a deal with its influencer's name, for boards and lists.
type PipelineRow struct {
	store.InfluencerDeal
	Influencer string
}

// Pipeline lists a campaign's deals with the influencers' names, by stage order.
func (s *Service) Pipeline(ctx context.Context, workspaceID, campaignID int64) ([]PipelineRow, error) {
	if _, err := s.Store.Campaign(ctx, workspaceID, campaignID); err != nil {
		return nil, err
	}
	deals, err := s.Store.InfluencerDeals(ctx, workspaceID, campaignID, 0)
	if err != nil {
		return nil, err
	}
	out := make([]PipelineRow, 0, len(deals))
	for _, d := range deals {
		in, err := s.Store.Influencer(ctx, workspaceID, d.InfluencerID)
		if err != nil {
			return nil, err
		}
		out = append(out, PipelineRow{InfluencerDeal: d, Influencer: in.Name})
	}
	slices.SortStableFunc(out, func(a, b PipelineRow) int {
		return slices.Index(Stages, a.Stage) - slices.Index(Stages, b.Stage)
	})
	return out, nil
}

// ErrNoDeal is returned when a deal is not in the named campaign.
var ErrNoDeal = fmt.Errorf("influencer: deal not in this campaign")

// DealLink makes the deal's short link to target with UTM values naming the
// influencer (utm_source = network, utm_medium = influencer, utm_campaign =
// campaign, utm_content = the influencer's name as a slug) and sets it on
// the deal; its clicks count in the results.
func (s *Service) DealLink(ctx context.Context, workspaceID, userID, dealID int64, target, netw string) (store.Link, error) {
	if s.Links == nil {
		return store.Link{}, fmt.Errorf("influencer: no link service")
	}
	d, err := s.Store.InfluencerDeal(ctx, workspaceID, dealID)
	if err != nil {
		return store.Link{}, err
	}
	if netw != "" && !slices.Contains(Networks, netw) {
		return store.Link{}, valid.Errorf("network", "enum", "must be one of %s", strings.Join(Networks, ", "))
	}
	camp, err := s.Store.Campaign(ctx, workspaceID, d.CampaignID)
	if err != nil {
		return store.Link{}, err
	}
	in, err := s.Store.Influencer(ctx, workspaceID, d.InfluencerID)
	if err != nil {
		return store.Link{}, err
	}
	src := netw
	if src == "" {
		src = "influencer"
	}
	l, err := s.Links.Create(ctx, workspaceID, userID, link.Input{TargetURL: target, Title: in.Name + " – " + camp.Name, CampaignID: camp.ID,
		Network: netw, UTM: store.UTM{Source: src, Medium: "influencer", Campaign: valid.Slugify(camp.Name), Content: valid.Slugify(in.Name)}})
	if err != nil {
		return l, err
	}
	d.LinkID = l.ID
	return l, s.Store.UpdateInfluencerDeal(ctx, d)
}

// ConversionRow is one line of a conversions file: a discount code (or a
// deal id) with its conversions and revenue.
type ConversionRow struct {
	Line        int     `json:"line"`
	Code        string  `json:"code"`
	Conversions int64   `json:"conversions"`
	Revenue     float64 `json:"revenue"`
}

// ImportConversions reads a CSV of conversions per discount code (a shop's
// export: columns code, conversions, revenue; ; or , separated, BOM
// accepted) and sets them on the campaign's deals with that code. Rows whose
// code no deal of the campaign holds are reported; the values replace the
// deal's (an export is the running total, not an increment).
func (s *Service) ImportConversions(ctx context.Context, workspaceID, campaignID int64, r io.Reader) (updated int, bad []RowError, err error) {
	if _, err := s.Store.Campaign(ctx, workspaceID, campaignID); err != nil {
		return 0, nil, err
	}
	deals, err := s.Store.InfluencerDeals(ctx, workspaceID, campaignID, 0)
	if err != nil {
		return 0, nil, err
	}
	byCode := map[string]store.InfluencerDeal{}
	for _, d := range deals {
		if d.DiscountCode != "" {
			byCode[strings.ToLower(d.DiscountCode)] = d
		}
	}
	rows, bad, err := parseConversions(r)
	if err != nil {
		return 0, bad, err
	}
	for _, row := range rows {
		d, ok := byCode[strings.ToLower(row.Code)]
		if !ok {
			bad = append(bad, RowError{Line: row.Line, Column: "code", Reason: fmt.Sprintf("no influencer of this campaign has the code %q", row.Code)})
			continue
		}
		conv, rev := row.Conversions, int64(row.Revenue*100+0.5)
		if _, err := s.UpdateDeal(ctx, workspaceID, d.ID, DealInput{Conversions: &conv, RevenueCents: &rev}); err != nil {
			return updated, bad, err
		}
		updated++
	}
	slices.SortStableFunc(bad, func(a, b RowError) int { return a.Line - b.Line })
	return updated, bad, nil
}

func parseConversions(r io.Reader) ([]ConversionRow, []RowError, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > MaxImportBytes {
		return nil, nil, fmt.Errorf("file: larger than %d MiB", MaxImportBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	first, _, _ := bytes.Cut(data, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, nil, errors.New("file: a header row (code, conversions, revenue) is needed")
	}
	col := map[string]int{}
	names := map[string]string{"code": "code", "discount code": "code", "code promo": "code", "rabattcode": "code",
		"conversions": "conversions", "orders": "conversions", "commandes": "conversions", "bestellungen": "conversions",
		"revenue": "revenue", "chiffre d'affaires": "revenue", "umsatz": "revenue", "sales": "revenue"}
	for i, h := range header {
		if f, ok := names[strings.ToLower(strings.TrimSpace(h))]; ok {
			col[f] = i
		}
	}
	if _, ok := col["code"]; !ok {
		return nil, nil, errors.New("header: needs a \"code\" column")
	}
	var rows []ConversionRow
	var bad []RowError
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bad = append(bad, RowError{Line: pe.Line, Reason: pe.Err.Error(), Column: "code"})
				break
			}
			return rows, bad, err
		}
		line, _ := cr.FieldPos(0)
		get := func(f string) string {
			if i, ok := col[f]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row := ConversionRow{Line: line, Code: get("code")}
		if row.Code == "" {
			continue
		}
		if s := get("conversions"); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 0 {
				bad = append(bad, RowError{Line: line, Column: header[col["conversions"]], Reason: fmt.Sprintf("%q is not a whole number", s)})
				continue
			}
			row.Conversions = n
		}
		if s := get("revenue"); s != "" {
			f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
			if err != nil || f < 0 || f > 1e11 {
				bad = append(bad, RowError{Line: line, Column: header[col["revenue"]], Reason: fmt.Sprintf("%q is not an amount, like 1234.50", s)})
				continue
			}
			row.Revenue = f
		}
		rows = append(rows, row)
	}
	return rows, bad, nil
}
