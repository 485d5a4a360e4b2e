package media_test

import (
	"bytes"
	"image"
	"image/color"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/media"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
	"github.com/stretchr/testify/require"
)

func requireInvalid(t *testing.T, err error, field, code string) *valid.Error {
	t.Helper()
	ve, ok := valid.As(err)
	require.True(t, ok, "want a valid.Error, got %v", err)
	require.Equal(t, field, ve.Field)
	require.Equal(t, code, ve.Code, ve.Message)
	return ve
}

func TestUploadKinds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tc := range []struct {
		name          string
		data          []byte
		kind          store.MediaKind
		mime          string
		width, height int
		durationMS    int64
	}{
		{"jpeg", jpegBytes(t, noisy(64, 48, 1), 90), store.MediaImage, "image/jpeg", 64, 48, 0},
		{"png", pngBytes(t, halves(30, 10)), store.MediaImage, "image/png", 30, 10, 0},
		{"gif", animatedGIF(t, 20, 16), store.MediaGIF, "image/gif", 20, 16, 0},
		{"mp4", buildMP4(mp4Opts{brand: "isom", timescale: 1000, duration: 61_500, width: 1920, height: 1080}), store.MediaVideo, "video/mp4", 1920, 1080, 61_500},
		{"mp4 with location", buildMP4(mp4Opts{brand: "isom", timescale: 1000, duration: 4000, width: 640, height: 360, location: "+48.8566+002.3522/"}), store.MediaVideo, "video/mp4", 640, 360, 4000},
		{"quicktime portrait", buildMP4(mp4Opts{brand: "qt  ", timescale: 600, duration: 600 * 12, width: 1920, height: 1080, rotate90: true}), store.MediaVideo, "video/quicktime", 1080, 1920, 12_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := e.lib.Upload(ctx, e.ws, e.user, "dir/../"+tc.name+".bin", bytes.NewReader(tc.data), 0)
			require.NoError(t, err)
			require.Equal(t, tc.kind, m.Kind)
			require.Equal(t, tc.mime, m.MIME)
			require.Equal(t, [2]int{tc.width, tc.height}, [2]int{m.Width, m.Height})
			require.Equal(t, tc.durationMS, m.DurationMS)
			require.Equal(t, tc.name+".bin", m.Filename)
			require.Equal(t, e.user, m.UploadedBy)
			stored, err := e.root.ReadFile(m.Path)
			require.NoError(t, err)
			require.Equal(t, m.Bytes, int64(len(stored)))
			got, err := e.lib.Get(ctx, e.ws, m.ID)
			require.NoError(t, err)
			require.Equal(t, m, got)
			if tc.kind == store.MediaVideo {
				// Videos are stored as uploaded, but for their metadata boxes.
				require.Len(t, stored, len(tc.data))
				require.NotContains(t, string(stored), "+48.8566")
				if !bytes.Contains(tc.data, []byte("udta")) {
					require.Equal(t, tc.data, stored)
				}
			} else {
				cfg, _, err := image.DecodeConfig(bytes.NewReader(stored))
				require.NoError(t, err)
				require.Equal(t, [2]int{tc.width, tc.height}, [2]int{cfg.Width, cfg.Height})
			}
		})
	}
	// Nothing is left in the spool directory.
	d, err := e.root.Open("tmp")
	require.NoError(t, err)
	names, err := d.Readdirnames(-1)
	d.Close()
	require.NoError(t, err)
	require.Empty(t, names)
}

func TestUploadRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tc := range []struct {
		name     string
		data     []byte
		maxBytes int64
		code     string
		message  string
	}{
		{"text", []byte("hello, this is not an image\n"), 0, "type", "upload a JPEG, PNG, GIF or WebP image, an MP4/QuickTime video or an MP3"},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), 0, "type", "application/pdf"},
		{"empty", nil, 0, "required", "empty"},
		{"over the caller's cap", jpegBytes(t, noisy(64, 64, 2), 90), 100, "too_large", "100 bytes upload limit"},
		{"pixel bomb", pixelBomb(t, 50_000, 50_000), 0, "invalid", "at most 50 megapixels"},
		{"truncated jpeg", jpegBytes(t, noisy(64, 64, 3), 90)[:300], 0, "invalid", "not a readable image"},
		{"jpeg cut in the scan", jpegBytes(t, noisy(64, 64, 3), 90)[:2000], 0, "invalid", "could not be read"},
		{"mp4 without moov", append(buildMP4(mp4Opts{brand: "isom", timescale: 1000, duration: 1, width: 2, height: 2})[:24], make([]byte, 40)...), 0, "invalid", "video could not be read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.lib.Upload(ctx, e.ws, e.user, "x", bytes.NewReader(tc.data), tc.maxBytes)
			ve := requireInvalid(t, err, "file", tc.code)
			require.Contains(t, ve.Message, tc.message)
		})
	}
	list, err := e.lib.List(ctx, e.ws, media.Filter{})
	require.NoError(t, err)
	require.Empty(t, list)
}

func TestEXIFIsAppliedAndStripped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	src := withEXIF(jpegBytes(t, halves(40, 20), 95), 6)
	require.Contains(t, string(src), "Exif")
	require.Contains(t, string(src), "MM\x00\x2a")

	m, err := e.lib.Upload(ctx, e.ws, e.user, "photo.jpg", bytes.NewReader(src), 0)
	require.NoError(t, err)
	// Orientation 6 means "rotate 90° clockwise to display": 40×20 becomes 20×40,
	// and the left (red) half ends on top.
	require.Equal(t, [2]int{20, 40}, [2]int{m.Width, m.Height})
	out, err := e.root.ReadFile(m.Path)
	require.NoError(t, err)
	require.NotContains(t, string(out), "Exif")
	require.NotContains(t, string(out), "MM\x00\x2a", "no TIFF structure (EXIF/GPS IFD) may remain")
	for i := 0; i+1 < len(out); i++ {
		require.False(t, out[i] == 0xFF && out[i+1] == 0xE1, "an APP1 segment remains at %d", i)
		if out[i] == 0xFF && out[i+1] == 0xDA {
			break // start of scan: no more markers to check
		}
	}
	img, _, err := image.Decode(bytes.NewReader(out))
	require.NoError(t, err)
	isRed := func(c color.Color) bool { r, _, b, _ := c.RGBA(); return r > 0xC000 && b < 0x4000 }
	isBlue := func(c color.Color) bool { r, _, b, _ := c.RGBA(); return b > 0xC000 && r < 0x4000 }
	require.True(t, isRed(img.At(10, 5)), "top should be red, is %v", img.At(10, 5))
	require.True(t, isBlue(img.At(10, 35)), "bottom should be blue, is %v", img.At(10, 35))
}

func TestDedupe(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	data := jpegBytes(t, noisy(50, 50, 4), 85)
	first, err := e.lib.Upload(ctx, e.ws, e.user, "a.jpg", bytes.NewReader(data), 0)
	require.NoError(t, err)
	again, err := e.lib.Upload(ctx, e.ws, e.user, "b.jpg", bytes.NewReader(data), 0)
	require.NoError(t, err)
	require.Equal(t, first, again, "the same bytes answer the existing item")
	other, err := e.lib.Upload(ctx, e.ws2, e.user, "a.jpg", bytes.NewReader(data), 0)
	require.NoError(t, err)
	require.NotEqual(t, first.ID, other.ID, "another workspace gets its own item")
	list, err := e.lib.List(ctx, e.ws, media.Filter{})
	require.NoError(t, err)
	require.Len(t, list, 1)
	diff, err := e.lib.Upload(ctx, e.ws, e.user, "c.jpg", bytes.NewReader(jpegBytes(t, noisy(50, 50, 5), 85)), 0)
	require.NoError(t, err)
	require.NotEqual(t, first.ID, diff.ID)
}

func TestAltAndDelete(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m, err := e.lib.Upload(ctx, e.ws, e.user, "a.png", bytes.NewReader(pngBytes(t, noisy(300, 300, 6))), 0)
	require.NoError(t, err)
	got, err := e.lib.SetAlt(ctx, e.ws, m.ID, "  A field of coloured noise  ")
	require.NoError(t, err)
	require.Equal(t, "A field of coloured noise", got.AltText)
	_, err = e.lib.SetAlt(ctx, e.ws, m.ID, strings.Repeat("é", media.MaxAltText+1))
	ve := requireInvalid(t, err, "alt_text", "too_long")
	require.Contains(t, ve.Message, "at most 1500 characters; it has 1501")
	_, err = e.lib.SetAlt(ctx, e.ws2, m.ID, "other workspace")
	require.ErrorIs(t, err, store.ErrNotFound)

	// A rendition is cached next to the original; deleting removes both.
	_, _, _, _, err = e.lib.Rendition(ctx, e.ws, m.ID, network.Limits{Name: "Tiny", MaxMedia: 1, MaxImageBytes: 60_000})
	require.NoError(t, err)
	files := func() []string {
		var out []string
		require.NoError(t, fs.WalkDir(e.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				out = append(out, p)
			}
			return err
		}))
		return out
	}
	require.Len(t, files(), 2)
	require.ErrorIs(t, e.lib.Delete(ctx, e.ws2, m.ID), store.ErrNotFound)
	require.Len(t, files(), 2)
	require.NoError(t, e.lib.Delete(ctx, e.ws, m.ID))
	require.Empty(t, files())
	_, err = e.lib.Get(ctx, e.ws, m.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
}

func TestListFilter(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	img, err := e.lib.Upload(ctx, e.ws, e.user, "a.png", bytes.NewReader(pngBytes(t, noisy(8, 8, 7))), 0)
	require.NoError(t, err)
	e.clock = e.clock.Add(time.Minute)
	vid, err := e.lib.Upload(ctx, e.ws, e.user, "v.mp4", bytes.NewReader(buildMP4(mp4Opts{brand: "isom", timescale: 1, duration: 3, width: 4, height: 4})), 0)
	require.NoError(t, err)
	for _, tc := range []struct {
		f    media.Filter
		want []int64
	}{
		{media.Filter{}, []int64{vid.ID, img.ID}},
		{media.Filter{Kind: store.MediaVideo}, []int64{vid.ID}},
		{media.Filter{Kind: store.MediaImage}, []int64{img.ID}},
		{media.Filter{Limit: 1, Offset: 1}, []int64{img.ID}},
	} {
		list, err := e.lib.List(ctx, e.ws, tc.f)
		require.NoError(t, err)
		var ids []int64
		for _, m := range list {
			ids = append(ids, m.ID)
		}
		require.Equal(t, tc.want, ids, "%+v", tc.f)
	}
	_, err = e.lib.List(ctx, e.ws, media.Filter{Kind: "document"})
	requireInvalid(t, err, "kind", "invalid")
}

func TestUploadURL(t *testing.T) {
	t.Parallel()
	img := pngBytes(t, noisy(20, 20, 8))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/photo.png":
			_, _ = w.Write(img)
		case "/big.png":
			w.Header().Set("Content-Length", "999999999")
			w.WriteHeader(200)
		case "/redirect":
			http.Redirect(w, r, "/photo.png", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	no, yes := false, true

	guarded := newEnv(t)
	guarded.lib.Client = network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &no, Timeout: 5 * time.Second})
	_, err := guarded.lib.UploadURL(ctx, guarded.ws, guarded.user, srv.URL+"/photo.png", 0)
	ve := requireInvalid(t, err, "url", "private")
	require.Contains(t, ve.Message, "RELAIS_ALLOW_PRIVATE_HOSTS")
	_, err = guarded.lib.UploadURL(ctx, guarded.ws, guarded.user, "http://localhost:1/x.png", 0)
	requireInvalid(t, err, "url", "private")

	e := newEnv(t)
	e.lib.Client = network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &yes, Timeout: 5 * time.Second})
	m, err := e.lib.UploadURL(ctx, e.ws, e.user, srv.URL+"/photo.png", 0)
	require.NoError(t, err)
	require.Equal(t, "photo.png", m.Filename)
	require.Equal(t, "image/png", m.MIME)
	again, err := e.lib.UploadURL(ctx, e.ws, e.user, srv.URL+"/redirect", 0)
	require.NoError(t, err)
	require.Equal(t, m.ID, again.ID)

	for _, tc := range []struct {
		url, code string
		maxBytes  int64
	}{
		{"ftp://example.com/a.png", "format", 0},
		{"/relative.png", "format", 0},
		{"https://", "format", 0},
		{srv.URL + "/missing.png", "status", 0},
		{srv.URL + "/big.png", "too_large", 0},
		{srv.URL + "/photo.png", "too_large", 10},
	} {
		_, err := e.lib.UploadURL(ctx, e.ws, e.user, tc.url, tc.maxBytes)
		requireInvalid(t, err, "url", tc.code)
	}
}

func TestRenditionFitsBluesky(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	src := jpegBytes(t, noisy(2400, 1600, 9), 95)
	require.Greater(t, len(src), 4_000_000)
	m, err := e.lib.Upload(ctx, e.ws, e.user, "big.jpg", bytes.NewReader(src), 0)
	require.NoError(t, err)
	bsky := network.DefaultLimits[network.Bluesky]
	data, mime, w, h, err := e.lib.Rendition(ctx, e.ws, m.ID, bsky)
	require.NoError(t, err)
	require.LessOrEqual(t, len(data), 2_000_000)
	require.Greater(t, len(data), 1_000_000, "the rendition should not shrink far below the limit")
	require.Equal(t, "image/jpeg", mime)
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	require.NoError(t, err)
	require.Equal(t, [2]int{w, h}, [2]int{cfg.Width, cfg.Height})
	require.InDelta(t, 1.5, float64(w)/float64(h), 0.01, "the aspect ratio is kept")

	// The second call is served from the cache: the same bytes.
	again, _, _, _, err := e.lib.Rendition(ctx, e.ws, m.ID, bsky)
	require.NoError(t, err)
	require.Equal(t, data, again)

	// Mastodon's 16 MB fit the original as is.
	orig, _, w2, h2, err := e.lib.Rendition(ctx, e.ws, m.ID, network.DefaultLimits[network.Mastodon])
	require.NoError(t, err)
	require.Equal(t, m.Bytes, int64(len(orig)))
	require.Equal(t, [2]int{2400, 1600}, [2]int{w2, h2})

	_, _, _, _, err = e.lib.Rendition(ctx, e.ws2, m.ID, bsky)
	require.ErrorIs(t, err, store.ErrNotFound)
}

func TestRenditionCapsDimension(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m, err := e.lib.Upload(ctx, e.ws, e.user, "wide.png", bytes.NewReader(pngBytes(t, halves(5000, 500))), 0)
	require.NoError(t, err)
	_, mime, w, h, err := e.lib.Rendition(ctx, e.ws, m.ID, network.DefaultLimits[network.Mastodon])
	require.NoError(t, err)
	require.Equal(t, "image/jpeg", mime, "opaque images become JPEG")
	require.Equal(t, media.MaxDimension, w)
	require.InDelta(t, 410, h, 1, "the aspect ratio is kept")
}

func TestVideoRenditionTooLarge(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m, err := e.lib.Upload(ctx, e.ws, e.user, "v.mp4", bytes.NewReader(buildMP4(mp4Opts{brand: "isom", timescale: 1, duration: 3, width: 4, height: 4})), 0)
	require.NoError(t, err)
	data, mime, _, _, err := e.lib.Rendition(ctx, e.ws, m.ID, network.DefaultLimits[network.Bluesky])
	require.NoError(t, err)
	require.Equal(t, "video/mp4", mime)
	require.Len(t, data, int(m.Bytes))
	_, _, _, _, err = e.lib.Rendition(ctx, e.ws, m.ID, network.Limits{Name: "Small", MaxMedia: 1, MaxVideoBytes: 100})
	ve := requireInvalid(t, err, "media", "too_large")
	require.Contains(t, ve.Message, "Small accepts video files of at most 100 bytes")
}

func TestSignedURLs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m, err := e.lib.Upload(ctx, e.ws, e.user, "a.jpg", bytes.NewReader(jpegBytes(t, noisy(900, 600, 10), 95)), 0)
	require.NoError(t, err)
	rend := media.RenditionName(m, network.Limits{MaxImageBytes: 100_000})
	require.Equal(t, "fit-100000", rend)
	raw := e.lib.SignedURL(m, rend, time.Hour)
	require.True(t, strings.HasPrefix(raw, "https://relais.test/media/"), raw)
	u, err := url.Parse(raw)
	require.NoError(t, err)
	got, r, err := e.lib.VerifySigned(ctx, u.Path, u.Query())
	require.NoError(t, err)
	require.Equal(t, m.ID, got.ID)
	require.Equal(t, rend, r)

	q := u.Query()
	f, mime, mod, err := e.lib.OpenSigned(ctx, idString(m.ID), rend, q.Get("exp"), q.Get("sig"))
	require.NoError(t, err)
	var buf bytes.Buffer
	_, err = buf.ReadFrom(f)
	require.NoError(t, f.Close())
	require.NoError(t, err)
	require.Equal(t, "image/jpeg", mime)
	require.False(t, mod.IsZero())
	require.LessOrEqual(t, buf.Len(), 100_000)

	tamper := func(field, value string) url.Values {
		v := url.Values{"exp": {q.Get("exp")}, "sig": {q.Get("sig")}}
		v.Set(field, value)
		return v
	}
	otherSig := []byte(q.Get("sig"))
	otherSig[0] ^= 1
	for name, tc := range map[string]struct {
		path  string
		query url.Values
	}{
		"other id":        {"/media/" + idString(m.ID+1) + "/" + rend, q},
		"other rendition": {"/media/" + idString(m.ID) + "/original", q},
		"later exp":       {u.Path, tamper("exp", idString(mustInt(t, q.Get("exp"))+3600))},
		"flipped sig":     {u.Path, tamper("sig", string(otherSig))},
		"no sig":          {u.Path, tamper("sig", "")},
		"bad path":        {"/elsewhere/1/original", q},
	} {
		_, _, err := e.lib.VerifySigned(ctx, tc.path, tc.query)
		require.ErrorIs(t, err, media.ErrBadSignature, name)
	}
	_, _, _, err = e.lib.OpenSigned(ctx, idString(m.ID), "original", q.Get("exp"), q.Get("sig"))
	require.ErrorIs(t, err, media.ErrBadSignature)

	// After the TTL the same URL is refused.
	e.clock = e.clock.Add(time.Hour + time.Second)
	_, _, err = e.lib.VerifySigned(ctx, u.Path, u.Query())
	require.ErrorIs(t, err, media.ErrExpired)
	_, _, _, err = e.lib.OpenSigned(ctx, idString(m.ID), rend, q.Get("exp"), q.Get("sig"))
	require.ErrorIs(t, err, media.ErrExpired)

	// A deleted item is gone even with a valid signature, and answers like a
	// bad signature, so that URLs reveal nothing about which ids exist.
	fresh, err := url.Parse(e.lib.SignedURL(m, media.Original, time.Minute))
	require.NoError(t, err)
	require.NoError(t, e.lib.Delete(ctx, e.ws, m.ID))
	_, _, _, err = e.lib.OpenSigned(ctx, idString(m.ID), media.Original, fresh.Query().Get("exp"), fresh.Query().Get("sig"))
	require.ErrorIs(t, err, media.ErrBadSignature)
}

// TestSignedURLOfADeletedItemOpensNothingElse deletes the newest item (whose
// id SQLite reused before AUTOINCREMENT) and uploads another file in another
// workspace: the old URL must not open it. The signature also binds the
// workspace and the content hash, so a URL signed for the same id in another
// workspace or over other bytes fails too.
func TestSignedURLOfADeletedItemOpensNothingElse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	old, err := e.lib.Upload(ctx, e.ws, e.user, "a.jpg", bytes.NewReader(jpegBytes(t, noisy(32, 32, 20), 90)), 0)
	require.NoError(t, err)
	oldURL, err := url.Parse(e.lib.SignedURL(old, media.Original, time.Hour))
	require.NoError(t, err)
	require.NoError(t, e.lib.Delete(ctx, e.ws, old.ID))

	other, err := e.lib.Upload(ctx, e.ws2, e.user, "b.jpg", bytes.NewReader(jpegBytes(t, noisy(32, 32, 21), 90)), 0)
	require.NoError(t, err)
	require.Greater(t, other.ID, old.ID, "an id came back")
	_, _, err = e.lib.VerifySigned(ctx, oldURL.Path, oldURL.Query())
	require.ErrorIs(t, err, media.ErrBadSignature)
	_, _, err = e.lib.VerifySigned(ctx, strings.Replace(oldURL.Path, idString(old.ID), idString(other.ID), 1), oldURL.Query())
	require.ErrorIs(t, err, media.ErrBadSignature)

	for name, forged := range map[string]store.Media{
		"other workspace": {ID: other.ID, WorkspaceID: e.ws, SHA256: other.SHA256},
		"other bytes":     {ID: other.ID, WorkspaceID: other.WorkspaceID, SHA256: old.SHA256},
	} {
		u, err := url.Parse(e.lib.SignedURL(forged, media.Original, time.Hour))
		require.NoError(t, err)
		_, _, err = e.lib.VerifySigned(ctx, u.Path, u.Query())
		require.ErrorIs(t, err, media.ErrBadSignature, name)
	}
	u, err := url.Parse(e.lib.SignedURL(other, media.Original, time.Hour))
	require.NoError(t, err)
	got, _, err := e.lib.VerifySigned(ctx, u.Path, u.Query())
	require.NoError(t, err)
	require.Equal(t, other.ID, got.ID)
}

func TestCheck(t *testing.T) {
	t.Parallel()
	lim := network.DefaultLimits
	img := func(w, h int, bytes int64, alt string) store.Media {
		return store.Media{Kind: store.MediaImage, Width: w, Height: h, Bytes: bytes, AltText: alt}
	}
	vid := func(w, h int, bytes, ms int64) store.Media {
		return store.Media{Kind: store.MediaVideo, Width: w, Height: h, Bytes: bytes, DurationMS: ms, AltText: "a video"}
	}
	type want struct{ code, limit, value string }
	for _, tc := range []struct {
		name string
		m    store.Media
		l    network.Limits
		want []want
	}{
		{"fits", img(1080, 1350, 500_000, "alt"), lim[network.Instagram], nil},
		{"instagram too tall", img(1000, 2000, 500_000, "alt"), lim[network.Instagram], []want{{"aspect_ratio", "4:5 to 1.91:1", "0.50:1"}}},
		{"instagram too wide", img(2000, 1000, 500_000, "alt"), lim[network.Instagram], []want{{"aspect_ratio", "4:5 to 1.91:1", "2.00:1"}}},
		{"ratio only on instagram", img(1000, 2000, 500_000, "alt"), lim[network.Mastodon], nil},
		{"instagram vertical video", vid(1080, 1920, 1<<20, 10_000), lim[network.Instagram], nil},
		{"instagram square-ish video too tall", vid(1000, 3000, 1<<20, 10_000), lim[network.Instagram], []want{{"aspect_ratio", "9:16 to 16:9", "0.33:1"}}},
		{"bluesky resizes", img(800, 600, 3_000_000, "alt"), lim[network.Bluesky], []want{{"resized", "2.0 MB", "3.0 MB"}}},
		{"huge dimensions resize", img(8000, 6000, 1_000_000, "alt"), lim[network.Mastodon], []want{{"resized", "4096 px", "8000×6000 px"}}},
		{"video too long on bluesky", vid(1920, 1080, 1<<20, 181_000), lim[network.Bluesky], []want{{"too_long", "180 s", "181.0 s"}}},
		{"video fits x", vid(1920, 1080, 1<<20, 140_000), lim[network.X], nil},
		{"video too big for telegram", vid(1920, 1080, 51<<20, 1000), lim[network.Telegram], []want{{"too_large", "50 MB", "51 MB"}}},
		{"gif too big", store.Media{Kind: store.MediaGIF, Width: 10, Height: 10, Bytes: 3_000_000, AltText: "x"}, lim[network.Bluesky], []want{{"too_large", "2.0 MB", "3.0 MB"}}},
		{"alt missing", img(100, 100, 1000, ""), lim[network.Mastodon], []want{{"alt_missing", "", ""}}},
		{"no media", img(100, 100, 1000, "x"), network.Limits{Network: "plain", Name: "Plain"}, []want{{"media_unsupported", "0", ""}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := media.Check(tc.m, tc.l)
			var got []want
			for _, p := range ps {
				got = append(got, want{p.Code, p.Limit, p.Value})
				require.Equal(t, tc.l.Network, p.Network)
				require.Contains(t, p.Message, tc.l.Name, "the message names the network")
			}
			require.Equal(t, tc.want, got)
		})
	}
}

func TestCleanSpool(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	n, err := e.lib.CleanSpool(time.Hour)
	require.NoError(t, err)
	require.Zero(t, n, "no spool directory yet")
	require.NoError(t, e.root.MkdirAll("tmp", 0o700))
	require.NoError(t, e.root.WriteFile("tmp/upload-old", []byte("x"), 0o600))
	require.NoError(t, e.root.WriteFile("tmp/upload-new", []byte("x"), 0o600))
	old := e.clock.Add(-2 * time.Hour)
	require.NoError(t, e.root.Chtimes("tmp/upload-old", old, old))
	require.NoError(t, e.root.Chtimes("tmp/upload-new", e.clock, e.clock))
	n, err = e.lib.CleanSpool(time.Hour)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	_, err = e.root.Stat("tmp/upload-old")
	require.ErrorIs(t, err, fs.ErrNotExist)
	_, err = e.root.Stat("tmp/upload-new")
	require.NoError(t, err)
}

// TestNULNeverReachesTheStore drops control characters from a client's file
// name and refuses alt text holding NUL (U+0000), naming the field.
func TestNULNeverReachesTheStore(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m, err := e.lib.Upload(ctx, e.ws, e.user, "sun\x00set\n.jpg", bytes.NewReader(jpegBytes(t, noisy(16, 16, 30), 90)), 0)
	require.NoError(t, err)
	require.Equal(t, "sunset.jpg", m.Filename)
	_, err = e.lib.SetAlt(ctx, e.ws, m.ID, "a red\x00 sunset")
	requireInvalid(t, err, "alt_text", "nul")
}
