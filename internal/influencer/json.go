package influencer

import (
	"context"
	"time"

	"github.com/relais/relais/internal/store"
)

// InfluencerView is an influencer as the API and the CLI show it.
type InfluencerView struct {
	ID        int64         `json:"id"`
	Name      string        `json:"name"`
	Email     string        `json:"email"`
	Phone     string        `json:"phone"`
	Consent   bool          `json:"consent"`
	ConsentAt *time.Time    `json:"consent_at,omitempty"`
	Country   string        `json:"country"`
	Language  string        `json:"language"`
	Tags      []string      `json:"tags"`
	Notes     string        `json:"notes"`
	Accounts  []AccountView `json:"accounts"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
}

// AccountView is an account with its last collected profile (-1: unknown).
type AccountView struct {
	ID           int64      `json:"id"`
	Network      string     `json:"network"`
	Handle       string     `json:"handle"`
	DisplayName  string     `json:"display_name"`
	Bio          string     `json:"bio"`
	ProfileURL   string     `json:"profile_url"`
	Followers    int64      `json:"followers"`
	Following    int64      `json:"following"`
	Posts        int64      `json:"posts"`
	CollectedAt  *time.Time `json:"collected_at,omitempty"`
	CollectError string     `json:"collect_error,omitempty"`
}

// SnapshotView is one day of an account's history.
type SnapshotView struct {
	Day       string `json:"day"`
	Followers int64  `json:"followers"`
	Following int64  `json:"following"`
	Posts     int64  `json:"posts"`
}

// ViewAccount turns a stored account into its view.
func ViewAccount(a store.InfluencerAccount) AccountView {
	return AccountView{ID: a.ID, Network: a.Network, Handle: a.Handle, DisplayName: a.DisplayName, Bio: a.Bio, ProfileURL: a.ProfileURL,
		Followers: a.Followers, Following: a.Following, Posts: a.Posts, CollectedAt: a.CollectedAt, CollectError: a.CollectError}
}

// View reads an influencer with its accounts.
func (s *Service) View(ctx context.Context, workspaceID int64, in store.Influencer) (InfluencerView, error) {
	v := InfluencerView{ID: in.ID, Name: in.Name, Email: in.Email, Phone: in.Phone, Consent: in.Consent, ConsentAt: in.ConsentAt,
		Country: in.Country, Language: in.Language, Tags: in.Tags, Notes: in.Notes, CreatedAt: in.CreatedAt, UpdatedAt: in.UpdatedAt,
		Accounts: []AccountView{}}
	if v.Tags == nil {
		v.Tags = []string{}
	}
	accs, err := s.Store.InfluencerAccounts(ctx, workspaceID, in.ID)
	if err != nil {
		return v, err
	}
	for _, a := range accs {
		v.Accounts = append(v.Accounts, ViewAccount(a))
	}
	return v, nil
}

// List reads the directory with each influencer's accounts.
func (s *Service) List(ctx context.Context, workspaceID int64, f store.InfluencerFilter) ([]InfluencerView, error) {
	list, err := s.Store.Influencers(ctx, workspaceID, f)
	if err != nil {
		return nil, err
	}
	all, err := s.Store.InfluencerAccounts(ctx, workspaceID, 0)
	if err != nil {
		return nil, err
	}
	by := map[int64][]AccountView{}
	for _, a := range all {
		by[a.InfluencerID] = append(by[a.InfluencerID], ViewAccount(a))
	}
	out := make([]InfluencerView, 0, len(list))
	for _, in := range list {
		v := InfluencerView{ID: in.ID, Name: in.Name, Email: in.Email, Phone: in.Phone, Consent: in.Consent, ConsentAt: in.ConsentAt,
			Country: in.Country, Language: in.Language, Tags: in.Tags, Notes: in.Notes, CreatedAt: in.CreatedAt, UpdatedAt: in.UpdatedAt,
			Accounts: by[in.ID]}
		if v.Tags == nil {
			v.Tags = []string{}
		}
		if v.Accounts == nil {
			v.Accounts = []AccountView{}
		}
		out = append(out, v)
	}
	return out, nil
}

// Snapshots lists an account's daily snapshots.
func (s *Service) Snapshots(ctx context.Context, workspaceID, accountID int64) ([]SnapshotView, error) {
	snaps, err := s.Store.InfluencerSnapshots(ctx, workspaceID, accountID, s.now().AddDate(0, 0, -HistoryDays))
	if err != nil {
		return nil, err
	}
	out := make([]SnapshotView, 0, len(snaps))
	for _, sn := range snaps {
		out = append(out, SnapshotView{Day: sn.Day.Format("2006-01-02"), Followers: sn.Followers, Following: sn.Following, Posts: sn.Posts})
	}
	return out, nil
}

// DealView is an influencer's deal in a campaign.
type DealView struct {
	ID           int64     `json:"id"`
	CampaignID   int64     `json:"campaign_id"`
	InfluencerID int64     `json:"influencer_id"`
	Influencer   string    `json:"influencer"`
	Stage        string    `json:"stage"`
	OwnerID      int64     `json:"owner_id"`
	RateCents    int64     `json:"rate_cents"`
	Currency     string    `json:"currency"`
	DiscountCode string    `json:"discount_code"`
	LinkID       int64     `json:"link_id"`
	Conversions  int64     `json:"conversions"`
	RevenueCents int64     `json:"revenue_cents"`
	Notes        string    `json:"notes"`
	StageAt      time.Time `json:"stage_at"`
	CreatedAt    time.Time `json:"created_at"`
}

// ViewDeal turns a deal into its view.
func ViewDeal(d store.InfluencerDeal, name string) DealView {
	return DealView{ID: d.ID, CampaignID: d.CampaignID, InfluencerID: d.InfluencerID, Influencer: name, Stage: d.Stage, OwnerID: d.OwnerID,
		RateCents: d.RateCents, Currency: d.Currency, DiscountCode: d.DiscountCode, LinkID: d.LinkID, Conversions: d.Conversions,
		RevenueCents: d.RevenueCents, Notes: d.Notes, StageAt: d.StageAt, CreatedAt: d.CreatedAt}
}

// EventView is a line of a deal's log.
type EventView struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	FromStage string    `json:"from_stage,omitempty"`
	ToStage   string    `json:"to_stage,omitempty"`
	Body      string    `json:"body,omitempty"`
	MediaID   int64     `json:"media_id,omitempty"`
	AuthorID  int64     `json:"author_id"`
	At        time.Time `json:"at"`
}

// ViewEvent turns a log line into its view.
func ViewEvent(e store.InfluencerEvent) EventView {
	return EventView{ID: e.ID, Kind: e.Kind, FromStage: e.FromStage, ToStage: e.ToStage, Body: e.Body, MediaID: e.MediaID, AuthorID: e.AuthorID, At: e.At}
}

// DeliverableView is a deliverable with its counts.
type DeliverableView struct {
	ID          int64      `json:"id"`
	DealID      int64      `json:"deal_id"`
	Kind        string     `json:"kind"`
	Network     string     `json:"network"`
	DueAt       *time.Time `json:"due_at,omitempty"`
	Brief       string     `json:"brief"`
	Status      string     `json:"status"`
	DraftPostID int64      `json:"draft_post_id"`
	URL         string     `json:"url"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
	Counts      Counts     `json:"counts"`
}

// ViewDeliverable turns a deliverable into its view.
func ViewDeliverable(d store.InfluencerDeliverable) DeliverableView {
	return DeliverableView{ID: d.ID, DealID: d.DealID, Kind: d.Kind, Network: d.Network, DueAt: d.DueAt, Brief: d.Brief, Status: d.Status,
		DraftPostID: d.DraftPostID, URL: d.URL, PublishedAt: d.PublishedAt, Counts: DeliverableCounts(d)}
}

// DealDetail is a deal with its log and deliverables.
type DealDetail struct {
	DealView
	Events       []EventView       `json:"events"`
	Deliverables []DeliverableView `json:"deliverables"`
}

// Deal reads a deal with its log and deliverables.
func (s *Service) Deal(ctx context.Context, workspaceID, dealID int64) (DealDetail, error) {
	d, err := s.Store.InfluencerDeal(ctx, workspaceID, dealID)
	if err != nil {
		return DealDetail{}, err
	}
	in, err := s.Store.Influencer(ctx, workspaceID, d.InfluencerID)
	if err != nil {
		return DealDetail{}, err
	}
	out := DealDetail{DealView: ViewDeal(d, in.Name), Events: []EventView{}, Deliverables: []DeliverableView{}}
	evs, err := s.Store.InfluencerEvents(ctx, workspaceID, dealID)
	if err != nil {
		return out, err
	}
	for _, e := range evs {
		out.Events = append(out.Events, ViewEvent(e))
	}
	dels, err := s.Store.InfluencerDeliverables(ctx, workspaceID, 0, dealID)
	if err != nil {
		return out, err
	}
	for _, v := range dels {
		if v, err = s.syncDraft(ctx, v); err != nil {
			return out, err
		}
		out.Deliverables = append(out.Deliverables, ViewDeliverable(v))
	}
	return out, nil
}

// syncDraft follows the approval flow of a deliverable's draft (a relais
// post): in review or draft → "draft", approved or later → "approved". A
// published deliverable (with its URL) keeps its status.
func (s *Service) syncDraft(ctx context.Context, v store.InfluencerDeliverable) (store.InfluencerDeliverable, error) {
	if v.DraftPostID == 0 || v.Status == "published" {
		return v, nil
	}
	post, err := s.Store.Post(ctx, v.WorkspaceID, v.DraftPostID)
	if err != nil {
		return v, nil // the draft was deleted: the status stays as it was
	}
	status := v.Status
	switch post.State {
	case store.PostDraft, store.PostInReview, store.PostNeedsReview:
		status = "draft"
	case store.PostApproved, store.PostScheduled, store.PostPublishing, store.PostPublished, store.PostPartiallyPublished:
		status = "approved"
	}
	if status == v.Status {
		return v, nil
	}
	v.Status = status
	return v, s.Store.UpdateInfluencerDeliverable(ctx, v)
}

// Rate is the agreed fee in currency units.
func (d DealView) Rate() float64 { return float64(d.RateCents) / 100 }

// Revenue is the entered revenue in currency units.
func (d DealView) Revenue() float64 { return float64(d.RevenueCents) / 100 }
