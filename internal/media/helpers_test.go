package media_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/relais/relais/internal/media"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

var ctx = context.Background()

// env is a library over a fresh SQLite store and a temporary media root, with two workspaces.
type env struct {
	lib      *media.Library
	st       store.Store
	root     *os.Root
	ws, ws2  int64
	user     int64
	clock    time.Time
	rootPath string
}

func newEnv(t testing.TB) *env {
	t.Helper()
	st := storetest.OpenSQLite(t)
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	t.Cleanup(func() { root.Close() })
	u := storetest.NewUser(t, st, "media@example.com")
	w1 := storetest.NewWorkspace(t, st, "media-one", u.ID)
	w2 := storetest.NewWorkspace(t, st, "media-two", u.ID)
	e := &env{st: st, root: root, ws: w1.ID, ws2: w2.ID, user: u.ID, clock: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC), rootPath: dir}
	e.lib = &media.Library{Store: st, Root: root, SignKey: bytes.Repeat([]byte{7}, 32), BaseURL: "https://relais.test/",
		Now: func() time.Time { return e.clock }}
	return e
}

// noisy is an image of random pixels: it compresses badly, like a detailed photo.
func noisy(w, h int, seed uint64) *image.NRGBA {
	r := rand.New(rand.NewPCG(seed, 1))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		v := r.Uint32()
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(v), uint8(v>>8), uint8(v>>16), 255
	}
	return img
}

// halves is w×h, red on the left half and blue on the right.
func halves(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{R: 255, A: 255}
			if x >= w/2 {
				c = color.NRGBA{B: 255, A: 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func jpegBytes(t testing.TB, img image.Image, q int) []byte {
	var b bytes.Buffer
	require.NoError(t, jpeg.Encode(&b, img, &jpeg.Options{Quality: q}))
	return b.Bytes()
}

func pngBytes(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

// animatedGIF has two frames.
func animatedGIF(t testing.TB, w, h int) []byte {
	g := &gif.GIF{LoopCount: 0}
	for i := range 2 {
		p := image.NewPaletted(image.Rect(0, 0, w, h), palette.Plan9)
		for j := range p.Pix {
			p.Pix[j] = uint8(j*7 + i*50)
		}
		g.Image = append(g.Image, p)
		g.Delay = append(g.Delay, 10)
	}
	var b bytes.Buffer
	require.NoError(t, gif.EncodeAll(&b, g))
	return b.Bytes()
}

// exifSegment is a JPEG APP1 segment with a big-endian TIFF structure: IFD0
// holds Orientation and a pointer to a GPS IFD with latitude N 48°51'30".
func exifSegment(orientation uint16) []byte {
	be := binary.BigEndian
	var t []byte
	t = append(t, 'M', 'M', 0, 42, 0, 0, 0, 8)
	entry := func(tag, typ uint16, count, value uint32) {
		t = be.AppendUint16(t, tag)
		t = be.AppendUint16(t, typ)
		t = be.AppendUint32(t, count)
		t = be.AppendUint32(t, value)
	}
	// IFD0 at 8: 2 entries (2 + 24 + 4 = 30 bytes), so the GPS IFD is at 38.
	t = be.AppendUint16(t, 2)
	entry(0x0112, 3, 1, uint32(orientation)<<16)
	entry(0x8825, 4, 1, 38)
	t = be.AppendUint32(t, 0)
	// GPS IFD at 38: 2 entries (30 bytes), rationals at 68.
	t = be.AppendUint16(t, 2)
	entry(0x0001, 2, 2, uint32('N')<<24)
	entry(0x0002, 5, 3, 68)
	t = be.AppendUint32(t, 0)
	for _, v := range []uint32{48, 1, 51, 1, 30, 1} {
		t = be.AppendUint32(t, v)
	}
	payload := append([]byte("Exif\x00\x00"), t...)
	seg := []byte{0xFF, 0xE1}
	seg = be.AppendUint16(seg, uint16(len(payload)+2))
	return append(seg, payload...)
}

// withEXIF inserts an EXIF segment right after a JPEG's SOI marker.
func withEXIF(jpg []byte, orientation uint16) []byte {
	out := append([]byte{}, jpg[:2]...)
	out = append(out, exifSegment(orientation)...)
	return append(out, jpg[2:]...)
}

// pixelBomb is a valid PNG whose header claims w×h pixels.
func pixelBomb(t testing.TB, w, h uint32) []byte {
	b := pngBytes(t, image.NewGray(image.Rect(0, 0, 1, 1)))
	// IHDR data starts at 16 (signature 8, length 4, type 4); its CRC follows 13 bytes of data.
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

type mp4Opts struct {
	brand         string
	version       byte
	timescale     uint32
	duration      uint64
	width, height uint32
	rotate90      bool
	largeSize     bool   // write moov with a 64-bit size
	mdatToEnd     bool   // last box with size 0
	location      string // a moov/udta/©xyz position and a trak/meta box
}

func mp4Box(typ string, payload ...[]byte) []byte {
	n := 8
	for _, p := range payload {
		n += len(p)
	}
	b := binary.BigEndian.AppendUint32(nil, uint32(n))
	b = append(b, typ...)
	for _, p := range payload {
		b = append(b, p...)
	}
	return b
}

// buildMP4 writes ftyp, moov (mvhd, an audio trak, a video trak) and mdat.
func buildMP4(o mp4Opts) []byte {
	be := binary.BigEndian
	ftyp := mp4Box("ftyp", []byte(o.brand), []byte{0, 0, 0, 0}, []byte(o.brand), []byte("mp41"))
	var mvhd []byte
	mvhd = append(mvhd, o.version, 0, 0, 0)
	if o.version == 1 {
		mvhd = be.AppendUint64(mvhd, 1)
		mvhd = be.AppendUint64(mvhd, 2)
		mvhd = be.AppendUint32(mvhd, o.timescale)
		mvhd = be.AppendUint64(mvhd, o.duration)
	} else {
		mvhd = be.AppendUint32(mvhd, 1)
		mvhd = be.AppendUint32(mvhd, 2)
		mvhd = be.AppendUint32(mvhd, o.timescale)
		mvhd = be.AppendUint32(mvhd, uint32(o.duration))
	}
	mvhd = append(mvhd, make([]byte, 80)...) // rate, volume, matrix, next track id…
	tkhd := func(w, h uint32) []byte {
		var p []byte
		p = append(p, o.version, 0, 0, 3)
		if o.version == 1 {
			p = append(p, make([]byte, 32)...)
		} else {
			p = append(p, make([]byte, 20)...)
		}
		p = append(p, make([]byte, 16)...)
		m := [9]int32{1 << 16, 0, 0, 0, 1 << 16, 0, 0, 0, 1 << 30}
		if o.rotate90 {
			m = [9]int32{0, 1 << 16, 0, -1 << 16, 0, 0, 0, 0, 1 << 30}
		}
		for _, v := range m {
			p = be.AppendUint32(p, uint32(v))
		}
		p = be.AppendUint32(p, w<<16)
		return be.AppendUint32(p, h<<16)
	}
	audio := mp4Box("trak", mp4Box("tkhd", tkhd(0, 0)))
	video := mp4Box("trak", mp4Box("tkhd", tkhd(o.width, o.height)), mp4Box("mdia", []byte("....")))
	moov := mp4Box("moov", mp4Box("mvhd", mvhd), audio, video)
	if o.location != "" {
		xyz := mp4Box("\xa9xyz", be.AppendUint16(nil, uint16(len(o.location))), []byte{0x15, 0xc7}, []byte(o.location))
		video = mp4Box("trak", mp4Box("tkhd", tkhd(o.width, o.height)), mp4Box("meta", []byte("location "+o.location)))
		moov = mp4Box("moov", mp4Box("mvhd", mvhd), audio, video, mp4Box("udta", xyz))
	}
	if o.largeSize {
		inner := moov[8:]
		moov = be.AppendUint32(nil, 1)
		moov = append(moov, "moov"...)
		moov = be.AppendUint64(moov, uint64(16+len(inner)))
		moov = append(moov, inner...)
	}
	mdat := mp4Box("mdat", bytes.Repeat([]byte{0xAB}, 64))
	if o.mdatToEnd {
		binary.BigEndian.PutUint32(mdat, 0)
	}
	out := append(ftyp, moov...)
	return append(out, mdat...)
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

func mustInt(t testing.TB, s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	require.NoError(t, err)
	return n
}

// memFile is a byte slice as a file that can be read and written at offsets.
type memFile []byte

func (m memFile) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(m)) {
		return 0, io.EOF
	}
	n := copy(p, m[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (m memFile) WriteAt(p []byte, off int64) (int, error) {
	if off < 0 || off+int64(len(p)) > int64(len(m)) {
		return 0, io.ErrShortWrite
	}
	return copy(m[off:], p), nil
}
