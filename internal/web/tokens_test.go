package web

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

var newToken = regexp.MustCompile(`id="new-token" readonly value="(rl_[^"]+)"`)

func TestTokensCreateListRevoke(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	u := br.signIn("ada@example.com")
	ws := b.workspace(t, u, "Brand", "brand")
	b.workspace(t, u, "Other", "other")
	ctx := context.Background()

	res := br.post("/workspaces/brand/tokens", form("name", longName))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Token name allows at most 100 characters")

	res = br.post("/workspaces/brand/tokens", form("name", "ci-bot"))
	require.Equal(t, http.StatusOK, res.StatusCode)
	m := newToken.FindStringSubmatch(res.Body)
	require.NotNil(t, m)
	p, err := b.auth.TokenPrincipal(ctx, m[1])
	require.NoError(t, err)
	require.Equal(t, ws.ID, p.Workspace.ID)

	res = br.get("/workspaces/brand/tokens")
	require.Contains(t, res.Body, "ci-bot")
	require.Contains(t, res.Body, m[1][:8])
	require.NotContains(t, res.Body, m[1], "the token is shown once")
	res = br.get("/workspaces/other/tokens")
	require.NotContains(t, res.Body, "ci-bot", "tokens belong to one workspace")

	list, err := b.st.Tokens(ctx, ws.ID, u.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	id := strconv.FormatInt(list[0].ID, 10)
	res = br.post("/workspaces/other/tokens/"+id+"/revoke", nil)
	require.Equal(t, http.StatusNotFound, res.StatusCode, "revoking through another workspace finds nothing")
	res = br.post("/workspaces/brand/tokens/"+id+"/revoke", nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	_, err = b.auth.TokenPrincipal(ctx, m[1])
	require.Error(t, err)

}

const longName = "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789x"
