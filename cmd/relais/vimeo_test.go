package main_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/client"
	"github.com/relais/relais/internal/network/vimeo/vimeotest"
	"github.com/stretchr/testify/require"
)

// TestVimeoEndToEnd runs the real binary against the Vimeo fake: a channel
// connected with a pasted token publishes a video from the CLI with its
// privacy options through the tus upload, exactly once, and deletes it.
func TestVimeoEndToEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake := vimeotest.New(t, vimeotest.Options{})
	addr := freeAddr(t)
	env := append(dataEnv(t, "sqlite"), "RELAIS_ALLOW_PRIVATE_HOSTS=true", "RELAIS_BASE_URL=http://"+addr, "RELAIS_VIMEO_API_URL="+fake.URL)
	for _, args := range [][]string{
		{"user", "create", "--email", "o@example.com", "--password-stdin"},
		{"workspace", "create", "--name", "Film", "--slug", "film", "--owner", "o@example.com"},
	} {
		_, stderr, err := run(t, env, "a long enough password\n", args...)
		require.NoError(t, err, stderr)
	}
	out, stderr, err := run(t, env, fake.Token()+"\n", "channel", "add", "vimeo", "--workspace", "film", "--token-stdin")
	require.NoError(t, err, stderr)
	channelID := strings.TrimSpace(out)
	tok, stderr, err := run(t, env, "", "token", "create", "--email", "o@example.com", "--workspace", "film")
	require.NoError(t, err, stderr)

	file := filepath.Join(t.TempDir(), "grues.mp4")
	require.NoError(t, os.WriteFile(file, tinyMP4(1920, 1080, 20, 300_000), 0o600))
	base, _ := serveAt(t, env, addr)
	out, stderr, err = run(t, env, "", "post", "create", "--workspace", "film", "--channels", channelID, "--text", "Vol de grues au-dessus du lac", "--media", file,
		"--option", "privacy_view=unlisted", "--option", "privacy_embed=whitelist", "--now")
	require.NoError(t, err, stderr)
	postID, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
	require.NoError(t, err)
	c := client.New(base, strings.TrimSpace(tok))
	var got client.Post
	ok := assertEventually(60*time.Second, func() bool {
		got, err = c.Post(ctx, postID)
		return err == nil && got.State == "published"
	})
	require.True(t, ok, "post state %q, variants %+v", got.State, got.Variants)
	videos := fake.Videos()
	require.Len(t, videos, 1, "exactly one video")
	v := videos[0]
	require.Equal(t, got.Variants[0].Publication.RemoteID, v.ID)
	require.Equal(t, "https://vimeo.com/"+v.ID, got.Variants[0].Publication.URL)
	require.Equal(t, "Vol de grues au-dessus du lac", v.Name)
	require.Equal(t, "unlisted", v.View)
	require.Equal(t, "whitelist", v.Embed)
	require.Equal(t, v.Size, len(v.Received), "every byte sent")

	_, stderr, err = run(t, env, "", "post", "delete", strconv.FormatInt(postID, 10), "--remote")
	require.NoError(t, err, stderr)
	require.Empty(t, fake.Videos())
}
