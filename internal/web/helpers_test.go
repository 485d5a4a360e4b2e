package web

import (
	"bytes"
	"context"
	"github.com/relais/relais/internal/config"
	"github.com/relais/relais/internal/operator"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/channel"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/media"
	"github.com/relais/relais/internal/secret"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/relais/relais/internal/valid"
	"github.com/stretchr/testify/require"
)

// bundle is what a web test needs: the server over a fresh SQLite store.
type bundle struct {
	srv     *httptest.Server
	st      store.Store
	auth    *auth.Service
	chans   *channel.Service
	compose *compose.Service
	media   *media.Library
	inbox   *inbox.Service
	// operator holds the network apps; applied is the last configuration it applied.
	operator *operator.Service
	applied  atomic.Pointer[config.Config]
}

func setup(t *testing.T) *bundle { t.Helper(); return setupDeps(t, nil) }

// setupDeps is setup with dependencies changed by edit (nil: none).
func setupDeps(t *testing.T, edit func(d *Deps)) *bundle {
	t.Helper()
	st := storetest.OpenSQLite(t)
	kr, err := secret.New("k1", map[string][]byte{"k1": bytes.Repeat([]byte{9}, 32)})
	require.NoError(t, err)
	b := &bundle{st: st, auth: auth.NewService(st)}
	b.chans = &channel.Service{Store: st, Keyring: kr}
	mux := http.NewServeMux()
	b.srv = httptest.NewServer(mux)
	t.Cleanup(b.srv.Close)
	b.chans.Env.BaseURL = b.srv.URL
	b.compose = compose.NewService(st, b.chans, b.srv.URL)
	root, err := os.OpenRoot(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { _ = root.Close() })
	b.media = &media.Library{Store: st, Root: root, SignKey: bytes.Repeat([]byte{7}, 32), BaseURL: b.srv.URL}
	b.inbox = &inbox.Service{Store: st, Connectors: b.chans}
	b.operator = &operator.Service{Store: st, Keyring: kr, Apply: func(c config.Config) { b.applied.Store(&c) }}
	require.NoError(t, b.operator.Load(context.Background()))
	d := Deps{Store: st, Auth: b.auth, Channels: b.chans, Compose: b.compose, Media: b.media, Inbox: b.inbox, BaseURL: b.srv.URL, Version: "test", Operator: b.operator,
		MaxBodyBytes: 64 << 10, MaxUploadBytes: 4 << 20}
	if edit != nil {
		edit(&d)
	}
	h, err := New(d)
	require.NoError(t, err)
	mux.Handle("/", h)
	return b
}

// browser is a cookie-keeping client that does not follow redirects.
type browser struct {
	t    *testing.T
	b    *bundle
	c    *http.Client
	lang string
}

func (b *bundle) browser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &browser{t: t, b: b, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// response is a finished response with its body read.
type response struct {
	*http.Response
	Body string
}

func (br *browser) do(req *http.Request) response {
	br.t.Helper()
	if br.lang != "" {
		req.Header.Set("Accept-Language", br.lang)
	}
	res, err := br.c.Do(req)
	require.NoError(br.t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(br.t, err)
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		assertNoInlineCode(br.t, string(body))
		require.Equal(br.t, contentSecurityPolicy, res.Header.Get("Content-Security-Policy"))
	}
	return response{res, string(body)}
}

func (br *browser) get(path string) response {
	br.t.Helper()
	req, err := http.NewRequest(http.MethodGet, br.b.srv.URL+path, nil)
	require.NoError(br.t, err)
	return br.do(req)
}

func (br *browser) post(path string, form url.Values) response {
	br.t.Helper()
	req, err := http.NewRequest(http.MethodPost, br.b.srv.URL+path, strings.NewReader(form.Encode()))
	require.NoError(br.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return br.do(req)
}

// signIn creates a user and gives the browser a session without a login
// round trip (each login costs an argon2id hash).
func (br *browser) signIn(email string) store.User {
	br.t.Helper()
	return br.signInAs(email, false)
}

// signInAs is signIn for an instance administrator when admin.
func (br *browser) signInAs(email string, admin bool) store.User {
	br.t.Helper()
	ctx := context.Background()
	u, err := br.b.auth.CreateUser(ctx, email, strings.Split(email, "@")[0], "correct horse battery", admin)
	require.NoError(br.t, err)
	token, _, err := br.b.auth.StartSession(ctx, u, "127.0.0.1", "test")
	require.NoError(br.t, err)
	su, _ := url.Parse(br.b.srv.URL)
	br.c.Jar.SetCookies(su, []*http.Cookie{{Name: sessionCookie, Value: token, Path: "/"}})
	return u
}

// workspace creates a workspace owned by u.
func (b *bundle) workspace(t *testing.T, u store.User, name, slug string) store.Workspace {
	t.Helper()
	w, err := b.auth.CreateWorkspace(context.Background(), u, name, slug, "Europe/Paris")
	require.NoError(t, err)
	return w
}

var (
	inlineScript = regexp.MustCompile(`(?is)<script\b[^>]*>\s*[^<\s]`)
	styleTag     = regexp.MustCompile(`(?i)<style\b`)
	styleAttr    = regexp.MustCompile(`(?i)\sstyle\s*=`)
	onAttr       = regexp.MustCompile(`(?i)<[^>]+\son[a-z]+\s*=`)
	jsURL        = regexp.MustCompile(`(?i)(href|src|action)\s*=\s*["']?\s*javascript:`)
	scriptTag    = regexp.MustCompile(`(?is)<script\b([^>]*)>`)
)

// assertNoInlineCode fails when a page carries code the CSP would block.
func assertNoInlineCode(t *testing.T, html string) {
	t.Helper()
	require.NotRegexp(t, inlineScript, html, "inline script")
	for _, m := range scriptTag.FindAllStringSubmatch(html, -1) {
		require.Contains(t, m[1], `src="/static/`, "script without a same-origin src: %s", m[0])
	}
	require.NotRegexp(t, styleTag, html, "<style> element")
	require.NotRegexp(t, styleAttr, html, "style attribute")
	require.NotRegexp(t, onAttr, html, "on* event attribute")
	require.NotRegexp(t, jsURL, html, "javascript: URL")
}

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

func errRequired(field string) error {
	return valid.Errorf(field, "required", "%s is required", strings.ToUpper(field[:1])+field[1:])
}
