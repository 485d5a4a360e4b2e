package web

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/relais/relais/internal/network"
	_ "github.com/relais/relais/internal/network/bluesky"
	_ "github.com/relais/relais/internal/network/mastodon"
	_ "github.com/relais/relais/internal/network/telegram"
	"github.com/relais/relais/internal/store/sqlite"
	"github.com/stretchr/testify/require"
)

// TestConnectWithUnreachableServer: "Connect with Mastodon/Bluesky" towards a
// server that cannot be reached shows the reason in the form, on the field
// that named the server, in the user's language; it used to answer a bare
// plain-text 500.
func TestConnectWithUnreachableServer(t *testing.T) {
	t.Parallel()
	b := setup(t)
	allow := true
	b.chans.Env.HTTP = network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := ln.Addr().String()
	require.NoError(t, ln.Close())
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	b.workspace(t, u, "Brand", "brand")

	for _, tc := range []struct {
		name, lang, query, field, message string
	}{
		{"mastodon refused, French", "fr", "/channels/connect/mastodon/start?workspace=brand&instance=" + url.QueryEscape("http://"+closed),
			"oauth-mastodon-instance", "127.0.0.1 a refusé la connexion"},
		{"mastodon refused, German", "de", "/channels/connect/mastodon/start?workspace=brand&instance=" + url.QueryEscape("http://"+closed),
			"oauth-mastodon-instance", "127.0.0.1 hat die Verbindung abgelehnt"},
		{"mastodon refused, English", "en", "/channels/connect/mastodon/start?workspace=brand&instance=" + url.QueryEscape("http://"+closed),
			"oauth-mastodon-instance", "127.0.0.1 refused the connection"},
		{"mastodon bad address", "fr", "/channels/connect/mastodon/start?workspace=brand&instance=" + url.QueryEscape("ftp://x"),
			"oauth-mastodon-instance", "L&#39;instance n&#39;est pas une adresse de serveur"},
		{"bluesky self-hosted PDS refused", "de", "/channels/connect/bluesky/start?workspace=brand&handle=alice.test&pds_url=" + url.QueryEscape("http://"+closed),
			"oauth-bluesky-pds_url", "127.0.0.1 hat die Verbindung abgelehnt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			br.lang = tc.lang
			res := br.get(tc.query)
			require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, res.Body)
			require.Contains(t, res.Header.Get("Content-Type"), "text/html")
			require.Contains(t, res.Body, tc.message)
			require.Contains(t, fieldBlock(res.Body, tc.field), `<p class="field-error" role="alert">`+tc.message)
			require.NotRegexp(t, `(mastodon|bluesky|network): |dial tcp|retryable|permanent`, res.Body)
		})
	}
}

// fieldBlock is the part of a page from the input with id to the next form field.
func fieldBlock(body, id string) string {
	_, rest, ok := strings.Cut(body, `id="`+id+`"`)
	if !ok {
		return ""
	}
	block, _, _ := strings.Cut(rest, `<div class="field">`)
	return block
}

// TestConnectFormInputTypes: the webhook URL is a URL field (not a password
// field), Telegram's text format is a select of the formats the connector
// supports, and labels, hints and options are translated.
func TestConnectFormInputTypes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	b.workspace(t, u, "Brand", "brand")
	res := br.get("/workspaces/brand/channels")
	for _, tc := range []struct{ id, want string }{
		{"form-webhook-url", `<input id="form-webhook-url" name="url" type="url" autocomplete="off" required>`},
		{"form-webhook-secret", `<input id="form-webhook-secret" name="secret" type="password" autocomplete="off">`},
		{"form-website-site_url", `<input id="form-website-site_url" name="site_url" type="url" value="">`},
		{"form-bluesky-pds_url", `<input id="form-bluesky-pds_url" name="pds_url" type="url" value="">`},
		{"form-telegram-api_url", `<input id="form-telegram-api_url" name="api_url" type="url" value="">`},
		{"form-telegram-format", `<select id="form-telegram-format" name="format">`},
	} {
		require.Contains(t, res.Body, tc.want, tc.id)
	}
	sel := fieldBlock(res.Body, "form-telegram-format")
	require.Contains(t, sel, `<option value="plain">Plain text</option>`)
	require.Contains(t, sel, `<option value="markdown">Markdown</option>`)

	br.lang = "de"
	res = br.get("/workspaces/brand/channels")
	require.Contains(t, fieldBlock(res.Body, "form-telegram-format"), `<option value="plain">Reiner Text</option>`)
	require.Contains(t, fieldBlock(res.Body, "form-webhook-url"), "Die https://-Adresse, an die relais")

	// A format the connector does not support is refused on the field.
	res = br.post("/workspaces/brand/channels/telegram/connect", form("bot_token", "123456:"+strings.Repeat("a", 35), "chat", "@brandnews", "format", "html"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, fieldBlock(res.Body, "form-telegram-format"), `class="field-error"`)
}

// TestServerErrorIsATranslatedPage: an unexpected failure (here the database
// lost its channels table) answers the error page in the user's language,
// not a bare plain-text 500, and shows none of the error's details.
func TestServerErrorIsATranslatedPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	u := br.signIn("owner@example.com")
	b.workspace(t, u, "Brand", "brand")
	_, err := b.st.(*sqlite.Store).W.Exec(`ALTER TABLE channels RENAME TO channels_gone`)
	require.NoError(t, err)
	for lang, want := range map[string]string{"fr": "Un problème est survenu sur le serveur", "de": "Auf dem Server ist ein Fehler aufgetreten", "en": "Something went wrong on the server"} {
		br.lang = lang
		res := br.get("/workspaces/brand/channels")
		require.Equal(t, http.StatusInternalServerError, res.StatusCode)
		require.Contains(t, res.Header.Get("Content-Type"), "text/html")
		require.Contains(t, res.Body, want)
		require.NotContains(t, res.Body, "no such table")
		require.NotContains(t, res.Body, "Internal error; the details")
	}
}
