package auth_test

import (
	"strings"
	"testing"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/valid"
	"github.com/stretchr/testify/require"
)

func TestPasswordPolicy(t *testing.T) {
	t.Parallel()
	require.Greater(t, auth.CommonPasswordCount(), 10_000, "the shipped list is embedded")
	for _, tc := range []struct {
		password, code string
	}{
		{"correct horse battery", ""},
		{"Tr0ub4dor&3 staple", ""},
		{"short", "too_short"},
		{"", "too_short"},
		{strings.Repeat("x", auth.MaxPasswordLength+1), "too_long"},
		{strings.Repeat(" ", 12), "blank"},
		{"\t\t\t\t\t \n\n\n\n\n", "blank"},
		{"\u00a0\u2003\u3000\u00a0\u2003\u3000\u00a0\u2003\u3000\u00a0", "blank"},
		{"qwertyuiop", "common"},
		{"1234567890", "common"},
		{"Password123", "common"},
		{"  BASKETBALL  ", "common"},
		{"1q2w3e4r5t", "common"},
	} {
		err := auth.CheckPasswordPolicy(tc.password)
		if tc.code == "" {
			require.NoError(t, err, tc.password)
			continue
		}
		e, ok := valid.As(err)
		require.True(t, ok, "%q: %v", tc.password, err)
		require.Equal(t, "password", e.Field)
		require.Equal(t, tc.code, e.Code, "%q", tc.password)
		require.NotContains(t, e.Message, "auth:")
	}
}
