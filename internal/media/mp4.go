package media

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// MP4Info is what relais reads from an MP4 or QuickTime file's header boxes.
type MP4Info struct {
	// Duration is the movie's duration from moov/mvhd.
	Duration time.Duration
	// Width and Height are the display size of the first video track (from
	// moov/trak/tkhd), swapped when the track matrix rotates by 90°.
	Width, Height int
}

// ErrNotMP4 is returned when the file has no readable moov box.
var ErrNotMP4 = errors.New("media: not a readable MP4/QuickTime file (no moov/mvhd box)")

// maxBoxes bounds how many boxes the parser visits, so a crafted file of
// millions of tiny boxes cannot keep it busy.
const maxBoxes = 10_000

type box struct {
	typ        string
	pos        int64 // the header
	start, end int64 // the payload, after the header
}

// boxes lists the boxes laid end to end in r between start and end.
func boxes(r io.ReaderAt, start, end int64, budget *int) ([]box, error) {
	var out []box
	var hdr [16]byte
	for pos := start; pos+8 <= end; {
		if *budget--; *budget < 0 {
			return nil, errors.New("media: mp4: too many boxes")
		}
		if _, err := r.ReadAt(hdr[:8], pos); err != nil {
			return nil, fmt.Errorf("media: mp4: box header at %d: %w", pos, err)
		}
		size := int64(binary.BigEndian.Uint32(hdr[:4]))
		typ := string(hdr[4:8])
		head := int64(8)
		switch size {
		case 0: // the box runs to the end of its container
			size = end - pos
		case 1: // a 64-bit size follows the type
			if pos+16 > end {
				return nil, fmt.Errorf("media: mp4: box %q at %d is truncated", typ, pos)
			}
			if _, err := r.ReadAt(hdr[8:16], pos+8); err != nil {
				return nil, fmt.Errorf("media: mp4: box size at %d: %w", pos, err)
			}
			u := binary.BigEndian.Uint64(hdr[8:16])
			if u > uint64(end-pos) {
				return nil, fmt.Errorf("media: mp4: box %q at %d overruns its container", typ, pos)
			}
			size, head = int64(u), 16
		}
		if size < head || size > end-pos {
			return nil, fmt.Errorf("media: mp4: box %q at %d has a bad size %d", typ, pos, size)
		}
		out = append(out, box{typ: typ, pos: pos, start: pos + head, end: pos + size})
		pos += size
	}
	return out, nil
}

func find(bs []box, typ string) (box, bool) {
	for _, b := range bs {
		if b.typ == typ {
			return b, true
		}
	}
	return box{}, false
}

// ParseMP4 reads the duration (moov/mvhd) and the video size (moov/trak/tkhd)
// of an MP4 or QuickTime file of the given size without reading its media data.
func ParseMP4(r io.ReaderAt, size int64) (MP4Info, error) {
	budget := maxBoxes
	top, err := boxes(r, 0, size, &budget)
	if err != nil {
		return MP4Info{}, err
	}
	moov, ok := find(top, "moov")
	if !ok {
		return MP4Info{}, ErrNotMP4
	}
	inner, err := boxes(r, moov.start, moov.end, &budget)
	if err != nil {
		return MP4Info{}, err
	}
	mvhd, ok := find(inner, "mvhd")
	if !ok {
		return MP4Info{}, ErrNotMP4
	}
	var info MP4Info
	if info.Duration, err = parseMVHD(r, mvhd); err != nil {
		return MP4Info{}, err
	}
	for _, t := range inner {
		if t.typ != "trak" {
			continue
		}
		kids, err := boxes(r, t.start, t.end, &budget)
		if err != nil {
			return MP4Info{}, err
		}
		tkhd, ok := find(kids, "tkhd")
		if !ok {
			continue
		}
		w, h, err := parseTKHD(r, tkhd)
		if err != nil {
			return MP4Info{}, err
		}
		if w > 0 && h > 0 { // audio tracks have no size
			info.Width, info.Height = w, h
			break
		}
	}
	return info, nil
}

func readPayload(r io.ReaderAt, b box, n int64) ([]byte, error) {
	if b.end-b.start < n {
		return nil, fmt.Errorf("media: mp4: %s box is %d bytes, want at least %d", b.typ, b.end-b.start, n)
	}
	buf := make([]byte, n)
	if _, err := r.ReadAt(buf, b.start); err != nil {
		return nil, fmt.Errorf("media: mp4: %s: %w", b.typ, err)
	}
	return buf, nil
}

func parseMVHD(r io.ReaderAt, b box) (time.Duration, error) {
	p, err := readPayload(r, b, 1)
	if err != nil {
		return 0, err
	}
	var scale, dur uint64
	switch p[0] {
	case 0: // version, flags(3), creation(4), modification(4), timescale(4), duration(4)
		if p, err = readPayload(r, b, 20); err != nil {
			return 0, err
		}
		scale, dur = uint64(binary.BigEndian.Uint32(p[12:16])), uint64(binary.BigEndian.Uint32(p[16:20]))
		if dur == 0xFFFFFFFF {
			dur = 0 // "unknown" in version 0
		}
	case 1: // version, flags(3), creation(8), modification(8), timescale(4), duration(8)
		if p, err = readPayload(r, b, 32); err != nil {
			return 0, err
		}
		scale, dur = uint64(binary.BigEndian.Uint32(p[20:24])), binary.BigEndian.Uint64(p[24:32])
		if dur == 0xFFFFFFFFFFFFFFFF {
			dur = 0
		}
	default:
		return 0, fmt.Errorf("media: mp4: mvhd version %d is unknown", p[0])
	}
	if scale == 0 {
		return 0, errors.New("media: mp4: mvhd timescale is 0")
	}
	// Whole seconds and the remainder separately, so long durations do not overflow.
	secs, rem := dur/scale, dur%scale
	if secs > uint64(100*365*24*3600) {
		return 0, fmt.Errorf("media: mp4: duration of %d s is implausible", secs)
	}
	return time.Duration(secs)*time.Second + time.Duration(rem*uint64(time.Second)/scale), nil
}

func parseTKHD(r io.ReaderAt, b box) (w, h int, err error) {
	p, err := readPayload(r, b, 1)
	if err != nil {
		return 0, 0, err
	}
	// After version and flags: times and ids (20 bytes in version 0, 32 in
	// version 1), then reserved(8), layer, group, volume, reserved (8),
	// the 3×3 matrix (36), width and height (16.16 fixed point).
	off := int64(4 + 20)
	switch p[0] {
	case 0:
	case 1:
		off = 4 + 32
	default:
		return 0, 0, fmt.Errorf("media: mp4: tkhd version %d is unknown", p[0])
	}
	off += 8 + 8
	if p, err = readPayload(r, b, off+36+8); err != nil {
		return 0, 0, err
	}
	m := p[off : off+36]
	a, bb := int32(binary.BigEndian.Uint32(m[0:4])), int32(binary.BigEndian.Uint32(m[4:8]))
	c, d := int32(binary.BigEndian.Uint32(m[12:16])), int32(binary.BigEndian.Uint32(m[16:20]))
	w = int(binary.BigEndian.Uint32(p[off+36:off+40]) >> 16)
	h = int(binary.BigEndian.Uint32(p[off+40:off+44]) >> 16)
	// A phone's portrait video is stored landscape with a 90° rotation matrix
	// (a = d = 0, b = ±c); networks check the displayed shape.
	if a == 0 && d == 0 && bb != 0 && c != 0 {
		w, h = h, w
	}
	return w, h, nil
}

// metadataBoxes hold user data: QuickTime's udta (©xyz is the GPS position
// phones record) and the ISO meta box (com.apple.quicktime.location.ISO6709).
var metadataBoxes = map[string]bool{"udta": true, "meta": true}

// StripMP4Metadata turns the metadata boxes of the movie and of each track
// (udta, meta) into "free" boxes in place. Sizes do not change, so every
// chunk offset stays valid and players skip the boxes; the GPS position and
// other user data become unreadable. It returns how many boxes it blanked.
func StripMP4Metadata(f interface {
	io.ReaderAt
	io.WriterAt
}, size int64) (int, error) {
	budget := maxBoxes
	top, err := boxes(f, 0, size, &budget)
	if err != nil {
		return 0, err
	}
	moov, ok := find(top, "moov")
	if !ok {
		return 0, ErrNotMP4
	}
	inner, err := boxes(f, moov.start, moov.end, &budget)
	if err != nil {
		return 0, err
	}
	var targets []box
	for _, b := range inner {
		switch {
		case metadataBoxes[b.typ]:
			targets = append(targets, b)
		case b.typ == "trak":
			kids, err := boxes(f, b.start, b.end, &budget)
			if err != nil {
				return 0, err
			}
			for _, k := range kids {
				if metadataBoxes[k.typ] {
					targets = append(targets, k)
				}
			}
		}
	}
	for _, b := range targets {
		// Zero the payload too: a "free" box's content is ignored, but the
		// coordinates must not stay readable in the file.
		if err := zero(f, b.start, b.end); err != nil {
			return 0, err
		}
		if _, err := f.WriteAt([]byte("free"), b.pos+4); err != nil {
			return 0, fmt.Errorf("media: mp4: blank %s: %w", b.typ, err)
		}
	}
	return len(targets), nil
}

func zero(w io.WriterAt, start, end int64) error {
	buf := make([]byte, min(end-start, 64<<10))
	for pos := start; pos < end; {
		n := min(int64(len(buf)), end-pos)
		if _, err := w.WriteAt(buf[:n], pos); err != nil {
			return fmt.Errorf("media: mp4: blank metadata: %w", err)
		}
		pos += n
	}
	return nil
}
