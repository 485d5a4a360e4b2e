package main_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/client"
	"github.com/relais/relais/internal/network/pinterest/pinteresttest"
	"github.com/relais/relais/internal/network/tiktok/tiktoktest"
)

// TestTikTokPinterestEndToEnd runs the real binary against the TikTok and
// Pinterest fakes: channels connected with pasted token pairs by relais
// channel add, then one post with a photo to both: a private TikTok photo
// post pulled from relais's signed media URL (the operator's verified
// domain) and a pin on the chosen board section, each exactly once; after
// the TikTok token expired the server renews it and posts again.
func TestTikTokPinterestEndToEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	addr := freeAddr(t)
	tk := tiktoktest.New(t, tiktoktest.Options{VerifiedPrefix: "http://" + addr + "/"})
	pin := pinteresttest.New(t, pinteresttest.Options{})
	var jpg bytes.Buffer
	require.NoError(t, jpeg.Encode(&jpg, image.NewRGBA(image.Rect(0, 0, 48, 64)), nil))
	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		_, _ = w.Write(jpg.Bytes())
	}))
	t.Cleanup(files.Close)

	env := append(dataEnv(t, "sqlite"), "RELAIS_ALLOW_PRIVATE_HOSTS=true", "RELAIS_BASE_URL=http://"+addr,
		"RELAIS_TIKTOK_API_URL="+tk.URL, "RELAIS_TIKTOK_CLIENT_KEY="+tk.ClientKey(), "RELAIS_TIKTOK_CLIENT_SECRET="+tk.ClientSecret(),
		"RELAIS_PINTEREST_API_URL="+pin.URL, "RELAIS_PINTEREST_APP_ID="+pin.AppID(), "RELAIS_PINTEREST_APP_SECRET="+pin.AppSecret())
	for _, args := range [][]string{
		{"user", "create", "--email", "o@example.com", "--password-stdin"},
		{"workspace", "create", "--name", "Atelier", "--slug", "atelier", "--owner", "o@example.com"},
	} {
		_, stderr, err := run(t, env, "a long enough password\n", args...)
		require.NoError(t, err, stderr)
	}
	ids := map[string]int64{}
	for network, f := range map[string]interface{ Tokens() (string, string) }{"tiktok": tk, "pinterest": pin} {
		access, refresh := f.Tokens()
		out, stderr, err := run(t, env, access+"\n", "channel", "add", network, "--workspace", "atelier", "--token-stdin", "--set", "refresh_token="+refresh)
		require.NoError(t, err, stderr)
		ids[network], err = strconv.ParseInt(strings.TrimSpace(out), 10, 64)
		require.NoError(t, err)
	}
	out, stderr, err := run(t, env, "", "channel", "list", "--workspace", "atelier", "--json")
	require.NoError(t, err, stderr)
	require.Contains(t, out, `"privacy_level_options": "PUBLIC_TO_EVERYONE,MUTUAL_FOLLOW_FRIENDS,FOLLOWER_OF_CREATOR,SELF_ONLY"`)
	require.Contains(t, out, "Desserts")
	tok, stderr, err := run(t, env, "", "token", "create", "--email", "o@example.com", "--workspace", "atelier")
	require.NoError(t, err, stderr)

	base, _ := serveAt(t, env, addr)
	c := client.New(base, strings.TrimSpace(tok))
	publish := func(text string) client.Post {
		post, err := c.CreatePost(ctx, client.PostInput{Text: text, Media: []client.MediaRef{{URL: files.URL + "/tarte.jpg"}},
			Variants: []client.VariantInput{
				{ChannelID: ids["tiktok"], Options: map[string]string{"privacy_level": "SELF_ONLY", "photo_title": "Tarte"}},
				{ChannelID: ids["pinterest"], Link: "https://atelier.example/tarte", Options: map[string]string{"board": "549755885175/5027629787972154693", "title": "Tarte"}},
			}})
		require.NoError(t, err)
		_, err = c.PublishNow(ctx, post.ID)
		require.NoError(t, err)
		var got client.Post
		ok := assertEventually(60*time.Second, func() bool {
			got, err = c.Post(ctx, post.ID)
			return err == nil && (got.State == "published" || got.State == "failed")
		})
		require.True(t, ok && got.State == "published", "post state %q, error %v, variants %+v", got.State, err, got.Variants)
		return got
	}
	publish("La tarte du dimanche")
	pubs := tk.Publishes()
	require.Len(t, pubs, 1, "one TikTok publish")
	require.Equal(t, "photo", pubs[0].Kind)
	require.Equal(t, "SELF_ONLY", pubs[0].Privacy)
	require.Equal(t, "PUBLISH_COMPLETE", pubs[0].Status)
	require.True(t, strings.HasPrefix(pubs[0].URLs[0], "http://"+addr+"/"), "pulled from relais's signed URL: %s", pubs[0].URLs[0])
	pins := pin.Pins()
	require.Len(t, pins, 1, "one pin")
	require.Equal(t, "5027629787972154693", pins[0].SectionID)
	require.Equal(t, "https://atelier.example/tarte", pins[0].Link)
	require.Equal(t, "image_url", pins[0].SourceType)

	tk.Expire()
	publish("Et la tarte du lundi")
	require.Len(t, tk.Publishes(), 2, "each TikTok post exactly once")
	require.Len(t, pin.Pins(), 2, "each pin exactly once")
	require.Equal(t, 1, tk.Count("POST /v2/oauth/token/"), "one renewal")

	// From the terminal: the board is a post option; without it the post does not validate.
	file := t.TempDir() + "/tarte.jpg"
	require.NoError(t, os.WriteFile(file, jpg.Bytes(), 0o600))
	pinID := strconv.FormatInt(ids["pinterest"], 10)
	_, stderr, err = run(t, env, "", "post", "create", "--workspace", "atelier", "--channels", pinID, "--text", "Sans tableau", "--media", file, "--now")
	require.Error(t, err)
	require.Contains(t, stderr, "board")
	_, stderr, err = run(t, env, "", "post", "create", "--workspace", "atelier", "--channels", pinID, "--text", "Depuis le terminal", "--media", file,
		"--option", pinID+":board=549755885176", "--option", "title=Terminal", "--now")
	require.NoError(t, err, stderr)
	require.True(t, assertEventually(60*time.Second, func() bool { return len(pin.Pins()) == 3 }), "the pin from the terminal")
	require.Equal(t, "549755885176", pin.Pins()[2].BoardID)
	require.Equal(t, "Terminal", pin.Pins()[2].Title)
}
