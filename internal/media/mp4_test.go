package media_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/relais/relais/internal/media"
	"github.com/stretchr/testify/require"
)

func TestParseMP4(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		o    mp4Opts
		want media.MP4Info
	}{
		{"v0", mp4Opts{brand: "isom", timescale: 1000, duration: 61_500, width: 1920, height: 1080}, media.MP4Info{Duration: 61500 * time.Millisecond, Width: 1920, Height: 1080}},
		{"v1 long", mp4Opts{brand: "isom", version: 1, timescale: 90_000, duration: 90_000 * 7200, width: 3840, height: 2160}, media.MP4Info{Duration: 2 * time.Hour, Width: 3840, Height: 2160}},
		{"rotated portrait", mp4Opts{brand: "qt  ", timescale: 600, duration: 300, width: 1920, height: 1080, rotate90: true}, media.MP4Info{Duration: 500 * time.Millisecond, Width: 1080, Height: 1920}},
		{"64-bit box size", mp4Opts{brand: "isom", timescale: 1000, duration: 1000, width: 640, height: 480, largeSize: true}, media.MP4Info{Duration: time.Second, Width: 640, Height: 480}},
		{"last box to end", mp4Opts{brand: "isom", timescale: 1000, duration: 2000, width: 640, height: 480, mdatToEnd: true}, media.MP4Info{Duration: 2 * time.Second, Width: 640, Height: 480}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := buildMP4(tc.o)
			got, err := media.ParseMP4(bytes.NewReader(b), int64(len(b)))
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestParseMP4Errors(t *testing.T) {
	t.Parallel()
	good := buildMP4(mp4Opts{brand: "isom", timescale: 1000, duration: 1000, width: 4, height: 4})
	zeroScale := buildMP4(mp4Opts{brand: "isom", timescale: 0, duration: 1000, width: 4, height: 4})
	for name, b := range map[string][]byte{
		"empty":          nil,
		"ftyp only":      good[:24],
		"truncated moov": good[:60],
		"zero timescale": zeroScale,
		"box too small":  {0, 0, 0, 4, 'm', 'o', 'o', 'v'},
		"box overruns":   {0, 0, 1, 0, 'm', 'o', 'o', 'v', 0, 0},
	} {
		_, err := media.ParseMP4(bytes.NewReader(b), int64(len(b)))
		require.Error(t, err, name)
	}
	_, err := media.ParseMP4(bytes.NewReader(good[:24]), 24)
	require.ErrorIs(t, err, media.ErrNotMP4)
}

// FuzzParseMP4 feeds arbitrary bytes to the box parser: it must never panic,
// loop or claim a negative size.
func FuzzParseMP4(f *testing.F) {
	f.Add(buildMP4(mp4Opts{brand: "isom", timescale: 1000, duration: 61_500, width: 1920, height: 1080}))
	f.Add(buildMP4(mp4Opts{brand: "qt  ", version: 1, timescale: 600, duration: 1 << 40, width: 1, height: 1, rotate90: true}))
	f.Add(buildMP4(mp4Opts{brand: "isom", timescale: 1, duration: 1, largeSize: true, mdatToEnd: true}))
	f.Add([]byte{0, 0, 0, 1, 'm', 'o', 'o', 'v', 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})
	f.Add([]byte{0, 0, 0, 0, 'm', 'o', 'o', 'v'})
	f.Add(buildMP4(mp4Opts{brand: "isom", timescale: 1000, duration: 5, width: 8, height: 8, location: "+48.8566+002.3522/"}))
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := media.ParseMP4(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		if info.Duration < 0 || info.Width < 0 || info.Height < 0 {
			t.Fatalf("negative values: %+v", info)
		}
		// Blanking metadata keeps the length and everything the parser reads.
		c := append(memFile{}, b...)
		if _, err := media.StripMP4Metadata(c, int64(len(c))); err != nil {
			t.Fatalf("strip failed on a parsable file: %v", err)
		}
		if len(c) != len(b) {
			t.Fatalf("strip changed the length")
		}
		after, err := media.ParseMP4(bytes.NewReader(c), int64(len(c)))
		if err != nil || after != info {
			t.Fatalf("strip changed the parse: %+v %v, was %+v", after, err, info)
		}
	})
}

func TestStripMP4Metadata(t *testing.T) {
	t.Parallel()
	const where = "+48.8566+002.3522/"
	src := buildMP4(mp4Opts{brand: "qt  ", timescale: 600, duration: 1200, width: 1920, height: 1080, location: where})
	require.Contains(t, string(src), where)
	f := append(memFile{}, src...)
	n, err := media.StripMP4Metadata(f, int64(len(f)))
	require.NoError(t, err)
	require.Equal(t, 2, n, "moov/udta and trak/meta")
	require.Len(t, f, len(src))
	require.NotContains(t, string(f), where)
	require.NotContains(t, string(f), "\xa9xyz")
	info, err := media.ParseMP4(bytes.NewReader(f), int64(len(f)))
	require.NoError(t, err)
	require.Equal(t, media.MP4Info{Duration: 2 * time.Second, Width: 1920, Height: 1080}, info)
}
