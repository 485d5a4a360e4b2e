package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/client"
	"github.com/relais/relais/internal/network/snapchat/snapchattest"
	"github.com/stretchr/testify/require"
)

// TestSnapchatEndToEnd runs the real binary against the Snapchat fake: an
// image from the media library is encrypted, uploaded, finalized (the fake
// decrypts it with the key and IV sent at creation), polled until ready and
// posted as a Saved Story titled by the text, exactly once.
func TestSnapchatEndToEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake := snapchattest.New(t, snapchattest.Options{ProcessingPolls: 1})
	access, refresh := fake.Tokens()
	addr := freeAddr(t)
	env := append(dataEnv(t, "sqlite"), "RELAIS_ALLOW_PRIVATE_HOSTS=true", "RELAIS_BASE_URL=http://"+addr,
		"RELAIS_SNAPCHAT_API_URL="+fake.URL, "RELAIS_SNAPCHAT_CLIENT_ID="+fake.ClientID(), "RELAIS_SNAPCHAT_CLIENT_SECRET=fake-secret")
	for _, args := range [][]string{
		{"user", "create", "--email", "o@example.com", "--password-stdin"},
		{"workspace", "create", "--name", "Snap", "--slug", "snap", "--owner", "o@example.com"},
	} {
		_, stderr, err := run(t, env, "a long enough password\n", args...)
		require.NoError(t, err, stderr)
	}
	out, stderr, err := run(t, env, access+"\n", "channel", "add", "snapchat", "--workspace", "snap", "--token-stdin", "--set", "refresh_token="+refresh)
	require.NoError(t, err, stderr)
	channelID, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
	require.NoError(t, err)
	tok, stderr, err := run(t, env, "", "token", "create", "--email", "o@example.com", "--workspace", "snap")
	require.NoError(t, err, stderr)
	tok = strings.TrimSpace(tok)
	base, _ := serveAt(t, env, addr)

	img := image.NewRGBA(image.Rect(0, 0, 90, 160))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	img.Set(1, 1, color.White)
	var pic bytes.Buffer
	require.NoError(t, jpeg.Encode(&pic, img, nil))
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "backstage.jpg")
	_, _ = fw.Write(pic.Bytes())
	_ = mw.WriteField("alt_text", "The crew behind the stage")
	require.NoError(t, mw.Close())
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/media", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var m struct {
		ID int64 `json:"id"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&m))
	res.Body.Close()
	require.Equal(t, http.StatusCreated, res.StatusCode)

	c := client.New(base, tok)
	post, err := c.CreatePost(ctx, client.PostInput{Text: "Backstage\nthe crew", Media: []client.MediaRef{{MediaID: m.ID}},
		Variants: []client.VariantInput{{ChannelID: channelID, Options: map[string]string{"placement": "saved_story"}}}})
	require.NoError(t, err)
	_, err = c.PublishNow(ctx, post.ID)
	require.NoError(t, err)
	var got client.Post
	ok := assertEventually(60*time.Second, func() bool {
		got, err = c.Post(ctx, post.ID)
		return err == nil && (got.State == "published" || got.State == "failed")
	})
	require.True(t, ok && got.State == "published", "post state %q, publication %+v", got.State, got.Variants[0].Publication)
	posts := fake.Posts()
	require.Len(t, posts, 1, "exactly one post")
	require.Equal(t, "saved_story", posts[0].Placement)
	require.Equal(t, "Backstage", posts[0].Title)
	media, found := fake.Media(posts[0].MediaID)
	require.True(t, found)
	require.True(t, bytes.HasPrefix(media.Plain, []byte{0xff, 0xd8, 0xff}), "the fake decrypted a JPEG")
	require.Equal(t, "saved_story:"+posts[0].ID, got.Variants[0].Publication.RemoteID)
}
