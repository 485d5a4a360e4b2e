package network

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strconv"
	"syscall"
	"time"
)

// UserAgent is sent with every request relais makes to a network.
const UserAgent = "relais/1 (+https://github.com/relais/relais)"

// MaxResponseBytes bounds how much of a response body connectors read.
const MaxResponseBytes = 16 << 20

// ErrPrivateHost is returned when a user-supplied host resolves to a private,
// loopback or link-local address and private hosts are not allowed.
var ErrPrivateHost = errors.New("network: address is private or loopback and RELAIS_ALLOW_PRIVATE_HOSTS is not set")

// HTTPOptions configures NewHTTPClient.
type HTTPOptions struct {
	// Timeout bounds a whole request (default 30 s).
	Timeout time.Duration
	// AllowPrivate lets requests reach private and loopback addresses
	// (default: the RELAIS_ALLOW_PRIVATE_HOSTS environment variable).
	AllowPrivate *bool
}

// AllowPrivateHosts reports whether RELAIS_ALLOW_PRIVATE_HOSTS allows private addresses.
func AllowPrivateHosts() bool {
	v, _ := strconv.ParseBool(os.Getenv("RELAIS_ALLOW_PRIVATE_HOSTS"))
	return v
}

// NewHTTPClient returns the one HTTP client connectors use: timeouts, a
// User-Agent, and a dial guard that refuses private and loopback addresses
// (checked on the resolved IP at connect time, so DNS rebinding cannot slip past).
func NewHTTPClient(o HTTPOptions) *http.Client {
	allow := AllowPrivateHosts()
	if o.AllowPrivate != nil {
		allow = *o.AllowPrivate
	}
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !allow {
		dialer.Control = guardControl
	}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          200,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: o.Timeout,
	}
	return &http.Client{
		Timeout:   o.Timeout,
		Transport: userAgentTransport{tr},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("network: too many redirects")
			}
			return nil
		},
	}
}

type userAgentTransport struct{ base http.RoundTripper }

func (t userAgentTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Header.Get("User-Agent") == "" {
		r = r.Clone(r.Context())
		r.Header.Set("User-Agent", UserAgent)
	}
	return t.base.RoundTrip(r)
}

func guardControl(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("network: unexpected dial address %q", address)
	}
	if IsPrivateAddr(ip) {
		return fmt.Errorf("%w: %s", ErrPrivateHost, ip)
	}
	return nil
}

// IsPrivateAddr reports whether ip is loopback, private, link-local, unspecified,
// multicast, CGNAT or otherwise not a public unicast address.
func IsPrivateAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() {
		return true
	}
	for _, p := range blockedPrefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

var blockedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"), // CGNAT
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("2001:db8::/32"),
}

// ReadBody reads at most MaxResponseBytes of a response body and closes it.
func ReadBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxResponseBytes {
		return nil, fmt.Errorf("network: response larger than %d bytes", MaxResponseBytes)
	}
	return b, nil
}

// TransportError wraps a failure before any response arrived (a timeout, a
// refused or dropped connection). Whether the request took effect is unknown
// once it may have been sent, so the class is Unknown unless the dial failed.
func TransportError(k Kind, err error) *Error {
	cls := Unknown
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		cls = Retryable
	}
	if errors.Is(err, ErrPrivateHost) {
		cls = Permanent
	}
	if errors.Is(err, context.Canceled) {
		cls = Unknown
	}
	return &Error{Class: cls, Network: k, Err: err}
}
