package fakeserver

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFaults(t *testing.T) {
	var f Faults[string]
	f.Add(Fault[string]{Route: "POST /a", Kind: "drop", Times: 2})
	f.Add(Fault[string]{Route: "GET /b", Kind: "invalid"})
	require.Equal(t, "", f.Take("GET /c"))
	require.Equal(t, "drop", f.Take("POST /a"))
	require.Equal(t, "drop", f.Take("POST /a"))
	require.Equal(t, "", f.Take("POST /a"), "used up")
	f.Clear()
	require.Equal(t, "", f.Take("GET /b"))
	require.NotEqual(t, RandomString(12), RandomString(12))
	require.Len(t, RandomString(12), 16)
}
