package api_test

import (
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/relais/relais/client"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// TestChannelCheckNeedsManagerAndIsRateLimited: a viewer's or an approver's
// token gets 403 and the channel is untouched; the owner's check runs, and a
// second one right after answers 429 with Retry-After.
func TestChannelCheckNeedsManagerAndIsRateLimited(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	c, err := e.a.ConnectChannel(ctx, string(apiTestKind), map[string]string{"name": "checked"})
	require.NoError(t, err)

	svc := auth.NewService(e.st)
	for _, role := range []store.Role{store.RoleViewer, store.RoleApprover} {
		u, err := svc.CreateUser(ctx, string(role)+"@example.com", "", "a long enough password", false)
		require.NoError(t, err)
		require.NoError(t, e.st.AddMember(ctx, e.wsA.ID, u.ID, role))
		p, err := svc.Principal(ctx, u, e.wsA.ID)
		require.NoError(t, err)
		tok, _, err := svc.CreateToken(ctx, p, "t")
		require.NoError(t, err)
		_, err = client.New(e.srv.URL, tok).CheckChannel(ctx, c.ID)
		var ce *client.Error
		require.ErrorAs(t, err, &ce, role)
		require.Equal(t, http.StatusForbidden, ce.Status, role)
	}
	got, err := e.st.Channel(ctx, e.wsA.ID, c.ID)
	require.NoError(t, err)
	require.Nil(t, got.CheckedAt, "no check ran")

	_, err = e.a.CheckChannel(ctx, c.ID)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/api/v1/channels/"+idStr(c.ID)+"/check", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+e.tokA)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode, string(body))
	require.Contains(t, string(body), `"code":"rate_limited"`)
	require.Contains(t, string(body), "try again in")
	secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	require.NoError(t, err)
	require.True(t, secs >= 1 && secs <= 30, secs)
}
