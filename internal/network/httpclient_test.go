package network

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestIsPrivateAddr(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		addr    string
		private bool
	}{
		{"8.8.8.8", false}, {"1.1.1.1", false}, {"2606:4700:4700::1111", false}, {"2a00:1450:4007:80e::200e", false},
		{"127.0.0.1", true}, {"10.1.2.3", true}, {"172.16.0.1", true}, {"192.168.1.1", true}, {"169.254.169.254", true},
		{"100.64.0.1", true}, {"0.0.0.0", true}, {"0.1.2.3", true}, {"198.18.0.1", true}, {"240.0.0.1", true},
		{"192.0.2.1", true}, {"203.0.113.9", true}, {"192.88.99.1", true},
		{"::1", true}, {"::", true}, {"fe80::1", true}, {"fc00::1", true}, {"fd12:3456::1", true}, {"ff02::1", true},
		{"::ffff:127.0.0.1", true}, {"::ffff:10.0.0.1", true}, {"::ffff:8.8.8.8", false},
		// IPv4-compatible (::/96), deprecated: refused whatever it embeds.
		{"::127.0.0.1", true}, {"::10.0.0.1", true}, {"::8.8.8.8", true},
		// NAT64: judged by the embedded IPv4 address.
		{"64:ff9b::7f00:1", true}, {"64:ff9b::a00:1", true}, {"64:ff9b::a9fe:a9fe", true}, {"64:ff9b::808:808", false},
		// Local-use NAT64 is never public.
		{"64:ff9b:1::808:808", true}, {"64:ff9b:1:ffff::1", true},
		// 6to4: judged by the embedded IPv4 address.
		{"2002:7f00:1::1", true}, {"2002:a00:1::", true}, {"2002:c0a8:101::1", true}, {"2002:a9fe:a9fe::", true}, {"2002:808:808::1", false},
		// Site-local (deprecated), Teredo, documentation.
		{"fec0::1", true}, {"feff::1", true}, {"2001:0:4136:e378:8000:63bf:3fff:fdd2", true}, {"2001:db8::1", true},
	} {
		require.Equal(t, tc.private, IsPrivateAddr(netip.MustParseAddr(tc.addr)), tc.addr)
	}
}

// TestGuardNamesTheHostNotTheAddress connects to a name that resolves to
// loopback: the error matches ErrPrivateHost and names the host as given,
// never the internal address it resolved to.
func TestGuardNamesTheHostNotTheAddress(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	t.Cleanup(srv.Close)
	deny := false
	c := NewHTTPClient(HTTPOptions{AllowPrivate: &deny})
	target := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, target, nil)
	require.NoError(t, err)
	resp, err := c.Do(req)
	if resp != nil {
		resp.Body.Close()
	}
	require.Error(t, err)
	require.True(t, errors.Is(err, ErrPrivateHost), "%v", err)
	require.Contains(t, err.Error(), "localhost")
	require.NotContains(t, err.Error(), "127.0.0.1")
	require.NotContains(t, err.Error(), "[::1]")
}
