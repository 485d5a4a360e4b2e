package media_test

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"testing"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
	"golang.org/x/image/webp"
)

// bitWriter writes the LSB-first bit stream of VP8L.
type bitWriter struct {
	buf   []byte
	nbits uint
}

func (w *bitWriter) write(v uint32, n uint) {
	for i := range n {
		if w.nbits%8 == 0 {
			w.buf = append(w.buf, 0)
		}
		if v>>i&1 == 1 {
			w.buf[len(w.buf)-1] |= 1 << (w.nbits % 8)
		}
		w.nbits++
	}
}

// losslessWebP builds a w×h VP8L (lossless WebP) image of one colour: every
// prefix code is a "simple code" of a single symbol, so pixels take no bits.
func losslessWebP(w, h int, r, g, b, a uint8) []byte {
	var bw bitWriter
	bw.write(0x2f, 8) // VP8L signature
	bw.write(uint32(w-1), 14)
	bw.write(uint32(h-1), 14)
	alpha := uint32(0)
	if a != 255 {
		alpha = 1
	}
	bw.write(alpha, 1)
	bw.write(0, 3) // version
	bw.write(0, 1) // no transform
	bw.write(0, 1) // no colour cache
	bw.write(0, 1) // no meta prefix codes
	for _, sym := range []uint8{g, r, b, a} {
		bw.write(1, 1) // simple code
		bw.write(0, 1) // one symbol
		bw.write(1, 1) // of 8 bits
		bw.write(uint32(sym), 8)
	}
	bw.write(1, 1) // distance code: simple, one 1-bit symbol 0
	bw.write(0, 1)
	bw.write(0, 1)
	bw.write(0, 1)
	chunk := bw.buf
	if len(chunk)%2 == 1 {
		chunk = append(chunk, 0)
	}
	var out []byte
	out = append(out, "RIFF"...)
	out = binary.LittleEndian.AppendUint32(out, uint32(4+8+len(chunk)))
	out = append(out, "WEBPVP8L"...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(bw.buf)))
	return append(out, chunk...)
}

func TestWebPBecomesJPEGOrPNG(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tc := range []struct {
		name string
		data []byte
		mime string
	}{
		{"opaque to jpeg", losslessWebP(12, 8, 200, 30, 40, 255), "image/jpeg"},
		{"transparent to png", losslessWebP(12, 8, 200, 30, 40, 128), "image/png"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The fixture is a real WebP: the reference decoder reads it.
			img, err := webp.Decode(bytes.NewReader(tc.data))
			require.NoError(t, err)
			require.Equal(t, image.Rect(0, 0, 12, 8), img.Bounds())

			m, err := e.lib.Upload(ctx, e.ws, e.user, "pic.webp", bytes.NewReader(tc.data), 0)
			require.NoError(t, err)
			require.Equal(t, store.MediaImage, m.Kind)
			require.Equal(t, tc.mime, m.MIME)
			require.Equal(t, [2]int{12, 8}, [2]int{m.Width, m.Height})
			stored, err := e.root.ReadFile(m.Path)
			require.NoError(t, err)
			got, format, err := image.Decode(bytes.NewReader(stored))
			require.NoError(t, err)
			require.Equal(t, tc.mime, "image/"+format)
			c := color.NRGBAModel.Convert(got.At(5, 5)).(color.NRGBA)
			require.InDelta(t, 200, int(c.R), 12)
			if tc.mime == "image/png" {
				require.InDelta(t, 128, int(c.A), 1)
			}
		})
	}
}
