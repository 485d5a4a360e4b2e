package web

import (
	"context"
	"net/http"
	"testing"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// publishInDoubt publishes a post on Mastodon and the website now and plays the
// engine's part: Mastodon ends in needs_review, the website fails.
func publishInDoubt(t *testing.T, b *bundle, s *studio, text string) (post, doubt, failed int64) {
	t.Helper()
	res := s.owner.post("/workspaces/"+s.ws.Slug+"/posts", form("text", text, "channel", s.mastodonID, "channel", s.webID, "action", "now"))
	post = postIDOf(t, res)
	settleDue(t, b, s.ws.ID, func(j store.PublishJob, r *store.PublishResult) {
		r.ErrorClass = "unknown"
		if j.ChannelID == s.mastodon.ID {
			doubt, r.State, r.ErrorMessage = j.ID, store.PubNeedsReview, "the connection dropped after sending"
		} else {
			failed, r.State, r.ErrorMessage = j.ID, store.PubFailed, "refused"
		}
	})
	require.NotZero(t, doubt)
	require.NotZero(t, failed)
	return post, doubt, failed
}

func TestMarkPublishedFromThePostPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	other := newStudio(t, b, "other")
	ctx := context.Background()
	post, doubt, failed := publishInDoubt(t, b, s, "Did it go out")
	page := "/workspaces/acme/posts/" + id(post)
	action := page + "/published/" + id(doubt)

	// The form shows for the needs_review publication only, next to retry, with the warning.
	res := s.owner.get(page)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `action="`+action+`"`)
	require.NotContains(t, res.Body, "/published/"+id(failed))
	require.Contains(t, res.Body, "Retrying may publish it a second time")
	require.Contains(t, res.Body, "/retry/"+id(doubt))

	// A viewer sees no form and gets a 404; so does another workspace.
	viewer := b.browser(t)
	vu := viewer.signIn("v@example.com")
	require.NoError(t, b.st.AddMember(ctx, s.ws.ID, vu.ID, store.RoleViewer))
	require.NotContains(t, viewer.get(page).Body, "/published/")
	require.Equal(t, http.StatusNotFound, viewer.post(action, nil).StatusCode)
	require.Equal(t, http.StatusNotFound, other.owner.post("/workspaces/other/posts/"+id(post)+"/published/"+id(doubt), nil).StatusCode)
	require.Equal(t, http.StatusNotFound, other.owner.post(action, nil).StatusCode, "not a member")
	// A publication of another post of the workspace is not found either.
	res = s.owner.post("/workspaces/acme/posts", form("text", "Another", "channel", s.webID, "action", "draft"))
	require.Equal(t, http.StatusNotFound, s.owner.post("/workspaces/acme/posts/"+id(postIDOf(t, res))+"/published/"+id(doubt), nil).StatusCode)

	// A bad URL comes back next to the field, kept; the failed one cannot be confirmed.
	res = s.owner.post(action, form("url", "ftp://mastodon.social/1"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Equal(t, "url must be an http:// or https:// address, got &#34;ftp://mastodon.social/1&#34;", errorAfter(t, res.Body, "published-url-"+id(doubt)))
	require.Contains(t, res.Body, `value="ftp://mastodon.social/1"`)
	res = s.owner.post(page+"/published/"+id(failed), nil)
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "only a needs_review publication can be marked as published; this one is failed")
	pub, err := b.st.Publication(ctx, s.ws.ID, doubt)
	require.NoError(t, err)
	require.Equal(t, store.PubNeedsReview, pub.State, "nothing changed yet")

	res = s.owner.post(action, form("url", "https://mastodon.social/@acme/1"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	require.Equal(t, page, res.Header.Get("Location"))
	pub, err = b.st.Publication(ctx, s.ws.ID, doubt)
	require.NoError(t, err)
	require.Equal(t, store.PubPublished, pub.State)
	require.Equal(t, "https://mastodon.social/@acme/1", pub.URL)
	res = s.owner.get(page)
	require.Contains(t, res.Body, "Marked as published.")
	require.Contains(t, res.Body, `href="https://mastodon.social/@acme/1"`)
	require.NotContains(t, res.Body, "/published/", "nothing left to confirm")
	require.NotContains(t, res.Body, "/retry/"+id(doubt))

	s.owner.lang = "de"
	res = s.owner.get(page)
	require.Contains(t, res.Body, "Als veröffentlicht markiert")
}
