package media

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"runtime"

	"github.com/relais/relais/internal/valid"
)

// Decode limits. Every one is checked from the file's headers before a
// single pixel is decoded, so a small file that claims a huge picture (a
// "decompression bomb") is refused in microseconds and without memory.
const (
	// MaxPixels bounds the canvas of an image (width × height).
	MaxPixels = 50_000_000
	// MaxDecodeBytes bounds the memory that decoding one image takes, as
	// estimated from its header: pixels × bytes per decoded pixel (8 for a
	// 16-bit RGBA PNG, twice that when interlaced; a progressive JPEG adds
	// its coefficient buffers).
	MaxDecodeBytes int64 = 256 << 20
	// MaxGIFPixels bounds the sum of the areas of a GIF's frames: decoding
	// takes one byte per pixel of every frame, and re-encoding walks them all.
	MaxGIFPixels = 250_000_000
)

// ErrImageTooLarge marks an image refused from its header, before decoding:
// the error is also a *valid.Error naming the field "file" and the limit.
var ErrImageTooLarge = errors.New("media: image over the decode limits")

// decodeSlots bounds the images decoded at once to about the core count:
// decoding is CPU-bound, and each job may hold up to MaxDecodeBytes.
var decodeSlots = make(chan struct{}, max(1, runtime.NumCPU()))

// acquireDecode takes a decoding slot, or gives up when ctx ends.
func acquireDecode(ctx context.Context) (release func(), err error) {
	select {
	case decodeSlots <- struct{}{}:
		return func() { <-decodeSlots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// limitError is a *valid.Error (its message alone, for the user) that also
// matches ErrImageTooLarge.
type limitError struct{ ve *valid.Error }

func (e limitError) Error() string        { return e.ve.Message }
func (e limitError) Unwrap() error        { return e.ve }
func (e limitError) Is(target error) bool { return target == ErrImageTooLarge }

func tooLarge(format string, args ...any) error {
	return limitError{valid.Errorf("file", "invalid", format, args...)}
}

// CheckDecode is the header check that every upload passes, for code
// outside the library that decodes images from elsewhere (link-card
// thumbnails): it returns an error wrapping ErrImageTooLarge when decoding
// r would go over the limits, and rewinds r.
func CheckDecode(r io.ReadSeeker) error { return checkDecode(r) }

// checkDecode reads the header of a JPEG, PNG, WebP or GIF image and refuses
// it when decoding it would go over MaxPixels or MaxDecodeBytes; r is
// rewound afterwards. Nothing is decoded.
func checkDecode(r io.ReadSeeker) error {
	cfg, format, err := image.DecodeConfig(r)
	if err != nil {
		return invalidFile("The file is not a readable image (%v)", err)
	}
	if err := rewind(r); err != nil {
		return err
	}
	pixels := int64(cfg.Width) * int64(cfg.Height)
	if cfg.Width <= 0 || cfg.Height <= 0 || pixels > MaxPixels {
		return tooLarge("The image is %d×%d pixels; at most %d megapixels are allowed", cfg.Width, cfg.Height, MaxPixels/1_000_000)
	}
	var need int64
	switch format {
	case "gif":
		frames, area, err := scanGIF(r)
		if err != nil {
			return invalidFile("The GIF could not be read (%v)", err)
		}
		if area > MaxGIFPixels {
			return tooLarge("The GIF's frames add up to more than %d megapixels (%d frames on a %d×%d canvas); at most %d megapixels across all frames are allowed",
				area/1_000_000, frames, cfg.Width, cfg.Height, MaxGIFPixels/1_000_000)
		}
		return rewind(r)
	case "png":
		need = pixels * int64(bytesPerPixel(cfg.ColorModel))
		if interlaced, err := pngInterlaced(r); err == nil && interlaced {
			need *= 2 // the passes are decoded into their own images, then copied
		}
	case "jpeg":
		frac, progressive, err := jpegLayout(r)
		if err != nil {
			return invalidFile("The JPEG could not be read (%v)", err)
		}
		perPixel := frac // one byte per sample
		if progressive {
			perPixel += 4 * frac // an int32 coefficient per sample, kept until the end
		}
		need = int64(float64(pixels) * perPixel)
	default:
		need = pixels * int64(bytesPerPixel(cfg.ColorModel))
	}
	if need > MaxDecodeBytes {
		return tooLarge("Decoding this %d×%d image would take %s of memory; at most %s are allowed (save it with fewer pixels, 8 bits per channel or not interlaced/progressive)",
			cfg.Width, cfg.Height, human(need), human(MaxDecodeBytes))
	}
	return rewind(r)
}

func rewind(r io.Seeker) error {
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("media: rewind: %w", err)
	}
	return nil
}

// bytesPerPixel is the size of one pixel once decoded into Go's image type for m.
func bytesPerPixel(m color.Model) int {
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel:
		return 3
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	return 4 // RGBA, NRGBA, CMYK, NYCbCrA
}

// pngInterlaced reads the interlace method of a PNG's IHDR chunk.
func pngInterlaced(r io.ReadSeeker) (bool, error) {
	var hdr [29]byte // signature 8, length 4, type 4, IHDR data 13
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return false, err
	}
	return string(hdr[12:16]) == "IHDR" && hdr[28] == 1, rewind(r)
}

// jpegLayout walks a JPEG's segments up to its frame header and returns the
// decoded samples per pixel (the sum over components of their sampling
// share: 1.5 for the usual 4:2:0 YCbCr, 1 for grey, 4 for CMYK) and whether
// the frame is progressive.
func jpegLayout(r io.ReadSeeker) (samples float64, progressive bool, err error) {
	br := bufio.NewReader(r)
	var soi [2]byte
	if _, err := io.ReadFull(br, soi[:]); err != nil || soi != [2]byte{0xFF, 0xD8} {
		return 0, false, errors.New("no start of image")
	}
	for {
		var m [2]byte
		if _, err := io.ReadFull(br, m[:]); err != nil {
			return 0, false, err
		}
		for m[1] == 0xFF { // fill bytes
			if m[1], err = br.ReadByte(); err != nil {
				return 0, false, err
			}
		}
		if m[0] != 0xFF {
			return 0, false, errors.New("bad marker")
		}
		if m[1] == 0x01 || (m[1] >= 0xD0 && m[1] <= 0xD7) { // markers without a length
			continue
		}
		var l [2]byte
		if _, err := io.ReadFull(br, l[:]); err != nil {
			return 0, false, err
		}
		n := int(binary.BigEndian.Uint16(l[:])) - 2
		if n < 0 {
			return 0, false, errors.New("bad segment length")
		}
		// SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
		if m[1] >= 0xC0 && m[1] <= 0xCF && m[1] != 0xC4 && m[1] != 0xC8 && m[1] != 0xCC {
			sof := make([]byte, n)
			if _, err := io.ReadFull(br, sof); err != nil {
				return 0, false, err
			}
			if len(sof) < 6 || len(sof) < 6+3*int(sof[5]) || sof[5] == 0 {
				return 0, false, errors.New("bad frame header")
			}
			comps := int(sof[5])
			var hmax, vmax int
			for i := range comps {
				f := sof[6+3*i+1]
				hmax, vmax = max(hmax, int(f>>4)), max(vmax, int(f&15))
			}
			if hmax == 0 || vmax == 0 {
				return 0, false, errors.New("bad sampling factors")
			}
			for i := range comps {
				f := sof[6+3*i+1]
				samples += float64(int(f>>4)*int(f&15)) / float64(hmax*vmax)
			}
			return samples, m[1] == 0xC2 || m[1] == 0xC6 || m[1] == 0xCA || m[1] == 0xCE, rewind(r)
		}
		if _, err := br.Discard(n); err != nil {
			return 0, false, err
		}
	}
}

// scanGIF walks a GIF's blocks without decoding any pixel and returns the
// number of frames and the sum of their areas: gif.DecodeAll allocates
// one byte per pixel of every frame before anything can be checked.
func scanGIF(r io.Reader) (frames int, area int64, err error) {
	br := bufio.NewReader(r)
	var hdr [13]byte // signature and version 6, logical screen descriptor 7
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return 0, 0, err
	}
	if hdr[10]&0x80 != 0 {
		if _, err := br.Discard(3 << (hdr[10]&7 + 1)); err != nil {
			return 0, 0, err
		}
	}
	skipSubBlocks := func() error {
		for {
			n, err := br.ReadByte()
			if err != nil || n == 0 {
				return err
			}
			if _, err := br.Discard(int(n)); err != nil {
				return err
			}
		}
	}
	for {
		b, err := br.ReadByte()
		if err == io.EOF {
			return frames, area, nil // a missing trailer is the decoder's business
		}
		if err != nil {
			return frames, area, err
		}
		switch b {
		case 0x21: // extension: label, then data sub-blocks
			if _, err := br.ReadByte(); err != nil {
				return frames, area, err
			}
			if err := skipSubBlocks(); err != nil {
				return frames, area, err
			}
		case 0x2C: // image descriptor: left, top, width, height, flags
			var d [9]byte
			if _, err := io.ReadFull(br, d[:]); err != nil {
				return frames, area, err
			}
			frames++
			area += int64(binary.LittleEndian.Uint16(d[4:])) * int64(binary.LittleEndian.Uint16(d[6:]))
			if area > MaxGIFPixels {
				return frames, area, nil // over the limit already: no need to read on
			}
			if d[8]&0x80 != 0 {
				if _, err := br.Discard(3 << (d[8]&7 + 1)); err != nil {
					return frames, area, err
				}
			}
			if _, err := br.ReadByte(); err != nil { // LZW minimum code size
				return frames, area, err
			}
			if err := skipSubBlocks(); err != nil {
				return frames, area, err
			}
		case 0x3B: // trailer
			return frames, area, nil
		default:
			return frames, area, fmt.Errorf("unknown block 0x%02x", b)
		}
	}
}
