package main_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/client"
	"github.com/relais/relais/internal/network/mastodon/gotosocialtest"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// reportPost is the part of a report's post the test reads.
type reportPost struct {
	PostID         int64    `json:"post_id"`
	Network        string   `json:"network"`
	Text           string   `json:"text"`
	URL            string   `json:"url"`
	PublishedAt    string   `json:"published_at"`
	Likes          *int64   `json:"likes"`
	Reposts        *int64   `json:"reposts"`
	Replies        *int64   `json:"replies"`
	Quotes         *int64   `json:"quotes"`
	Views          *int64   `json:"views"`
	Followers      *int64   `json:"followers"`
	EngagementRate *float64 `json:"engagement_rate"`
	EngagementBase string   `json:"engagement_basis"`
}

type reportJSON struct {
	Channels []struct {
		ChannelID int64  `json:"channel_id"`
		Network   string `json:"network"`
		Posts     int    `json:"posts"`
		Likes     *int64 `json:"likes"`
		Followers *int64 `json:"followers"`
	} `json:"channels"`
	Posts []reportPost `json:"posts"`
}

// TestAnalyticsOnGoToSocial publishes a post through relais on the real
// GoToSocial server; another account favourites, boosts and answers it;
// "relais analytics collect" reads the counts and the report (CLI JSON, CSV
// and API) shows them, with the channel's followers and the engagement rate.
func TestAnalyticsOnGoToSocial(t *testing.T) {
	t.Parallel()
	gts := gotosocialtest.URL(t)
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			addr := freeAddr(t)
			env := append(dataEnv(t, d), "RELAIS_ALLOW_PRIVATE_HOSTS=true", "RELAIS_BASE_URL=http://"+addr)
			for _, args := range [][]string{
				{"user", "create", "--email", "o@example.com", "--password-stdin"},
				{"workspace", "create", "--name", "Maison Lune", "--slug", "lune", "--owner", "o@example.com"},
			} {
				_, stderr, err := run(t, env, "a long enough password\n", args...)
				require.NoError(t, err, stderr)
			}
			chOut, stderr, err := run(t, env, gotosocialtest.Zork.Token+"\n", "channel", "add", "mastodon", "--workspace", "lune", "--instance", gts, "--token-stdin")
			require.NoError(t, err, stderr)
			chID, _ := strconv.ParseInt(strings.TrimSpace(chOut), 10, 64)
			tok, stderr, err := run(t, env, "", "token", "create", "--email", "o@example.com", "--workspace", "lune")
			require.NoError(t, err, stderr)
			base, _ := serveAt(t, env, addr)
			c := client.New(base, strings.TrimSpace(tok))

			b := make([]byte, 5)
			_, _ = rand.Read(b)
			word := "relaismetrics" + hex.EncodeToString(b)
			post, err := c.CreatePost(ctx, client.PostInput{Text: "Counting what happens after " + word, Variants: []client.VariantInput{{ChannelID: chID}}})
			require.NoError(t, err)
			_, err = c.PublishNow(ctx, post.ID)
			require.NoError(t, err)
			var got client.Post
			require.True(t, assertEventually(60*time.Second, func() bool {
				got, err = c.Post(ctx, post.ID)
				return err == nil && got.State == "published"
			}), "post state %q: %v", got.State, err)
			statusID := got.Variants[0].Publication.RemoteID
			require.NotEmpty(t, statusID)

			// Before anyone reacts: zero, and known.
			_, stderr, err = run(t, env, "", "analytics", "collect", "--workspace", "lune")
			require.NoError(t, err, stderr)
			rep := cliReport(t, env)
			p := findPost(t, rep, post.ID)
			require.Equal(t, int64(0), *p.Likes)

			gotosocialtest.Favourite(t, gts, gotosocialtest.Mogul, statusID)
			gotosocialtest.Boost(t, gts, gotosocialtest.Mogul, statusID)
			gotosocialtest.Post(t, gts, gotosocialtest.Mogul, "Lovely "+word, statusID)

			require.True(t, assertEventually(60*time.Second, func() bool {
				_, stderr, err = run(t, env, "", "analytics", "collect", "--workspace", "lune")
				require.NoError(t, err, stderr)
				p = findPost(t, cliReport(t, env), post.ID)
				return *p.Likes == 1 && *p.Reposts == 1 && *p.Replies == 1
			}), "counts %d/%d/%d", *p.Likes, *p.Reposts, *p.Replies)
			require.Equal(t, "mastodon", p.Network)
			require.Contains(t, p.Text, word)
			require.NotEmpty(t, p.URL)
			require.NotEmpty(t, p.PublishedAt)
			require.Nil(t, p.Views, "Mastodon reports no views: unknown, not zero")
			require.NotNil(t, p.Followers, "the channel's followers were read")
			if *p.Followers > 0 {
				require.NotNil(t, p.EngagementRate)
				require.Equal(t, "followers", p.EngagementBase)
				require.InDelta(t, 300/float64(*p.Followers), *p.EngagementRate, 1e-9)
			}

			// The same through the API, and the CSV of everything.
			var api reportJSON
			require.NoError(t, c.Do(ctx, "GET", "/analytics/report?from="+time.Now().UTC().Add(-24*time.Hour).Format(time.RFC3339), nil, &api))
			ap := findPost(t, api, post.ID)
			require.Equal(t, int64(1), *ap.Likes)
			require.Equal(t, int64(1), *ap.Reposts)
			require.Equal(t, int64(1), *ap.Replies)
			require.Len(t, api.Channels, 1)
			require.Equal(t, chID, api.Channels[0].ChannelID)
			require.Equal(t, int64(1), *api.Channels[0].Likes)
			csvOut, stderr, err := run(t, env, "", "analytics", "report", "--workspace", "lune", "--csv")
			require.NoError(t, err, stderr)
			require.Contains(t, csvOut, "level,key,post_id")
			require.Contains(t, csvOut, "Counting what happens after "+word)
		})
	}
}

func cliReport(t *testing.T, env []string) reportJSON {
	t.Helper()
	out, stderr, err := run(t, env, "", "analytics", "report", "--workspace", "lune", "--json")
	require.NoError(t, err, stderr)
	var rep reportJSON
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	return rep
}

func findPost(t *testing.T, rep reportJSON, postID int64) reportPost {
	t.Helper()
	for _, p := range rep.Posts {
		if p.PostID == postID {
			require.NotNil(t, p.Likes, "the post has a reading")
			return p
		}
	}
	t.Fatalf("post %d is not in the report (%d posts)", postID, len(rep.Posts))
	return reportPost{}
}
