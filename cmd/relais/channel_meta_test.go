package main_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network/meta/metatest"
)

// TestChannelAddMeta connects Facebook, Instagram and Threads with pasted
// tokens from the terminal, against the fake Graph API (RELAIS_META_API_URL).
func TestChannelAddMeta(t *testing.T) {
	t.Parallel()
	fake := metatest.New(t, metatest.Options{})
	env := append(dataEnv(t, "sqlite"), "RELAIS_ALLOW_PRIVATE_HOSTS=true", "RELAIS_META_API_URL="+fake.URL)
	_, stderr, err := run(t, env, "a long enough password\n", "user", "create", "--email", "o@example.com", "--password-stdin")
	require.NoError(t, err, stderr)
	_, stderr, err = run(t, env, "", "workspace", "create", "--name", "Brand", "--owner", "o@example.com")
	require.NoError(t, err, stderr)

	user := fake.IssueToken("user", fake.UserID, 0)
	for _, tc := range []struct {
		args  []string
		token string
	}{
		{[]string{"facebook"}, user},
		{[]string{"instagram", "--login", "facebook"}, user},
		{[]string{"instagram", "--login", "instagram"}, fake.IssueToken("iglogin", fake.IGUserID, 0)},
		{[]string{"threads"}, fake.IssueToken("threads", fake.ThreadsUserID, 0)},
	} {
		out, stderr, err := run(t, env, tc.token+"\n", append(append([]string{"channel", "add"}, tc.args...), "--workspace", "brand", "--token-stdin")...)
		require.NoError(t, err, stderr)
		require.Regexp(t, `^\d+\n$`, out)
	}
	_, stderr, err = run(t, env, "not-a-token\n", "channel", "add", "threads", "--workspace", "brand", "--token-stdin")
	require.Error(t, err)
	require.Contains(t, stderr, "Threads refused the connection")

	out, stderr, err := run(t, env, "", "channel", "list", "--workspace", "brand", "--json")
	require.NoError(t, err, stderr)
	var list []struct {
		Network string `json:"network"`
		Handle  string `json:"handle"`
		Status  string `json:"status"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &list))
	// Both Instagram logins reach the same account: the second reconnects it.
	require.Len(t, list, 3)
	for _, c := range list {
		require.Equal(t, "ok", c.Status)
	}
	_, stderr, err = run(t, env, "", "channel", "check", "3")
	require.NoError(t, err, stderr)
}
