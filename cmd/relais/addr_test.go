package main_test

import (
	"net"
	"testing"

	"github.com/stretchr/testify/require"
)

// httptestAddr returns a free loopback address (the port is released at once;
// a race with another process is possible but harmless in tests).
func httptestAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
