package store

import (
	"context"
	"time"
)

// ReportSchedule sends a workspace's report of the last full week or month
// by e-mail to its recipients, in one language.
type ReportSchedule struct {
	ID          int64
	WorkspaceID int64
	// Frequency is "weekly" (Monday to Sunday) or "monthly" (a calendar month), in UTC.
	Frequency string
	// Language is en, fr or de.
	Language   string
	Recipients []string
	// LastPeriod is the start of the last period sent (zero: none yet).
	LastPeriod time.Time
	CreatedAt  time.Time
}

// ReportBrand is what a workspace's reports show instead of its own name:
// an agency's or client's display name, accent colour (#rrggbb), logo
// (an image of its media library, 0 for none) and footer text.
type ReportBrand struct {
	WorkspaceID int64
	DisplayName string
	AccentColor string
	LogoMediaID int64
	Footer      string
	UpdatedAt   time.Time
}

// ReportStore keeps scheduled report e-mails and the reports' brand.
type ReportStore interface {
	// CreateReportSchedule saves a schedule, setting its id.
	CreateReportSchedule(ctx context.Context, s *ReportSchedule) error
	// ReportSchedules lists the workspace's schedules, oldest first;
	// workspaceID 0 lists every workspace's, for the sending job only.
	ReportSchedules(ctx context.Context, workspaceID int64) ([]ReportSchedule, error)
	// DeleteReportSchedule removes one of the workspace's schedules; ErrNotFound when it has none with that id.
	DeleteReportSchedule(ctx context.Context, workspaceID, id int64) error
	// ClaimReportPeriod moves the schedule's last period from prev to next
	// when it is still prev, and says whether it did: of several instances
	// claiming the same period, one wins. Claiming back (next, prev) releases
	// a period whose sending failed.
	ClaimReportPeriod(ctx context.Context, id int64, prev, next time.Time) (bool, error)
	// ReportBrand reads the workspace's brand (a zero brand when none was set).
	ReportBrand(ctx context.Context, workspaceID int64) (ReportBrand, error)
	// SaveReportBrand writes the workspace's brand; ErrNotFound when the logo
	// is not an item of the workspace's media library.
	SaveReportBrand(ctx context.Context, b *ReportBrand) error
}
