package moderation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/relais/relais/internal/sla"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// Limits of the inbox settings.
const (
	MinSLAMinutes = 1
	MaxSLAMinutes = 7 * 24 * 60
)

// ErrOwnerOnly: only a workspace owner may turn off "criticism needs a person".
var ErrOwnerOnly = errors.New("moderation: only an owner can change whether criticism needs a person")

// Store is what the Service reads and writes; store.Store satisfies it.
type Store interface {
	store.ModerationStore
	WorkspaceByID(ctx context.Context, id int64) (store.Workspace, error)
	Membership(ctx context.Context, workspaceID, userID int64) (store.Role, error)
}

// Service manages a workspace's rules, saved replies and inbox settings,
// validating what people enter, and compiles the rules for the inbox.
type Service struct {
	Store Store
	// Source supplies past messages for dry runs (nil: no messages yet).
	Source Source
	// Records supplies conversations for response-time reports (nil: none yet).
	Records sla.Source
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// CacheFor is how long Engine reuses a compiled engine (default 10 s);
	// changes made through this Service are seen at once, changes made by
	// another instance within CacheFor.
	CacheFor time.Duration

	mu    sync.Mutex
	cache map[int64]cachedEngine
}

type cachedEngine struct {
	e  *Engine
	at time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// FromStore reads a stored rule.
func FromStore(r store.InboxRule) (Rule, error) {
	out := Rule{ID: r.ID, WorkspaceID: r.WorkspaceID, Name: r.Name, Position: r.Position, Enabled: r.Enabled,
		StopAfterMatch: r.StopAfterMatch, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if len(r.Conditions) > 0 {
		if err := json.Unmarshal(r.Conditions, &out.Conditions); err != nil {
			return Rule{}, fmt.Errorf("moderation: rule %d conditions: %w", r.ID, err)
		}
	}
	if len(r.Actions) > 0 {
		if err := json.Unmarshal(r.Actions, &out.Actions); err != nil {
			return Rule{}, fmt.Errorf("moderation: rule %d actions: %w", r.ID, err)
		}
	}
	return out, nil
}

func toStore(r Rule) (store.InboxRule, error) {
	c, err := json.Marshal(r.Conditions)
	if err != nil {
		return store.InboxRule{}, err
	}
	a, err := json.Marshal(r.Actions)
	return store.InboxRule{ID: r.ID, WorkspaceID: r.WorkspaceID, Name: r.Name, Position: r.Position, Enabled: r.Enabled,
		StopAfterMatch: r.StopAfterMatch, Conditions: c, Actions: a}, err
}

// Rules lists the workspace's rules in evaluation order.
func (s *Service) Rules(ctx context.Context, workspaceID int64) ([]Rule, error) {
	stored, err := s.Store.InboxRules(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	out := make([]Rule, 0, len(stored))
	for _, r := range stored {
		rule, err := FromStore(r)
		if err != nil {
			return nil, err
		}
		out = append(out, rule)
	}
	return out, nil
}

// Rule reads one rule.
func (s *Service) Rule(ctx context.Context, workspaceID, id int64) (Rule, error) {
	r, err := s.Store.InboxRule(ctx, workspaceID, id)
	if err != nil {
		return Rule{}, err
	}
	return FromStore(r)
}

// check validates a rule and that the members and saved replies its
// actions name belong to the workspace.
func (s *Service) check(ctx context.Context, workspaceID int64, r *Rule) error {
	if err := r.Check(); err != nil {
		return err
	}
	for i, a := range r.Actions {
		if a.Value == "" {
			continue
		}
		field := fmt.Sprintf("actions[%d].value", i)
		id, _ := strconv.ParseInt(a.Value, 10, 64)
		var err error
		switch a.Kind {
		case ActAssign, ActNotify:
			if _, err = s.Store.Membership(ctx, workspaceID, id); errors.Is(err, store.ErrNotFound) {
				return valid.Errorf(field, "unknown", "User %d is not a member of this workspace", id)
			}
		case ActAutoReply:
			if _, err = s.Store.SavedReply(ctx, workspaceID, id); errors.Is(err, store.ErrNotFound) {
				return valid.Errorf(field, "unknown", "Saved reply %d does not exist in this workspace", id)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// CreateRule validates and appends a rule after the workspace's last one.
func (s *Service) CreateRule(ctx context.Context, workspaceID int64, r Rule) (Rule, error) {
	if err := s.check(ctx, workspaceID, &r); err != nil {
		return Rule{}, err
	}
	existing, err := s.Store.InboxRules(ctx, workspaceID)
	if err != nil {
		return Rule{}, err
	}
	if len(existing) >= MaxRules {
		return Rule{}, valid.Errorf("name", "too_many", "A workspace allows at most %d rules; remove one first", MaxRules)
	}
	r.WorkspaceID = workspaceID
	sr, err := toStore(r)
	if err != nil {
		return Rule{}, err
	}
	if err := s.Store.CreateInboxRule(ctx, &sr); err != nil {
		return Rule{}, err
	}
	s.forget(workspaceID)
	return FromStore(sr)
}

// UpdateRule validates and saves a rule's name, switches, conditions and actions.
func (s *Service) UpdateRule(ctx context.Context, workspaceID int64, r Rule) (Rule, error) {
	if err := s.check(ctx, workspaceID, &r); err != nil {
		return Rule{}, err
	}
	r.WorkspaceID = workspaceID
	sr, err := toStore(r)
	if err != nil {
		return Rule{}, err
	}
	if err := s.Store.UpdateInboxRule(ctx, sr); err != nil {
		return Rule{}, err
	}
	s.forget(workspaceID)
	return s.Rule(ctx, workspaceID, r.ID)
}

// DeleteRule removes a rule.
func (s *Service) DeleteRule(ctx context.Context, workspaceID, id int64) error {
	defer s.forget(workspaceID)
	return s.Store.DeleteInboxRule(ctx, workspaceID, id)
}

// ReorderRules puts the rules in the order of ids, which must name each of
// the workspace's rules once.
func (s *Service) ReorderRules(ctx context.Context, workspaceID int64, ids []int64) error {
	existing, err := s.Store.InboxRules(ctx, workspaceID)
	if err != nil {
		return err
	}
	have := make([]int64, 0, len(existing))
	for _, r := range existing {
		have = append(have, r.ID)
	}
	want := slices.Clone(ids)
	slices.Sort(have)
	slices.Sort(want)
	if !slices.Equal(have, want) {
		return valid.Errorf("ids", "mismatch", "The new order must name each of the workspace's %d rules once; it names %d ids", len(have), len(ids))
	}
	defer s.forget(workspaceID)
	return s.Store.ReorderInboxRules(ctx, workspaceID, ids)
}

// MoveRule moves a rule one place earlier (delta < 0) or later (delta > 0).
func (s *Service) MoveRule(ctx context.Context, workspaceID, id int64, delta int) error {
	existing, err := s.Store.InboxRules(ctx, workspaceID)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(existing))
	for _, r := range existing {
		ids = append(ids, r.ID)
	}
	i := slices.Index(ids, id)
	if i < 0 {
		return store.ErrNotFound
	}
	j := min(max(i+delta, 0), len(ids)-1)
	if i == j {
		return nil
	}
	ids = slices.Delete(ids, i, i+1)
	ids = slices.Insert(ids, j, id)
	defer s.forget(workspaceID)
	return s.Store.ReorderInboxRules(ctx, workspaceID, ids)
}

// policy reads the workspace's time zone and criticism setting.
func (s *Service) policy(ctx context.Context, workspaceID int64) (Policy, error) {
	ws, err := s.Store.WorkspaceByID(ctx, workspaceID)
	if err != nil {
		return Policy{}, err
	}
	loc, err := time.LoadLocation(ws.Timezone)
	if err != nil {
		loc = time.UTC
	}
	set, err := s.Store.InboxSettings(ctx, workspaceID)
	if err != nil {
		return Policy{}, err
	}
	return Policy{Location: loc, CriticismNeedsPerson: set.CriticismNeedsPerson}, nil
}

// Compile compiles the workspace's rules with its time zone and settings.
func (s *Service) Compile(ctx context.Context, workspaceID int64) (*Engine, error) {
	pol, err := s.policy(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	rules, err := s.Rules(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	return Compile(rules, pol)
}

// Engine returns the workspace's compiled rules, reused for CacheFor: the
// inbox calls it for every incoming message.
func (s *Service) Engine(ctx context.Context, workspaceID int64) (*Engine, error) {
	ttl := s.CacheFor
	if ttl <= 0 {
		ttl = 10 * time.Second
	}
	now := s.now()
	s.mu.Lock()
	c, ok := s.cache[workspaceID]
	s.mu.Unlock()
	if ok && now.Sub(c.at) < ttl {
		return c.e, nil
	}
	e, err := s.Compile(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.cache == nil {
		s.cache = map[int64]cachedEngine{}
	}
	s.cache[workspaceID] = cachedEngine{e: e, at: now}
	s.mu.Unlock()
	return e, nil
}

// Evaluate runs the workspace's rules over one incoming message.
func (s *Service) Evaluate(ctx context.Context, m Message) (Outcome, error) {
	e, err := s.Engine(ctx, m.WorkspaceID)
	if err != nil {
		return Outcome{}, err
	}
	return e.Evaluate(m), nil
}

func (s *Service) forget(workspaceID int64) {
	s.mu.Lock()
	delete(s.cache, workspaceID)
	s.mu.Unlock()
}

// DryRun reports what the workspace's current rules would have done over the
// last 30 days of messages.
func (s *Service) DryRun(ctx context.Context, workspaceID int64) (DryRunReport, error) {
	e, err := s.Compile(ctx, workspaceID)
	if err != nil {
		return DryRunReport{}, err
	}
	return DryRun(ctx, e, s.Source, workspaceID, s.now())
}

// DryRunRules reports what the given rules (not stored; validated like
// stored ones) would have done over the last 30 days of messages.
func (s *Service) DryRunRules(ctx context.Context, workspaceID int64, rules []Rule) (DryRunReport, error) {
	for i := range rules {
		if err := s.check(ctx, workspaceID, &rules[i]); err != nil {
			if ve, ok := valid.As(err); ok {
				ve.Field = fmt.Sprintf("rules[%d].%s", i, ve.Field)
			}
			return DryRunReport{}, err
		}
	}
	pol, err := s.policy(ctx, workspaceID)
	if err != nil {
		return DryRunReport{}, err
	}
	e, err := Compile(rules, pol)
	if err != nil {
		return DryRunReport{}, err
	}
	return DryRun(ctx, e, s.Source, workspaceID, s.now())
}

// SavedReplies lists the workspace's saved replies.
func (s *Service) SavedReplies(ctx context.Context, workspaceID int64) ([]store.SavedReply, error) {
	return s.Store.SavedReplies(ctx, workspaceID)
}

// CreateSavedReply validates and stores a saved reply; a name already used
// in that language is refused naming the field.
func (s *Service) CreateSavedReply(ctx context.Context, workspaceID int64, r store.SavedReply) (store.SavedReply, error) {
	if err := CheckReply(&r); err != nil {
		return store.SavedReply{}, err
	}
	r.WorkspaceID = workspaceID
	if err := s.Store.CreateSavedReply(ctx, &r); err != nil {
		return store.SavedReply{}, replyConflict(err, r)
	}
	return r, nil
}

// UpdateSavedReply validates and saves a saved reply.
func (s *Service) UpdateSavedReply(ctx context.Context, workspaceID int64, r store.SavedReply) (store.SavedReply, error) {
	if err := CheckReply(&r); err != nil {
		return store.SavedReply{}, err
	}
	r.WorkspaceID = workspaceID
	if err := s.Store.UpdateSavedReply(ctx, r); err != nil {
		return store.SavedReply{}, replyConflict(err, r)
	}
	return s.Store.SavedReply(ctx, workspaceID, r.ID)
}

func replyConflict(err error, r store.SavedReply) error {
	if errors.Is(err, store.ErrConflict) {
		return valid.Errorf("name", "taken", "A saved reply named %q already exists in %s", r.Name, r.Lang)
	}
	return err
}

// DeleteSavedReply removes a saved reply.
func (s *Service) DeleteSavedReply(ctx context.Context, workspaceID, id int64) error {
	return s.Store.DeleteSavedReply(ctx, workspaceID, id)
}

// ReplyFor picks the saved reply an auto-reply sends to a message in lang:
// the reply of the same name written in that language when there is one,
// else the rule's own reply. A rule names one reply ("Refund delay", en)
// and each author gets it in their language when the team wrote it.
func (s *Service) ReplyFor(ctx context.Context, workspaceID, id int64, lang string) (store.SavedReply, error) {
	r, err := s.Store.SavedReply(ctx, workspaceID, id)
	if err != nil || r.Lang == lang {
		return r, err
	}
	all, err := s.Store.SavedReplies(ctx, workspaceID)
	if err != nil {
		return store.SavedReply{}, err
	}
	for _, x := range all {
		if x.Name == r.Name && x.Lang == lang {
			return x, nil
		}
	}
	return r, nil
}

// RenderSavedReply fills a saved reply's placeholders.
func (s *Service) RenderSavedReply(ctx context.Context, workspaceID, id int64, values map[string]string) (string, error) {
	r, err := s.Store.SavedReply(ctx, workspaceID, id)
	if err != nil {
		return "", err
	}
	return Render(r.Body, values)
}

// SLAReport is the workspace's response-time report for conversations
// started in [from, to), against its target, periods in its time zone.
func (s *Service) SLAReport(ctx context.Context, workspaceID int64, from, to time.Time, period sla.Period) (sla.ResponseReport, error) {
	set, loc, err := s.slaContext(ctx, workspaceID)
	if err != nil || s.Records == nil {
		return sla.Compute(nil, time.Duration(set.SLAMinutes)*time.Minute, period, loc), err
	}
	return sla.Build(ctx, s.Records, workspaceID, from, to, time.Duration(set.SLAMinutes)*time.Minute, period, loc)
}

// SLAReminders lists the conversations of the last 7 days that near or
// passed the workspace's first-response target unanswered.
func (s *Service) SLAReminders(ctx context.Context, workspaceID int64) ([]sla.Reminder, error) {
	set, _, err := s.slaContext(ctx, workspaceID)
	if err != nil || s.Records == nil {
		return []sla.Reminder{}, err
	}
	now := s.now()
	rs, err := s.Records.Records(ctx, workspaceID, now.Add(-7*24*time.Hour), now)
	if err != nil {
		return nil, err
	}
	return sla.DueReminders(rs, time.Duration(set.SLAMinutes)*time.Minute, sla.DefaultLead, now), nil
}

func (s *Service) slaContext(ctx context.Context, workspaceID int64) (store.InboxSettings, *time.Location, error) {
	set, err := s.Store.InboxSettings(ctx, workspaceID)
	if err != nil {
		return set, nil, err
	}
	pol, err := s.policy(ctx, workspaceID)
	return set, pol.Location, err
}

// Settings reads the workspace's inbox settings.
func (s *Service) Settings(ctx context.Context, workspaceID int64) (store.InboxSettings, error) {
	return s.Store.InboxSettings(ctx, workspaceID)
}

// SaveSettings validates and stores the SLA target and the criticism
// setting; only an owner may change the latter (ErrOwnerOnly).
func (s *Service) SaveSettings(ctx context.Context, workspaceID int64, role store.Role, slaMinutes int, criticismNeedsPerson bool) (store.InboxSettings, error) {
	if slaMinutes < MinSLAMinutes || slaMinutes > MaxSLAMinutes {
		return store.InboxSettings{}, valid.Errorf("sla_minutes", "range", "The response-time target must be between %d and %d minutes (one week); got %d", MinSLAMinutes, MaxSLAMinutes, slaMinutes)
	}
	cur, err := s.Store.InboxSettings(ctx, workspaceID)
	if err != nil {
		return store.InboxSettings{}, err
	}
	if cur.CriticismNeedsPerson != criticismNeedsPerson && role != store.RoleOwner {
		return store.InboxSettings{}, ErrOwnerOnly
	}
	cur.SLAMinutes, cur.CriticismNeedsPerson, cur.UpdatedAt = slaMinutes, criticismNeedsPerson, s.now().UTC()
	if err := s.Store.SaveInboxSettings(ctx, cur); err != nil {
		return store.InboxSettings{}, err
	}
	s.forget(workspaceID)
	return s.Store.InboxSettings(ctx, workspaceID)
}

// NameSource reads what names a response-time report's rows.
type NameSource interface {
	Channels(ctx context.Context, workspaceID int64) ([]store.Channel, error)
	Members(ctx context.Context, workspaceID int64) ([]store.Member, error)
}

// SLANames names the channels ("mastodon @brand") and members (e-mail) of
// a workspace for its response-time report.
func SLANames(ctx context.Context, src NameSource, workspaceID int64) (sla.Names, error) {
	n := sla.Names{Channels: map[int64]string{}, Members: map[int64]string{}}
	chans, err := src.Channels(ctx, workspaceID)
	if err != nil {
		return n, err
	}
	for _, c := range chans {
		name := c.Handle
		if name == "" {
			name = c.DisplayName
		}
		n.Channels[c.ID] = c.Network + " " + name
	}
	members, err := src.Members(ctx, workspaceID)
	if err != nil {
		return n, err
	}
	for _, m := range members {
		n.Members[m.UserID] = m.Email
	}
	return n, nil
}
