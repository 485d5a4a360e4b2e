package media

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDecodingWaitsForASlot fills every decoding slot: a clean then waits,
// and gives up with its context; once a slot frees up it runs. Not
// parallel: the slots are shared by the process.
func TestDecodingWaitsForASlot(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4))))
	var releases []func()
	for range cap(decodeSlots) {
		release, err := acquireDecode(context.Background())
		require.NoError(t, err)
		releases = append(releases, release)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := cleanImage(cancelled, bytes.NewReader(b.Bytes()), "image/png")
	require.ErrorIs(t, err, context.Canceled)

	releases[0]()
	c, err := cleanImage(context.Background(), bytes.NewReader(b.Bytes()), "image/png")
	require.NoError(t, err)
	require.Equal(t, 4, c.width)
	for _, release := range releases[1:] {
		release()
	}
	require.Zero(t, len(decodeSlots))
}
