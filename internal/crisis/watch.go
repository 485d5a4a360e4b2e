package crisis

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/relais/relais/internal/mail"
	"github.com/relais/relais/internal/publish"
	"github.com/relais/relais/internal/store"
)

// Source supplies a workspace's negative inbox messages; the inbox
// implements it over its message store.
type Source interface {
	// WatchedWorkspaces lists the workspaces to check (those with an inbox).
	WatchedWorkspaces(ctx context.Context) ([]int64, error)
	// NegativeCounts returns the number of negative messages received in
	// each hour of [from, to), one count per hour, oldest first.
	NegativeCounts(ctx context.Context, workspaceID int64, from, to time.Time) ([]int, error)
	// NegativeMessages lists the negative messages received in [from, to).
	NegativeMessages(ctx context.Context, workspaceID int64, from, to time.Time) ([]Message, error)
}

// Store is what the Watcher reads and writes; store.Store satisfies it.
type Store interface {
	ClaimCrisisAlert(ctx context.Context, workspaceID int64, hour time.Time) (bool, error)
	WorkspaceByID(ctx context.Context, id int64) (store.Workspace, error)
	Members(ctx context.Context, workspaceID int64) ([]store.Member, error)
}

// Detail is what an alert says: the test's verdict, the spiking terms and
// example messages. It is the "crisis" object of alert.crisis webhooks.
type Detail struct {
	Verdict
	Terms    []SpikingTerm `json:"terms"`
	Examples []Message     `json:"examples"`
	// Groups are the hour's negative messages by spiking term (at most 5 shown per group).
	Groups []Group `json:"groups"`
}

// Report tests a workspace's hour in progress (the hour containing now)
// and, when it spikes, finds the spiking terms against the last 7 days and
// up to five examples. It changes nothing; the crisis view shows it.
func Report(ctx context.Context, src Source, workspaceID int64, now time.Time, cfg Config) (Detail, error) {
	cfg = cfg.withDefaults()
	hour := now.UTC().Truncate(time.Hour)
	from := hour.Add(-time.Duration(cfg.Weeks*WeekHours) * time.Hour)
	counts, err := src.NegativeCounts(ctx, workspaceID, from, hour.Add(time.Hour))
	if err != nil {
		return Detail{}, err
	}
	res, err := Test(Series{Start: from, Counts: counts}, cfg)
	if err != nil {
		return Detail{}, err
	}
	d := Detail{Verdict: res, Terms: []SpikingTerm{}, Examples: []Message{}, Groups: []Group{}}
	if !res.Spike {
		return d, nil
	}
	window, err := src.NegativeMessages(ctx, workspaceID, hour, now)
	if err != nil {
		return Detail{}, err
	}
	base, err := src.NegativeMessages(ctx, workspaceID, hour.Add(-WeekHours*time.Hour), hour)
	if err != nil {
		return Detail{}, err
	}
	d.Terms = SpikingTerms(window, base, max(now.Sub(hour).Hours(), 1.0/60), WeekHours, 10)
	if d.Terms == nil {
		d.Terms = []SpikingTerm{}
	}
	d.Examples = Examples(window, d.Terms, 5)
	d.Groups = Groups(window, d.Terms, 5)
	return d, nil
}

// Watcher runs the spike test for workspaces and alerts their members
// (in-app and e-mail) and their webhooks subscribed to alert.crisis, once
// per hour at most.
type Watcher struct {
	Store  Store
	Source Source
	// Notifiers receive the alert.crisis event: publish.InApp for the in-app
	// notification and alert.Webhooks for the webhooks.
	Notifiers []publish.Notifier
	// Mail sends the e-mail to owners and admins (nil: no e-mail).
	Mail *mail.Sender
	// BaseURL is the web UI's public URL, for the link in the e-mail.
	BaseURL string
	Config  Config
	Log     *slog.Logger
}

// CrisisPath is the crisis view of a workspace in the web UI.
func CrisisPath(slug string) string { return "/workspaces/" + url.PathEscape(slug) + "/inbox/crisis" }

// Check tests the workspace's hour in progress and alerts when it spikes
// and no alert went out for that hour yet. It returns the detail and
// whether an alert was sent.
func (w *Watcher) Check(ctx context.Context, workspaceID int64, now time.Time) (Detail, bool, error) {
	d, err := Report(ctx, w.Source, workspaceID, now, w.Config)
	if errors.Is(err, ErrShortHistory) || (err == nil && !d.Spike) {
		return d, false, nil
	}
	if err != nil {
		return d, false, err
	}
	ok, err := w.Store.ClaimCrisisAlert(ctx, workspaceID, d.Hour)
	if err != nil || !ok {
		return d, false, err
	}
	ws, err := w.Store.WorkspaceByID(ctx, workspaceID)
	if err != nil {
		return d, false, err
	}
	var terms []string
	for _, t := range d.Terms {
		terms = append(terms, t.Term)
	}
	termList := strings.Join(terms, ", ")
	if termList == "" {
		termList = "-"
	}
	obs, exp := fmt.Sprint(d.Observed), fmt.Sprintf("%.1f", d.Expected)
	ev := publish.Event{Kind: store.HookAlertCrisis, WorkspaceID: workspaceID,
		Message: fmt.Sprintf("Crisis warning: %s negative messages this hour, %s expected; spiking terms: %s", obs, exp, termList),
		Args:    []string{obs, exp, termList}, Link: CrisisPath(ws.Slug), Detail: d}
	var errs []error
	for _, n := range w.Notifiers {
		errs = append(errs, n.Notify(ctx, ev))
	}
	errs = append(errs, w.mail(ctx, ws, ev.Message, d))
	return d, true, errors.Join(errs...)
}

// mail tells the workspace's owners and admins by e-mail.
func (w *Watcher) mail(ctx context.Context, ws store.Workspace, subject string, d Detail) error {
	if w.Mail == nil {
		return nil
	}
	members, err := w.Store.Members(ctx, ws.ID)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n%s.\n", subject, d.Verdict)
	for _, ex := range d.Examples {
		fmt.Fprintf(&b, "\n- %s: %s", ex.Author, ex.Text)
	}
	fmt.Fprintf(&b, "\n\nAnswer, don't delete: %s%s\n", strings.TrimRight(w.BaseURL, "/"), CrisisPath(ws.Slug))
	var errs []error
	for _, m := range members {
		if m.Role != store.RoleOwner && m.Role != store.RoleAdmin {
			continue
		}
		errs = append(errs, w.Mail.Send(ctx, mail.Message{To: m.Email, Subject: "[" + ws.Name + "] " + subject, Body: b.String()}))
	}
	return errors.Join(errs...)
}

// CheckAll checks each workspace, logging failures and going on.
func (w *Watcher) CheckAll(ctx context.Context, workspaceIDs []int64, now time.Time) error {
	log := w.Log
	if log == nil {
		log = slog.Default()
	}
	var errs []error
	for _, id := range workspaceIDs {
		d, sent, err := w.Check(ctx, id, now)
		if err != nil {
			log.Error("crisis: check", "workspace", id, "err", err)
			errs = append(errs, err)
		}
		if sent {
			log.Warn("crisis: alert sent", "workspace", id, "observed", d.Observed, "expected", d.Expected, "p", d.P)
		}
	}
	return errors.Join(errs...)
}
