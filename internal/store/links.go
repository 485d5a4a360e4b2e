package store

import (
	"context"
	"time"
)

// Link is a short link: /l/{Code} redirects to TargetURL with the UTM values added.
type Link struct {
	ID          int64
	WorkspaceID int64
	Code        string
	TargetURL   string
	Title       string
	// PostID and CampaignID are optional (0: none).
	PostID     int64
	CampaignID int64
	// Network is the network the link was made for ("" for a link made by hand).
	Network string
	UTM     UTM
	// SourceKey makes a link created automatically idempotent ("" for links made by hand).
	SourceKey string
	CreatedBy int64
	CreatedAt time.Time
}

// UTM holds the utm_* parameters a redirect adds to the target ("" leaves one out).
type UTM struct {
	Source, Medium, Campaign, Content, Term string
}

// Click is one visit of a short link. It holds no IP address: Visitor is a
// hash of the IP address and User-Agent with a salt kept for one day only.
type Click struct {
	LinkID       int64
	WorkspaceID  int64
	At           time.Time
	Visitor      string
	ReferrerHost string
	// Country is "" (unknown): no geolocation database is bundled.
	Country string
	// Device is "mobile", "tablet" or "desktop".
	Device string
	// Bot names the crawler or link-preview fetcher; "" for a person.
	Bot string
}

// ClickFilter selects the clicks counted; zero fields select everything in the workspace.
type ClickFilter struct {
	LinkID     int64
	PostID     int64
	CampaignID int64
}

// ClickCount is how often links were followed: by people (Clicks, Unique
// visitors per day summed) and by bots and link-preview fetchers (Bots).
type ClickCount struct {
	Key    string
	Clicks int64
	Unique int64
	Bots   int64
}

// LinkWithClicks is a link with its click counts (all time).
type LinkWithClicks struct {
	Link
	ClickCount
}

// Campaign groups posts and links under goals and a budget.
type Campaign struct {
	ID          int64
	WorkspaceID int64
	Name        string
	Description string
	StartsAt    *time.Time
	EndsAt      *time.Time
	Goals       []CampaignGoal
	// BudgetCents is the budget in hundredths of Currency (0: none).
	BudgetCents int64
	Currency    string
	CreatedBy   int64
	CreatedAt   time.Time
}

// CampaignGoal is a target for one metric (e.g. "clicks" 500).
type CampaignGoal struct {
	Metric string  `json:"metric"`
	Target float64 `json:"target"`
}

// LinkSettings are a workspace's link options.
type LinkSettings struct {
	WorkspaceID int64
	// AutoShorten replaces the links of a post's text by short links at publish time.
	AutoShorten bool
	// UTMTemplates maps utm_source, utm_medium, … to templates with {network},
	// {campaign}, {post_id}, {channel} placeholders.
	UTMTemplates map[string]string
	UpdatedAt    time.Time
}

// BioPage is a workspace's link-in-bio page (/bio/{slug}).
type BioPage struct {
	WorkspaceID int64
	Enabled     bool
	Title       string
	Description string
	AvatarURL   string
	// AvatarMediaID is an image of the media library shown instead of AvatarURL (0: none).
	AvatarMediaID int64
	Background    string
	Foreground    string
	Accent        string
	Lang          string
	Items         []BioItem
	ShowChannels  bool
	RecentPosts   int
	UpdatedAt     time.Time
}

// BioItem is one link of a bio page.
type BioItem struct {
	Label string `json:"label"`
	URL   string `json:"url"`
	// Kind is "shop", "site" or "link".
	Kind string `json:"kind"`
}

// LinkStore keeps short links, their click log, campaigns, the link settings
// and the bio pages, scoped by workspace.
type LinkStore interface {
	// CreateLink stores a link and sets its ID; a taken code is ErrConflict.
	CreateLink(ctx context.Context, l *Link) error
	// EnsureLink returns the workspace's link with l.SourceKey, creating it from l when none exists.
	EnsureLink(ctx context.Context, l *Link) error
	Link(ctx context.Context, workspaceID, id int64) (Link, error)
	// LinkByCode finds a link by its code, in any workspace (the public redirector).
	LinkByCode(ctx context.Context, code string) (Link, error)
	// Links lists the workspace's links, newest first, with their click counts.
	Links(ctx context.Context, workspaceID int64, f ClickFilter, limit int) ([]LinkWithClicks, error)
	DeleteLink(ctx context.Context, workspaceID, id int64) error
	// RecordClicks stores a batch of clicks in one transaction.
	RecordClicks(ctx context.Context, clicks []Click) error
	// CountClicks counts the clicks selected by f in [from, to).
	CountClicks(ctx context.Context, workspaceID int64, f ClickFilter, from, to time.Time) (ClickCount, error)
	// ClickBreakdown counts clicks in [from, to) per day ("2006-01-02", UTC), referrer, device, bot, link or post (their ids).
	ClickBreakdown(ctx context.Context, workspaceID int64, f ClickFilter, by string, from, to time.Time) ([]ClickCount, error)

	CreateCampaign(ctx context.Context, c *Campaign) error
	UpdateCampaign(ctx context.Context, c Campaign) error
	Campaign(ctx context.Context, workspaceID, id int64) (Campaign, error)
	// Campaigns lists the workspace's campaigns, newest first.
	Campaigns(ctx context.Context, workspaceID int64) ([]Campaign, error)
	DeleteCampaign(ctx context.Context, workspaceID, id int64) error
	// AttachCampaignPost adds a post of the workspace to a campaign (again: no change).
	AttachCampaignPost(ctx context.Context, workspaceID, campaignID, postID int64) error
	DetachCampaignPost(ctx context.Context, workspaceID, campaignID, postID int64) error
	// CampaignPostIDs lists the campaign's posts, in id order.
	CampaignPostIDs(ctx context.Context, workspaceID, campaignID int64) ([]int64, error)
	// PostCampaignIDs lists the campaigns a post is attached to, in id order.
	PostCampaignIDs(ctx context.Context, workspaceID, postID int64) ([]int64, error)

	// LinkSettings returns the workspace's settings (defaults when never saved).
	LinkSettings(ctx context.Context, workspaceID int64) (LinkSettings, error)
	SaveLinkSettings(ctx context.Context, s LinkSettings) error
	// BioPage returns the workspace's bio page (defaults, disabled, when never saved).
	BioPage(ctx context.Context, workspaceID int64) (BioPage, error)
	SaveBioPage(ctx context.Context, p BioPage) error
	// RecentPublished lists the workspace's latest publications with a public URL, newest first.
	RecentPublished(ctx context.Context, workspaceID int64, limit int) ([]PublishedItem, error)
}

// PublishedItem is a publication out on its network, for the bio page.
type PublishedItem struct {
	PublicationID int64
	PostID        int64
	Network       string
	URL           string
	// Text is the variant's text, or the post's.
	Text        string
	PublishedAt time.Time
}

// Click breakdown keys.
const (
	ClicksByDay      = "day"
	ClicksByReferrer = "referrer"
	ClicksByDevice   = "device"
	ClicksByBot      = "bot"
	ClicksByLink     = "link"
	// ClicksByPost keys by post id ("" for links of no post): clicks per post for analytics.
	ClicksByPost = "post"
)

// DefaultBioPage is a workspace's bio page before it is first saved.
func DefaultBioPage(workspaceID int64) BioPage {
	return BioPage{WorkspaceID: workspaceID, Background: "#ffffff", Foreground: "#1a1a1a", Accent: "#0b57d0",
		Lang: "en", Items: []BioItem{}, ShowChannels: true, RecentPosts: 5}
}
