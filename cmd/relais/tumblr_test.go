package main_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/client"
	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/network/tumblr/tumblrtest"
	"github.com/stretchr/testify/require"
)

// TestTumblrEndToEnd runs the real binary against the Tumblr fake: a
// channel for the account's second blog, connected with a pasted token
// pair, publishes a queued post with tags; after the access token expired
// the server renews it with the rotating refresh token and publishes again,
// each post exactly once; a reply note reaches the inbox (and cannot be
// answered through the API); delete --remote removes the posts from the blog.
func TestTumblrEndToEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake := tumblrtest.New(t, tumblrtest.Options{})
	access, refresh := fake.Tokens()
	addr := freeAddr(t)
	env := append(dataEnv(t, "sqlite"), "RELAIS_ALLOW_PRIVATE_HOSTS=true", "RELAIS_BASE_URL=http://"+addr,
		"RELAIS_TUMBLR_API_URL="+fake.URL, "RELAIS_TUMBLR_CLIENT_ID="+fake.ClientID(), "RELAIS_TUMBLR_CLIENT_SECRET=fake-secret")
	for _, args := range [][]string{
		{"user", "create", "--email", "o@example.com", "--password-stdin"},
		{"workspace", "create", "--name", "Carnet", "--slug", "carnet", "--owner", "o@example.com"},
	} {
		_, stderr, err := run(t, env, "a long enough password\n", args...)
		require.NoError(t, err, stderr)
	}
	out, stderr, err := run(t, env, access+"\n", "channel", "add", "tumblr", "--workspace", "carnet", "--token-stdin", "--set", "refresh_token="+refresh, "--set", "blog=relaisart")
	require.NoError(t, err, stderr)
	channelID, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
	require.NoError(t, err)
	tok, stderr, err := run(t, env, "", "token", "create", "--email", "o@example.com", "--workspace", "carnet")
	require.NoError(t, err, stderr)

	base, _ := serveAt(t, env, addr)
	c := client.New(base, strings.TrimSpace(tok))
	publish := func(text string) client.Post {
		post, err := c.CreatePost(ctx, client.PostInput{Text: text, Variants: []client.VariantInput{{ChannelID: channelID, Options: map[string]string{"state": "queue", "tags": "carnet, notes"}}}})
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
	first := publish("Le carnet du lundi")
	remote := first.Variants[0].Publication.RemoteID
	p, ok := fake.Post(remote)
	require.True(t, ok, "the post is on Tumblr")
	require.Equal(t, "relaisart", p.Blog)
	require.Equal(t, "queue", p.State)
	require.Equal(t, []string{"carnet", "notes"}, p.Tags)
	require.Equal(t, "Le carnet du lundi", p.Content[0].Text)
	require.Equal(t, "https://www.tumblr.com/relaisart/"+remote, first.Variants[0].Publication.URL)

	fake.Expire()
	second := publish("Le carnet du mardi")
	require.Len(t, fake.Posts(), 2, "each post exactly once")
	require.Equal(t, 1, fake.Count("POST /v2/oauth2/token"), "one renewal")

	// A reply note reaches the inbox; Tumblr's API cannot answer it, and the CLI says so.
	fake.AddNote(remote, "reply", "friend", "lovely notebook")
	_, stderr, err = run(t, env, "", "inbox", "sync", "--workspace", "carnet")
	require.NoError(t, err, stderr)
	out, stderr, err = run(t, env, "", "inbox", "list", "--workspace", "carnet", "--json")
	require.NoError(t, err, stderr)
	var msgs []inbox.MessageView
	require.NoError(t, json.Unmarshal([]byte(out), &msgs), out)
	require.Len(t, msgs, 1, out)
	require.Equal(t, "lovely notebook", msgs[0].Text)
	require.Equal(t, "friend", msgs[0].Author)
	_, stderr, err = run(t, env, "", "inbox", "reply", strconv.FormatInt(msgs[0].ID, 10), "--text", "thanks")
	require.Error(t, err)
	require.Contains(t, stderr, "tumblr channels cannot reply from relais")

	for _, postID := range []int64{first.ID, second.ID} {
		out, stderr, err = run(t, env, "", "post", "delete", strconv.FormatInt(postID, 10), "--remote")
		require.NoError(t, err, stderr+out)
	}
	require.Empty(t, fake.Posts(), "both posts deleted on Tumblr")
}
