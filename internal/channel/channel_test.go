package channel_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/channel"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/secret"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/relais/relais/internal/valid"
	"github.com/stretchr/testify/require"
)

const testKind network.Kind = "channeltest"

// testProvider accepts the token "good" and rotates it on every Open.
type testProvider struct{}

func (testProvider) Kind() network.Kind { return testKind }
func (testProvider) Fields() []network.Field {
	return []network.Field{{Name: "token", Label: "Token", Secret: true, Required: true}, {Name: "signing", Label: "Signing key", Secret: true, ShowOnce: true}}
}
func (testProvider) Connect(_ context.Context, _ network.Env, in map[string]string) (network.Account, network.Stored, error) {
	if in["token"] != "good" {
		return network.Account{}, network.Stored{}, &network.Error{Class: network.AuthReconnect, Network: testKind, Status: 401, Message: "bad token"}
	}
	l := network.Limits{Network: testKind, MaxText: 123}
	return network.Account{RemoteID: "acct-1", Handle: "@brand"}, network.Stored{Settings: map[string]string{"host": "h"}, Secrets: map[string]string{"token": "good", "signing": "whsec_shown-once"}, Limits: &l}, nil
}
func (testProvider) Open(env network.Env, st network.Stored) (network.Connector, error) {
	return &testConn{env: env, token: st.Secrets["token"]}, nil
}

type testConn struct {
	env   network.Env
	token string
}

func (c *testConn) Kind() network.Kind { return testKind }
func (c *testConn) Identify(ctx context.Context) (network.Account, error) {
	if c.token != "good" {
		return network.Account{}, &network.Error{Class: network.AuthReconnect, Network: testKind, Status: 401, Message: "revoked"}
	}
	return network.Account{RemoteID: "acct-1"}, c.env.SaveSecrets(ctx, map[string]string{"token": "good", "rotated": "yes"})
}
func (c *testConn) Publish(context.Context, network.PublishRequest) (network.PublishResult, error) {
	return network.PublishResult{}, errors.New("unused")
}
func (c *testConn) Delete(context.Context, string) error { return nil }

// Check makes testConn a HealthChecker, so the daily CheckAll looks at it.
func (c *testConn) Check(ctx context.Context) error {
	_, err := c.Identify(ctx)
	return err
}

func init() { network.Register(testProvider{}) }

func mustSeal(t *testing.T, kr *secret.Keyring, ws, id int64, v map[string]string) []byte {
	t.Helper()
	b, err := kr.SealJSON(v, []byte(fmt.Sprintf("channel:%d:%d", ws, id)))
	require.NoError(t, err)
	return b
}

// setup is a channel service over a fresh SQLite store with env, and the
// owner of a workspace there.
func setup(t *testing.T, env network.Env) (*channel.Service, *secret.Keyring, store.Workspace, auth.Principal) {
	t.Helper()
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	kr, err := secret.New("k1", map[string][]byte{"k1": bytes.Repeat([]byte{7}, 32)})
	require.NoError(t, err)
	svc := &channel.Service{Store: st, Keyring: kr, Env: env}
	a := auth.NewService(st)
	u, err := a.CreateUser(ctx, "o@example.com", "", "a long enough password", false)
	require.NoError(t, err)
	w, err := a.CreateWorkspace(ctx, u, "Brand", "", "")
	require.NoError(t, err)
	p, err := a.Principal(ctx, u, w.ID)
	require.NoError(t, err)
	return svc, kr, w, p
}

func TestConnectSealsSecretsAndReconnects(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, kr, w, p := setup(t, network.Env{})
	st := svc.Store

	_, err := svc.Connect(ctx, p, testKind, map[string]string{})
	e, ok := valid.As(err)
	require.True(t, ok)
	require.Equal(t, "token", e.Field)
	_, err = svc.Connect(ctx, p, testKind, map[string]string{"token": "bad"})
	require.ErrorContains(t, err, "bad token")

	c, err := svc.Connect(ctx, p, testKind, map[string]string{"token": "good"})
	require.NoError(t, err)
	require.NotContains(t, string(c.SecretsEnc), "good", "secrets are sealed at rest")
	require.Equal(t, 123, svc.Limits(c).MaxText)
	// Only the ShowOnce secret is given back, for the answer to the connect.
	shown, err := svc.SecretsToShow(c)
	require.NoError(t, err)
	require.Equal(t, []channel.ShownSecret{{Field: "signing", Label: "Signing key", Value: "whsec_shown-once"}}, shown)

	// Connecting the same account again updates the channel instead of duplicating it.
	c2, err := svc.Connect(ctx, p, testKind, map[string]string{"token": "good"})
	require.NoError(t, err)
	require.Equal(t, c.ID, c2.ID)

	// A health check that rotates tokens persists them sealed.
	c3, err := svc.Check(ctx, p, c.ID)
	require.NoError(t, err)
	require.Equal(t, store.ChannelOK, c3.Status)
	stored, err := svc.Stored(c3)
	require.NoError(t, err)
	require.Equal(t, "yes", stored.Secrets["rotated"])

	// A viewer cannot connect channels.
	viewer := p
	viewer.Role = store.RoleViewer
	_, err = svc.Connect(ctx, viewer, testKind, map[string]string{"token": "good"})
	require.ErrorIs(t, err, auth.ErrForbidden)

	// The daily check finds a channel whose token stopped working.
	checked, broken, err := svc.CheckAll(ctx)
	require.NoError(t, err)
	require.GreaterOrEqual(t, checked, 1)
	require.Zero(t, broken)
	require.NoError(t, svc.Store.UpdateChannelSecrets(ctx, w.ID, c.ID, mustSeal(t, kr, w.ID, c.ID, map[string]string{"token": "revoked"}), time.Now()))
	_, broken, err = svc.CheckAll(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, broken)
	got, err := st.Channel(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.Equal(t, store.ChannelNeedsReconnect, got.Status)
	require.Contains(t, got.StatusReason, "revoked")

	// Another workspace cannot open the channel.
	_, _, err = svc.Connector(ctx, w.ID+1, c.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
}

// TestManualCheckNeedsTheRoleAndWaits: viewers and approvers cannot run a
// check (it pings the network, may refresh tokens and mark the channel
// needs-reconnect); a manager can, once per CheckInterval per channel; the
// daily job is not held back.
func TestManualCheckNeedsTheRoleAndWaits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	svc, _, w, p := setup(t, network.Env{Now: func() time.Time { return now }})
	st := svc.Store
	c, err := svc.Connect(ctx, p, testKind, map[string]string{"token": "good"})
	require.NoError(t, err)

	for _, role := range []store.Role{store.RoleViewer, store.RoleApprover, store.RoleEditor} {
		q := p
		q.Role = role
		_, err := svc.Check(ctx, q, c.ID)
		require.ErrorIs(t, err, auth.ErrForbidden, role)
	}
	got, err := st.Channel(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.Nil(t, got.CheckedAt, "a refused check touches nothing")

	_, err = svc.Check(ctx, p, c.ID)
	require.NoError(t, err)
	now = now.Add(12 * time.Second)
	_, err = svc.Check(ctx, p, c.ID)
	var soon *channel.CheckTooSoonError
	require.ErrorAs(t, err, &soon)
	require.ErrorIs(t, err, channel.ErrCheckTooSoon)
	require.Equal(t, 18, soon.Seconds())
	require.Contains(t, err.Error(), "try again in 18 seconds")

	checked, _, err := svc.CheckAll(ctx)
	require.NoError(t, err)
	require.GreaterOrEqual(t, checked, 1, "the daily job is not rate-limited")

	now = now.Add(channel.CheckInterval)
	_, err = svc.Check(ctx, p, c.ID)
	require.NoError(t, err)
}

const remoteKind network.Kind = "channeltest-remote"

// remoteProvider reports an account as a hostile server could.
type remoteProvider struct{ testProvider }

func (remoteProvider) Kind() network.Kind { return remoteKind }
func (remoteProvider) Connect(context.Context, network.Env, map[string]string) (network.Account, network.Stored, error) {
	return network.Account{RemoteID: "r\x001", Handle: "@bra\x00nd", DisplayName: "Bra\x00nd", URL: "javascript:alert(document.cookie)"},
		network.Stored{Secrets: map[string]string{"token": "good"}}, nil
}

func init() { network.Register(remoteProvider{}) }

// TestAccountFromTheNetworkIsSanitised keeps a server's javascript: link and
// NUL characters out of the channel row.
func TestAccountFromTheNetworkIsSanitised(t *testing.T) {
	t.Parallel()
	svc, _, _, p := setup(t, network.Env{})
	c, err := svc.Connect(context.Background(), p, remoteKind, map[string]string{"token": "good"})
	require.NoError(t, err)
	require.Empty(t, c.URL)
	require.Equal(t, "@brand", c.Handle)
	require.Equal(t, "Brand", c.DisplayName)
	require.Equal(t, "r1", c.RemoteID)
}

// TestConnectErrorNamesTheField: whatever a provider returns, the user sees a
// validation error on the field at fault, without Go error prefixes.
func TestConnectErrorNamesTheField(t *testing.T) {
	t.Parallel()
	fields := []network.Field{
		{Name: "handle", Label: "Handle", Required: true},
		{Name: "app_password", Label: "App password", Secret: true, Required: true},
		{Name: "pds_url", Label: "PDS URL"},
	}
	input := map[string]string{"handle": "alice.example", "app_password": "x", "pds_url": "https://pds.example:2583"}
	dnsErr := &url.Error{Op: "Get", URL: "https://pds.example:2583/xrpc/x", Err: &net.DNSError{Err: "no such host", Name: "pds.example", IsNotFound: true}}
	for _, tc := range []struct {
		name, field, code, message string
		err                        error
	}{
		{"validation passes through", "handle", "required", "Handle is required", valid.Errorf("handle", "required", "Handle is required")},
		{"unreachable host names its field", "pds_url", "unreachable_dns", "pds.example cannot be found (no server has this name)",
			fmt.Errorf("bluesky: resolve alice.example on https://pds.example:2583: %w", dnsErr)},
		{"refused credentials", "app_password", "refused", "Bluesky refused the connection: Invalid identifier or password",
			fmt.Errorf("bluesky: login: %w", &network.Error{Class: network.AuthReconnect, Network: network.Bluesky, Status: 401, Message: "Invalid identifier or password"})},
		{"other network error", "handle", "refused", "Bluesky refused the connection: the server answered HTTP 502 Bad Gateway",
			&network.Error{Class: network.Retryable, Network: network.Bluesky, Status: 502}},
		{"untyped error", "handle", "connect_failed", "Could not connect to Bluesky: the answer has no DID",
			errors.New("bluesky: identity: the answer has no DID")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := channel.ConnectError(network.Bluesky, fields, input, tc.err)
			require.Equal(t, tc.field, e.Field)
			require.Equal(t, tc.code, e.Code)
			require.Equal(t, tc.message, e.Message)
			require.NotRegexp(t, `\b(bluesky|channel|auth_reconnect|retryable|permanent): `, e.Message)
		})
	}
}

const expiringKind network.Kind = "channeltest-expiring"

// expiringProvider's connector reports a token expiring at its Stored setting "expires".
type expiringProvider struct{ testProvider }

func (expiringProvider) Kind() network.Kind { return expiringKind }
func (expiringProvider) Connect(context.Context, network.Env, map[string]string) (network.Account, network.Stored, error) {
	return network.Account{RemoteID: "exp-1", Handle: "@exp"}, network.Stored{Settings: map[string]string{}, Secrets: map[string]string{"token": "good"}}, nil
}
func (expiringProvider) Open(env network.Env, st network.Stored) (network.Connector, error) {
	return &expiringConn{testConn: testConn{env: env, token: "good"}}, nil
}

type expiringConn struct{ testConn }

var tokenExpiry = time.Date(2026, 6, 10, 9, 0, 0, 0, time.UTC)

func (c *expiringConn) Kind() network.Kind          { return expiringKind }
func (c *expiringConn) TokenExpiry() time.Time      { return tokenExpiry }
func (c *expiringConn) Check(context.Context) error { return nil }

func init() { network.Register(expiringProvider{}) }

// TestCheckShowsAnExpiringToken: a token expiring within a week makes the
// channel "expiring", with the date, before it stops working.
func TestCheckShowsAnExpiringToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	svc, _, _, p := setup(t, network.Env{Now: func() time.Time { return now }})
	c, err := svc.Connect(ctx, p, expiringKind, map[string]string{"token": "good"})
	require.NoError(t, err)
	got, err := svc.Check(ctx, p, c.ID)
	require.NoError(t, err)
	require.Equal(t, store.ChannelOK, got.Status, "nine days left")

	now = now.Add(3 * 24 * time.Hour)
	got, err = svc.Check(ctx, p, c.ID)
	require.NoError(t, err)
	require.Equal(t, store.ChannelExpiring, got.Status)
	require.Contains(t, got.StatusReason, "10 June 2026")
}
