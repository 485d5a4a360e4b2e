package api_test

import (
	"testing"
	"time"

	"github.com/relais/relais/client"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// TestApprovalPolicyQueueAndApproveSchedule: the policy is read and set
// through the workspace; the author's planned time is kept through review;
// the approval queue lists what the caller may approve (not the owner's own
// post); approve with schedule=true schedules at the planned time.
func TestApprovalPolicyQueueAndApproveSchedule(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	svc := auth.NewService(e.st)
	member := func(email string, role store.Role) string {
		u, err := svc.CreateUser(ctx, email, "", "a long enough password", false)
		require.NoError(t, err)
		require.NoError(t, e.st.AddMember(ctx, e.wsA.ID, u.ID, role))
		p, err := svc.Principal(ctx, u, e.wsA.ID)
		require.NoError(t, err)
		tok, _, err := svc.CreateToken(ctx, p, "test")
		require.NoError(t, err)
		return tok
	}
	approver, viewer := member("ap@example.com", store.RoleApprover), member("v@example.com", store.RoleViewer)

	w, err := e.a.Me(ctx)
	require.NoError(t, err)
	require.Equal(t, "nobody", w.Workspace.ApprovalPolicy)
	everyone, no := "everyone", false
	ws, err := e.a.UpdateWorkspace(ctx, client.WorkspaceUpdate{ApprovalPolicy: &everyone, SelfApproval: &no})
	require.NoError(t, err)
	require.Equal(t, "everyone", ws.ApprovalPolicy)
	require.True(t, ws.ApprovalRequired)
	require.False(t, ws.SelfApproval)
	bad := "some"
	_, err = e.a.UpdateWorkspace(ctx, client.WorkspaceUpdate{ApprovalPolicy: &bad})
	var ce *client.Error
	require.ErrorAs(t, err, &ce)
	require.Equal(t, 422, ce.Status)

	ch, err := e.a.ConnectChannel(ctx, string(apiTestKind), map[string]string{"name": "poster"})
	require.NoError(t, err)
	at := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Second)
	var post struct {
		ID          int64      `json:"id"`
		State       string     `json:"state"`
		ScheduledAt *time.Time `json:"scheduled_at"`
	}
	const js = "application/json"
	body := `{"text":"Planned by the owner","planned_at":"` + at.Format(time.RFC3339) + `","variants":[{"channel_id":` + idStr(ch.ID) + `}]}`
	require.Equal(t, 201, send(t, e, e.tokA, "POST", "/posts", js, body, &post))
	require.NotNil(t, post.ScheduledAt)
	require.True(t, at.Equal(*post.ScheduledAt))
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/posts/"+idStr(post.ID)+"/submit", js, `{}`, &post))
	require.Equal(t, "in_review", post.State)

	var queue struct {
		Posts []struct {
			ID          int64      `json:"id"`
			ScheduledAt *time.Time `json:"scheduled_at"`
		} `json:"posts"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/approvals", "", "", &queue))
	require.Empty(t, queue.Posts, "the owner does not approve their own post")
	require.Equal(t, 200, send(t, e, approver, "GET", "/approvals", "", "", &queue))
	require.Len(t, queue.Posts, 1)
	require.Equal(t, post.ID, queue.Posts[0].ID)
	require.NotEqual(t, 200, send(t, e, viewer, "GET", "/approvals", "", "", nil), "a viewer approves nothing")
	require.Equal(t, 200, send(t, e, e.tokB, "GET", "/approvals", "", "", &queue))
	require.Empty(t, queue.Posts, "another workspace sees nothing")

	var prob struct {
		Error struct{ Code, Field string } `json:"error"`
	}
	require.Equal(t, 422, send(t, e, e.tokA, "POST", "/posts/"+idStr(post.ID)+"/approve", js, `{"schedule":true}`, &prob))
	require.Equal(t, "self_approval", prob.Error.Code)
	require.Equal(t, 200, send(t, e, approver, "POST", "/posts/"+idStr(post.ID)+"/approve", js, `{"note":"Go","schedule":true}`, &post))
	require.Equal(t, "scheduled", post.State)
	require.True(t, at.Equal(*post.ScheduledAt))
	require.Equal(t, 200, send(t, e, approver, "GET", "/approvals", "", "", &queue))
	require.Empty(t, queue.Posts)
}
