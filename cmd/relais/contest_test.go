package main_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestContestCommands runs a giveaway from the CLI: create, candidates, a
// refused moderation, commit, draw, verify (stored and by hand), export and erase.
func TestContestCommands(t *testing.T) {
	t.Parallel()
	env := dataEnv(t, "sqlite")
	must := func(stdin string, args ...string) string {
		t.Helper()
		out, stderr, err := run(t, env, stdin, args...)
		require.NoError(t, err, "%v: %s", args, stderr)
		return out
	}
	must("a long enough password\n", "user", "create", "--email", "o@example.com", "--password-stdin")
	must("", "workspace", "create", "--name", "Otto", "--slug", "otto", "--owner", "o@example.com")
	_, stderr, err := run(t, env, "", "contest", "create", "--workspace", "otto", "--slug", "X", "--title", "Bad")
	require.Error(t, err)
	require.Contains(t, stderr, "slug must be 3 to 60 lowercase letters")
	var created struct {
		ID       int64  `json:"id"`
		Kind     string `json:"kind"`
		SeedHash string `json:"seed_hash"`
	}
	require.NoError(t, json.Unmarshal([]byte(must("", "contest", "create", "--workspace", "otto", "--slug", "face", "--title", "Face", "--kind", "giveaway",
		"--countries", "DE,FR", "--lang", "de", "--winners", "2", "--json")), &created))
	require.Equal(t, "giveaway", created.Kind)
	cid := strconv.FormatInt(created.ID, 10)
	var ids []string
	for i := range 4 {
		ids = append(ids, strings.TrimSpace(must("", "contest", "entries", cid, "--workspace", "otto", "--add", fmt.Sprint("Candidate ", i))))
	}
	var entries []map[string]any
	require.NoError(t, json.Unmarshal([]byte(must("", "contest", "entries", cid, "--workspace", "otto", "--status", "approved", "--json")), &entries))
	require.Len(t, entries, 4)
	_, stderr, err = run(t, env, "", "contest", "moderate", ids[0], "--workspace", "otto", "--reject")
	require.Error(t, err)
	require.Contains(t, stderr, "reason is required")
	require.Contains(t, must("", "contest", "list", "--workspace", "otto"), "face")
	require.Equal(t, "[]\n", must("", "contest", "votes", cid, "--workspace", "otto", "--json"))

	_, stderr, err = run(t, env, "", "contest", "draw", cid, "--workspace", "otto")
	require.Error(t, err)
	require.Contains(t, stderr, "commit the draw seed first")
	var committed, drawn struct {
		SeedHash    string  `json:"seed_hash"`
		Seed        string  `json:"seed"`
		EntriesHash string  `json:"entries_hash"`
		WinnerIDs   []int64 `json:"winner_ids"`
	}
	require.NoError(t, json.Unmarshal([]byte(must("", "contest", "draw", cid, "--workspace", "otto", "--commit", "--json")), &committed))
	require.Len(t, committed.SeedHash, 64)
	require.Empty(t, committed.Seed)
	require.NoError(t, json.Unmarshal([]byte(must("", "contest", "draw", cid, "--workspace", "otto", "--json")), &drawn))
	require.Equal(t, committed.SeedHash, drawn.SeedHash)
	require.Len(t, drawn.WinnerIDs, 2)
	require.Contains(t, must("", "contest", "verify", cid, "--workspace", "otto"), "ok:")
	winners := fmt.Sprintf("%d,%d", drawn.WinnerIDs[0], drawn.WinnerIDs[1])
	// Anyone can verify from the published values alone (no database).
	out, stderr, err := run(t, nil, "", "contest", "verify", "--seed", drawn.Seed, "--seed-hash", drawn.SeedHash, "--entries", strings.Join(ids, ","),
		"--entries-hash", drawn.EntriesHash, "--winners", winners, "--json")
	require.NoError(t, err, stderr)
	require.Contains(t, out, `"ok": true`)
	swapped := fmt.Sprintf("%d,%d", drawn.WinnerIDs[1], drawn.WinnerIDs[0])
	_, stderr, err = run(t, nil, "", "contest", "verify", "--seed", drawn.Seed, "--seed-hash", drawn.SeedHash, "--entries", strings.Join(ids, ","), "--winners", swapped)
	require.Error(t, err)
	require.Contains(t, stderr, "does not verify")

	var show struct {
		Audit []struct {
			Action string `json:"action"`
		} `json:"audit"`
	}
	require.NoError(t, json.Unmarshal([]byte(must("", "contest", "show", cid, "--workspace", "otto", "--json")), &show))
	require.Equal(t, "draw", show.Audit[len(show.Audit)-1].Action)
	require.Contains(t, must("", "contest", "export", "--workspace", "otto", "--email", "nobody@example.org"), `"entries": []`)
	require.Contains(t, must("", "contest", "erase", "--workspace", "otto", "--email", "nobody@example.org"), "0 entries and 0 votes erased")
}
