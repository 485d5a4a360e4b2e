package analytics

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"

	rmail "github.com/relais/relais/internal/mail"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// Limits of scheduled reports.
const (
	MaxRecipients = 20
	MaxSchedules  = 10
)

// ReportLanguages are the languages a report is written in.
var ReportLanguages = []string{"en", "fr", "de"}

// ScheduleInput is a new scheduled report as typed.
type ScheduleInput struct {
	Frequency  string   `json:"frequency" enum:"weekly,monthly" doc:"weekly: the last full week, Monday to Sunday (UTC), sent on Monday; monthly: the last calendar month, sent on the 1st"`
	Language   string   `json:"language" enum:"en,fr,de" doc:"Language of the e-mail and its PDF"`
	Recipients []string `json:"recipients" maxItems:"20" doc:"E-mail addresses (at most 20)"`
}

// Schedule is a scheduled report with the periods it sent and sends next.
type Schedule struct {
	ID         int64    `json:"id"`
	Frequency  string   `json:"frequency"`
	Language   string   `json:"language"`
	Recipients []string `json:"recipients"`
	// LastPeriod is the start of the last period sent (absent: none yet).
	LastPeriod *time.Time `json:"last_period,omitempty"`
	// NextFrom and NextTo are the period the next e-mail covers ([from, to)).
	NextFrom  time.Time `json:"next_from"`
	NextTo    time.Time `json:"next_to"`
	CreatedAt time.Time `json:"created_at"`
}

// LastFullPeriod is the last full week (Monday 00:00 to Monday 00:00, UTC)
// or calendar month before now.
func LastFullPeriod(frequency string, now time.Time) (time.Time, time.Time) {
	now = now.UTC()
	day := now.Truncate(24 * time.Hour)
	if frequency == "monthly" {
		to := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
		return to.AddDate(0, -1, 0), to
	}
	to := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	return to.AddDate(0, 0, -7), to
}

func scheduleOf(s store.ReportSchedule, now time.Time) Schedule {
	out := Schedule{ID: s.ID, Frequency: s.Frequency, Language: s.Language, Recipients: s.Recipients, CreatedAt: s.CreatedAt}
	from, to := LastFullPeriod(s.Frequency, now)
	if !s.LastPeriod.IsZero() {
		lp := s.LastPeriod
		out.LastPeriod = &lp
		if !lp.Before(from) {
			// This period went out: the next is the one after it.
			from, to = to, periodEnd(s.Frequency, to)
		}
	}
	out.NextFrom, out.NextTo = from, to
	return out
}

// periodEnd is the end of the period that starts at from.
func periodEnd(frequency string, from time.Time) time.Time {
	if frequency == "monthly" {
		return from.AddDate(0, 1, 0)
	}
	return from.AddDate(0, 0, 7)
}

// Schedules lists the workspace's scheduled reports.
func (s *Service) Schedules(ctx context.Context, workspaceID int64, now time.Time) ([]Schedule, error) {
	list, err := s.Store.ReportSchedules(ctx, workspaceID)
	out := make([]Schedule, 0, len(list))
	for _, sc := range list {
		out = append(out, scheduleOf(sc, now))
	}
	return out, err
}

// CreateSchedule checks and saves a scheduled report.
func (s *Service) CreateSchedule(ctx context.Context, workspaceID int64, in ScheduleInput, now time.Time) (Schedule, error) {
	if in.Frequency != "weekly" && in.Frequency != "monthly" {
		return Schedule{}, valid.Errorf("frequency", "unknown", `frequency: "weekly" or "monthly"; got %q`, in.Frequency)
	}
	known := false
	for _, l := range ReportLanguages {
		known = known || l == in.Language
	}
	if !known {
		return Schedule{}, valid.Errorf("language", "unknown", `language: en, fr or de; got %q`, in.Language)
	}
	var rcpt []string
	seen := map[string]bool{}
	for _, r := range in.Recipients {
		for _, part := range strings.FieldsFunc(r, func(c rune) bool { return c == ',' || c == ';' || c == '\n' }) {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			a, err := mail.ParseAddress(part)
			if err != nil {
				return Schedule{}, valid.Errorf("recipients", "format", "recipients: %q is not an e-mail address", part)
			}
			if k := strings.ToLower(a.Address); !seen[k] {
				seen[k] = true
				rcpt = append(rcpt, a.Address)
			}
		}
	}
	switch {
	case len(rcpt) == 0:
		return Schedule{}, valid.Errorf("recipients", "required", "recipients: give at least one e-mail address")
	case len(rcpt) > MaxRecipients:
		return Schedule{}, valid.Errorf("recipients", "too_many", "recipients: at most %d addresses; got %d", MaxRecipients, len(rcpt))
	}
	list, err := s.Store.ReportSchedules(ctx, workspaceID)
	if err != nil {
		return Schedule{}, err
	}
	if len(list) >= MaxSchedules {
		return Schedule{}, valid.Errorf("frequency", "too_many", "a workspace has at most %d scheduled reports; remove one first", MaxSchedules)
	}
	sc := store.ReportSchedule{WorkspaceID: workspaceID, Frequency: in.Frequency, Language: in.Language, Recipients: rcpt, CreatedAt: now.UTC()}
	if err := s.Store.CreateReportSchedule(ctx, &sc); err != nil {
		return Schedule{}, err
	}
	return scheduleOf(sc, now), nil
}

// DeleteSchedule removes one of the workspace's scheduled reports.
func (s *Service) DeleteSchedule(ctx context.Context, workspaceID, id int64) error {
	return s.Store.DeleteReportSchedule(ctx, workspaceID, id)
}

// Mailer sends the scheduled reports that are due.
type Mailer struct {
	Service *Service
	Mail    *rmail.Sender
	Log     *slog.Logger
}

// SendDue sends, for every schedule of every workspace whose last full
// period has not gone out yet, the report of that period to its
// recipients: an HTML e-mail with the PDF and the CSV attached. A period
// is claimed in the store before sending, so several instances send it
// once; when no recipient could be reached it is released for the next run.
func (m *Mailer) SendDue(ctx context.Context, now time.Time) (int, error) {
	list, err := m.Service.Store.ReportSchedules(ctx, 0)
	if err != nil {
		return 0, err
	}
	sent := 0
	var errs []error
	for _, sc := range list {
		from, to := LastFullPeriod(sc.Frequency, now)
		if !sc.LastPeriod.Before(from) {
			continue
		}
		ok, err := m.Service.Store.ClaimReportPeriod(ctx, sc.ID, sc.LastPeriod, from)
		if err != nil || !ok {
			errs = append(errs, err)
			continue
		}
		n, err := m.send(ctx, sc, from, to)
		sent += n
		if err != nil {
			errs = append(errs, fmt.Errorf("analytics: scheduled report %d: %w", sc.ID, err))
			if n == 0 {
				if _, rerr := m.Service.Store.ClaimReportPeriod(ctx, sc.ID, from, sc.LastPeriod); rerr != nil {
					errs = append(errs, rerr)
				}
			}
		}
	}
	return sent, errors.Join(errs...)
}

// send mails one schedule's report of [from, to) and says how many
// recipients got it.
func (m *Mailer) send(ctx context.Context, sc store.ReportSchedule, from, to time.Time) (int, error) {
	ws, err := m.Service.Store.WorkspaceByID(ctx, sc.WorkspaceID)
	if err != nil {
		return 0, err
	}
	msg, err := m.Service.ReportMail(ctx, ws, sc.Frequency, sc.Language, from, to)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, r := range sc.Recipients {
		msg.To = r
		if err := m.Mail.Send(ctx, msg); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	if m.Log != nil {
		m.Log.Info("sent scheduled report", "workspace", ws.Slug, "schedule", sc.ID, "from", from.Format(time.DateOnly), "recipients", n)
	}
	return n, errors.Join(errs...)
}

// ReportMail writes the branded report of [from, to) as an e-mail (without
// recipient): the HTML report, a plain-text summary, the PDF and the CSV.
func (s *Service) ReportMail(ctx context.Context, ws store.Workspace, frequency, lang string, from, to time.Time) (rmail.Message, error) {
	rep, err := s.Report(ctx, ws.ID, from, to, Filter{})
	if err != nil {
		return rmail.Message{}, err
	}
	tx, err := s.Branded(ctx, ws, lang)
	if err != nil {
		return rmail.Message{}, err
	}
	last := to.Add(-time.Second).Format(time.DateOnly)
	subject := fmt.Sprintf(tx.label("mail_subject_"+frequency), tx.Brand, from.Format(time.DateOnly), last)
	intro := fmt.Sprintf(tx.label("mail_intro"), from.Format(time.DateOnly), last)
	var html, pdf, csv, text bytes.Buffer
	if err := WriteHTML(&html, rep, tx, intro); err != nil {
		return rmail.Message{}, err
	}
	if err := WritePDF(&pdf, rep, tx); err != nil {
		return rmail.Message{}, err
	}
	if err := WriteCSV(&csv, rep); err != nil {
		return rmail.Message{}, err
	}
	fmt.Fprintf(&text, "%s\n\n%s\n\n", tx.Brand, intro)
	for _, r := range headlineRows(rep, tx.label) {
		fmt.Fprintf(&text, "%s: %s (%s: %s)\n", r[0], r[1], tx.label("previous"), r[2])
	}
	if tx.Footer != "" {
		fmt.Fprintf(&text, "\n%s\n", tx.Footer)
	}
	name := fmt.Sprintf("report-%s-%s", ws.Slug, from.Format(time.DateOnly))
	return rmail.Message{Subject: subject, Body: text.String(), HTML: html.String(), Attachments: []rmail.Attachment{
		{Filename: name + ".pdf", ContentType: "application/pdf", Data: pdf.Bytes()},
		{Filename: name + ".csv", ContentType: "text/csv; charset=utf-8", Data: csv.Bytes()},
	}}, nil
}
