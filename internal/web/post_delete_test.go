package web

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// publishedPost makes a post out on the channel, as the engine would.
func publishedPost(t *testing.T, b *bundle, ws, channelID int64) store.Post {
	t.Helper()
	ctx := context.Background()
	post := storetest.NewPosts(t, b.st, ws, 1, channelID)[0]
	now := time.Now().UTC()
	_, err := b.st.SchedulePosts(ctx, ws, []int64{post.ID}, now, "UTC", now)
	require.NoError(t, err)
	jobs, err := b.st.ClaimDue(ctx, "test", now, now.Add(time.Minute), now, 10)
	require.NoError(t, err)
	for _, j := range jobs {
		if j.PostID != post.ID {
			continue
		}
		_, err = b.st.MarkPublishing(ctx, []store.ClaimRef{{ID: j.ID, Claim: j.Claim}}, now.Add(time.Minute), now)
		require.NoError(t, err)
		pub, err := b.st.Publication(ctx, ws, j.ID)
		require.NoError(t, err)
		_, err = b.st.SaveResults(ctx, []store.PublishResult{{ID: pub.ID, Claim: pub.Claim, From: store.PubPublishing, State: store.PubPublished, RemoteID: "remote-" + strconv.FormatInt(pub.ID, 10)}}, now)
		require.NoError(t, err)
	}
	return post
}

func TestDeletePublishedPostOffersTheChoice(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	w := b.workspace(t, u, "Brand", "brand")
	res := br.post("/workspaces/brand/channels/webfake/connect", form("handle", "brandy", "token", "good"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	chans, err := b.st.Channels(context.Background(), w.ID)
	require.NoError(t, err)

	// The page asks: on the networks too, or only here.
	post := publishedPost(t, b, w.ID, chans[0].ID)
	path := "/workspaces/brand/posts/" + strconv.FormatInt(post.ID, 10)
	res = br.get(path)
	require.Contains(t, res.Body, "This post is out on webfake. Delete it there too, or only here?")
	require.Contains(t, res.Body, `id="delete-remote" type="radio" name="remote" value="true" checked`)
	require.Contains(t, res.Body, "Only remove it from relais")
	br.lang = "fr"
	res = br.get(path)
	require.Contains(t, res.Body, "La supprimer aussi sur les réseaux")
	br.lang = ""

	// Deleted on the network (the fake connector deletes) and here.
	res = br.post(path+"/delete", form("remote", "true"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	res = br.get("/workspaces/brand/calendar?view=list")
	require.Contains(t, res.Body, "Post deleted, here and on its networks.")
	_, err = b.st.Post(context.Background(), w.ID, post.ID)
	require.ErrorIs(t, err, store.ErrNotFound)

	// Only here: no network is called and the post goes (it was a 422 before).
	post = publishedPost(t, b, w.ID, chans[0].ID)
	res = br.post("/workspaces/brand/posts/"+strconv.FormatInt(post.ID, 10)+"/delete", form("remote", "false"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	_, err = b.st.Post(context.Background(), w.ID, post.ID)
	require.ErrorIs(t, err, store.ErrNotFound)

	// A post that is not out keeps the simple confirmation.
	draft := storetest.NewPosts(t, b.st, w.ID, 1, chans[0].ID)[0]
	res = br.get("/workspaces/brand/posts/" + strconv.FormatInt(draft.ID, 10))
	require.NotContains(t, res.Body, "delete-published")
	require.Contains(t, res.Body, "Delete this post for good?")
}
