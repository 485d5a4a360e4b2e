package main_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store/storetest"
)

// TestChannelSlotsSuggested: `relais channel slots ID` prints the best
// times a channel's results recommend, and --add-suggested adds them.
func TestChannelSlotsSuggested(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			env := dataEnv(t, d)
			for _, args := range [][]string{
				{"user", "create", "--email", "owner@example.com", "--name", "Owner", "--password-stdin"},
				{"workspace", "create", "--owner", "owner@example.com", "--name", "Brand", "--slug", "brand", "--timezone", "Europe/Berlin"},
			} {
				_, stderr, err := run(t, env, "correct horse battery staple\n", args...)
				require.NoError(t, err, stderr)
			}
			st := openStore(t, d, env)
			ws, err := st.WorkspaceBySlug(ctx, "brand")
			require.NoError(t, err)
			masto := storetest.NewChannel(t, st, ws.ID, "mastodon", "masto")
			berlin, err := time.LoadLocation("Europe/Berlin")
			require.NoError(t, err)
			storetest.SeedTimingEffect(t, st, ws.ID, masto, berlin, time.Tuesday, 12, 10)
			id := strconv.FormatInt(masto.ID, 10)

			out, stderr, err := run(t, env, "", "channel", "slots", id, "--workspace", "brand")
			require.NoError(t, err, stderr)
			require.Contains(t, out, "slots (Europe/Berlin): none")
			require.Contains(t, out, "best times: Tue 12:00 (")

			out, stderr, err = run(t, env, "", "channel", "slots", id, "--workspace", "brand", "--add-suggested", "--json")
			require.NoError(t, err, stderr)
			var got struct {
				Slots struct {
					Spec     string `json:"spec"`
					Timezone string `json:"timezone"`
				} `json:"slots"`
				Suggested struct {
					Posts int `json:"posts"`
					Slots []struct {
						Weekday time.Weekday `json:"weekday"`
						Hour    int          `json:"hour"`
					} `json:"slots"`
				} `json:"suggested"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &got), out)
			require.Equal(t, "Tue 12:00", got.Slots.Spec)
			require.Equal(t, "Europe/Berlin", got.Slots.Timezone)
			require.Equal(t, 70, got.Suggested.Posts)
			require.Len(t, got.Suggested.Slots, 1)

			_, stderr, err = run(t, env, "", "channel", "slots", "9999", "--workspace", "brand")
			require.Error(t, err, "an unknown channel")
			require.Contains(t, stderr, "channel 9999")
		})
	}
}
