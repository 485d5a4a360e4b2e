package app

import (
	"context"
	"time"

	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/jobs"
)

// reportsPeriodic sends the scheduled report e-mails every hour when SMTP
// is configured; each schedule's period is claimed in the store, so it goes
// out once however many instances run.
func (a *App) reportsPeriodic() []jobs.Periodic {
	if a.Mail == nil || a.Analytics == nil {
		return nil
	}
	m := &analytics.Mailer{Service: a.Analytics, Mail: a.Mail, Log: a.Log}
	return []jobs.Periodic{{
		Name:  "send_scheduled_reports",
		Every: time.Hour,
		Run: func(ctx context.Context) error {
			_, err := m.SendDue(ctx, time.Now())
			return err
		},
	}}
}
