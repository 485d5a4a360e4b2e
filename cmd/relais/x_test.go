package main_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/client"
	"github.com/relais/relais/internal/network/x/xtest"
	"github.com/stretchr/testify/require"
)

// TestXEndToEnd runs the real binary against the X fake: a channel connected
// with a pasted token pair publishes a post; after the access token expired
// the server renews it with the rotating refresh token, stores the new pair
// and publishes again, each post exactly once.
func TestXEndToEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake := xtest.New(t, xtest.Options{})
	access, refresh := fake.Tokens()
	addr := freeAddr(t)
	env := append(dataEnv(t, "sqlite"), "RELAIS_ALLOW_PRIVATE_HOSTS=true", "RELAIS_BASE_URL=http://"+addr,
		"RELAIS_X_API_URL="+fake.URL, "RELAIS_X_CLIENT_ID="+fake.ClientID())
	for _, args := range [][]string{
		{"user", "create", "--email", "o@example.com", "--password-stdin"},
		{"workspace", "create", "--name", "Oiseau", "--slug", "oiseau", "--owner", "o@example.com"},
	} {
		_, stderr, err := run(t, env, "a long enough password\n", args...)
		require.NoError(t, err, stderr)
	}
	out, stderr, err := run(t, env, access+"\n", "channel", "add", "x", "--workspace", "oiseau", "--token-stdin", "--set", "refresh_token="+refresh)
	require.NoError(t, err, stderr)
	channelID, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
	require.NoError(t, err)
	tok, stderr, err := run(t, env, "", "token", "create", "--email", "o@example.com", "--workspace", "oiseau")
	require.NoError(t, err, stderr)

	base, _ := serveAt(t, env, addr)
	c := client.New(base, strings.TrimSpace(tok))
	publish := func(text string) client.Post {
		post, err := c.CreatePost(ctx, client.PostInput{Text: text, Variants: []client.VariantInput{{ChannelID: channelID}}})
		require.NoError(t, err)
		_, err = c.PublishNow(ctx, post.ID)
		require.NoError(t, err)
		var got client.Post
		ok := assertEventually(60*time.Second, func() bool {
			got, err = c.Post(ctx, post.ID)
			return err == nil && got.State == "published"
		})
		require.True(t, ok, "post state %q, variants %+v", got.State, got.Variants)
		return got
	}
	first := publish("Le merle chante à l'aube")
	remote := first.Variants[0].Publication.RemoteID
	tw, ok := fake.Tweet(remote)
	require.True(t, ok, "the post is on X")
	require.Equal(t, "Le merle chante à l'aube", tw.Text)
	require.Equal(t, "https://x.com/relaisfake/status/"+remote, first.Variants[0].Publication.URL)

	fake.Expire()
	second := publish("La grive répond au crépuscule")
	require.Len(t, fake.Tweets(), 2, "each post exactly once")
	require.Equal(t, 1, fake.Count("POST /2/oauth2/token"), "one renewal")

	// The rotated pair was sealed and stored: a short command opening the
	// channel from the database works with it, renewing once more after each
	// expiry (the old refresh token would be refused) and storing that too;
	// deleting with --remote removes the posts from X.
	for i, postID := range []int64{first.ID, second.ID} {
		fake.Expire()
		out, stderr, err = run(t, env, "", "post", "delete", strconv.FormatInt(postID, 10), "--remote")
		require.NoError(t, err, stderr)
		require.Equal(t, i+2, fake.Count("POST /2/oauth2/token"), out)
	}
	require.Empty(t, fake.Tweets(), "both posts deleted on X")
}
