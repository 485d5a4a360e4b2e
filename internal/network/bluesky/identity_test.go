package bluesky

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func didDoc(did, pds string) string {
	return fmt.Sprintf(`{"@context":["https://www.w3.org/ns/did/v1"],"id":%q,"alsoKnownAs":["at://alice.example"],
		"service":[{"id":"#atproto_pds","type":"AtprotoPersonalDataServer","serviceEndpoint":%q}]}`, did, pds)
}

func TestResolvePDS(t *testing.T) {
	t.Parallel()
	plc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/did:plc:good":
			_, _ = w.Write([]byte(didDoc("did:plc:good", "https://pds.example.com/")))
		case "/did:plc:liar":
			_, _ = w.Write([]byte(didDoc("did:plc:other", "https://pds.example.com")))
		case "/did:plc:nopds":
			_, _ = w.Write([]byte(`{"id":"did:plc:nopds","service":[]}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(plc.Close)
	web := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.Equal(t, "/.well-known/did.json", r.URL.Path)
		_, _ = w.Write([]byte(didDoc("did:web:"+strings.ReplaceAll(r.Host, ":", "%3A"), "https://self.example")))
	}))
	t.Cleanup(web.Close)
	webHost := strings.TrimPrefix(web.URL, "https://")
	webDID := "did:web:" + strings.ReplaceAll(webHost, ":", "%3A")

	r := resolver{http: web.Client(), plc: plc.URL}
	tests := []struct {
		did, want, wantErr string
	}{
		{did: "did:plc:good", want: "https://pds.example.com"},
		{did: webDID, want: "https://self.example"},
		{did: "did:plc:liar", wantErr: "names"},
		{did: "did:plc:nopds", wantErr: "no #atproto_pds"},
		{did: "did:plc:missing", wantErr: "could not be read"},
		{did: "did:web:example.com:user:alice", wantErr: "unsupported did:web"},
		{did: "did:key:z6Mk", wantErr: "unsupported DID method"},
	}
	for _, tc := range tests {
		t.Run(tc.did, func(t *testing.T) {
			t.Parallel()
			got, err := r.resolvePDS(context.Background(), tc.did)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestResolveHandle(t *testing.T) {
	t.Parallel()
	wellKnown := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.Equal(t, "/.well-known/atproto-did", r.URL.Path)
		_, _ = w.Write([]byte("did:plc:fromhttps\n"))
	}))
	t.Cleanup(wellKnown.Close)
	service := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.Equal(t, "/xrpc/com.atproto.identity.resolveHandle", r.URL.Path)
		if r.URL.Query().Get("handle") == "known.test" {
			_, _ = w.Write([]byte(`{"did":"did:plc:fromservice"}`))
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"InvalidRequest","message":"Unable to resolve handle"}`))
	}))
	t.Cleanup(service.Close)
	txt := func(_ context.Context, name string) ([]string, error) {
		if name == "_atproto.dns.example" {
			return []string{"v=spf1", "did=did:plc:fromdns"}, nil
		}
		return nil, errors.New("no such host")
	}
	// The well-known lookup goes to https://<handle>; the test's TLS server
	// stands in for the handle's host.
	wkHost := strings.TrimPrefix(wellKnown.URL, "https://")
	dnsAndHTTPS := resolver{http: wellKnown.Client(), lookupTXT: txt}
	viaService := resolver{http: http.DefaultClient, handleService: service.URL, lookupTXT: func(context.Context, string) ([]string, error) {
		t.Error("DNS must not be asked when a resolver service is configured")
		return nil, errors.New("unexpected")
	}}
	tests := []struct {
		name    string
		r       resolver
		handle  string
		want    string
		wantErr bool
	}{
		{"dns txt", dnsAndHTTPS, "dns.example", "did:plc:fromdns", false},
		{"https well-known", dnsAndHTTPS, wkHost, "did:plc:fromhttps", false},
		{"a DID is its own answer", dnsAndHTTPS, "did:plc:abc", "did:plc:abc", false},
		{"service", viaService, "known.test", "did:plc:fromservice", false},
		{"service does not know it", viaService, "unknown.test", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := tc.r.resolveHandle(context.Background(), tc.handle)
			if tc.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
	require.Equal(t, "alice.bsky.social", normalizeHandle(" @Alice.Bsky.Social "))
	require.Equal(t, "did:plc:AbC", normalizeHandle("did:plc:AbC"))
}
