package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/client"
	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/network/meta/metatest"
)

// TestPublishMetaEndToEnd runs the real binary against the fake Meta APIs: a
// Facebook Page post with a first comment, a Threads thread with reply
// control, and an Instagram image whose signed media URL the fake fetches
// from relais itself, as Meta does; each goes out exactly once.
func TestPublishMetaEndToEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake := metatest.New(t, metatest.Options{FetchMedia: true})
	var jpg bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 64, 80))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	img.Set(1, 1, color.Black)
	require.NoError(t, jpeg.Encode(&jpg, img, nil))
	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		_, _ = w.Write(jpg.Bytes())
	}))
	t.Cleanup(files.Close)

	addr := freeAddr(t)
	env := append(dataEnv(t, "sqlite"), "RELAIS_ALLOW_PRIVATE_HOSTS=true", "RELAIS_BASE_URL=http://"+addr, "RELAIS_META_API_URL="+fake.URL,
		"RELAIS_META_APP_ID="+metatest.AppID, "RELAIS_META_APP_SECRET="+metatest.AppSecret, "RELAIS_META_WEBHOOK_VERIFY_TOKEN=verify-lune",
		// The inbox polls the Meta networks once at start and then only hourly:
		// a comment seen within the test came through the webhook.
		"RELAIS_INBOX_POLL_INTERVAL=1h")
	for _, args := range [][]string{
		{"user", "create", "--email", "o@example.com", "--password-stdin"},
		{"workspace", "create", "--name", "Maison Lune", "--slug", "lune", "--owner", "o@example.com"},
	} {
		_, stderr, err := run(t, env, "a long enough password\n", args...)
		require.NoError(t, err, stderr)
	}
	ids := map[string]int64{}
	for _, tc := range []struct{ network, token string }{
		{"facebook", fake.IssueToken("page", fake.PageID, 0)},
		{"instagram", fake.IssueToken("page", fake.PageID, 0)},
		{"threads", fake.IssueToken("threads", fake.ThreadsUserID, 0)},
	} {
		out, stderr, err := run(t, env, tc.token+"\n", "channel", "add", tc.network, "--workspace", "lune", "--token-stdin")
		require.NoError(t, err, stderr)
		ids[tc.network], _ = strconv.ParseInt(strings.TrimSpace(out), 10, 64)
	}
	tok, stderr, err := run(t, env, "", "token", "create", "--email", "o@example.com", "--workspace", "lune")
	require.NoError(t, err, stderr)

	base, _ := serveAt(t, env, addr)
	c := client.New(base, strings.TrimSpace(tok))
	post, err := c.CreatePost(ctx, client.PostInput{Text: "La collection d'hiver est là",
		Variants: []client.VariantInput{
			{ChannelID: ids["facebook"], Link: "https://lune.example/hiver", FirstComment: "Boutique en ligne : lune.example"},
			{ChannelID: ids["instagram"], Media: []client.MediaRef{{URL: files.URL + "/coat.jpg"}}, FirstComment: "#hiver #mode"},
			{ChannelID: ids["threads"], ThreadParts: []string{"Et ce n'est pas tout…"}, Options: map[string]string{"reply_control": "followers_only"}},
		}})
	require.NoError(t, err)
	_, err = c.PublishNow(ctx, post.ID)
	require.NoError(t, err)
	var got client.Post
	ok := assertEventually(60*time.Second, func() bool {
		got, err = c.Post(ctx, post.ID)
		return err == nil && got.State == "published"
	})
	require.True(t, ok, "post state %q, error %v, variants %+v", got.State, err, got.Variants)
	for _, v := range got.Variants {
		require.Equal(t, "published", v.Publication.State)
		require.NotEmpty(t, v.Publication.RemoteID)
	}

	require.Len(t, fake.Objects("post", fake.PageID), 1, "one Page post")
	pagePost := fake.Objects("post", fake.PageID)[0]
	require.Equal(t, "https://lune.example/hiver", pagePost.Fields["link"])
	media := fake.Objects("igmedia", fake.IGUserID)
	require.Len(t, media, 1, "one Instagram media")
	require.Equal(t, "La collection d'hiver est là", media[0].Fields["caption"])
	require.Equal(t, 1, fake.Count("/media_publish"))
	var threads []metatest.Object
	for _, o := range fake.Objects("thread", fake.ThreadsUserID) {
		threads = append(threads, o)
	}
	require.Len(t, threads, 2, "two thread parts")
	require.Equal(t, threads[0].ID, threads[1].Parent)
	require.Equal(t, "followers_only", threads[0].Fields["reply_audience"])
	comments := 0
	for _, o := range fake.Objects("comment", "") {
		if o.Parent == pagePost.ID || o.Parent == media[0].ID {
			comments++
		}
	}
	require.Equal(t, 2, comments, "the first comments on Facebook and Instagram")

	// The webhook receiver answers Meta's subscription check and takes signed deliveries only.
	resp, err := http.Get(base + "/webhooks/meta?hub.mode=subscribe&hub.verify_token=verify-lune&hub.challenge=31337")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, "31337", string(body))
	delivery := map[string]any{"object": "page", "entry": []map[string]any{{"id": fake.PageID, "changes": []map[string]any{{"field": "feed", "value": map[string]string{"item": "comment", "verb": "add"}}}}}}
	resp, err = fake.Deliver(ctx, base+"/webhooks/meta", metatest.AppSecret, delivery)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	resp, err = fake.Deliver(ctx, base+"/webhooks/meta", "forged", delivery)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusForbidden, resp.StatusCode)

	// A customer complains under the Instagram post; Meta's webhook says so and
	// the running server reads the channel at once: the comment is in the
	// inbox, threaded under the post and classified, and the answer from the
	// CLI lands on Instagram as a reply to it.
	complaint := fake.AddComment(media[0].ID, "claire.mode", "Ma commande n'est toujours pas arrivée, ça fait deux semaines que j'attends")
	resp, err = fake.Deliver(ctx, base+"/webhooks/meta", metatest.AppSecret, map[string]any{"object": "instagram", "entry": []map[string]any{{"id": fake.IGUserID,
		"changes": []map[string]any{{"field": "comments", "value": map[string]any{"id": complaint, "media": map[string]string{"id": media[0].ID}}}}}}})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var msg inbox.MessageView
	require.True(t, assertEventually(30*time.Second, func() bool {
		out, stderr, err := run(t, env, "", "inbox", "list", "--workspace", "lune", "--network", "instagram", "--json")
		require.NoError(t, err, stderr)
		var list []inbox.MessageView
		require.NoError(t, json.Unmarshal([]byte(out), &list), out)
		for _, m := range list {
			if m.RemoteID == complaint {
				msg = m
				return true
			}
		}
		return false
	}), "the webhook brought the Instagram comment into the inbox")
	require.Equal(t, post.ID, msg.PostID, "threaded under the relais post")
	require.Equal(t, "negative", msg.Sentiment)
	require.Equal(t, "fr", msg.Language)
	require.Equal(t, "@claire.mode", msg.Author)
	_, stderr, err = run(t, env, "", "inbox", "reply", strconv.FormatInt(msg.ID, 10), "--text", "Claire, nous regardons votre commande tout de suite.")
	require.NoError(t, err, stderr)
	var replies []metatest.Object
	for _, o := range fake.Objects("comment", "") {
		if o.Parent == complaint {
			replies = append(replies, o)
		}
	}
	require.Len(t, replies, 1, "one reply under the comment on Instagram")

	// Insights reach the analytics report: Instagram's current metric names
	// (views, not impressions), the comments counted, no quotes on Instagram.
	fake.SetMetrics(media[0].ID, map[string]int64{"views": 1800, "reach": 1200, "likes": 96, "comments": 3, "shares": 7, "saved": 12, "total_interactions": 118})
	_, stderr, err = run(t, env, "", "analytics", "collect", "--workspace", "lune")
	require.NoError(t, err, stderr)
	rep := cliReport(t, env)
	var ig *reportPost
	for i, p := range rep.Posts {
		if p.PostID == post.ID && p.Network == "instagram" {
			ig = &rep.Posts[i]
		}
	}
	require.NotNil(t, ig, "the Instagram post is in the report: %+v", rep.Posts)
	require.Equal(t, int64(96), *ig.Likes)
	require.Equal(t, int64(3), *ig.Replies)
	require.Equal(t, int64(7), *ig.Reposts)
	require.Equal(t, int64(1800), *ig.Views)
	require.Nil(t, ig.Quotes, "Instagram has no quotes: unknown, not zero")
	require.NotNil(t, ig.Followers, "the account's followers were read")
	require.Equal(t, int64(4210), *ig.Followers)
}
