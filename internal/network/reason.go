package network

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"syscall"
)

// Why a server could not be reached at all (see Unreachable).
const (
	ReachDNS     = "dns"
	ReachRefused = "refused"
	ReachTimeout = "timeout"
	ReachTLS     = "tls"
	ReachPrivate = "private"
	ReachOther   = "other"
)

// Unreachable reports why err is a failure to reach a server at all, and the
// host it tried, or "" when the server was reached (or err is not a transport
// failure). Forms use it to say "this instance cannot be reached" instead of a
// Go error chain.
func Unreachable(err error) (reason, host string) {
	if err == nil {
		return "", ""
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			host = u.Hostname()
		}
	}
	var dns *net.DNSError
	var certInvalid x509.CertificateInvalidError
	var unknownAuth x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var tlsRecord tls.RecordHeaderError
	var opErr *net.OpError
	switch {
	case errors.Is(err, ErrPrivateHost):
		reason = ReachPrivate
	case errors.As(err, &dns):
		reason = ReachDNS
		if host == "" {
			host = dns.Name
		}
	case errors.As(err, &certInvalid), errors.As(err, &unknownAuth), errors.As(err, &hostname), errors.As(err, &tlsRecord):
		reason = ReachTLS
	case errors.Is(err, syscall.ECONNREFUSED):
		reason = ReachRefused
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		reason = ReachTimeout
	case errors.As(err, &opErr):
		reason = ReachOther
	default:
		return "", ""
	}
	return reason, host
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

// unreachableText are the English explanations of Unreachable's reasons.
var unreachableText = map[string]string{
	ReachDNS:     "%s cannot be found (no server has this name)",
	ReachRefused: "%s refused the connection",
	ReachTimeout: "%s did not answer in time",
	ReachTLS:     "%s has no valid HTTPS certificate",
	ReachPrivate: "%s is a private or local address; relais only calls public addresses unless RELAIS_ALLOW_PRIVATE_HOSTS=true",
	ReachOther:   "%s cannot be reached",
}

// UnreachableText is the English sentence for one of Unreachable's reasons;
// it has one %s, the host.
func UnreachableText(reason string) string { return unreachableText[reason] }

// packagePrefix matches the "pkg: " prefixes Go errors gather as they are wrapped.
var packagePrefix = regexp.MustCompile(`^(?:[a-z][a-z0-9_]*: )+`)

// UserMessage tells err to a user: the network's own message when it gave
// one, why the server could not be reached, else the error's text without the
// package prefixes ("mastodon: ", "feed: ") that only help a developer.
func UserMessage(err error) string {
	if err == nil {
		return ""
	}
	if reason, host := Unreachable(err); reason != "" {
		if host == "" {
			host = "The server"
		}
		return fmt.Sprintf(unreachableText[reason], host)
	}
	var ne *Error
	if errors.As(err, &ne) {
		switch {
		case ne.Message != "":
			return ne.Message
		case ne.Status != 0:
			return fmt.Sprintf("the server answered HTTP %d %s", ne.Status, http.StatusText(ne.Status))
		case ne.Err != nil:
			return UserMessage(ne.Err)
		}
	}
	return packagePrefix.ReplaceAllString(err.Error(), "")
}
