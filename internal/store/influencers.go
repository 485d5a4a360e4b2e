package store

import (
	"context"
	"time"
)

// Influencer is a person of the workspace's influencer directory. Email
// and Phone are kept only with Consent (the service enforces it).
type Influencer struct {
	ID          int64
	WorkspaceID int64
	Name        string
	Email       string
	Phone       string
	Consent     bool
	ConsentAt   *time.Time
	Country     string
	Language    string
	Tags        []string
	Notes       string
	CreatedBy   int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// InfluencerFilter selects influencers; zero fields select all.
type InfluencerFilter struct {
	// Query matches the name, a handle or the notes (case-insensitive substring).
	Query string
	Tag   string
	Limit int
}

// InfluencerAccount is an influencer's account on a network with the last
// collected profile; a count the network does not give is -1.
type InfluencerAccount struct {
	ID           int64
	WorkspaceID  int64
	InfluencerID int64
	Network      string
	Handle       string
	ExternalID   string
	DisplayName  string
	Bio          string
	AvatarURL    string
	ProfileURL   string
	Followers    int64
	Following    int64
	Posts        int64
	CollectedAt  *time.Time
	CollectError string
}

// InfluencerSnapshot is an account's counts on one UTC day.
type InfluencerSnapshot struct {
	Day       time.Time
	At        time.Time
	Followers int64
	Following int64
	Posts     int64
}

// InfluencerPost is one public post of an influencer's account with its
// counts (-1: unknown) and a sample of its comments.
type InfluencerPost struct {
	AccountID   int64
	RemoteID    string
	At          time.Time
	URL         string
	Text        string
	Likes       int64
	Comments    int64
	Shares      int64
	Views       int64
	Sample      []InfluencerComment
	CollectedAt time.Time
}

// InfluencerComment is one comment of a post's sample.
type InfluencerComment struct {
	Author string    `json:"author"`
	Text   string    `json:"text"`
	At     time.Time `json:"at"`
}

// InfluencerDeal is an influencer in a campaign: the pipeline stage and the
// deal's terms and results entered by hand.
type InfluencerDeal struct {
	ID           int64
	WorkspaceID  int64
	CampaignID   int64
	InfluencerID int64
	Stage        string
	OwnerID      int64
	RateCents    int64
	Currency     string
	DiscountCode string
	LinkID       int64
	// Conversions is -1 until entered or imported.
	Conversions  int64
	RevenueCents int64
	Notes        string
	StageAt      time.Time
	CreatedAt    time.Time
}

// InfluencerEvent is a line of a deal's log: a stage move ("move"), a
// message ("message") or a contract file ("contract", MediaID set).
type InfluencerEvent struct {
	ID          int64
	WorkspaceID int64
	DealID      int64
	Kind        string
	FromStage   string
	ToStage     string
	Body        string
	MediaID     int64
	AuthorID    int64
	At          time.Time
}

// InfluencerDeliverable is a post, story or video a deal owes.
type InfluencerDeliverable struct {
	ID          int64
	WorkspaceID int64
	DealID      int64
	Kind        string
	Network     string
	DueAt       *time.Time
	Brief       string
	Status      string
	DraftPostID int64
	URL         string
	PublishedAt *time.Time
	// Counts is the JSON of the measured counts (influencer.Counts).
	Counts    string
	CreatedAt time.Time
}

// InfluencerSettings are a workspace's vetting and EMV settings (JSON
// texts the influencer package reads).
type InfluencerSettings struct {
	WorkspaceID     int64
	EMV             string
	TargetLanguages []string
	BrandSafety     []string
	UpdatedAt       time.Time
}

// InfluencerStore keeps the influencer directory, metric history, campaign
// deals, their log and deliverables. Every call is scoped to a workspace.
type InfluencerStore interface {
	CreateInfluencer(ctx context.Context, in *Influencer) error
	UpdateInfluencer(ctx context.Context, in Influencer) error
	Influencer(ctx context.Context, workspaceID, id int64) (Influencer, error)
	// Influencers lists the workspace's influencers by name.
	Influencers(ctx context.Context, workspaceID int64, f InfluencerFilter) ([]Influencer, error)
	DeleteInfluencer(ctx context.Context, workspaceID, id int64) error

	// AddInfluencerAccount adds an account; the (network, handle) pair is
	// unique in the workspace (ErrConflict).
	AddInfluencerAccount(ctx context.Context, a *InfluencerAccount) error
	// SaveInfluencerProfile stores the collected profile fields of an account.
	SaveInfluencerProfile(ctx context.Context, a InfluencerAccount) error
	InfluencerAccount(ctx context.Context, workspaceID, id int64) (InfluencerAccount, error)
	// InfluencerAccounts lists an influencer's accounts (influencerID 0: all of the workspace's).
	InfluencerAccounts(ctx context.Context, workspaceID, influencerID int64) ([]InfluencerAccount, error)
	// AllInfluencerAccounts lists every workspace's accounts collected
	// before the given time (or never), oldest first: the collect job's work.
	AllInfluencerAccounts(ctx context.Context, collectedBefore time.Time, limit int) ([]InfluencerAccount, error)
	DeleteInfluencerAccount(ctx context.Context, workspaceID, id int64) error

	// SaveInfluencerSnapshot stores the day's counts (the day's last call wins).
	SaveInfluencerSnapshot(ctx context.Context, workspaceID, accountID int64, s InfluencerSnapshot) error
	// InfluencerSnapshots lists an account's snapshots since a day, oldest first.
	InfluencerSnapshots(ctx context.Context, workspaceID, accountID int64, since time.Time) ([]InfluencerSnapshot, error)
	// SaveInfluencerPosts upserts posts by (account, remote id).
	SaveInfluencerPosts(ctx context.Context, workspaceID int64, posts []InfluencerPost) error
	// InfluencerPosts lists an account's newest posts, newest first.
	InfluencerPosts(ctx context.Context, workspaceID, accountID int64, limit int) ([]InfluencerPost, error)

	// AddInfluencerDeal puts an influencer into a campaign (ErrConflict: already in it).
	AddInfluencerDeal(ctx context.Context, d *InfluencerDeal) error
	UpdateInfluencerDeal(ctx context.Context, d InfluencerDeal) error
	InfluencerDeal(ctx context.Context, workspaceID, id int64) (InfluencerDeal, error)
	// InfluencerDeals lists deals of a campaign and/or an influencer (0: any).
	InfluencerDeals(ctx context.Context, workspaceID, campaignID, influencerID int64) ([]InfluencerDeal, error)
	DeleteInfluencerDeal(ctx context.Context, workspaceID, id int64) error
	AddInfluencerEvent(ctx context.Context, e *InfluencerEvent) error
	// InfluencerEvents lists a deal's log, oldest first.
	InfluencerEvents(ctx context.Context, workspaceID, dealID int64) ([]InfluencerEvent, error)

	CreateInfluencerDeliverable(ctx context.Context, d *InfluencerDeliverable) error
	UpdateInfluencerDeliverable(ctx context.Context, d InfluencerDeliverable) error
	InfluencerDeliverable(ctx context.Context, workspaceID, id int64) (InfluencerDeliverable, error)
	// InfluencerDeliverables lists a deal's deliverables (dealID 0: the campaign's).
	InfluencerDeliverables(ctx context.Context, workspaceID, campaignID, dealID int64) ([]InfluencerDeliverable, error)
	DeleteInfluencerDeliverable(ctx context.Context, workspaceID, id int64) error

	// InfluencerSettings returns the workspace's settings (zero value when never saved).
	InfluencerSettings(ctx context.Context, workspaceID int64) (InfluencerSettings, error)
	SaveInfluencerSettings(ctx context.Context, s InfluencerSettings) error
}
