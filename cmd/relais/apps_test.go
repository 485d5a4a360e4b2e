package main_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/operator"
)

// TestAppsCommands: the operator stores the Meta app's secret and webhook
// token with "relais apps set" (values on stdin); "relais apps list --json"
// shows them set, the secret's value never; the server started afterwards
// has them in force (the webhook receiver answers Meta's check); a value the
// environment sets cannot be stored, and unset removes one.
func TestAppsCommands(t *testing.T) {
	t.Parallel()
	env := dataEnv(t, "sqlite")
	for key, value := range map[string]string{"RELAIS_META_APP_ID": "1234567890", "RELAIS_META_APP_SECRET": "meta-secret", "RELAIS_META_WEBHOOK_VERIFY_TOKEN": "verify-cli"} {
		_, stderr, err := run(t, env, value+"\n", "apps", "set", key)
		require.NoError(t, err, stderr)
	}
	out, stderr, err := run(t, env, "", "apps", "list", "--json")
	require.NoError(t, err, stderr)
	require.NotContains(t, out, "meta-secret")
	require.NotContains(t, out, "verify-cli")
	var apps []operator.App
	require.NoError(t, json.Unmarshal([]byte(out), &apps), out)
	fields := map[string]operator.Field{}
	for _, a := range apps {
		for _, f := range a.Fields {
			fields[f.Env] = f
		}
	}
	require.Equal(t, "1234567890", fields["RELAIS_META_APP_ID"].Value)
	require.True(t, fields["RELAIS_META_APP_SECRET"].Set)
	require.Equal(t, operator.SourceSettings, fields["RELAIS_META_APP_SECRET"].Source)
	require.False(t, fields["RELAIS_X_CLIENT_ID"].Set)

	base, _ := serveAt(t, env, freeAddr(t))
	resp, err := http.Get(base + "/webhooks/meta?hub.mode=subscribe&hub.verify_token=verify-cli&hub.challenge=4242")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, "4242", string(body), "the stored verify token is in force")

	_, stderr, err = run(t, append(env, "RELAIS_X_CLIENT_ID=from-env"), "other\n", "apps", "set", "RELAIS_X_CLIENT_ID")
	require.Error(t, err)
	require.Contains(t, stderr, "RELAIS_X_CLIENT_ID is set in the environment")
	_, stderr, err = run(t, env, "x\n", "apps", "set", "RELAIS_NOPE")
	require.Error(t, err)
	require.Contains(t, stderr, "RELAIS_NOPE is not a network app setting")
	_, stderr, err = run(t, env, "", "apps", "unset", "RELAIS_META_WEBHOOK_VERIFY_TOKEN")
	require.NoError(t, err, stderr)
	out, _, err = run(t, env, "", "apps", "list")
	require.NoError(t, err)
	require.Contains(t, out, "RELAIS_META_WEBHOOK_VERIFY_TOKEN")
	require.Contains(t, out, "(secret set)")
}
