package main_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/app"
	"github.com/relais/relais/internal/config"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// The JSON the inbox commands print, as a script reads it.
type savedReplyJSON struct {
	ID           int64    `json:"id"`
	Placeholders []string `json:"placeholders"`
}

type ruleJSON struct {
	ID             int64 `json:"id"`
	Enabled        bool  `json:"enabled"`
	StopAfterMatch bool  `json:"stop_after_match"`
	Conditions     struct {
		Networks     []string `json:"networks"`
		TimeFrom     string   `json:"time_from"`
		FirstContact *bool    `json:"first_contact"`
	} `json:"conditions"`
	Actions []struct {
		Kind  string `json:"kind"`
		Value string `json:"value"`
	} `json:"actions"`
}

func TestInboxRulesCLI(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			env := dataEnv(t, d)
			rel := func(args ...string) (string, string, error) { return run(t, env, "", args...) }
			_, stderr, err := run(t, env, "a long enough password\n", "user", "create", "--email", "owner@rules.example", "--password-stdin")
			require.NoError(t, err, stderr)
			_, stderr, err = rel("workspace", "create", "--name", "Rules", "--slug", "rules", "--owner", "owner@rules.example")
			require.NoError(t, err, stderr)

			out, stderr, err := rel("inbox", "saved-replies", "add", "--workspace", "rules", "--name", "Refund", "--lang", "de", "--body", "Hallo {first_name}, hier ist der Link: {order_link}")
			require.NoError(t, err, stderr)
			replyID := strings.TrimSpace(out)
			_, stderr, err = rel("inbox", "saved-replies", "add", "--workspace", "rules", "--name", "Bad", "--lang", "en", "--body", "Hi {vorname}")
			require.Error(t, err)
			require.Contains(t, stderr, "Unknown placeholder {vorname}")
			out, stderr, err = rel("inbox", "saved-replies", "list", "--workspace", "rules", "--json")
			require.NoError(t, err, stderr)
			var replies []savedReplyJSON
			require.NoError(t, json.Unmarshal([]byte(out), &replies), out)
			require.Len(t, replies, 1)
			require.Equal(t, []string{"first_name", "order_link"}, replies[0].Placeholders)

			out, stderr, err = rel("inbox", "rules", "add", "--workspace", "rules", "--name", "Late refunds",
				"--keywords", `refund AND (late OR "not arrived") AND NOT spam`, "--network", "mastodon,bluesky", "--sentiment", "negative",
				"--from", "22:00", "--to", "06:00", "--first-contact", "true",
				"--action", "hide", "--action", "auto_reply="+replyID, "--action", "priority=high", "--stop")
			require.NoError(t, err, stderr)
			id, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
			require.NoError(t, err, out)
			_, stderr, err = rel("inbox", "rules", "add", "--workspace", "rules", "--name", "Broken", "--keywords", "refund AND", "--action", "spam")
			require.Error(t, err)
			require.Contains(t, stderr, "Keywords: a word or phrase is missing at the end")
			_, stderr, err = rel("inbox", "rules", "add", "--workspace", "rules", "--name", "Odd", "--action", "delete")
			require.Error(t, err)
			require.Contains(t, stderr, `Action "delete" is not one of`)

			out, stderr, err = rel("inbox", "rules", "list", "--workspace", "rules", "--json")
			require.NoError(t, err, stderr)
			var rules []ruleJSON
			require.NoError(t, json.Unmarshal([]byte(out), &rules), out)
			require.Len(t, rules, 1)
			r := rules[0]
			require.Equal(t, id, r.ID)
			require.True(t, r.Enabled)
			require.True(t, r.StopAfterMatch)
			require.Equal(t, []string{"mastodon", "bluesky"}, r.Conditions.Networks)
			require.Equal(t, "22:00", r.Conditions.TimeFrom)
			require.True(t, *r.Conditions.FirstContact)
			require.Len(t, r.Actions, 3)
			require.Equal(t, replyID, r.Actions[1].Value)

			out, stderr, err = rel("inbox", "rules", "dry-run", "--workspace", "rules", "--json")
			require.NoError(t, err, stderr)
			var rep struct {
				Messages int `json:"messages"`
				Rules    []struct {
					RuleID int64 `json:"rule_id"`
				} `json:"rules"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
			require.Len(t, rep.Rules, 1, "until the inbox supplies messages, the rules are listed with nothing matched")
			require.Equal(t, id, rep.Rules[0].RuleID)
			out, stderr, err = rel("inbox", "rules", "dry-run", "--workspace", "rules")
			require.NoError(t, err, stderr)
			require.Contains(t, out, "Late refunds")

			_, stderr, err = rel("inbox", "rules", "remove", "--workspace", "rules", strconv.FormatInt(id+100, 10))
			require.Error(t, err)
			require.Contains(t, stderr, "not found")
			_, stderr, err = rel("inbox", "rules", "remove", "--workspace", "rules", strconv.FormatInt(id, 10))
			require.NoError(t, err, stderr)
			out, _, err = rel("inbox", "rules", "list", "--workspace", "rules", "--json")
			require.NoError(t, err)
			require.Equal(t, "[]\n", out)
		})
	}
}

// A viewer lists rules but cannot add one.
func TestInboxRulesCLIRoles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a, err := app.Open(context.Background(), config.Config{DataDir: dir}, slog.New(slog.DiscardHandler), app.Options{Migrate: true})
	require.NoError(t, err)
	owner := storetest.NewUser(t, a.Store, "owner@roles.example")
	viewer := storetest.NewUser(t, a.Store, "viewer@roles.example")
	ws := storetest.NewWorkspace(t, a.Store, "roles", owner.ID)
	require.NoError(t, a.Store.AddMember(context.Background(), ws.ID, viewer.ID, store.RoleViewer))
	require.NoError(t, a.Close())
	env := []string{"RELAIS_DATA_DIR=" + dir}
	_, stderr, err := run(t, env, "", "inbox", "rules", "add", "--workspace", "roles", "--email", "viewer@roles.example", "--name", "x", "--action", "spam")
	require.Error(t, err)
	require.Contains(t, stderr, "does not allow this")
	_, stderr, err = run(t, env, "", "inbox", "rules", "list", "--workspace", "roles", "--email", "viewer@roles.example")
	require.NoError(t, err, stderr)
}
