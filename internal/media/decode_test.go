package media_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"runtime"
	"testing"

	"github.com/relais/relais/internal/media"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// gifBomb is a small GIF whose logical screen and every one of its frames
// claim w×h pixels; each frame's pixel data is an empty LZW stream.
func gifBomb(w, h uint16, frames int) []byte {
	le := binary.LittleEndian
	b := []byte("GIF89a")
	b = le.AppendUint16(b, w)
	b = le.AppendUint16(b, h)
	b = append(b, 0x80, 0, 0)             // a global colour table of 2 entries
	b = append(b, 0, 0, 0, 255, 255, 255) // black, white
	b = append(b, 0x21, 0xFF, 11)         // an application extension (the loop count)
	b = append(b, "NETSCAPE2.0"...)
	b = append(b, 3, 1, 0, 0, 0)
	for range frames {
		b = append(b, 0x21, 0xF9, 4, 0, 10, 0, 0, 0) // graphic control: 10/100 s
		b = append(b, 0x2C, 0, 0, 0, 0)
		b = le.AppendUint16(b, w)
		b = le.AppendUint16(b, h)
		b = append(b, 0x81) // a local colour table of 4 entries
		b = append(b, make([]byte, 12)...)
		b = append(b, 2, 2, 0x4C, 0x01, 0) // LZW: clear, end
	}
	return append(b, 0x3B)
}

// pngHeader is a valid PNG of 1×1 grey pixel whose header then claims
// w×h pixels of the given bit depth, colour type and interlace method.
func pngHeader(t testing.TB, w, h uint32, depth, colorType, interlace byte) []byte {
	b := pngBytes(t, image.NewGray(image.Rect(0, 0, 1, 1)))
	// IHDR data starts at 16 (signature 8, length 4, type 4); its CRC follows 13 bytes of data.
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	b[24], b[25], b[28] = depth, colorType, interlace
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// progressiveJPEG is a small baseline JPEG relabelled as progressive (SOF2)
// with a frame header claiming w×h pixels.
func progressiveJPEG(t testing.TB, w, h uint16) []byte {
	b := jpegBytes(t, noisy(16, 16, 5), 90)
	i := bytes.Index(b, []byte{0xFF, 0xC0})
	require.Positive(t, i)
	b[i+1] = 0xC2
	// marker 2, length 2, precision 1, then height and width.
	binary.BigEndian.PutUint16(b[i+5:], h)
	binary.BigEndian.PutUint16(b[i+7:], w)
	return b
}

// TestDecompressionBombsAreRefusedFromTheHeader proves each bomb is refused
// by the header check: the error is ErrImageTooLarge, and the upload
// allocates a few hundred kilobytes where decoding would take hundreds of
// megabytes (not parallel, so the allocation count is the upload's own).
func TestDecompressionBombsAreRefusedFromTheHeader(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name    string
		data    []byte
		message string
	}{
		{"gif: 24 frames of 10000×10000", gifBomb(10000, 10000, 24), "at most 50 megapixels"},
		{"gif: 24 frames of 5000×5000", gifBomb(5000, 5000, 24), "at most 250 megapixels across all frames"},
		{"png: 16-bit 10000×10000", pngHeader(t, 10000, 10000, 16, 6, 0), "at most 50 megapixels"},
		{"png: 16-bit RGBA 6000×6000", pngHeader(t, 6000, 6000, 16, 6, 0), "at most 256 MB"},
		{"png: interlaced RGBA 7000×7000", pngHeader(t, 7000, 7000, 8, 6, 1), "at most 256 MB"},
		{"jpeg: progressive 7000×7000", progressiveJPEG(t, 7000, 7000), "at most 256 MB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Less(t, len(tc.data), 2000)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := e.lib.Upload(ctx, e.ws, e.user, "bomb", bytes.NewReader(tc.data), 0)
			runtime.ReadMemStats(&after)
			require.ErrorIs(t, err, media.ErrImageTooLarge)
			ve := requireInvalid(t, err, "file", "invalid")
			require.Contains(t, ve.Message, tc.message)
			require.Equal(t, ve.Message, err.Error(), "no internal prefix")
			require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(4<<20), "the refusal allocated like a decode")
		})
	}
}

// TestDecodeLimitsLetOrdinaryImagesThrough uploads images under every limit
// with the layouts the checks read: an animated GIF (extensions, colour
// tables), a 16-bit PNG, a JPEG.
func TestDecodeLimitsLetOrdinaryImagesThrough(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rgba64 := image.NewRGBA64(image.Rect(0, 0, 40, 30))
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"animated gif", animatedGIF(t, 40, 30)},
		{"16-bit png", pngBytes(t, rgba64)},
		{"jpeg", jpegBytes(t, noisy(40, 30, 6), 90)},
	} {
		m, err := e.lib.Upload(ctx, e.ws, e.user, tc.name, bytes.NewReader(tc.data), 0)
		require.NoError(t, err, tc.name)
		require.Equal(t, 40, m.Width, tc.name)
	}
}

// TestRenditionOfAnOversizedStoredItemIsRefused: an item stored before the
// limits were lowered (here a header claiming 10000×10000 16-bit pixels) is
// refused from its header when a rendition needs it decoded.
func TestRenditionOfAnOversizedStoredItemIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	data := pngHeader(t, 10000, 10000, 16, 6, 0)
	require.NoError(t, e.root.MkdirAll("1/ab", 0o700))
	require.NoError(t, e.root.WriteFile("1/ab/ab.png", data, 0o600))
	m := store.Media{WorkspaceID: e.ws, SHA256: "ab", MIME: "image/png", Kind: store.MediaImage, Bytes: 60 << 20,
		Width: 10000, Height: 10000, Path: "1/ab/ab.png", CreatedAt: e.clock}
	require.NoError(t, e.st.CreateMedia(ctx, &m))
	_, _, _, _, err := e.lib.Rendition(ctx, e.ws, m.ID, network.Limits{Name: "Bluesky", MaxImageBytes: 1_000_000})
	require.ErrorIs(t, err, media.ErrImageTooLarge)
}
