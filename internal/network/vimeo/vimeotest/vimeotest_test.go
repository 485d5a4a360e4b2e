package vimeotest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTusContract checks the fake against tus 1.0 as Vimeo serves it:
// HEAD gives the offset, a PATCH at the wrong offset is 409, a PATCH at the
// right one answers 204 with the new offset, and the version is pinned.
func TestTusContract(t *testing.T) {
	s := New(t, Options{})
	call := func(method, u string, h map[string]string, body []byte) *http.Response {
		req, _ := http.NewRequest(method, u, bytes.NewReader(body))
		for k, v := range h {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	auth := map[string]string{"Authorization": "Bearer " + s.Token(), "Accept": "application/vnd.vimeo.*+json;version=3.4", "Content-Type": "application/json"}
	b, _ := json.Marshal(map[string]any{"upload": map[string]any{"approach": "tus", "size": "10"}, "name": "n"})
	res := call("POST", s.URL+"/me/videos", auth, b)
	require.Equal(t, 200, res.StatusCode)
	var v struct {
		Upload struct {
			UploadLink string `json:"upload_link"`
		} `json:"upload"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&v))
	link := v.Upload.UploadLink
	tus := map[string]string{"Tus-Resumable": "1.0.0", "Content-Type": "application/offset+octet-stream"}
	res = call("HEAD", link, tus, nil)
	require.Equal(t, "0", res.Header.Get("Upload-Offset"))
	require.Equal(t, "10", res.Header.Get("Upload-Length"))
	tus["Upload-Offset"] = "4"
	require.Equal(t, 409, call("PATCH", link, tus, []byte("abcd")).StatusCode)
	tus["Upload-Offset"] = "0"
	res = call("PATCH", link, tus, []byte("abcd"))
	require.Equal(t, 204, res.StatusCode)
	require.Equal(t, "4", res.Header.Get("Upload-Offset"))
	require.NotEmpty(t, res.Header.Get("X-RateLimit-Remaining"))

	auth["Accept"] = "application/json"
	require.Equal(t, 400, call("GET", s.URL+"/me", auth, nil).StatusCode, "the version is pinned")
}
