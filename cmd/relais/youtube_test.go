package main_test

import (
	"context"
	be64 "encoding/binary"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/client"
	"github.com/relais/relais/internal/network/youtube/youtubetest"
	"github.com/stretchr/testify/require"
)

// tinyMP4 is the smallest MP4 the media library reads: ftyp, and a moov
// with the duration (mvhd) and a video track's size (tkhd), then padding.
func tinyMP4(w, h uint32, seconds uint32, pad int) []byte {
	be := be64.BigEndian
	box := func(typ string, parts ...[]byte) []byte {
		n := 8
		for _, p := range parts {
			n += len(p)
		}
		b := be.AppendUint32(nil, uint32(n))
		b = append(b, typ...)
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	mvhd := append([]byte{0, 0, 0, 0}, be.AppendUint32(be.AppendUint32(be.AppendUint32(be.AppendUint32(nil, 1), 2), 1000), seconds*1000)...)
	mvhd = append(mvhd, make([]byte, 80)...)
	tkhd := append([]byte{0, 0, 0, 3}, make([]byte, 36)...)
	for _, v := range []uint32{1 << 16, 0, 0, 0, 1 << 16, 0, 0, 0, 1 << 30} {
		tkhd = be.AppendUint32(tkhd, v)
	}
	tkhd = be.AppendUint32(be.AppendUint32(tkhd, w<<16), h<<16)
	out := box("ftyp", []byte("isom"), []byte{0, 0, 0, 0}, []byte("isommp41"))
	out = append(out, box("moov", box("mvhd", mvhd), box("trak", box("tkhd", tkhd), box("mdia", []byte("...."))))...)
	return append(out, box("mdat", make([]byte, pad))...)
}

// TestYouTubeEndToEnd runs the real binary against the YouTube fake: a
// channel connected with a pasted token pair publishes a video from the
// CLI with its YouTube options, through the resumable upload, exactly once;
// after the access token expired the server renews it and the video is
// deleted from YouTube with --remote.
func TestYouTubeEndToEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake := youtubetest.New(t, youtubetest.Options{})
	access, refresh := fake.Tokens()
	addr := freeAddr(t)
	env := append(dataEnv(t, "sqlite"), "RELAIS_ALLOW_PRIVATE_HOSTS=true", "RELAIS_BASE_URL=http://"+addr,
		"RELAIS_YOUTUBE_API_URL="+fake.URL, "RELAIS_YOUTUBE_CLIENT_ID="+fake.ClientID(), "RELAIS_YOUTUBE_CLIENT_SECRET="+fake.ClientSecret())
	for _, args := range [][]string{
		{"user", "create", "--email", "o@example.com", "--password-stdin"},
		{"workspace", "create", "--name", "Vidéo", "--slug", "video", "--owner", "o@example.com"},
	} {
		_, stderr, err := run(t, env, "a long enough password\n", args...)
		require.NoError(t, err, stderr)
	}
	out, stderr, err := run(t, env, access+"\n", "channel", "add", "youtube", "--workspace", "video", "--token-stdin", "--set", "refresh_token="+refresh)
	require.NoError(t, err, stderr)
	channelID := strings.TrimSpace(out)
	tok, stderr, err := run(t, env, "", "token", "create", "--email", "o@example.com", "--workspace", "video")
	require.NoError(t, err, stderr)

	file := filepath.Join(t.TempDir(), "merle.mp4")
	require.NoError(t, os.WriteFile(file, tinyMP4(1080, 1920, 42, 600_000), 0o600))
	// A title over YouTube's 100 characters is refused by name before anything is sent.
	_, stderr, err = run(t, env, "", "post", "create", "--workspace", "video", "--channels", channelID, "--text", "Le merle", "--media", file,
		"--option", "title="+strings.Repeat("t", 101))
	require.Error(t, err)
	require.Contains(t, stderr, `YouTube allows 100 characters in the option "title"; this variant has 101`)

	// The quota is configuration; a wrong setting is refused by name.
	_, stderr, err = run(t, append(append([]string(nil), env...), "RELAIS_YOUTUBE_QUOTA=daily=lots"), "", "channel", "list", "--workspace", "video")
	require.Error(t, err)
	require.Contains(t, stderr, `--youtube-quota: youtube quota: "daily=lots" is not NAME=UNITS`)

	base, _ := serveAt(t, env, addr)
	out, stderr, err = run(t, env, "", "post", "create", "--workspace", "video", "--channels", channelID, "--text", "Le merle chante à l'aube", "--media", file,
		"--option", "title=Le merle", "--option", "privacy_status=unlisted", "--option", "tags=oiseaux,merle noir", "--now")
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
	require.Equal(t, "https://www.youtube.com/watch?v="+v.ID, got.Variants[0].Publication.URL)
	require.Equal(t, "Le merle", v.Title)
	require.Equal(t, "Le merle chante à l'aube", v.Description)
	require.Equal(t, "unlisted", v.Privacy)
	require.Equal(t, []string{"oiseaux", "merle noir"}, v.Tags)
	require.Equal(t, 1, fake.Count("POST /upload/youtube/v3/videos"))

	// Every byte of the next upload is cut off until the attempt gives up
	// (a chunk and three status queries, each followed by the chunk again);
	// the engine retries later and the new attempt finds the session in the
	// database's publish checkpoint, asks it where it stands and finishes
	// it: one session, one video.
	fake.Inject(youtubetest.Fault{Route: "PUT /upload/youtube/v3/videos", Kind: youtubetest.Drop, Times: 7})
	out, stderr, err = run(t, env, "", "post", "create", "--workspace", "video", "--channels", channelID, "--text", "La grive répond", "--media", file, "--now")
	require.NoError(t, err, stderr)
	second, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
	require.NoError(t, err)
	ok = assertEventually(60*time.Second, func() bool {
		got, err = c.Post(ctx, second)
		return err == nil && got.State == "published"
	})
	require.True(t, ok, "post state %q, variants %+v", got.State, got.Variants)
	require.Len(t, fake.Videos(), 2, "exactly one more video")
	require.Equal(t, 2, fake.Count("POST /upload/youtube/v3/videos"), "the retry resumed the recorded session")
	require.GreaterOrEqual(t, got.Variants[0].Publication.Attempts, 2, "a failed attempt, then the one that finished")

	fake.Expire()
	for _, id := range []int64{postID, second} {
		out, stderr, err = run(t, env, "", "post", "delete", strconv.FormatInt(id, 10), "--remote")
		require.NoError(t, err, stderr)
	}
	require.Empty(t, fake.Videos(), "deleted on YouTube: "+out)
	require.Equal(t, 1, fake.Count("POST /token"), "one renewal")
}
