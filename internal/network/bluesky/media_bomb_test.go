package bluesky

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/png"
	"testing"

	"github.com/relais/relais/internal/network"
	"github.com/stretchr/testify/require"
)

// TestFitImageRefusesADecompressionBomb shrinks a link-card thumbnail only
// after its header passed the media library's decode limits: a PNG of a few
// kilobytes claiming 20000×20000 pixels is refused as invalid content.
func TestFitImageRefusesADecompressionBomb(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1))))
	data := append(b.Bytes(), make([]byte, 4096)...) // over the limit below, so fitImage must shrink it
	binary.BigEndian.PutUint32(data[16:], 20000)
	binary.BigEndian.PutUint32(data[20:], 20000)
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))

	_, _, err := fitImage(data, "image/png", 1000)
	var ne *network.Error
	require.True(t, errors.As(err, &ne), "%v", err)
	require.Equal(t, network.InvalidContent, ne.Class)
	require.Contains(t, ne.Message, "at most 50 megapixels")
	require.NotContains(t, ne.Message, "media:")
}
