package store

import (
	"context"
	"time"
)

// CompetitorPanel is a named group of brands a workspace benchmarks itself
// against ("Top 20 German fashion brands").
type CompetitorPanel struct {
	ID          int64
	WorkspaceID int64
	Name        string
	CreatedAt   time.Time
	Accounts    []CompetitorAccount
}

// CompetitorAccount is one brand's account on one network.
type CompetitorAccount struct {
	ID          int64
	PanelID     int64
	WorkspaceID int64
	Brand       string
	Network     string
	Handle      string
}

// CompetitorDay is an account's public metrics on one UTC day.
type CompetitorDay struct {
	AccountID   int64
	WorkspaceID int64
	Day         time.Time
	Followers   int64
	// Posts is the account's total post count; PostsWeek the posts of the last 7 days.
	Posts     int64
	PostsWeek int64
	// EngagementPost is the mean likes+reposts+replies of the recent posts read.
	EngagementPost float64
	TopPostURL     string
	TopPostEng     int64
	// Formats counts the recent posts per format ("text", "image", "video", "link").
	Formats map[string]int
	// Hashtags are the recent posts' most used hashtags, most used first.
	Hashtags []string
	TakenAt  time.Time
}

// CompetitorStore keeps competitor panels, their accounts and daily metrics.
type CompetitorStore interface {
	CreateCompetitorPanel(ctx context.Context, p *CompetitorPanel) error
	CompetitorPanel(ctx context.Context, workspaceID, id int64) (CompetitorPanel, error)
	CompetitorPanels(ctx context.Context, workspaceID int64) ([]CompetitorPanel, error)
	DeleteCompetitorPanel(ctx context.Context, workspaceID, id int64) error
	AddCompetitorAccount(ctx context.Context, a *CompetitorAccount) error
	DeleteCompetitorAccount(ctx context.Context, workspaceID, id int64) error
	// AllCompetitorAccounts lists the accounts of every workspace (the daily collection).
	AllCompetitorAccounts(ctx context.Context) ([]CompetitorAccount, error)
	SaveCompetitorDay(ctx context.Context, d CompetitorDay) error
	// CompetitorDays lists a panel's daily metrics from since on, by account then day.
	CompetitorDays(ctx context.Context, workspaceID, panelID int64, since time.Time) ([]CompetitorDay, error)
}
