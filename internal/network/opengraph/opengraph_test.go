package opengraph_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/opengraph"
)

func allowPrivate() *http.Client {
	yes := true
	return network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &yes})
}

func TestFetch(t *testing.T) {
	t.Parallel()
	pages := map[string]string{
		"/og": `<!doctype html><html><head>
			<title>Fallback title</title>
			<meta property="og:title" content="  The OG
			title ">
			<meta property="og:description" content="What it is about">
			<meta property="og:image" content="/img/card.png">
			<meta property="og:image" content="/img/second.png">
			<meta property="og:site_name" content="Example">
			<meta property="og:url" content="https://example.com/canonical">
			</head><body><meta property="og:title" content="in body, ignored"></body></html>`,
		"/twitter": `<html><head>
			<meta name="twitter:title" content="Tw title">
			<meta name="twitter:description" content="Tw description">
			<meta name="twitter:image" content="https://cdn.example.com/x.jpg">
			</head></html>`,
		"/plain": `<html><head><title>
			Only a   title</title><meta name="description" content="Meta description"></head><body>hi</body></html>`,
		"/dir/page": `<html><head><meta property="og:image" content="pic.jpg"><meta property="og:image:secure_url" content="javascript:alert(1)"></head></html>`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/redirect":
			http.Redirect(w, r, "/plain", http.StatusFound)
			return
		case "/json":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{}`))
			return
		}
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)

	tests := []struct {
		path    string
		want    opengraph.Card
		wantErr string
	}{
		{path: "/og", want: opengraph.Card{URL: "https://example.com/canonical", Title: "The OG title", Description: "What it is about", ImageURL: srv.URL + "/img/card.png", SiteName: "Example"}},
		{path: "/twitter", want: opengraph.Card{URL: srv.URL + "/twitter", Title: "Tw title", Description: "Tw description", ImageURL: "https://cdn.example.com/x.jpg"}},
		{path: "/plain", want: opengraph.Card{URL: srv.URL + "/plain", Title: "Only a title", Description: "Meta description"}},
		{path: "/redirect", want: opengraph.Card{URL: srv.URL + "/plain", Title: "Only a title", Description: "Meta description"}},
		// A javascript: image is dropped and the next candidate, made absolute, is used.
		{path: "/dir/page", want: opengraph.Card{URL: srv.URL + "/dir/page", ImageURL: srv.URL + "/dir/pic.jpg"}},
		{path: "/json", wantErr: "not an HTML page"},
		{path: "/missing", wantErr: "HTTP 404"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			card, err := opengraph.Fetch(context.Background(), allowPrivate(), srv.URL+tc.path)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, card)
		})
	}
}

func TestFetchReadsAtMostOneMegabyte(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<html><head><meta property="og:title" content="early">`))
		_, _ = w.Write([]byte("<!--" + strings.Repeat("x", opengraph.MaxHTMLBytes) + "-->"))
		_, _ = w.Write([]byte(`<meta property="og:description" content="too late"></head></html>`))
	}))
	t.Cleanup(srv.Close)
	card, err := opengraph.Fetch(context.Background(), allowPrivate(), srv.URL)
	require.NoError(t, err)
	require.Equal(t, "early", card.Title)
	require.Empty(t, card.Description)
}

func TestFetchRefusesPrivateHostsThroughTheGuardedClient(t *testing.T) {
	t.Parallel()
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++ }))
	t.Cleanup(srv.Close)
	no := false
	_, err := opengraph.Fetch(context.Background(), network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &no}), srv.URL)
	require.ErrorIs(t, err, network.ErrPrivateHost)
	require.Zero(t, hits)
}

func TestFetchRejectsNonHTTPURLs(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"file:///etc/passwd", "ftp://example.com/", "not a url", "https://"} {
		_, err := opengraph.Fetch(context.Background(), allowPrivate(), u)
		require.ErrorContains(t, err, "not an http(s) URL", u)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`<html><head><title>t</title><meta property="og:image" content="/a.png"></head></html>`,
		`<meta name=twitter:image content="//cdn.example/x.jpg"><title>`,
		`<title><title>nested</title></title><body><meta property="og:title" content="x">`,
		"<meta property=\"og:url\" content=\"javascript:alert(1)\">\x00",
	} {
		f.Add(s)
	}
	base, _ := url.Parse("https://example.com/dir/page")
	f.Fuzz(func(t *testing.T, page string) {
		card, err := opengraph.Parse(strings.NewReader(page), base)
		if err != nil {
			return
		}
		for _, u := range []string{card.URL, card.ImageURL} {
			if u == "" {
				continue
			}
			p, err := url.Parse(u)
			if err != nil || (p.Scheme != "http" && p.Scheme != "https") {
				t.Fatalf("non-http URL %q from %q", u, page)
			}
		}
	})
}
