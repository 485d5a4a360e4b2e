package api_test

import (
	"testing"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// inDoubt publishes a post of workspace A now and plays the engine's part:
// its one publication ends in needs_review. It returns the post and publication ids.
func inDoubt(t *testing.T, e *env, chID string) (string, string) {
	t.Helper()
	var p postJSON
	require.Equal(t, 201, send(t, e, e.tokA, "POST", "/posts", "application/json", `{"text":"did it go out","variants":[{"channel_id":`+chID+`}]}`, &p))
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/posts/"+idStr(p.ID)+"/publish-now", "", "", &p))
	now := time.Now()
	jobs, err := e.st.ClaimDue(ctx, "test", now.Add(time.Minute), now.Add(time.Minute), now, 10)
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	_, err = e.st.MarkPublishing(ctx, []store.ClaimRef{{ID: jobs[0].ID, Claim: jobs[0].Claim}}, now.Add(time.Minute), now)
	require.NoError(t, err)
	pub, err := e.st.Publication(ctx, e.wsA.ID, jobs[0].ID)
	require.NoError(t, err)
	_, err = e.st.SaveResults(ctx, []store.PublishResult{{ID: pub.ID, Claim: pub.Claim, From: store.PubPublishing, State: store.PubNeedsReview, ErrorMessage: "timeout"}}, now)
	require.NoError(t, err)
	return idStr(p.ID), idStr(pub.ID)
}

func TestMarkPublishedAPI(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	ch, err := e.a.ConnectChannel(ctx, string(apiTestKind), map[string]string{"name": "poster"})
	require.NoError(t, err)
	chID := idStr(ch.ID)
	post, pub := inDoubt(t, e, chID)
	path := "/posts/" + post + "/publications/" + pub + "/mark-published"

	svc := auth.NewService(e.st)
	uv, err := svc.CreateUser(ctx, "viewer@example.com", "", "a long enough password", false)
	require.NoError(t, err)
	require.NoError(t, e.st.AddMember(ctx, e.wsA.ID, uv.ID, store.RoleViewer))
	pv, err := svc.Principal(ctx, uv, e.wsA.ID)
	require.NoError(t, err)
	tokView, _, err := svc.CreateToken(ctx, pv, "viewer")
	require.NoError(t, err)

	type errJSON struct {
		Error struct{ Code, Field string } `json:"error"`
	}
	for _, tc := range []struct {
		name, token, path, body string
		status                  int
		code, field             string
	}{
		{name: "viewer", token: tokView, path: path, body: `{}`, status: 403, code: "forbidden"},
		{name: "other workspace", token: e.tokB, path: path, body: `{}`, status: 404, code: "not_found"},
		{name: "publication of another post", token: e.tokA, path: "/posts/" + post + "9/publications/" + pub + "/mark-published", status: 404, code: "not_found"},
		{name: "ftp url", token: e.tokA, path: path, body: `{"url":"ftp://example.com/1"}`, status: 422, code: "invalid", field: "url"},
		{name: "not a url", token: e.tokA, path: path, body: `{"url":"somewhere"}`, status: 422, code: "invalid", field: "url"},
	} {
		var got errJSON
		require.Equal(t, tc.status, send(t, e, tc.token, "POST", tc.path, "application/json", tc.body, &got), tc.name)
		require.Equal(t, tc.code, got.Error.Code, tc.name)
		require.Equal(t, tc.field, got.Error.Field, tc.name)
	}

	var p struct {
		State    string `json:"state"`
		Variants []struct {
			Publication struct {
				State string `json:"state"`
				URL   string `json:"url"`
			} `json:"publication"`
		} `json:"variants"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "POST", path, "application/json", `{"url":"https://social.example/@a/1"}`, &p))
	require.Equal(t, "published", p.State)
	require.Equal(t, "published", p.Variants[0].Publication.State)
	require.Equal(t, "https://social.example/@a/1", p.Variants[0].Publication.URL)

	var hist struct {
		History []struct {
			Action, Detail string
		} `json:"history"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/posts/"+post+"/history", "", "", &hist))
	require.Equal(t, "marked_published", hist.History[len(hist.History)-1].Action)

	// Once published it cannot be confirmed again; the body may be left out.
	var again errJSON
	require.Equal(t, 422, send(t, e, e.tokA, "POST", path, "", "", &again))
	require.Equal(t, "invalid_transition", again.Error.Code)
	require.Equal(t, "state", again.Error.Field)
}
