package main

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/alecthomas/kong"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// runMarkPublished runs "relais post mark-published" in process and returns what it printed.
func runMarkPublished(t *testing.T, dataFlags []string, args ...string) (string, error) {
	t.Helper()
	var cli struct {
		Post PostCmd `cmd:""`
	}
	parser, err := kong.New(&cli, kong.Name("relais"), kong.Exit(func(int) { t.Fatalf("kong exited on %v", args) }))
	require.NoError(t, err)
	kctx, err := parser.Parse(append(append([]string{"post", "mark-published"}, args...), dataFlags...))
	require.NoError(t, err)
	var out bytes.Buffer
	cli.Post.MarkPublished.Out = &out
	kctx.BindTo(context.Background(), (*context.Context)(nil))
	err = kctx.Run()
	return out.String(), err
}

func TestPostMarkPublishedCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	flags := []string{"--data-dir", dir}
	if u := os.Getenv(storetest.PostgresURLEnv); u != "" {
		flags = append(flags, "--database-url", storetest.NewPostgresDatabase(t))
	}
	// A post published now whose Mastodon publication ends in needs_review,
	// made through the app the command opens (the engine's part by hand).
	a, err := DataFlags{DataDir: dir, DatabaseURL: flagValue(flags, "--database-url")}.open(ctx)
	require.NoError(t, err)
	owner := storetest.NewUser(t, a.Store, "owner@example.com")
	ws := store.Workspace{Name: "Brand", Slug: "brand", Timezone: "Europe/Paris"}
	require.NoError(t, a.Store.CreateWorkspace(ctx, &ws, owner.ID))
	viewer := storetest.NewUser(t, a.Store, "viewer@example.com")
	require.NoError(t, a.Store.AddMember(ctx, ws.ID, viewer.ID, store.RoleViewer))
	masto := storetest.NewChannel(t, a.Store, ws.ID, "mastodon", "masto")
	p, err := a.Auth.Principal(ctx, owner, ws.ID)
	require.NoError(t, err)
	svc := composer(a)
	v, err := svc.Create(ctx, p, compose.PostInput{Text: "Did it go out", Variants: []compose.VariantInput{{ChannelID: masto.ID}}})
	require.NoError(t, err)
	other, err := svc.Create(ctx, p, compose.PostInput{Text: "Another", Variants: []compose.VariantInput{{ChannelID: masto.ID}}})
	require.NoError(t, err)
	_, err = svc.PublishNow(ctx, p, v.ID)
	require.NoError(t, err)
	now := time.Now()
	jobs, err := a.Store.ClaimDue(ctx, "test", now.Add(time.Minute), now.Add(time.Minute), now, 10)
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	_, err = a.Store.MarkPublishing(ctx, []store.ClaimRef{{ID: jobs[0].ID, Claim: jobs[0].Claim}}, now.Add(time.Minute), now)
	require.NoError(t, err)
	pub, err := a.Store.Publication(ctx, ws.ID, jobs[0].ID)
	require.NoError(t, err)
	_, err = a.Store.SaveResults(ctx, []store.PublishResult{{ID: pub.ID, Claim: pub.Claim, From: store.PubPublishing, State: store.PubNeedsReview, ErrorMessage: "timeout"}}, now)
	require.NoError(t, err)
	require.NoError(t, a.Close())
	postID, pubID, otherID := strconv.FormatInt(v.ID, 10), strconv.FormatInt(pub.ID, 10), strconv.FormatInt(other.ID, 10)

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{name: "no such post", args: []string{"99999", "--publication", pubID}, want: "post: no post with the id 99999"},
		{name: "publication of another post", args: []string{otherID, "--publication", pubID}, want: "publication: post " + otherID + " has no publication with the id " + pubID},
		{name: "bad url", args: []string{postID, "--publication", pubID, "--url", "mastodon.social/1"}, want: "url must be an http:// or https:// address"},
		{name: "viewer", args: []string{postID, "--publication", pubID, "--email", "viewer@example.com"}, want: auth.ErrForbidden.Error()},
	} {
		out, err := runMarkPublished(t, flags, tc.args...)
		require.Error(t, err, tc.name)
		require.Contains(t, err.Error(), tc.want, tc.name)
		require.Empty(t, out, tc.name)
	}

	out, err := runMarkPublished(t, flags, postID, "--publication", pubID, "--url", "https://mastodon.social/@brand/1")
	require.NoError(t, err)
	require.Equal(t, "post "+postID+": publication "+pubID+" marked as published; the post is published\n", out)

	a, err = DataFlags{DataDir: dir, DatabaseURL: flagValue(flags, "--database-url")}.open(ctx)
	require.NoError(t, err)
	defer a.Close()
	got, err := a.Store.Publication(ctx, ws.ID, pub.ID)
	require.NoError(t, err)
	require.Equal(t, store.PubPublished, got.State)
	require.Equal(t, "https://mastodon.social/@brand/1", got.URL)

	_, err = runMarkPublished(t, flags, postID, "--publication", pubID)
	require.Error(t, err)
	require.Contains(t, err.Error(), "only a needs_review publication can be marked as published; this one is published")
}
