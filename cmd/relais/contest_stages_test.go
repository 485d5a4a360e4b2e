package main_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/relais/relais/internal/contest"
	"github.com/stretchr/testify/require"
)

// TestContestStageCommands creates a quiz from a questions file, runs a
// jury stage (jury, a juror's score, the weighted ranking), sets the
// branding with the contrast check, and verifies a quiz draw by hand.
func TestContestStageCommands(t *testing.T) {
	t.Parallel()
	env := dataEnv(t, "sqlite")
	must := func(args ...string) string {
		t.Helper()
		out, stderr, err := run(t, env, "", args...)
		require.NoError(t, err, "%v: %s", args, stderr)
		return out
	}
	_, _, err := run(t, env, "a long enough password\n", "user", "create", "--email", "o@example.com", "--password-stdin")
	require.NoError(t, err)
	must("workspace", "create", "--name", "Otto", "--slug", "otto", "--owner", "o@example.com")

	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	require.NoError(t, os.WriteFile(bad, []byte("Which river?\n- Rhine\n- Elbe\n"), 0o600))
	_, stderr, err := run(t, env, "", "contest", "create", "--workspace", "otto", "--slug", "quiz", "--title", "Quiz", "--kind", "quiz", "--questions-file", bad)
	require.Error(t, err)
	require.Contains(t, stderr, "right choice")
	good := filepath.Join(dir, "good.txt")
	require.NoError(t, os.WriteFile(good, []byte("Which river?\n- Rhine\n* Elbe\n\nLegs of a spider?\n* 8\n- 6\n"), 0o600))
	var quiz struct {
		Questions []struct {
			Prompt  string `json:"prompt"`
			Correct int    `json:"correct"`
		} `json:"questions"`
	}
	require.NoError(t, json.Unmarshal([]byte(must("contest", "create", "--workspace", "otto", "--slug", "quiz", "--title", "Quiz", "--kind", "quiz",
		"--questions-file", good, "--json")), &quiz))
	require.Len(t, quiz.Questions, 2)
	require.Equal(t, 1, quiz.Questions[0].Correct)

	cid := strings.TrimSpace(must("contest", "create", "--workspace", "otto", "--slug", "face", "--title", "Face", "--kind", "candidates",
		"--jury-weight", "70", "--finalists", "2"))
	a := strings.TrimSpace(must("contest", "entries", cid, "--workspace", "otto", "--add", "Brigitte"))
	b := strings.TrimSpace(must("contest", "entries", cid, "--workspace", "otto", "--add", "Otto"))
	_, stderr, err = run(t, env, "", "contest", "jury", cid, "--workspace", "otto", "--score", a+"=9", "--as", "o@example.com")
	require.Error(t, err)
	require.Contains(t, stderr, "not on the jury")
	must("contest", "jury", cid, "--workspace", "otto", "--set", "o@example.com")
	_, stderr, err = run(t, env, "", "contest", "jury", cid, "--workspace", "otto", "--score", b+"=12", "--as", "o@example.com")
	require.Error(t, err)
	require.Contains(t, stderr, "score must be between 0 and 10")
	var rk []struct {
		Entry struct{ ID int64 }
		Final float64 `json:"final"`
	}
	require.NoError(t, json.Unmarshal([]byte(must("contest", "jury", cid, "--workspace", "otto", "--score", b+"=10", "--as", "o@example.com", "--json")), &rk))
	require.Len(t, rk, 2)
	require.Equal(t, b, strconv.FormatInt(rk[0].Entry.ID, 10))
	require.InDelta(t, 0.7, rk[0].Final, 1e-9)

	_, stderr, err = run(t, env, "", "contest", "brand", cid, "--workspace", "otto", "--accent", "#ffee00")
	require.Error(t, err)
	require.Contains(t, stderr, "4.5:1")
	require.Contains(t, must("contest", "brand", cid, "--workspace", "otto", "--accent", "#0a7d5a"), "branding saved")
	var show struct {
		Contest struct {
			Accent string `json:"accent"`
		} `json:"contest"`
		Audit []struct {
			Action string `json:"action"`
		} `json:"audit"`
	}
	require.NoError(t, json.Unmarshal([]byte(must("contest", "show", cid, "--workspace", "otto", "--json")), &show))
	require.Equal(t, "#0a7d5a", show.Contest.Accent)
	require.Equal(t, "branding", show.Audit[len(show.Audit)-1].Action)

	// A quiz draw verified by hand: best scores first, the seed breaks the tie.
	seed, hash := contest.NewSeed()
	scores := map[int64]int{3: 2, 5: 2, 9: 1}
	winners := contest.RankedDraw(seed, []int64{3, 5, 9}, scores, 2)
	out, stderr, err := run(t, nil, "", "contest", "verify", "--seed", seed, "--seed-hash", hash, "--entries", "3,5,9", "--scores", "3:2,5:2,9:1",
		"--winners", fmt.Sprintf("%d,%d", winners[0], winners[1]))
	require.NoError(t, err, stderr)
	require.Contains(t, out, "ok:")
	_, stderr, err = run(t, nil, "", "contest", "verify", "--seed", seed, "--seed-hash", hash, "--entries", "3,5,9", "--scores", "3:2,5:2,9:1",
		"--winners", fmt.Sprintf("%d,%d", winners[1], winners[0]))
	require.Error(t, err)
	require.Contains(t, stderr, "does not verify")
}
