package main_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// pdsAccount creates an account with an app password on the local PDS.
func pdsAccount(t *testing.T, pds string) (handle, appPassword string) {
	t.Helper()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	handle = "cli" + hex.EncodeToString(b) + ".test"
	var acct struct {
		AccessJwt string `json:"accessJwt"`
		Did       string `json:"did"`
	}
	xrpc(t, pds, "com.atproto.server.createAccount", "", map[string]string{"handle": handle, "email": handle + "@example.com", "password": "account-password-1"}, &acct)
	var ap struct {
		Password string `json:"password"`
	}
	xrpc(t, pds, "com.atproto.server.createAppPassword", acct.AccessJwt, map[string]string{"name": "relais"}, &ap)
	require.NotEmpty(t, ap.Password)
	return handle, ap.Password
}

func xrpc(t *testing.T, base, method, token string, body, out any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(http.MethodPost, base+"/xrpc/"+method, bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode, method)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(out))
}

func TestChannelAddBlueskyOnLocalPDS(t *testing.T) {
	t.Parallel()
	pds := os.Getenv("ATPROTO_PDS_URL")
	if pds == "" {
		t.Skip("ATPROTO_PDS_URL is not set (scripts/test starts the local PDS)")
	}
	handle, appPassword := pdsAccount(t, pds)
	env := append(dataEnv(t, "sqlite"), "RELAIS_ALLOW_PRIVATE_HOSTS=true")
	_, stderr, err := run(t, env, "a long enough password\n", "user", "create", "--email", "o@example.com", "--password-stdin")
	require.NoError(t, err, stderr)
	_, stderr, err = run(t, env, "", "workspace", "create", "--name", "Brand", "--owner", "o@example.com")
	require.NoError(t, err, stderr)

	_, stderr, err = run(t, env, "wrong-wrong-wrong-wrong\n", "channel", "add", "bluesky", "--workspace", "brand", "--handle", handle, "--app-password-stdin", "--pds-url", pds)
	require.Error(t, err, "a wrong app password is refused")
	require.NotEmpty(t, stderr)

	out, stderr, err := run(t, env, appPassword+"\n", "channel", "add", "bluesky", "--workspace", "brand", "--handle", handle, "--app-password-stdin", "--pds-url", pds)
	require.NoError(t, err, stderr)
	require.Regexp(t, `^\d+\n$`, out)

	out, stderr, err = run(t, env, "", "channel", "list", "--workspace", "brand", "--json")
	require.NoError(t, err, stderr)
	var list []struct {
		Network  string `json:"network"`
		Handle   string `json:"handle"`
		RemoteID string `json:"remote_id"`
		Limits   struct {
			MaxText int `json:"max_text"`
		} `json:"limits"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &list))
	require.Len(t, list, 1)
	require.Equal(t, "bluesky", list[0].Network)
	require.Contains(t, list[0].RemoteID, "did:plc:")
	require.Equal(t, 300, list[0].Limits.MaxText)
	require.NotContains(t, out, appPassword)

	out, stderr, err = run(t, env, "", "channel", "check", "1")
	require.NoError(t, err, stderr)
	require.Contains(t, out, "\tok")
}
