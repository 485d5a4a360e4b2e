package secret

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSealOpenRotate(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "secret.key")
	kr, err := LoadOrCreate(path)
	require.NoError(t, err)
	st, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm())

	sealed, err := kr.Seal([]byte("access-token"), []byte("channel:1"))
	require.NoError(t, err)
	require.False(t, bytes.Contains(sealed, []byte("access-token")))

	pt, err := kr.Open(sealed, []byte("channel:1"))
	require.NoError(t, err)
	require.Equal(t, "access-token", string(pt))

	// Bound to its context: another row's aad does not open it.
	_, err = kr.Open(sealed, []byte("channel:2"))
	require.ErrorIs(t, err, ErrDecrypt)

	// Tampering is detected.
	bad := bytes.Clone(sealed)
	bad[len(bad)-1] ^= 1
	_, err = kr.Open(bad, []byte("channel:1"))
	require.ErrorIs(t, err, ErrDecrypt)

	// Rotation: old values open, new values use the new key.
	id, err := Rotate(path)
	require.NoError(t, err)
	kr2, err := LoadOrCreate(path)
	require.NoError(t, err)
	require.True(t, kr2.NeedsReseal(sealed))
	pt, err = kr2.Open(sealed, []byte("channel:1"))
	require.NoError(t, err)
	require.Equal(t, "access-token", string(pt))
	s2, err := kr2.Seal([]byte("x"), nil)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(s2, []byte(id+":")))
	require.False(t, kr2.NeedsReseal(s2))
}

func TestOpenRejectsGarbage(t *testing.T) {
	t.Parallel()
	kr, err := New("k1", map[string][]byte{"k1": make([]byte, 32)})
	require.NoError(t, err)
	for _, in := range [][]byte{nil, []byte("k1:"), []byte("nope"), []byte("k9:abcdefghijklmnopqrstuvwxyz0123456789abcdefghijkl")} {
		_, err := kr.Open(in, nil)
		require.ErrorIs(t, err, ErrDecrypt, "%q", in)
	}
}

func FuzzOpen(f *testing.F) {
	kr, _ := New("k1", map[string][]byte{"k1": make([]byte, 32)})
	s, _ := kr.Seal([]byte("hello"), nil)
	f.Add(s)
	f.Add([]byte("k1:xyz"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = kr.Open(b, nil)
	})
}
