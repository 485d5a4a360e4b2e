package media

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math"

	"github.com/disintegration/imaging"
	_ "golang.org/x/image/webp" // registers the WebP decoder with image.Decode
)

// MaxDimension is the longest side of a rendition, in pixels: what the
// strictest common networks accept, and more than any feed displays.
const MaxDimension = 4096

// storedQuality is the JPEG quality of the stored, cleaned original.
const storedQuality = 92

// cleaned is an image re-encoded without metadata.
type cleaned struct {
	data          []byte
	mime          string
	width, height int
}

// cleanImage decodes a JPEG, PNG or WebP image, applies its EXIF orientation,
// and re-encodes the pixels alone: EXIF (GPS, camera serials), XMP, ICC and
// comments do not survive, because the encoders write none of them.
func cleanImage(ctx context.Context, r io.ReadSeeker, mime string) (cleaned, error) {
	if err := checkDecode(r); err != nil {
		return cleaned{}, err
	}
	release, err := acquireDecode(ctx)
	if err != nil {
		return cleaned{}, err
	}
	defer release()
	img, err := imaging.Decode(r, imaging.AutoOrientation(true))
	if err != nil {
		return cleaned{}, fmt.Errorf("media: decode %s: %w", mime, err)
	}
	out := mime
	if mime == "image/webp" {
		// Go has no WebP encoder; opaque pictures become JPEG, the rest PNG.
		out = "image/png"
		if opaque(img) {
			out = "image/jpeg"
		}
	}
	data, err := encode(img, out, storedQuality)
	if err != nil {
		return cleaned{}, err
	}
	b := img.Bounds()
	return cleaned{data: data, mime: out, width: b.Dx(), height: b.Dy()}, nil
}

// cleanGIF re-encodes every frame of a GIF, keeping delays, disposal and the
// loop count but dropping comment and application blocks (XMP).
func cleanGIF(ctx context.Context, r io.ReadSeeker) (cleaned, error) {
	if err := checkDecode(r); err != nil {
		return cleaned{}, err
	}
	release, err := acquireDecode(ctx)
	if err != nil {
		return cleaned{}, err
	}
	defer release()
	g, err := gif.DecodeAll(r)
	if err != nil {
		return cleaned{}, fmt.Errorf("media: decode gif: %w", err)
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		return cleaned{}, fmt.Errorf("media: encode gif: %w", err)
	}
	return cleaned{data: buf.Bytes(), mime: "image/gif", width: g.Config.Width, height: g.Config.Height}, nil
}

func encode(img image.Image, mime string, quality int) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	switch mime {
	case "image/jpeg":
		// image/jpeg has a fast path for *image.RGBA only; any other type goes
		// through At() with an allocation per pixel. An opaque NRGBA has the
		// same bytes as an RGBA, so it is reinterpreted without copying.
		if n, ok := img.(*image.NRGBA); ok && n.Opaque() {
			img = &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}
		}
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality})
	case "image/png":
		err = (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, img)
	default:
		return nil, fmt.Errorf("media: cannot encode %s", mime)
	}
	if err != nil {
		return nil, fmt.Errorf("media: encode %s: %w", mime, err)
	}
	return buf.Bytes(), nil
}

// opaque reports whether img has no transparent pixel.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// fitImage shrinks an image until its encoding is at most maxBytes (0: no
// byte limit) and its longest side at most MaxDimension. JPEG quality steps
// down first, because it costs less detail than pixels; then the size
// shrinks by the square root of the overshoot (bytes grow with area).
func fitImage(img image.Image, maxBytes int64) (data []byte, mime string, w, h int, err error) {
	mime = "image/png"
	if opaque(img) {
		mime = "image/jpeg"
	}
	b := img.Bounds()
	if max(b.Dx(), b.Dy()) > MaxDimension {
		img = imaging.Fit(img, MaxDimension, MaxDimension, imaging.Lanczos)
	}
	qualities := []int{90}
	if mime == "image/jpeg" {
		qualities = []int{90, 82, 72}
	}
	for range 12 {
		for _, q := range qualities {
			data, err = encode(img, mime, q)
			if err != nil {
				return nil, "", 0, 0, err
			}
			if maxBytes <= 0 || int64(len(data)) <= maxBytes {
				b := img.Bounds()
				return data, mime, b.Dx(), b.Dy(), nil
			}
		}
		b := img.Bounds()
		scale := math.Sqrt(float64(maxBytes)/float64(len(data))) * 0.95
		scale = min(scale, 0.9)
		nw, nh := max(1, int(float64(b.Dx())*scale)), max(1, int(float64(b.Dy())*scale))
		if nw == b.Dx() && nh == b.Dy() {
			break
		}
		img = imaging.Resize(img, nw, nh, imaging.Lanczos)
	}
	return nil, "", 0, 0, fmt.Errorf("media: could not fit the image into %d bytes", maxBytes)
}
