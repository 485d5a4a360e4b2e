package main_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAnalyticsScheduleAndBrandCommands adds, lists and removes a report
// sent by e-mail and sets the reports' brand from the command line.
func TestAnalyticsScheduleAndBrandCommands(t *testing.T) {
	t.Parallel()
	env := dataEnv(t, "sqlite")
	for _, args := range [][]string{
		{"user", "create", "--email", "o@example.com", "--password-stdin"},
		{"workspace", "create", "--name", "Maison Lune", "--slug", "lune", "--owner", "o@example.com"},
	} {
		_, stderr, err := run(t, env, "a long enough password\n", args...)
		require.NoError(t, err, stderr)
	}
	_, stderr, err := run(t, env, "", "analytics", "schedule", "add", "--workspace", "lune", "--every", "weekly", "--to", "client@example.com,oops")
	require.Error(t, err)
	require.Contains(t, stderr, `recipients: "oops" is not an e-mail address`)

	out, stderr, err := run(t, env, "", "analytics", "schedule", "add", "--workspace", "lune", "--every", "monthly", "--lang", "de",
		"--to", "kunde@example.com", "--to", "chef@example.com")
	require.NoError(t, err, stderr)
	id := strings.TrimSpace(out)
	require.Regexp(t, `^\d+$`, id)
	require.Contains(t, stderr, "no SMTP server is configured")

	out, stderr, err = run(t, env, "", "analytics", "schedule", "list", "--workspace", "lune", "--json")
	require.NoError(t, err, stderr)
	var list []struct {
		ID         int64    `json:"id"`
		Frequency  string   `json:"frequency"`
		Language   string   `json:"language"`
		Recipients []string `json:"recipients"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &list))
	require.Len(t, list, 1)
	require.Equal(t, "monthly", list[0].Frequency)
	require.Equal(t, []string{"kunde@example.com", "chef@example.com"}, list[0].Recipients)
	out, _, err = run(t, env, "", "analytics", "schedule", "list", "--workspace", "lune")
	require.NoError(t, err)
	require.Contains(t, out, "kunde@example.com, chef@example.com")

	_, stderr, err = run(t, env, "", "analytics", "schedule", "remove", "--workspace", "lune", "999")
	require.Error(t, err)
	require.Contains(t, stderr, "schedule 999")
	_, stderr, err = run(t, env, "", "analytics", "schedule", "remove", "--workspace", "lune", id)
	require.NoError(t, err, stderr)
	out, _, err = run(t, env, "", "analytics", "schedule", "list", "--workspace", "lune", "--json")
	require.NoError(t, err)
	require.Equal(t, "[]\n", out)

	_, stderr, err = run(t, env, "", "analytics", "brand", "set", "--workspace", "lune", "--name", "Agence Soleil", "--accent", "sunny")
	require.Error(t, err)
	require.Contains(t, stderr, "accent_color: a colour is #rrggbb")
	_, stderr, err = run(t, env, "", "analytics", "brand", "set", "--workspace", "lune", "--name", "Agence Soleil", "--accent", "#FFAA00", "--footer", "Prepared by Agence Soleil")
	require.NoError(t, err, stderr)
	out, stderr, err = run(t, env, "", "analytics", "brand", "show", "--workspace", "lune")
	require.NoError(t, err, stderr)
	require.Contains(t, out, "name: Agence Soleil\naccent colour: #ffaa00")
	require.Contains(t, out, "footer: Prepared by Agence Soleil")
}
