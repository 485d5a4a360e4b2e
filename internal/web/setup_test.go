package web

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFirstRunSetupThenFirstWorkspace(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	ctx := context.Background()

	for _, path := range []string{"/", "/login", "/workspaces", "/account"} {
		res := br.get(path)
		require.Equal(t, http.StatusSeeOther, res.StatusCode, path)
		require.Equal(t, "/setup", res.Header.Get("Location"), path)
	}
	res := br.get("/setup")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `<html lang="en">`)
	require.Contains(t, res.Body, "Create the owner account")

	// Bad input: the message shows next to the field, what was typed stays, nothing is created.
	res = br.post("/setup", form("email", "not-an-email", "name", "Ada", "password", "long enough password"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, `class="field-error"`)
	require.Contains(t, res.Body, "is not a valid address")
	require.Contains(t, res.Body, `value="Ada"`)
	res = br.post("/setup", form("email", "ada@example.com", "name", "Ada", "password", "short"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Password needs at least 10 characters")
	n, err := b.st.CountUsers(ctx)
	require.NoError(t, err)
	require.Zero(t, n)

	res = br.post("/setup", form("email", "ada@example.com", "name", "Ada", "password", "long enough password"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Equal(t, "/setup/workspace", res.Header.Get("Location"))
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == sessionCookie {
			session = c
		}
	}
	require.NotNil(t, session)
	require.True(t, session.HttpOnly)
	require.Equal(t, http.SameSiteLaxMode, session.SameSite)
	require.Equal(t, "/", session.Path)
	require.False(t, session.Secure, "the test server is plain http")

	res = br.get("/setup/workspace")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "Create your first workspace")
	require.Contains(t, res.Body, `<option value="Europe/Paris">`)

	res = br.post("/workspaces", form("name", "  ", "slug", "", "timezone", "UTC"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Name is required")
	res = br.post("/workspaces", form("name", "Acme", "slug", "", "timezone", "Mars/Olympus"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "is not an IANA zone name")
	require.Contains(t, res.Body, `value="Acme"`)

	res = br.post("/workspaces", form("name", "Café Crème", "slug", "", "timezone", "Europe/Berlin"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Equal(t, "/workspaces/cafe-creme/", res.Header.Get("Location"))
	res = br.get("/workspaces/cafe-creme/")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "Workspace created.")
	require.Contains(t, res.Body, "Europe/Berlin")

	// Setup is closed now.
	res = br.get("/setup")
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Equal(t, "/", res.Header.Get("Location"))
	res = br.post("/setup", form("email", "eve@example.com", "name", "Eve", "password", "long enough password"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	n, err = b.st.CountUsers(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
}
