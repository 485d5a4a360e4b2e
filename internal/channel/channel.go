// Package channel owns connected accounts: connecting them through each
// network's provider, keeping their tokens sealed at rest, opening connectors
// for the publishing engine, refreshing limits and checking health.
package channel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/feed"
	"github.com/relais/relais/internal/secret"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// Service connects and opens channels.
type Service struct {
	Store   store.Store
	Keyring *secret.Keyring
	// Env is the base environment handed to providers (HTTP client, base URL, clock).
	Env network.Env
}

// aad binds a channel's sealed secrets to its row.
func aad(workspaceID, id int64) []byte {
	return []byte("channel:" + strconv.FormatInt(workspaceID, 10) + ":" + strconv.FormatInt(id, 10))
}

// Kinds lists the networks that can be connected, with their form fields.
func (s *Service) Kinds() []KindInfo {
	var out []KindInfo
	for _, k := range network.Kinds() {
		p, _ := network.ProviderFor(k)
		_, oauth := p.(network.OAuthProvider)
		out = append(out, KindInfo{Kind: k, Name: network.DefaultLimits[k].Name, Fields: p.Fields(), OAuth: oauth})
	}
	return out
}

// KindInfo describes a connectable network.
type KindInfo struct {
	Kind   network.Kind    `json:"kind"`
	Name   string          `json:"name"`
	Fields []network.Field `json:"fields"`
	OAuth  bool            `json:"oauth"`
}

// Connect checks the input against the network and saves the channel, its
// secrets sealed. Connecting an account already connected updates it (reconnect).
func (s *Service) Connect(ctx context.Context, p auth.Principal, kind network.Kind, input map[string]string) (store.Channel, error) {
	if !p.Can(auth.ActManageChannels) {
		return store.Channel{}, auth.ErrForbidden
	}
	prov, err := network.ProviderFor(kind)
	if err != nil {
		return store.Channel{}, valid.Errorf("network", "unknown", "Unknown network %q", kind)
	}
	for _, f := range prov.Fields() {
		v := strings.TrimSpace(input[f.Name])
		if f.Required && v == "" {
			return store.Channel{}, valid.Errorf(f.Name, "required", "%s is required to connect %s", f.Label, network.DefaultLimits[kind].Name)
		}
		if len(v) > 4096 {
			return store.Channel{}, valid.Errorf(f.Name, "too_long", "%s allows at most 4096 characters", f.Label)
		}
	}
	acct, stored, err := prov.Connect(ctx, s.Env, input)
	if err != nil {
		return store.Channel{}, ConnectError(kind, prov.Fields(), input, err)
	}
	return s.save(ctx, p.Workspace.ID, kind, acct, stored)
}

// Finish saves a channel connected through an OAuth flow.
func (s *Service) Finish(ctx context.Context, p auth.Principal, kind network.Kind, acct network.Account, stored network.Stored) (store.Channel, error) {
	if !p.Can(auth.ActManageChannels) {
		return store.Channel{}, auth.ErrForbidden
	}
	return s.save(ctx, p.Workspace.ID, kind, acct, stored)
}

// ConnectError tells why connecting a channel of kind failed as a validation
// error on the form field at fault, without Go error prefixes: a server that
// cannot be reached (on the field that named its host), credentials the
// network refused (on the secret field), or the network's own message.
// Validation errors pass through.
func ConnectError(kind network.Kind, fields []network.Field, input map[string]string, err error) *valid.Error {
	if e, ok := valid.As(err); ok {
		return e
	}
	name := network.DefaultLimits[kind].Name
	if name == "" {
		name = string(kind)
	}
	if reason, host := network.Unreachable(err); reason != "" {
		field := hostField(fields, input, host)
		if host == "" {
			host = name
		}
		return valid.Errorf(field, "unreachable_"+reason, network.UnreachableText(reason), host).WithArgs(host)
	}
	var ne *network.Error
	if errors.As(err, &ne) {
		field := hostField(fields, input, "")
		if ne.Class == network.AuthReconnect || ne.Class == network.AuthRefresh || ne.Status == 401 || ne.Status == 403 {
			field = secretField(fields, field)
		}
		msg := network.UserMessage(err)
		return valid.Errorf(field, "refused", "%s refused the connection: %s", name, msg).WithArgs(name, msg)
	}
	msg := network.UserMessage(err)
	return valid.Errorf(hostField(fields, input, ""), "connect_failed", "Could not connect to %s: %s", name, msg).WithArgs(name, msg)
}

// hostField is the form field whose value names host, else the first
// required field that is not a secret (the handle, the instance), else "credentials".
func hostField(fields []network.Field, input map[string]string, host string) string {
	if host != "" {
		for _, f := range fields {
			if v := strings.TrimSpace(input[f.Name]); !f.Secret && v != "" && strings.Contains(strings.ToLower(v), strings.ToLower(host)) {
				return f.Name
			}
		}
	}
	for _, f := range fields {
		if f.Required && !f.Secret {
			return f.Name
		}
	}
	return "credentials"
}

// secretField is the first secret field (the token the network refused), else fallback.
func secretField(fields []network.Field, fallback string) string {
	for _, f := range fields {
		if f.Secret {
			return f.Name
		}
	}
	return fallback
}

// maxAccountURL bounds the account link a network reports.
const maxAccountURL = 2048

func (s *Service) save(ctx context.Context, workspaceID int64, kind network.Kind, acct network.Account, stored network.Stored) (store.Channel, error) {
	var limits []byte
	if stored.Limits != nil {
		limits, _ = json.Marshal(stored.Limits)
	}
	// The account's names and link come from the network's server: a link
	// that is not http(s) is dropped, NUL characters (which PostgreSQL cannot
	// store) are removed.
	noNUL := func(v string) string { return strings.ReplaceAll(v, "\x00", "") }
	if valid.HTTPURL("url", acct.URL, maxAccountURL) != nil {
		acct.URL = ""
	}
	c := store.Channel{WorkspaceID: workspaceID, Network: string(kind), RemoteID: noNUL(acct.RemoteID), Handle: noNUL(acct.Handle),
		DisplayName: noNUL(acct.DisplayName), URL: acct.URL, Settings: stored.Settings, LimitsJSON: limits, Status: store.ChannelOK}
	if c.RemoteID == "" {
		return store.Channel{}, fmt.Errorf("channel: %s connector returned no account id", kind)
	}
	// Insert first to learn the id the secrets are bound to, then seal them.
	err := s.Store.CreateChannel(ctx, &c)
	if errors.Is(err, store.ErrConflict) {
		existing, ferr := s.find(ctx, workspaceID, kind, acct.RemoteID)
		if ferr != nil {
			return store.Channel{}, ferr
		}
		c.ID, c.CreatedAt = existing.ID, existing.CreatedAt
		err = nil
	}
	if err != nil {
		return store.Channel{}, err
	}
	enc, err := s.Keyring.SealJSON(stored.Secrets, aad(workspaceID, c.ID))
	if err != nil {
		return store.Channel{}, err
	}
	c.SecretsEnc = enc
	if err := s.Store.UpdateChannel(ctx, c); err != nil {
		return store.Channel{}, err
	}
	return s.Store.Channel(ctx, workspaceID, c.ID)
}

func (s *Service) find(ctx context.Context, workspaceID int64, kind network.Kind, remoteID string) (store.Channel, error) {
	list, err := s.Store.Channels(ctx, workspaceID)
	if err != nil {
		return store.Channel{}, err
	}
	for _, c := range list {
		if c.Network == string(kind) && c.RemoteID == remoteID {
			return c, nil
		}
	}
	return store.Channel{}, store.ErrNotFound
}

// Stored opens a channel's stored settings and secrets.
func (s *Service) Stored(c store.Channel) (network.Stored, error) {
	st := network.Stored{Settings: c.Settings, Secrets: map[string]string{}}
	if len(c.SecretsEnc) > 0 {
		if err := s.Keyring.OpenJSON(c.SecretsEnc, aad(c.WorkspaceID, c.ID), &st.Secrets); err != nil {
			return st, fmt.Errorf("channel %d: %w", c.ID, err)
		}
	}
	if len(c.LimitsJSON) > 0 {
		var l network.Limits
		if err := json.Unmarshal(c.LimitsJSON, &l); err == nil {
			st.Limits = &l
		}
	}
	return st, nil
}

// ShownSecret is a secret shown once, right after connecting (see
// network.Field.ShowOnce): a webhook's signing secret.
type ShownSecret struct {
	// Field is the connect field's name ("secret").
	Field string `json:"field"`
	// Label is the field's English label.
	Label string `json:"label"`
	Value string `json:"value"`
}

// SecretsToShow returns the channel's ShowOnce secrets as stored, for the
// answer to the person who has just connected it; nothing shows them later.
func (s *Service) SecretsToShow(c store.Channel) ([]ShownSecret, error) {
	prov, err := network.ProviderFor(network.Kind(c.Network))
	if err != nil {
		return nil, err
	}
	var out []ShownSecret
	var st network.Stored
	for _, f := range prov.Fields() {
		if !f.ShowOnce {
			continue
		}
		if st.Secrets == nil {
			if st, err = s.Stored(c); err != nil {
				return nil, err
			}
		}
		if v := st.Secrets[f.Name]; v != "" {
			out = append(out, ShownSecret{Field: f.Name, Label: f.Label, Value: v})
		}
	}
	return out, nil
}

// Limits returns the channel's effective limits.
func (s *Service) Limits(c store.Channel) network.Limits {
	st := network.Stored{}
	if len(c.LimitsJSON) > 0 {
		var l network.Limits
		if json.Unmarshal(c.LimitsJSON, &l) == nil {
			st.Limits = &l
		}
	}
	return st.EffectiveLimits(network.Kind(c.Network))
}

// Connector opens the connector of a channel; refreshed secrets are sealed
// and saved before they are used.
func (s *Service) Connector(ctx context.Context, workspaceID, channelID int64) (network.Connector, network.Limits, error) {
	c, err := s.Store.Channel(ctx, workspaceID, channelID)
	if err != nil {
		return nil, network.Limits{}, err
	}
	return s.open(c)
}

func (s *Service) open(c store.Channel) (network.Connector, network.Limits, error) {
	prov, err := network.ProviderFor(network.Kind(c.Network))
	if err != nil {
		return nil, network.Limits{}, err
	}
	st, err := s.Stored(c)
	if err != nil {
		return nil, network.Limits{}, err
	}
	env := s.Env
	ws, id := c.WorkspaceID, c.ID
	env.SaveSecrets = func(ctx context.Context, secrets map[string]string) error {
		enc, err := s.Keyring.SealJSON(secrets, aad(ws, id))
		if err != nil {
			return err
		}
		return s.Store.UpdateChannelSecrets(ctx, ws, id, enc, time.Now())
	}
	env.RefreshLocked = func(ctx context.Context, fn func(map[string]string) (map[string]string, error)) error {
		return s.Store.LockChannelSecrets(ctx, ws, id, func(enc []byte) ([]byte, error) {
			current := map[string]string{}
			if len(enc) > 0 {
				if err := s.Keyring.OpenJSON(enc, aad(ws, id), &current); err != nil {
					return nil, fmt.Errorf("channel %d: %w", id, err)
				}
			}
			next, err := fn(current)
			if err != nil || next == nil {
				return nil, err
			}
			return s.Keyring.SealJSON(next, aad(ws, id))
		}, time.Now())
	}
	env.Checkpoint = func(ctx context.Context, key string) (string, error) {
		v, err := s.Store.Checkpoint(ctx, ws, id, key)
		if errors.Is(err, store.ErrNotFound) {
			return "", nil
		}
		return v, err
	}
	env.SetCheckpoint = func(ctx context.Context, key, value string) error {
		return s.Store.SetCheckpoint(ctx, ws, id, key, value, time.Now())
	}
	conn, err := prov.Open(env, st)
	if err != nil {
		return nil, network.Limits{}, err
	}
	return conn, st.EffectiveLimits(network.Kind(c.Network)), nil
}

// MarkNeedsReconnect records that a channel's credentials no longer work.
func (s *Service) MarkNeedsReconnect(ctx context.Context, workspaceID, channelID int64, reason string) error {
	return s.Store.SetChannelStatus(ctx, workspaceID, channelID, store.ChannelNeedsReconnect, reason, time.Now())
}

// CheckInterval is the shortest time between two manual checks of one
// channel: a check calls the network (a ping, maybe a token refresh) and can
// mark the channel needs-reconnect, so it is not something to repeat in a loop.
const CheckInterval = 30 * time.Second

// ErrCheckTooSoon matches a *CheckTooSoonError.
var ErrCheckTooSoon = errors.New("channel: checked too recently")

// CheckTooSoonError refuses a manual check within CheckInterval of the last
// one; RetryAfter says when the next is allowed.
type CheckTooSoonError struct{ RetryAfter time.Duration }

func (e *CheckTooSoonError) Error() string {
	return fmt.Sprintf("This channel was checked less than %d seconds ago; try again in %d seconds",
		int(CheckInterval.Seconds()), e.Seconds())
}

// Seconds is RetryAfter in whole seconds, rounded up (at least 1).
func (e *CheckTooSoonError) Seconds() int {
	return max(1, int(math.Ceil(e.RetryAfter.Seconds())))
}

// Is makes errors.Is(err, ErrCheckTooSoon) hold.
func (e *CheckTooSoonError) Is(target error) bool { return target == ErrCheckTooSoon }

// Check verifies a channel's credentials against the network, refreshes
// server-provided limits, and records the result: a manual check, for
// members who manage channels, at most once per CheckInterval per channel
// (a *CheckTooSoonError otherwise).
func (s *Service) Check(ctx context.Context, p auth.Principal, channelID int64) (store.Channel, error) {
	if !p.Can(auth.ActManageChannels) {
		return store.Channel{}, auth.ErrForbidden
	}
	c, err := s.Store.Channel(ctx, p.Workspace.ID, channelID)
	if err != nil {
		return store.Channel{}, err
	}
	now := s.Env.Clock()
	ok, err := s.Store.ClaimChannelCheck(ctx, p.Workspace.ID, channelID, now, now.Add(-CheckInterval))
	if err != nil {
		return store.Channel{}, err
	}
	if !ok {
		wait := CheckInterval
		if c.CheckedAt != nil {
			wait = c.CheckedAt.Add(CheckInterval).Sub(now)
		}
		return store.Channel{}, &CheckTooSoonError{RetryAfter: wait}
	}
	return s.check(ctx, c)
}

// check runs a check without the role and interval rules (the daily job).
func (s *Service) check(ctx context.Context, c store.Channel) (store.Channel, error) {
	status, reason := store.ChannelOK, ""
	conn, _, err := s.open(c)
	if err == nil {
		if hc, ok := conn.(network.HealthChecker); ok {
			err = hc.Check(ctx)
		} else {
			_, err = conn.Identify(ctx)
		}
	}
	if err != nil {
		reason = network.UserMessage(err)
		if cls := network.ClassOf(err); cls == network.AuthReconnect || cls == network.AuthRefresh || errors.Is(err, secret.ErrDecrypt) {
			status = store.ChannelNeedsReconnect
		} else {
			status = c.Status
		}
	} else if te, ok := conn.(network.TokenExpirer); ok && expiresSoon(te.TokenExpiry(), s.Env.Clock()) {
		status = store.ChannelExpiring
		reason = fmt.Sprintf("The access token expires on %s and could not be renewed; reconnect the account before then", te.TokenExpiry().UTC().Format("2 January 2006 15:04 MST"))
	}
	if lr, ok := conn.(network.LimitsRefresher); ok && err == nil {
		if l, lerr := lr.RefreshLimits(ctx); lerr == nil {
			c.LimitsJSON, _ = json.Marshal(l)
			c.Status, c.StatusReason = status, reason
			if err := s.Store.UpdateChannel(ctx, c); err != nil {
				return store.Channel{}, err
			}
		}
	}
	if err := s.Store.SetChannelStatus(ctx, c.WorkspaceID, c.ID, status, reason, s.Env.Clock()); err != nil {
		return store.Channel{}, err
	}
	return s.Store.Channel(ctx, c.WorkspaceID, c.ID)
}

// expiresSoon reports a known expiry within network.ExpiryWarning.
func expiresSoon(at, now time.Time) bool {
	return !at.IsZero() && at.Sub(now) < network.ExpiryWarning
}

// CheckAll checks the health of every channel whose connector has a cheap
// check (HealthChecker) or server-provided limits (LimitsRefresher), across
// all workspaces: the daily maintenance job. Connectors without either (a
// webhook would fire a ping at its receiver) are left alone. It returns how
// many channels it checked and how many need reconnecting.
func (s *Service) CheckAll(ctx context.Context) (checked, broken int, err error) {
	for _, k := range network.Kinds() {
		list, err := s.Store.ChannelsOfNetwork(ctx, string(k))
		if err != nil {
			return checked, broken, err
		}
		for _, c := range list {
			conn, _, err := s.open(c)
			if err == nil {
				_, hc := conn.(network.HealthChecker)
				_, lr := conn.(network.LimitsRefresher)
				if !hc && !lr {
					continue
				}
			}
			got, err := s.check(ctx, c)
			if err != nil {
				if errors.Is(err, store.ErrNotFound) {
					continue // removed meanwhile
				}
				return checked, broken, err
			}
			checked++
			if got.Status == store.ChannelNeedsReconnect {
				broken++
			}
		}
	}
	return checked, broken, nil
}

// Remove deletes a channel.
func (s *Service) Remove(ctx context.Context, p auth.Principal, channelID int64) error {
	if !p.Can(auth.ActManageChannels) {
		return auth.ErrForbidden
	}
	return s.Store.DeleteChannel(ctx, p.Workspace.ID, channelID)
}

// FeedURLs are the public addresses of a website channel's three feed documents.
type FeedURLs struct {
	RSS  string `json:"rss"`
	Atom string `json:"atom"`
	JSON string `json:"json"`
}

// Feeds returns the feed addresses of a website channel, nil for any other
// channel (or a website channel without a key).
func (s *Service) Feeds(c store.Channel) *FeedURLs {
	key := c.Settings[feed.SettingKey]
	if c.Network != string(network.Website) || !feed.ValidKey(key) {
		return nil
	}
	rss, atom, js := feed.URLs(s.Env.BaseURL, key)
	return &FeedURLs{RSS: rss, Atom: atom, JSON: js}
}
