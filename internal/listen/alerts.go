package listen

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/mail"
	"github.com/relais/relais/internal/publish"
	"github.com/relais/relais/internal/store"
)

// Alerter tells a workspace about its queries' new mentions and bursts:
// in-app and through the notification webhooks (the Notifiers), and by
// e-mail to owners and admins when the query asks and mail is configured.
type Alerter struct {
	Notifiers []publish.Notifier
	// Mail sends the e-mails (nil: no e-mail).
	Mail *mail.Sender
	// BaseURL is the web UI's public URL, for the links in e-mails.
	BaseURL string
	Log     *slog.Logger
}

// MentionAlert is the webhook payload's mention object (mention.received).
type MentionAlert struct {
	QueryID int64  `json:"query_id"`
	Query   string `json:"query"`
	MentionView
}

// BurstAlert is the webhook payload's burst object (mention.burst).
type BurstAlert struct {
	QueryID  int64   `json:"query_id"`
	Query    string  `json:"query"`
	Term     string  `json:"term"`
	Count    int     `json:"count" doc:"Mentions of the last 24 hours holding the term"`
	Expected float64 `json:"expected" doc:"Mentions expected from the 7 days before"`
	P        float64 `json:"p" doc:"Poisson tail P(X >= count)"`
}

// ListenPath is a query's view on the Listening page.
func ListenPath(slug string, queryID int64) string {
	return "/workspaces/" + url.PathEscape(slug) + "/listen?query=" + strconv.FormatInt(queryID, 10)
}

// alertMention announces a new mention for the first of its queries that
// asks for mention alerts and whose reach threshold the author meets.
// Failures are logged: an alert that fails never loses the mention.
func (s *Service) alertMention(ctx context.Context, m store.Mention) {
	a := s.Alerts
	if a == nil {
		return
	}
	s.mu.RLock()
	specs := s.specs
	s.mu.RUnlock()
	for _, qid := range m.QueryIDs {
		spec, ok := specs[qid]
		if !ok || !spec.AlertMentions || m.AuthorFollowers < spec.AlertMinReach {
			continue
		}
		ws, err := s.Store.WorkspaceByID(ctx, m.WorkspaceID)
		if err != nil {
			s.log().Error("listen: alert", "mention", m.ID, "err", err)
			return
		}
		author := m.Author
		if m.AuthorName != "" && m.AuthorName != m.Author {
			author = m.AuthorName + " (" + m.Author + ")"
		}
		excerpt := truncateRunes(strings.Join(strings.Fields(m.Text), " "), 140)
		followers := strconv.FormatInt(m.AuthorFollowers, 10)
		ev := publish.Event{Kind: store.HookMentionReceived, WorkspaceID: m.WorkspaceID, Network: m.Network,
			Message: fmt.Sprintf("New mention for %s on %s by %s (%s followers): %s", spec.Name, m.Network, author, followers, excerpt),
			Args:    []string{spec.Name, m.Network, author, followers, excerpt}, Link: ListenPath(ws.Slug, qid),
			Detail: MentionAlert{QueryID: qid, Query: spec.Name, MentionView: View(m)}}
		var body string
		if spec.AlertEmail {
			body = fmt.Sprintf("%s\n\n%s\n\nOriginal: %s\nAll mentions of %s: %s%s\n", ev.Message, m.Text, m.URL, spec.Name, strings.TrimRight(a.BaseURL, "/"), ev.Link)
		}
		if err := a.send(ctx, s.Store, ws, ev, body); err != nil {
			s.log().Warn("listen: mention alert", "mention", m.ID, "err", err)
		}
		return
	}
}

// send notifies, and e-mails owners and admins when body is not empty.
func (a *Alerter) send(ctx context.Context, st store.Store, ws store.Workspace, ev publish.Event, body string) error {
	var errs []error
	for _, n := range a.Notifiers {
		errs = append(errs, n.Notify(ctx, ev))
	}
	if body != "" && a.Mail != nil {
		members, err := st.Members(ctx, ws.ID)
		if err != nil {
			return errors.Join(append(errs, err)...)
		}
		for _, m := range members {
			if m.Role == store.RoleOwner || m.Role == store.RoleAdmin {
				errs = append(errs, a.Mail.Send(ctx, mail.Message{To: m.Email, Subject: "[" + ws.Name + "] " + ev.Message, Body: body}))
			}
		}
	}
	return errors.Join(errs...)
}

// BurstCheck counts what one burst check found.
type BurstCheck struct {
	Queries int `json:"queries" doc:"Queries with burst alerts"`
	Alerts  int `json:"alerts" doc:"Bursting terms announced"`
}

// MaxBurstAlerts bounds the terms one query announces per check.
const MaxBurstAlerts = 5

// CheckBursts runs the burst test of methods.md §4 on the mentions of every
// active query that asks for burst alerts and announces each bursting term
// once per query and UTC day (in-app, mention.burst webhook, e-mail with
// alert_email).
func (s *Service) CheckBursts(ctx context.Context) (BurstCheck, error) {
	var res BurstCheck
	if s.Alerts == nil {
		return res, nil
	}
	_, refs, err := s.matcher(ctx)
	if err != nil {
		return res, err
	}
	s.mu.RLock()
	specs := s.specs
	s.mu.RUnlock()
	day := s.now().Format(time.DateOnly)
	var errs []error
	for _, r := range refs {
		spec := specs[r.ID]
		if !spec.AlertBursts {
			continue
		}
		res.Queries++
		terms, err := s.Bursts(ctx, r.WorkspaceID, r.ID, MaxBurstAlerts)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, t := range terms {
			key := fmt.Sprintf("burst:%d:%s", r.ID, t.Term)
			last, err := s.Store.ListenCursor(ctx, key)
			if err != nil {
				return res, err
			}
			if last == day {
				continue
			}
			ws, err := s.Store.WorkspaceByID(ctx, r.WorkspaceID)
			if err != nil {
				return res, err
			}
			count, exp := strconv.Itoa(t.Count), fmt.Sprintf("%.1f", t.Expected)
			ev := publish.Event{Kind: store.HookMentionBurst, WorkspaceID: r.WorkspaceID,
				Message: fmt.Sprintf("Burst in %s: %q in %s mentions in 24 hours, %s expected", spec.Name, t.Term, count, exp),
				Args:    []string{spec.Name, t.Term, count, exp}, Link: ListenPath(ws.Slug, r.ID),
				Detail: BurstAlert{QueryID: r.ID, Query: spec.Name, Term: t.Term, Count: t.Count, Expected: t.Expected, P: t.P}}
			var body string
			if spec.AlertEmail {
				body = fmt.Sprintf("%s (p = %.2g).\n\nMentions: %s%s\n", ev.Message, t.P, strings.TrimRight(s.Alerts.BaseURL, "/"), ev.Link)
			}
			// Claimed before sending: a failing receiver is not alerted again every round.
			if err := s.Store.SetListenCursor(ctx, key, day); err != nil {
				return res, err
			}
			res.Alerts++
			if err := s.Alerts.send(ctx, s.Store, ws, ev, body); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return res, errors.Join(errs...)
}
