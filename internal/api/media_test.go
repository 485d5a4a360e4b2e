package api_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/relais/relais/internal/api"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/media"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// mediaEnv is an API server with a media library and tokens of two
// workspaces (owners) and a viewer of workspace A.
type mediaEnv struct {
	srv                  *httptest.Server
	st                   store.Store
	tokA, tokB, tokViewA string
}

func setupMedia(t *testing.T, allowPrivate bool) *mediaEnv {
	t.Helper()
	st := storetest.OpenSQLite(t)
	root, err := os.OpenRoot(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { root.Close() })
	lib := &media.Library{Store: st, Root: root, SignKey: bytes.Repeat([]byte{3}, 32), BaseURL: "http://relais.test",
		Client: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allowPrivate})}
	svc := auth.NewService(st)
	srv := httptest.NewServer(validating(t, api.New(api.Deps{Store: st, Auth: svc, Media: lib, BaseURL: "http://relais.test", Version: "test"})))
	t.Cleanup(srv.Close)
	token := func(u store.User, ws int64) string {
		p, err := svc.Principal(ctx, u, ws)
		require.NoError(t, err)
		tok, _, err := svc.CreateToken(ctx, p, "test")
		require.NoError(t, err)
		return tok
	}
	e := &mediaEnv{srv: srv, st: st}
	ua, err := svc.CreateUser(ctx, "a@media.example", "", "a long enough password", false)
	require.NoError(t, err)
	wa, err := svc.CreateWorkspace(ctx, ua, "Media A", "", "UTC")
	require.NoError(t, err)
	ub, err := svc.CreateUser(ctx, "b@media.example", "", "a long enough password", false)
	require.NoError(t, err)
	wb, err := svc.CreateWorkspace(ctx, ub, "Media B", "", "UTC")
	require.NoError(t, err)
	uv, err := svc.CreateUser(ctx, "v@media.example", "", "a long enough password", false)
	require.NoError(t, err)
	require.NoError(t, st.AddMember(ctx, wa.ID, uv.ID, store.RoleViewer))
	e.tokA, e.tokB, e.tokViewA = token(ua, wa.ID), token(ub, wb.ID), token(uv, wa.ID)
	return e
}

type apiMedia struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind"`
	MIME     string `json:"mime"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
	AltText  string `json:"alt_text"`
	Filename string `json:"filename"`
	Warnings []string
	Problems []struct {
		Network  string `json:"network"`
		Code     string `json:"code"`
		Severity string `json:"severity"`
		Limit    string `json:"limit"`
	} `json:"problems"`
}

type apiError struct {
	Error struct {
		Code, Message, Field string
	} `json:"error"`
}

// do sends a request and decodes the JSON answer into out (when not nil).
func (e *mediaEnv) do(t *testing.T, token, method, path, contentType string, body io.Reader, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+"/api/v1"+path, body)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if out != nil && len(b) > 0 {
		require.NoError(t, json.Unmarshal(b, out), string(b))
	}
	return resp.StatusCode
}

func (e *mediaEnv) upload(t *testing.T, token, filename string, data []byte, alt string, out any) int {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if data != nil {
		fw, err := mw.CreateFormFile("file", filename)
		require.NoError(t, err)
		_, err = fw.Write(data)
		require.NoError(t, err)
	}
	if alt != "" {
		require.NoError(t, mw.WriteField("alt_text", alt))
	}
	require.NoError(t, mw.Close())
	return e.do(t, token, "POST", "/media", mw.FormDataContentType(), &buf, out)
}

func jsonBody(v any) io.Reader {
	b, _ := json.Marshal(v)
	return bytes.NewReader(b)
}

func widePNG(t *testing.T, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 31)
	}
	img.SetNRGBA(0, 0, color.NRGBA{1, 2, 3, 255})
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

func TestMediaAPI(t *testing.T) {
	t.Parallel()
	e := setupMedia(t, false)
	data := widePNG(t, 200, 100)

	var m apiMedia
	require.Equal(t, 201, e.upload(t, e.tokA, "wide.png", data, "A wide test pattern", &m))
	require.Equal(t, "image", m.Kind)
	require.Equal(t, "image/png", m.MIME)
	require.Equal(t, [2]int{200, 100}, [2]int{m.Width, m.Height})
	require.Equal(t, "A wide test pattern", m.AltText)
	require.Equal(t, "wide.png", m.Filename)
	require.Empty(t, m.Warnings)

	// The same bytes again: the existing item, 200.
	var again apiMedia
	require.Equal(t, 200, e.upload(t, e.tokA, "copy.png", data, "", &again))
	require.Equal(t, m.ID, again.ID)
	require.Equal(t, "A wide test pattern", again.AltText)

	// A second item without alt text carries a warning.
	var bare apiMedia
	require.Equal(t, 201, e.upload(t, e.tokA, "square.png", widePNG(t, 50, 50), "", &bare))
	require.Len(t, bare.Warnings, 1)
	require.Contains(t, bare.Warnings[0], "Alt text is missing")

	// Checks per network: the 2:1 image is too wide for Instagram only.
	var checked apiMedia
	require.Equal(t, 200, e.do(t, e.tokA, "GET", "/media/"+idStr(m.ID)+"?networks=bluesky,instagram", "", nil, &checked))
	require.Len(t, checked.Problems, 1)
	require.Equal(t, "instagram", checked.Problems[0].Network)
	require.Equal(t, "aspect_ratio", checked.Problems[0].Code)
	require.Equal(t, "error", checked.Problems[0].Severity)
	require.Equal(t, "4:5 to 1.91:1", checked.Problems[0].Limit)
	var ae apiError
	require.Equal(t, 422, e.do(t, e.tokA, "GET", "/media/"+idStr(m.ID)+"?networks=myspace", "", nil, &ae))
	require.Equal(t, "networks", ae.Error.Field)

	// Listing, with a kind filter.
	var list struct{ Media []apiMedia }
	require.Equal(t, 200, e.do(t, e.tokA, "GET", "/media", "", nil, &list))
	require.Len(t, list.Media, 2)
	require.Equal(t, bare.ID, list.Media[0].ID, "newest first")
	require.Equal(t, 200, e.do(t, e.tokA, "GET", "/media?kind=video", "", nil, &list))
	require.Empty(t, list.Media)

	// Alt text: set, too long, absent leaves it.
	var patched apiMedia
	require.Equal(t, 200, e.do(t, e.tokA, "PATCH", "/media/"+idStr(bare.ID), "application/json", jsonBody(map[string]string{"alt_text": "A grey square"}), &patched))
	require.Equal(t, "A grey square", patched.AltText)
	require.Empty(t, patched.Warnings)
	ae = apiError{}
	require.Equal(t, 422, e.do(t, e.tokA, "PATCH", "/media/"+idStr(bare.ID), "application/json", jsonBody(map[string]string{"alt_text": strings.Repeat("x", 1501)}), &ae))
	require.Equal(t, "alt_text", ae.Error.Field)
	require.Equal(t, 200, e.do(t, e.tokA, "PATCH", "/media/"+idStr(bare.ID), "application/json", strings.NewReader(`{}`), &patched))
	require.Equal(t, "A grey square", patched.AltText)

	// Workspace B sees none of it.
	require.Equal(t, 200, e.do(t, e.tokB, "GET", "/media", "", nil, &list))
	require.Empty(t, list.Media)
	for _, method := range []string{"GET", "PATCH", "DELETE"} {
		var body io.Reader
		if method == "PATCH" {
			body = strings.NewReader(`{"alt_text":"stolen"}`)
		}
		require.Equal(t, 404, e.do(t, e.tokB, method, "/media/"+idStr(m.ID), "application/json", body, nil), method)
	}
	// The same content in B is B's own item.
	var inB apiMedia
	require.Equal(t, 201, e.upload(t, e.tokB, "wide.png", data, "", &inB))
	require.NotEqual(t, m.ID, inB.ID)

	// A viewer may look but not change.
	require.Equal(t, 200, e.do(t, e.tokViewA, "GET", "/media/"+idStr(m.ID), "", nil, nil))
	require.Equal(t, 403, e.upload(t, e.tokViewA, "v.png", widePNG(t, 10, 10), "", nil))
	require.Equal(t, 403, e.do(t, e.tokViewA, "DELETE", "/media/"+idStr(m.ID), "", nil, nil))

	// Delete, then it is gone.
	require.Equal(t, 204, e.do(t, e.tokA, "DELETE", "/media/"+idStr(m.ID), "", nil, nil))
	require.Equal(t, 404, e.do(t, e.tokA, "GET", "/media/"+idStr(m.ID), "", nil, nil))
	require.Equal(t, 404, e.do(t, e.tokA, "DELETE", "/media/"+idStr(m.ID), "", nil, nil))
}

func TestMediaAPIRefusals(t *testing.T) {
	t.Parallel()
	e := setupMedia(t, false)
	var ae apiError
	require.Equal(t, 422, e.upload(t, e.tokA, "notes.txt", []byte("just some text, not an image"), "", &ae))
	require.Equal(t, "file", ae.Error.Field)
	require.Contains(t, ae.Error.Message, "upload a JPEG, PNG, GIF or WebP image, an MP4/QuickTime video or an MP3")

	ae = apiError{}
	require.Equal(t, 422, e.upload(t, e.tokA, "", nil, "alt only", &ae))
	require.Contains(t, ae.Error.Message, "file")

	// The SSRF guard: loopback is refused when private hosts are not allowed.
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(widePNG(t, 10, 10)) }))
	t.Cleanup(target.Close)
	ae = apiError{}
	require.Equal(t, 422, e.do(t, e.tokA, "POST", "/media/from-url", "application/json", jsonBody(map[string]string{"url": target.URL + "/a.png"}), &ae))
	require.Equal(t, "url", ae.Error.Field)
	require.Equal(t, "private", ae.Error.Code)
	ae = apiError{}
	require.Equal(t, 422, e.do(t, e.tokA, "POST", "/media/from-url", "application/json", jsonBody(map[string]string{"url": "file:///etc/passwd"}), &ae))
	require.Equal(t, "url", ae.Error.Field)
}

func TestMediaAPIFromURL(t *testing.T) {
	t.Parallel()
	e := setupMedia(t, true)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(widePNG(t, 10, 20)) }))
	t.Cleanup(target.Close)
	var m apiMedia
	require.Equal(t, 201, e.do(t, e.tokA, "POST", "/media/from-url", "application/json",
		jsonBody(map[string]string{"url": target.URL + "/pics/tall.png", "alt_text": "A tall pattern"}), &m))
	require.Equal(t, "tall.png", m.Filename)
	require.Equal(t, [2]int{10, 20}, [2]int{m.Width, m.Height})
	require.Equal(t, "A tall pattern", m.AltText)
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }
