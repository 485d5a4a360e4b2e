package main_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/client"
	"github.com/relais/relais/internal/network/webhook"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// TestPublishEndToEnd runs the real binary: a post for a website feed and a
// webhook is published now through the API, goes out exactly once, and shows
// up in the public feed and at the receiver with a valid signature.
func TestPublishEndToEnd(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			secret := "end-to-end-signing-secret"
			var mu sync.Mutex
			var bodies []string
			receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				if err := webhook.Verify(secret, r.Header, b, time.Minute, time.Now()); err != nil {
					http.Error(w, err.Error(), http.StatusUnauthorized)
					return
				}
				if r.Header.Get(webhook.HeaderEvent) == "post.published" {
					mu.Lock()
					bodies = append(bodies, string(b))
					mu.Unlock()
				}
				w.WriteHeader(http.StatusNoContent)
			}))
			defer receiver.Close()

			addr := freeAddr(t)
			env := append(dataEnv(t, d), "RELAIS_ALLOW_PRIVATE_HOSTS=true", "RELAIS_BASE_URL=http://"+addr)
			for _, args := range [][]string{
				{"user", "create", "--email", "o@example.com", "--password-stdin"},
				{"workspace", "create", "--name", "Maison Lune", "--slug", "lune", "--owner", "o@example.com"},
			} {
				_, stderr, err := run(t, env, "a long enough password\n", args...)
				require.NoError(t, err, stderr)
			}
			site, stderr, err := run(t, env, "", "channel", "add", "website", "--workspace", "lune", "--title", "Lune news")
			require.NoError(t, err, stderr)
			hook, stderr, err := run(t, env, secret+"\n", "channel", "add", "webhook", "--workspace", "lune", "--url", receiver.URL, "--secret-stdin")
			require.NoError(t, err, stderr)
			tok, stderr, err := run(t, env, "", "token", "create", "--email", "o@example.com", "--workspace", "lune")
			require.NoError(t, err, stderr)

			base, _ := serveAt(t, env, addr)
			c := client.New(base, strings.TrimSpace(tok))
			siteID, _ := strconv.ParseInt(strings.TrimSpace(site), 10, 64)
			hookID, _ := strconv.ParseInt(strings.TrimSpace(hook), 10, 64)
			post, err := c.CreatePost(ctx, client.PostInput{Text: "La nouvelle collection arrive & elle est belle", Link: "https://lune.example/collection",
				Variants: []client.VariantInput{{ChannelID: siteID}, {ChannelID: hookID}}})
			require.NoError(t, err)
			_, err = c.PublishNow(ctx, post.ID)
			require.NoError(t, err)

			var got client.Post
			var lastErr error
			ok := assertEventually(60*time.Second, func() bool {
				got, lastErr = c.Post(ctx, post.ID)
				return lastErr == nil && got.State == "published"
			})
			require.True(t, ok, "post state %q, last error %v, variants %+v", got.State, lastErr, got.Variants)
			for _, v := range got.Variants {
				require.NotNil(t, v.Publication)
				require.Equal(t, "published", v.Publication.State)
				require.NotEmpty(t, v.Publication.RemoteID)
				require.NotEmpty(t, v.Publication.Log, "the attempt log records the call")
				require.Equal(t, "published", v.Publication.Log[len(v.Publication.Log)-1].Outcome)
				if v.ChannelID == siteID {
					// The item URL is public and shows the post.
					resp, err := http.Get(v.Publication.URL)
					require.NoError(t, err)
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					require.Equal(t, 200, resp.StatusCode, v.Publication.URL)
					require.Contains(t, string(b), "La nouvelle collection arrive &amp; elle est belle")
					// And the RSS feed lists it.
					feedURL := strings.SplitN(v.Publication.URL, "/items/", 2)[0] + "/rss.xml"
					resp, err = http.Get(feedURL)
					require.NoError(t, err)
					b, _ = io.ReadAll(resp.Body)
					resp.Body.Close()
					require.Equal(t, 200, resp.StatusCode)
					require.Contains(t, string(b), "La nouvelle collection arrive &amp; elle est belle")
				}
			}
			// The operator sees the queue on /metrics.
			resp, err := http.Get(base + "/metrics")
			require.NoError(t, err)
			m, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.Contains(t, string(m), `relais_publications{state="published"} 2`)
			require.Contains(t, string(m), "relais_publications_late 0")

			mu.Lock()
			defer mu.Unlock()
			require.Len(t, bodies, 1, "the webhook received the post exactly once")
			require.Contains(t, bodies[0], "La nouvelle collection arrive")
		})
	}
}

// assertEventually polls cond every 100 ms until it holds or the time is up.
func assertEventually(within time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(within)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
}
