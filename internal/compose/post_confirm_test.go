package compose_test

import (
	"testing"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
	"github.com/stretchr/testify/require"
)

// publishInDoubt publishes a post now and plays the engine's part by hand:
// the Mastodon publication ends in needs_review, every other one fails.
func (f *fixture) publishInDoubt(t *testing.T, text string, channels ...int64) (post compose.PostView, doubt, failed int64) {
	t.Helper()
	v := f.create(t, text, channels...)
	_, err := f.svc.PublishNow(ctx, f.as[store.RoleEditor], v.ID)
	require.NoError(t, err)
	jobs, err := f.st.ClaimDue(ctx, "test", f.clock.Add(time.Minute), f.clock.Add(time.Minute), f.clock, 10)
	require.NoError(t, err)
	require.Len(t, jobs, len(channels))
	var refs []store.ClaimRef
	for _, j := range jobs {
		refs = append(refs, store.ClaimRef{ID: j.ID, Claim: j.Claim})
	}
	_, err = f.st.MarkPublishing(ctx, refs, f.clock.Add(time.Minute), f.clock)
	require.NoError(t, err)
	var results []store.PublishResult
	for _, j := range jobs {
		pub, err := f.st.Publication(ctx, f.ws.ID, j.ID)
		require.NoError(t, err)
		r := store.PublishResult{ID: j.ID, Claim: pub.Claim, From: store.PubPublishing, ErrorClass: "unknown"}
		if j.ChannelID == f.masto {
			doubt, r.State, r.ErrorMessage = j.ID, store.PubNeedsReview, "the connection dropped after the request was sent"
		} else {
			failed, r.State, r.ErrorMessage = j.ID, store.PubFailed, "refused"
		}
		results = append(results, r)
	}
	_, err = f.st.SaveResults(ctx, results, f.clock)
	require.NoError(t, err)
	post, err = f.svc.Get(ctx, f.as[store.RoleEditor], v.ID)
	require.NoError(t, err)
	return post, doubt, failed
}

func TestMarkPublishedChecksRoleStateURLAndOwnership(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	post, doubt, failed := f.publishInDoubt(t, "Did it go out?", f.masto, f.bsky)
	other := f.create(t, "Another post", f.tg)

	// Roles without the right to publish get ErrForbidden, whatever the input.
	for _, role := range store.Roles {
		if auth.Can(role, auth.ActPublish) {
			continue
		}
		_, err := f.svc.MarkPublished(ctx, f.as[role], post.ID, doubt, "")
		require.ErrorIs(t, err, auth.ErrForbidden, role)
	}
	_, err := f.svc.MarkPublished(ctx, f.as[store.RoleViewer], post.ID, doubt, "")
	require.ErrorIs(t, err, auth.ErrForbidden)

	for _, tc := range []struct {
		name         string
		p            auth.Principal
		post, pub    int64
		url          string
		wantNotFound bool
		field, code  string
	}{
		{name: "publication of another post", p: f.as[store.RoleEditor], post: other.ID, pub: doubt, wantNotFound: true},
		{name: "unknown publication", p: f.as[store.RoleEditor], post: post.ID, pub: doubt + 1000, wantNotFound: true},
		{name: "other workspace", p: f.other, post: post.ID, pub: doubt, wantNotFound: true},
		{name: "ftp url", p: f.as[store.RoleEditor], post: post.ID, pub: doubt, url: "ftp://mastodon.social/@brand/1", field: "url", code: "invalid"},
		{name: "relative url", p: f.as[store.RoleEditor], post: post.ID, pub: doubt, url: "/@brand/1", field: "url", code: "invalid"},
		{name: "javascript url", p: f.as[store.RoleEditor], post: post.ID, pub: doubt, url: "javascript:alert(1)", field: "url", code: "invalid"},
		{name: "failed, not in doubt", p: f.as[store.RoleEditor], post: post.ID, pub: failed, field: "state", code: "invalid_transition"},
	} {
		_, err := f.svc.MarkPublished(ctx, tc.p, tc.post, tc.pub, tc.url)
		if tc.wantNotFound {
			require.ErrorIs(t, err, store.ErrNotFound, tc.name)
			continue
		}
		e, ok := valid.As(err)
		require.True(t, ok, "%s: %v", tc.name, err)
		require.Equal(t, tc.field, e.Field, tc.name)
		require.Equal(t, tc.code, e.Code, tc.name)
	}
	pub, err := f.st.Publication(ctx, f.ws.ID, doubt)
	require.NoError(t, err)
	require.Equal(t, store.PubNeedsReview, pub.State, "refused attempts change nothing")

	const link = "https://mastodon.social/@brand/113"
	v, err := f.svc.MarkPublished(ctx, f.as[store.RoleEditor], post.ID, doubt, "  "+link+" ")
	require.NoError(t, err)
	var got *compose.PublicationView
	for _, vv := range v.Variants {
		if vv.Publication != nil && vv.Publication.ID == doubt {
			got = vv.Publication
		}
	}
	require.NotNil(t, got)
	require.Equal(t, "published", got.State)
	require.Equal(t, link, got.URL)
	require.NotNil(t, got.PublishedAt)
	require.True(t, f.clock.Equal(*got.PublishedAt))
	require.NotEqual(t, string(store.PostNeedsReview), v.State, "the post's state follows its publications")

	hist, err := f.svc.History(ctx, f.as[store.RoleViewer], post.ID)
	require.NoError(t, err)
	last := hist[len(hist)-1]
	require.Equal(t, "marked_published", last.Action)
	require.Equal(t, f.as[store.RoleEditor].User.ID, last.UserID)
	require.Contains(t, last.Detail, link)

	// A second confirmation finds it published already.
	_, err = f.svc.MarkPublished(ctx, f.as[store.RoleOwner], post.ID, doubt, "")
	e, ok := valid.As(err)
	require.True(t, ok)
	require.Equal(t, "invalid_transition", e.Code)
	require.Contains(t, e.Message, "published")
}

func TestMarkPublishedWithoutURL(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	// With approval on, the post must be approved before it can be published.
	v := f.create(t, "Approved first", f.masto)
	_, err := f.svc.Submit(ctx, f.as[store.RoleEditor], v.ID)
	require.NoError(t, err)
	_, err = f.svc.Approve(ctx, f.as[store.RoleApprover], v.ID, "")
	require.NoError(t, err)
	_, err = f.svc.PublishNow(ctx, f.as[store.RoleEditor], v.ID)
	require.NoError(t, err)
	jobs, err := f.st.ClaimDue(ctx, "test", f.clock.Add(time.Minute), f.clock.Add(time.Minute), f.clock, 10)
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	_, err = f.st.MarkPublishing(ctx, []store.ClaimRef{{ID: jobs[0].ID, Claim: jobs[0].Claim}}, f.clock.Add(time.Minute), f.clock)
	require.NoError(t, err)
	pub, err := f.st.Publication(ctx, f.ws.ID, jobs[0].ID)
	require.NoError(t, err)
	_, err = f.st.SaveResults(ctx, []store.PublishResult{{ID: pub.ID, Claim: pub.Claim, From: store.PubPublishing, State: store.PubNeedsReview, ErrorMessage: "timeout"}}, f.clock)
	require.NoError(t, err)

	got, err := f.svc.MarkPublished(ctx, f.as[store.RoleAdmin], v.ID, pub.ID, "")
	require.NoError(t, err)
	require.Equal(t, string(store.PostPublished), got.State)
	require.Equal(t, "published", got.Variants[0].Publication.State)
	require.Empty(t, got.Variants[0].Publication.URL)
	require.Empty(t, got.Variants[0].Publication.ErrorMessage, "the doubt is cleared")
}
