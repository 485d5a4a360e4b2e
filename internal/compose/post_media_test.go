package compose_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/media"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = byte(i)
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, m))
	return buf.Bytes()
}

func TestMediaLoaderResolvesLibraryItemsAndURLs(t *testing.T) {
	t.Parallel()
	st := storetest.OpenSQLite(t)
	u := storetest.NewUser(t, st, "m@example.com")
	ws := storetest.NewWorkspace(t, st, "media", u.ID)
	root, err := os.OpenRoot(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { root.Close() })
	lib := &media.Library{Store: st, Root: root, SignKey: bytes.Repeat([]byte{3}, 32), BaseURL: "https://relais.test", Client: http.DefaultClient}

	first := pngBytes(t, 20, 10)
	m, err := lib.Upload(ctx, ws.ID, u.ID, "a.png", bytes.NewReader(first), 0)
	require.NoError(t, err)
	_, err = lib.SetAlt(ctx, ws.ID, m.ID, "A gradient")
	require.NoError(t, err)
	second := pngBytes(t, 8, 8)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(second)
	}))
	defer srv.Close()

	raw, _ := json.Marshal([]compose.MediaRef{{MediaID: m.ID}, {URL: srv.URL + "/b.png"}})
	got, err := compose.MediaLoader{Library: lib}.LoadMedia(ctx, ws.ID, raw)
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, "image/png", got[0].MIME)
	require.Equal(t, "A gradient", got[0].AltText)
	require.Equal(t, 20, got[0].Width)
	require.NotEmpty(t, got[0].Data)
	require.Contains(t, got[0].URL, "https://relais.test/media/")
	require.Equal(t, 8, got[1].Width)

	// Another workspace's item is not found.
	other := storetest.NewWorkspace(t, st, "other", u.ID)
	raw, _ = json.Marshal([]compose.MediaRef{{MediaID: m.ID}})
	_, err = compose.MediaLoader{Library: lib}.LoadMedia(ctx, other.ID, raw)
	require.Error(t, err)
}
