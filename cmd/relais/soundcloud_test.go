package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/client"
	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/network/soundcloud/soundcloudtest"
	"github.com/stretchr/testify/require"
)

// TestSoundCloudEndToEnd runs the real binary against the SoundCloud fake:
// an MP3 goes into the media library through the API, a post with it
// becomes a private track titled by the text's first line with its tags
// and license, exactly once; a listener's comment on the track reaches the
// inbox with `relais inbox sync` and `relais inbox reply` answers it on the
// same track at the same moment.
func TestSoundCloudEndToEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake := soundcloudtest.New(t, soundcloudtest.Options{})
	access, refresh := fake.Tokens()
	addr := freeAddr(t)
	env := append(dataEnv(t, "sqlite"), "RELAIS_ALLOW_PRIVATE_HOSTS=true", "RELAIS_BASE_URL=http://"+addr,
		"RELAIS_SOUNDCLOUD_API_URL="+fake.URL, "RELAIS_SOUNDCLOUD_CLIENT_ID="+fake.ClientID(), "RELAIS_SOUNDCLOUD_CLIENT_SECRET=fake-secret")
	for _, args := range [][]string{
		{"user", "create", "--email", "o@example.com", "--password-stdin"},
		{"workspace", "create", "--name", "Label", "--slug", "label", "--owner", "o@example.com"},
	} {
		_, stderr, err := run(t, env, "a long enough password\n", args...)
		require.NoError(t, err, stderr)
	}
	out, stderr, err := run(t, env, access+"\n", "channel", "add", "soundcloud", "--workspace", "label", "--token-stdin", "--set", "refresh_token="+refresh)
	require.NoError(t, err, stderr)
	channelID, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
	require.NoError(t, err)
	tok, stderr, err := run(t, env, "", "token", "create", "--email", "o@example.com", "--workspace", "label")
	require.NoError(t, err, stderr)
	tok = strings.TrimSpace(tok)

	base, _ := serveAt(t, env, addr)
	mp3 := append([]byte("ID3\x03\x00\x00\x00\x00\x00\x0a"), bytes.Repeat([]byte("frame"), 200)...)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "nocturne.mp3")
	require.NoError(t, err)
	_, _ = fw.Write(mp3)
	require.NoError(t, mw.Close())
	req, err := http.NewRequest(http.MethodPost, base+"/api/v1/media", &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var m struct {
		ID   int64  `json:"id"`
		Kind string `json:"kind"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&m))
	res.Body.Close()
	require.Equal(t, http.StatusCreated, res.StatusCode)
	require.Equal(t, "audio", m.Kind)

	c := client.New(base, tok)
	post, err := c.CreatePost(ctx, client.PostInput{Text: "Nocturne\nA night piece.", Media: []client.MediaRef{{MediaID: m.ID}},
		Variants: []client.VariantInput{{ChannelID: channelID, Options: map[string]string{"sharing": "private", "tags": "piano, night music", "license": "cc-by"}}}})
	require.NoError(t, err)
	_, err = c.PublishNow(ctx, post.ID)
	require.NoError(t, err)
	var got client.Post
	ok := assertEventually(60*time.Second, func() bool {
		got, err = c.Post(ctx, post.ID)
		return err == nil && (got.State == "published" || got.State == "failed")
	})
	require.True(t, ok && got.State == "published", "post state %q, publication %+v", got.State, got.Variants[0].Publication)
	tracks := fake.Tracks()
	require.Len(t, tracks, 1, "exactly one track")
	tr := tracks[0]
	require.Equal(t, "Nocturne", tr.Title)
	require.Equal(t, "private", tr.Sharing)
	require.Equal(t, `piano "night music"`, tr.TagList)
	require.Equal(t, "cc-by", tr.License)
	require.Equal(t, "audio/mpeg", tr.AudioMIME)
	require.Equal(t, len(mp3), tr.AudioSize)
	remote := got.Variants[0].Publication.RemoteID
	require.Equal(t, strconv.FormatInt(tr.ID, 10), remote)

	fake.AddComment(remote, "Ana", "that chord at 1:05!", 65000)
	_, stderr, err = run(t, env, "", "inbox", "sync", "--workspace", "label")
	require.NoError(t, err, stderr)
	out, stderr, err = run(t, env, "", "inbox", "list", "--workspace", "label", "--json")
	require.NoError(t, err, stderr)
	var msgs []inbox.MessageView
	require.NoError(t, json.Unmarshal([]byte(out), &msgs), out)
	require.Len(t, msgs, 1, out)
	require.Equal(t, "that chord at 1:05!", msgs[0].Text)
	require.Equal(t, "soundcloud", msgs[0].Network)
	_, stderr, err = run(t, env, "", "inbox", "reply", strconv.FormatInt(msgs[0].ID, 10), "--text", "Thank you, Ana")
	require.NoError(t, err, stderr)
	tr, _ = fake.Track(remote)
	last := tr.Comments[len(tr.Comments)-1]
	require.Equal(t, "Thank you, Ana", last.Body)
	require.Equal(t, int64(65000), last.Position, "the reply is at the comment's moment")
}
