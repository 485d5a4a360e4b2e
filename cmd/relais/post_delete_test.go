package main_test

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/alert"
	"github.com/relais/relais/internal/app"
	"github.com/relais/relais/internal/config"
	"github.com/relais/relais/internal/network/webhook"
	"github.com/relais/relais/internal/network/webhook/webhooktest"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// published makes a post out on the channel, as the engine would.
func published(t *testing.T, st store.Store, ws, channelID int64, remoteID string) int64 {
	t.Helper()
	ctx := context.Background()
	post := storetest.NewPosts(t, st, ws, 1, channelID)[0]
	now := time.Now().UTC()
	_, err := st.SchedulePosts(ctx, ws, []int64{post.ID}, now, "UTC", now)
	require.NoError(t, err)
	jobs, err := st.ClaimDue(ctx, "test", now, now.Add(time.Minute), now, 10)
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	_, err = st.MarkPublishing(ctx, []store.ClaimRef{{ID: jobs[0].ID, Claim: jobs[0].Claim}}, now.Add(time.Minute), now)
	require.NoError(t, err)
	pub, err := st.Publication(ctx, ws, jobs[0].ID)
	require.NoError(t, err)
	_, err = st.SaveResults(ctx, []store.PublishResult{{ID: pub.ID, Claim: pub.Claim, From: store.PubPublishing, State: store.PubPublished, RemoteID: remoteID,
		DoneParts: []byte(`[{"ID":"` + remoteID + `"}]`)}}, now)
	require.NoError(t, err)
	return post.ID
}

func TestPostDeleteCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := append(dataEnv(t, "sqlite"), "RELAIS_ALLOW_PRIVATE_HOSTS=true")
	_, stderr, err := run(t, env, "a long enough password\n", "user", "create", "--email", "o@example.com", "--password-stdin")
	require.NoError(t, err, stderr)
	_, stderr, err = run(t, env, "", "workspace", "create", "--name", "Brand", "--slug", "brand", "--owner", "o@example.com")
	require.NoError(t, err, stderr)
	secret, err := webhook.NewSecret()
	require.NoError(t, err)
	channelRcv := webhooktest.New(t, secret)
	out, stderr, err := run(t, env, secret+"\n", "channel", "add", "webhook", "--workspace", "brand", "--url", channelRcv.URL(), "--secret-stdin")
	require.NoError(t, err, stderr)
	channelID, _ := strconv.ParseInt(strings.TrimSpace(out), 10, 64)

	// A notification webhook and two published posts, made in process.
	a, err := app.Open(ctx, config.Config{DataDir: strings.TrimPrefix(env[0], "RELAIS_DATA_DIR=")}, slog.New(slog.DiscardHandler), app.Options{Migrate: true})
	require.NoError(t, err)
	ws, err := a.Store.WorkspaceBySlug(ctx, "brand")
	require.NoError(t, err)
	hookRcv := webhooktest.New(t, "")
	_, hookSecret, err := (&alert.Webhooks{Store: a.Store, Keyring: a.Keyring, AllowPrivate: ptr(true)}).Create(ctx, ws.ID, alert.NewHook{URL: hookRcv.URL()})
	require.NoError(t, err)
	hookRcv.Secret = hookSecret
	remote := published(t, a.Store, ws.ID, channelID, "rec_1")
	local := published(t, a.Store, ws.ID, channelID, "rec_2")
	require.NoError(t, a.Close())

	out, stderr, err = run(t, env, "", "post", "delete", strconv.FormatInt(remote, 10), "--remote")
	require.NoError(t, err, stderr)
	require.Regexp(t, `(?m)^\d+\s+webhook\s+deleted\s*$`, out)
	require.Contains(t, out, "post "+strconv.FormatInt(remote, 10)+" deleted\n")
	d := channelRcv.Deliveries()
	last := d[len(d)-1]
	require.Equal(t, "post.deleted", last.Event.Event)
	require.Equal(t, "rec_1", last.Event.RemoteID)
	require.NoError(t, last.VerifyErr)
	hd := hookRcv.Deliveries()
	require.Len(t, hd, 1, "the notification webhook hears it")
	require.Equal(t, "post.deleted", hd[0].Header.Get(webhook.HeaderEvent))
	require.NoError(t, hd[0].VerifyErr)
	require.Contains(t, string(hd[0].Body), `"post_id":`+strconv.FormatInt(remote, 10))

	// Without --remote the receiver hears nothing.
	before := len(channelRcv.Deliveries())
	out, stderr, err = run(t, env, "", "post", "delete", strconv.FormatInt(local, 10))
	require.NoError(t, err, stderr)
	require.Equal(t, "post "+strconv.FormatInt(local, 10)+" deleted\n", out)
	require.Len(t, channelRcv.Deliveries(), before)
}

func ptr[T any](v T) *T { return &v }
