package app

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/relais/relais/internal/config"
	"github.com/stretchr/testify/require"
)

func TestRealClient(t *testing.T) {
	t.Parallel()
	trusted, err := config.Config{TrustedProxies: "10.0.0.0/8, 192.0.2.1, fd00::/8"}.ProxyPrefixes()
	require.NoError(t, err)
	var seen string
	h := realClient(trusted, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = r.RemoteAddr }))
	for _, tc := range []struct{ remote, xff, want string }{
		{"203.0.113.9:5000", "", "203.0.113.9:5000"},
		{"203.0.113.9:5000", "198.51.100.1", "203.0.113.9:5000"},      // not a proxy: the header is ignored
		{"10.1.2.3:5000", "198.51.100.1", "198.51.100.1:0"},           // through the proxy
		{"10.1.2.3:5000", "6.6.6.6, 198.51.100.1", "198.51.100.1:0"},  // a forged left entry is skipped
		{"10.1.2.3:5000", "198.51.100.1, 10.9.9.9", "198.51.100.1:0"}, // two proxies
		{"192.0.2.1:443", "2001:db8::7", "[2001:db8::7]:0"},
		{"[fd00::1]:443", "::ffff:198.51.100.4", "198.51.100.4:0"},
		{"10.1.2.3:5000", "garbage", "10.1.2.3:5000"},
		{"10.1.2.3:5000", "", "10.1.2.3:5000"},
	} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = tc.remote
		if tc.xff != "" {
			req.Header.Set("X-Forwarded-For", tc.xff)
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
		require.Equal(t, tc.want, seen, "%s via %q", tc.remote, tc.xff)
	}
	_, err = config.Config{TrustedProxies: "10.0.0.0/8,proxy.example"}.ProxyPrefixes()
	require.ErrorContains(t, err, `"proxy.example"`)
}
