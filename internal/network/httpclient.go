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
	dial := dialer.DialContext
	if !allow {
		dialer.Control = guardControl
		dial = guardedDial(dialer)
	}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           dial,
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
		return errors.New("network: unexpected dial address")
	}
	if IsPrivateAddr(ip) {
		return ErrPrivateHost
	}
	return nil
}

// guardedDial dials through the guard and, when it refuses, answers an error
// naming the host as the caller gave it and never the address it resolved
// to: a net.OpError would print "dial tcp 10.0.0.5:80", telling whoever
// submitted the URL what an internal name resolves to.
func guardedDial(d *net.Dialer) func(ctx context.Context, network, address string) (net.Conn, error) {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		c, err := d.DialContext(ctx, network, address)
		if err != nil && errors.Is(err, ErrPrivateHost) {
			host, _, _ := net.SplitHostPort(address)
			return nil, &PrivateHostError{Host: host}
		}
		return c, err
	}
}

// PrivateHostError is a refused connection to a host that is or resolves to
// a non-public address; it matches ErrPrivateHost and names only the host.
type PrivateHostError struct{ Host string }

func (e *PrivateHostError) Error() string {
	return fmt.Sprintf("network: %s is a private, loopback or otherwise non-public address and RELAIS_ALLOW_PRIVATE_HOSTS is not set", e.Host)
}

// Is makes errors.Is(err, ErrPrivateHost) hold.
func (e *PrivateHostError) Is(target error) bool { return target == ErrPrivateHost }

// IsPrivateAddr reports whether ip is loopback, private, link-local, unspecified,
// multicast, CGNAT or otherwise not a public unicast address. IPv6 forms that
// carry an IPv4 address (IPv4-mapped, NAT64 64:ff9b::/96, 6to4 2002::/16)
// are judged by the IPv4 address they lead to.
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
	if v4, ok := embeddedIPv4(ip); ok {
		return IsPrivateAddr(v4)
	}
	return false
}

var (
	nat64Prefix = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour   = netip.MustParsePrefix("2002::/16")
)

// embeddedIPv4 returns the IPv4 address that a NAT64 (64:ff9b::a.b.c.d) or
// 6to4 (2002:aabb:ccdd::) address reaches.
func embeddedIPv4(ip netip.Addr) (netip.Addr, bool) {
	b := ip.As16()
	switch {
	case !ip.Is6():
		return netip.Addr{}, false
	case nat64Prefix.Contains(ip):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFour.Contains(ip):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}

var blockedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),     // "this network": 0.x.x.x reaches the local host on Linux
	netip.MustParsePrefix("100.64.0.0/10"), // CGNAT
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"), // documentation (TEST-NET-1, -2, -3)
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("192.88.99.0/24"), // 6to4 relay anycast (deprecated)
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("::/96"),          // IPv4-compatible (deprecated): ::a.b.c.d
	netip.MustParsePrefix("64:ff9b:1::/48"), // local-use NAT64
	netip.MustParsePrefix("2001::/32"),      // Teredo: tunnels to an obfuscated IPv4
	netip.MustParsePrefix("2001:db8::/32"),  // documentation
	netip.MustParsePrefix("fec0::/10"),      // site-local (deprecated, still routed on some LANs)
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
