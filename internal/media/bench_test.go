package media_test

import (
	"bytes"
	"encoding/binary"
	"image"
	"testing"

	"github.com/relais/relais/internal/network"
)

// photoLike is w×h of smooth gradients with light noise: closer to a photo's
// compressibility than pure noise.
func photoLike(w, h int) *image.NRGBA {
	img := noisy(w, h, 11)
	for y := range h {
		for x := range w {
			i := img.PixOffset(x, y)
			img.Pix[i] = uint8(x*255/w) + img.Pix[i]>>4
			img.Pix[i+1] = uint8(y*255/h) + img.Pix[i+1]>>4
			img.Pix[i+2] = uint8((x+y)*255/(w+h)) + img.Pix[i+2]>>4
		}
	}
	return img
}

// BenchmarkUpload12MP measures storing a 12-megapixel camera JPEG (EXIF
// orientation applied, re-encoded) and making its Bluesky rendition.
func BenchmarkUpload12MP(b *testing.B) {
	e := newEnv(b)
	src := withEXIF(jpegBytes(b, photoLike(4000, 3000), 90), 6)
	b.ResetTimer()
	for i := range b.N {
		// Bytes after the end-of-image marker change the hash, not the picture.
		data := binary.BigEndian.AppendUint64(append([]byte{}, src...), uint64(i))
		m, err := e.lib.Upload(ctx, e.ws, e.user, "camera.jpg", bytes.NewReader(data), 0)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, _, _, err := e.lib.Rendition(ctx, e.ws, m.ID, network.DefaultLimits[network.Bluesky]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(src))/1e6, "MB-in")
}

// BenchmarkRefuseBomb measures refusing the hardening issue's GIF bomb (24
// frames of 10000×10000, which took RSS to 2.4 GB before) and a 16-bit PNG
// bomb from their headers.
func BenchmarkRefuseBomb(b *testing.B) {
	e := newEnv(b)
	for _, bc := range []struct {
		name string
		data []byte
	}{
		{"gif-24x10000x10000", gifBomb(10000, 10000, 24)},
		{"gif-24x5000x5000", gifBomb(5000, 5000, 24)},
		{"png16-6000x6000", pngHeader(b, 6000, 6000, 16, 6, 0)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := e.lib.Upload(ctx, e.ws, e.user, "bomb", bytes.NewReader(bc.data), 0); err == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}
