package network

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestUserMessage(t *testing.T) {
	t.Parallel()
	allow := true
	_, refused := NewHTTPClient(HTTPOptions{AllowPrivate: &allow}).Get("http://" + closedPort(t) + "/api/v1/apps")
	require.Error(t, refused)
	deny := false
	_, private := NewHTTPClient(HTTPOptions{AllowPrivate: &deny}).Get("http://127.0.0.1:9/")
	require.Error(t, private)
	dns := &url.Error{Op: "Get", URL: "https://nowhere.example/x", Err: &net.OpError{Op: "dial", Net: "tcp",
		Err: &net.DNSError{Err: "no such host", Name: "nowhere.example", IsNotFound: true}}}
	timeout := &url.Error{Op: "Post", URL: "https://slow.example/oauth/token", Err: &net.OpError{Op: "read", Net: "tcp", Err: timeoutErr{}}}
	for _, tc := range []struct {
		name         string
		err          error
		reason, host string
		message      string
	}{
		{"refused", fmt.Errorf("mastodon: register app on x: %w", &Error{Class: Retryable, Network: Mastodon, Err: refused}), ReachRefused, "127.0.0.1", "127.0.0.1 refused the connection"},
		{"private", fmt.Errorf("bluesky: resolve: %w", private), ReachPrivate, "127.0.0.1", "127.0.0.1 is a private or local address"},
		{"dns", fmt.Errorf("mastodon: register app: %w", dns), ReachDNS, "nowhere.example", "nowhere.example cannot be found"},
		{"timeout", timeout, ReachTimeout, "slow.example", "slow.example did not answer in time"},
		{"deadline", fmt.Errorf("feed: %w", context.DeadlineExceeded), ReachTimeout, "", "The server did not answer in time"},
		{"network message", fmt.Errorf("channel: %w", &Error{Class: Permanent, Network: Bluesky, Status: 400, Message: "handle is required"}), "", "", "handle is required"},
		{"network status only", &Error{Class: Retryable, Network: Mastodon, Status: http.StatusBadGateway}, "", "", "the server answered HTTP 502 Bad Gateway"},
		{"package prefixes", errors.New("mastodon: compose: the instance answered without an access token"), "", "", "the instance answered without an access token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reason, host := Unreachable(tc.err)
			require.Equal(t, tc.reason, reason)
			require.Equal(t, tc.host, host)
			msg := UserMessage(tc.err)
			require.Contains(t, msg, tc.message)
			for _, p := range []string{"mastodon:", "bluesky:", "feed:", "permanent", "retryable", "dial tcp"} {
				require.NotContains(t, msg, p)
			}
		})
	}
}
