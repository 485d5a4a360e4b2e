package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/stretchr/testify/require"
)

func TestLoginLogoutAndThrottle(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, err := b.auth.Setup(context.Background(), "ada@example.com", "Ada", "correct horse battery")
	require.NoError(t, err)
	br := b.browser(t)

	res := br.get("/workspaces")
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Equal(t, "/login?next=%2Fworkspaces", res.Header.Get("Location"))
	res = br.get("/login?next=%2Fworkspaces")
	require.Contains(t, res.Body, `name="next" value="/workspaces"`)

	res = br.post("/login", form("email", "ada@example.com", "password", "wrong password!", "next", "/workspaces"))
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.Contains(t, res.Body, "E-mail or password is wrong.")
	require.Contains(t, res.Body, `value="ada@example.com"`)

	res = br.post("/login", form("email", "ADA@example.com", "password", "correct horse battery", "next", "//evil.example/"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Equal(t, "/", res.Header.Get("Location"), "an off-site next is ignored")
	res = br.get("/workspaces")
	require.Equal(t, http.StatusOK, res.StatusCode)
	res = br.get("/login?next=%2Fworkspaces")
	require.Equal(t, http.StatusSeeOther, res.StatusCode, "signed in already")
	require.Equal(t, "/workspaces", res.Header.Get("Location"))

	res = br.post("/logout", nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	res = br.get("/workspaces")
	require.Equal(t, http.StatusSeeOther, res.StatusCode, "the session is gone")

	// Failures for one account from one client make the next attempts wait
	// longer and longer; the page says how long.
	var last response
	for i := 0; i < 11; i++ {
		last = br.post("/login", form("email", "ada@example.com", "password", "guess number "+strings.Repeat("x", i)))
	}
	require.Equal(t, http.StatusTooManyRequests, last.StatusCode)
	require.Regexp(t, `Too many failed sign-ins. Try again in \d+ s.`, last.Body)
	require.NotEmpty(t, last.Header.Get("Retry-After"))
}

func TestSafeNext(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"/workspaces/a/", "/workspaces/a/"},
		{"/workspaces/a/posts/3?view=week#top", "/workspaces/a/posts/3?view=week#top"},
		{"/workspaces/a%20b/", "/workspaces/a%20b/"},
		{"", "/"},
		{"workspaces", "/"},
		{"https://evil.example", "/"},
		{"HTTPS://evil.example/", "/"},
		{"//evil.example", "/"},
		{"///evil.example", "/"},
		{"/\\evil.example", "/"},
		{"\\/evil.example", "/"},
		{"/%09/evil.example", "/"},
		{"/\t/evil.example", "/"},
		{"/%0a/evil.example", "/"},
		{"/%0d%0a/evil.example", "/"},
		{"/%00/evil.example", "/"},
		{"/%7f/evil.example", "/"},
		{"/%2F%2Fevil.example", "/"},
		{"/%2f/evil.example", "/"},
		{"/%5Cevil.example", "/"},
		{"/%5c%5cevil.example", "/"},
		{"/%E3%80%80/evil.example", "/"},
		{"/%ff/evil.example", "/"},
		{" //evil.example", "/"},
		{"\t//evil.example", "/"},
		{"/ok\r\nSet-Cookie: x", "/"},
		{"/ok?x=%0d%0aSet-Cookie:%20y", "/"},
		{"javascript:alert(1)", "/"},
		{"/javascript:alert(1)", "/javascript:alert(1)"},
		{"data:text/html,x", "/"},
		{"//user@evil.example", "/"},
		{"http:/evil.example", "/"},
		{"/" + strings.Repeat("a", 3000), "/"},
	} {
		require.Equal(t, tc.want, safeNext(tc.in), "%q", tc.in)
	}
}

// TestLoginBusy: when every hashing slot stays taken the sign-in page answers
// 503 with a translated message, not a server error.
func TestLoginBusy(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, err := b.auth.Setup(context.Background(), "ada@example.com", "Ada", "correct horse battery")
	require.NoError(t, err)
	b.auth.Hashing = auth.NewHashGate(1, time.Millisecond)
	held, release := make(chan struct{}), make(chan struct{})
	go func() { _ = b.auth.Hashing.Do(context.Background(), func() { close(held); <-release }) }()
	<-held
	defer close(release)
	br := b.browser(t)
	br.lang = "fr"
	res := br.post("/login", form("email", "ada@example.com", "password", "correct horse battery"))
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
	require.Equal(t, "5", res.Header.Get("Retry-After"))
	require.Contains(t, res.Body, "Trop de connexions sont en cours de vérification")
}
