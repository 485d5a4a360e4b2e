package channel_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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

func TestConnectSealsSecretsAndReconnects(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	kr, err := secret.New("k1", map[string][]byte{"k1": bytes.Repeat([]byte{7}, 32)})
	require.NoError(t, err)
	svc := &channel.Service{Store: st, Keyring: kr}
	a := auth.NewService(st)
	u, err := a.CreateUser(ctx, "o@example.com", "", "a long enough password", false)
	require.NoError(t, err)
	w, err := a.CreateWorkspace(ctx, u, "Brand", "", "")
	require.NoError(t, err)
	p, err := a.Principal(ctx, u, w.ID)
	require.NoError(t, err)

	_, err = svc.Connect(ctx, p, testKind, map[string]string{})
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
