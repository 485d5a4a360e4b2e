package sqlstore

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/relais/relais/internal/store"
)

// CreateReportSchedule saves a schedule, setting its id.
func (db *DB) CreateReportSchedule(ctx context.Context, s *store.ReportSchedule) error {
	err := db.W.QueryRowContext(ctx, db.Q("CreateReportSchedule"), s.WorkspaceID, s.Frequency, s.Language,
		strings.Join(s.Recipients, "\n"), periodMS(s.LastPeriod), MS(s.CreatedAt)).Scan(&s.ID)
	return db.Err("create report schedule", err)
}

// periodMS stores a period start, 0 for none.
func periodMS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return MS(t)
}

// ReportSchedules lists the workspace's schedules (0: every workspace's), oldest first.
func (db *DB) ReportSchedules(ctx context.Context, workspaceID int64) ([]store.ReportSchedule, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("ReportSchedules"), workspaceID)
	if err != nil {
		return nil, db.Err("list report schedules", err)
	}
	defer rows.Close()
	var out []store.ReportSchedule
	for rows.Next() {
		var s store.ReportSchedule
		var recipients string
		var last, created int64
		if err := rows.Scan(&s.ID, &s.WorkspaceID, &s.Frequency, &s.Language, &recipients, &last, &created); err != nil {
			return nil, db.Err("list report schedules", err)
		}
		s.Recipients = strings.Split(recipients, "\n")
		if last != 0 {
			s.LastPeriod = Time(last)
		}
		s.CreatedAt = Time(created)
		out = append(out, s)
	}
	return out, db.Err("list report schedules", rows.Err())
}

// DeleteReportSchedule removes one of the workspace's schedules.
func (db *DB) DeleteReportSchedule(ctx context.Context, workspaceID, id int64) error {
	return db.Err("delete report schedule", Affected(db.W.ExecContext(ctx, db.Q("DeleteReportSchedule"), workspaceID, id)))
}

// ClaimReportPeriod moves the schedule's last period from prev to next when it is still prev.
func (db *DB) ClaimReportPeriod(ctx context.Context, id int64, prev, next time.Time) (bool, error) {
	err := Affected(db.W.ExecContext(ctx, db.Q("ClaimReportPeriod"), id, periodMS(prev), periodMS(next)))
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, db.Err("claim report period", err)
}

// ReportBrand reads the workspace's brand, a zero one when none was set.
func (db *DB) ReportBrand(ctx context.Context, workspaceID int64) (store.ReportBrand, error) {
	b := store.ReportBrand{WorkspaceID: workspaceID}
	var updated int64
	err := db.R.QueryRowContext(ctx, db.Q("ReportBrand"), workspaceID).Scan(&b.DisplayName, &b.AccentColor, &b.LogoMediaID, &b.Footer, &updated)
	if err != nil {
		if err = db.Err("read report brand", err); errors.Is(err, store.ErrNotFound) {
			return b, nil
		}
		return b, err
	}
	b.UpdatedAt = Time(updated)
	return b, nil
}

// SaveReportBrand writes the workspace's brand; a logo of another workspace is ErrNotFound.
func (db *DB) SaveReportBrand(ctx context.Context, b *store.ReportBrand) error {
	return db.Err("save report brand", Affected(db.W.ExecContext(ctx, db.Q("SaveReportBrand"), b.WorkspaceID, b.DisplayName,
		b.AccentColor, b.LogoMediaID, b.Footer, MS(b.UpdatedAt))))
}
