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
