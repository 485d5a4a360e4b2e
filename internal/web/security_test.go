package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	for _, path := range []string{"/setup", "/static/app.css", "/nowhere"} {
		res := br.get(path)
		require.Equal(t, contentSecurityPolicy, res.Header.Get("Content-Security-Policy"), path)
		require.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"), path)
		require.Equal(t, "same-origin", res.Header.Get("Referrer-Policy"), path)
	}
}

func TestCrossOriginPostIsRejected(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	u := br.signIn("ada@example.com")
	b.workspace(t, u, "Brand", "brand")
	ctx := context.Background()

	for _, hdr := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example"},
	} {
		req, err := http.NewRequest(http.MethodPost, b.srv.URL+"/workspaces", strings.NewReader(form("name", "Evil", "slug", "evil").Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		res := br.do(req)
		require.Equal(t, http.StatusForbidden, res.StatusCode)
		require.Contains(t, res.Body, "sent from another site")
	}
	_, err := b.st.WorkspaceBySlug(ctx, "evil")
	require.Error(t, err, "nothing was created")

	// The same request from the page itself goes through.
	req, err := http.NewRequest(http.MethodPost, b.srv.URL+"/workspaces", strings.NewReader(form("name", "Fine", "slug", "fine").Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	require.Equal(t, http.StatusSeeOther, br.do(req).StatusCode)
}

func TestOversizedBodyIsRefusedClearly(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	u := br.signIn("ada@example.com")
	b.workspace(t, u, "Brand", "brand")
	huge := strings.Repeat("x", 80<<10) // the test limit is 64 KiB

	res := br.post("/workspaces/brand/settings", form("name", huge, "slug", "brand", "timezone", "UTC"))
	require.Equal(t, http.StatusRequestEntityTooLarge, res.StatusCode)
	require.Contains(t, res.Body, "forms accept at most 64 KiB. Nothing was changed.")

	// Without a Content-Length the limit still holds while reading.
	req, err := http.NewRequest(http.MethodPost, b.srv.URL+"/workspaces/brand/settings", io.MultiReader(strings.NewReader("name="), strings.NewReader(huge)))
	require.NoError(t, err)
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res = br.do(req)
	require.Equal(t, http.StatusRequestEntityTooLarge, res.StatusCode)
	require.Contains(t, res.Body, "Nothing was changed.")
	ws, err := b.st.WorkspaceBySlug(context.Background(), "brand")
	require.NoError(t, err)
	require.Equal(t, "Brand", ws.Name)
}

func TestUnknownPagesAreNotFound(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	br.signIn("ada@example.com")
	for _, p := range []string{"/nope", "/workspaces/ghost/", "/workspaces/ghost/members", "/static/missing.css", "/static/vendor/README.md"} {
		res := br.get(p)
		require.Equal(t, http.StatusNotFound, res.StatusCode, p)
	}
	res := br.get("/nope")
	require.Contains(t, res.Body, "This page does not exist, or you cannot see it.")
}

func TestStaticFilesAreVersionedAndCached(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	br.signIn("a@example.com")
	s, err := newStaticFiles()
	require.NoError(t, err)
	for _, name := range []string{"app.css", "app.js", "vendor/htmx.min.js", "favicon.svg"} {
		res := br.get(s.url(name))
		require.Equal(t, http.StatusOK, res.StatusCode, name)
		require.Equal(t, "public, max-age=31536000, immutable", res.Header.Get("Cache-Control"), name)
		require.NotEmpty(t, res.Body)
	}
	res := br.get("/static/app.css")
	require.Equal(t, "public, max-age=300", res.Header.Get("Cache-Control"))
	require.Contains(t, res.Header.Get("Content-Type"), "text/css")
	require.Contains(t, br.get("/static/vendor/htmx.LICENSE").Body, "Zero-Clause BSD")
}

func TestBrokenTemplateFailsAtStart(t *testing.T) {
	t.Parallel()
	s, err := newStaticFiles()
	require.NoError(t, err)
	good, err := templateFS.ReadFile("templates/layout.html")
	require.NoError(t, err)
	partials, err := templateFS.ReadFile("templates/partials.html")
	require.NoError(t, err)
	fsys := fstest.MapFS{
		"templates/layout.html":   {Data: good},
		"templates/partials.html": {Data: partials},
		"templates/broken.html":   {Data: []byte(`{{define "content"}}{{if .Data}}unclosed{{end}}`)},
	}
	_, err = parsePages(fsys, s)
	require.ErrorContains(t, err, "broken")
}

func TestSessionCookieIsSecureBehindHTTPS(t *testing.T) {
	t.Parallel()
	st := storetest.OpenSQLite(t)
	h, err := New(Deps{Store: st, Auth: auth.NewService(st), BaseURL: "https://relais.example.com/"})
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodPost, "https://relais.example.com/setup", strings.NewReader(form("email", "a@example.com", "password", "correct horse battery").Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	require.Equal(t, http.StatusSeeOther, rec.Code)
	cookies := rec.Result().Cookies()
	require.Len(t, cookies, 1)
	require.Equal(t, sessionCookie, cookies[0].Name)
	require.True(t, cookies[0].Secure)
	require.True(t, cookies[0].HttpOnly)
}
