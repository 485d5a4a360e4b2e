package pinteresttest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func post(t *testing.T, s *Server, body any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/v5/pins", bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+s.tk)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// TestFakeValidatesLikePinterest: over-long fields, unknown boards,
// carousels out of range and unprocessed videos are refused as Pinterest does.
func TestFakeValidatesLikePinterest(t *testing.T) {
	s := New(t, Options{})
	img := map[string]any{"source_type": "image_url", "url": "https://m.example/a.jpg"}
	for name, tc := range map[string]struct {
		body   map[string]any
		status int
	}{
		"title":        {map[string]any{"board_id": "549755885175", "title": strings.Repeat("t", 101), "media_source": img}, 400},
		"description":  {map[string]any{"board_id": "549755885175", "description": strings.Repeat("d", 801), "media_source": img}, 400},
		"board":        {map[string]any{"board_id": "1", "media_source": img}, 404},
		"section":      {map[string]any{"board_id": "549755885176", "board_section_id": "5027629787972154693", "media_source": img}, 404},
		"carousel":     {map[string]any{"board_id": "549755885175", "media_source": map[string]any{"source_type": "multiple_image_urls", "items": []any{map[string]string{"url": "https://a"}}}}, 400},
		"video":        {map[string]any{"board_id": "549755885175", "media_source": map[string]any{"source_type": "video_id", "media_id": "42"}}, 400},
		"unknown type": {map[string]any{"board_id": "549755885175", "media_source": map[string]any{"source_type": "gif"}}, 400},
	} {
		status, out := post(t, s, tc.body)
		require.Equal(t, tc.status, status, name)
		require.NotEmpty(t, out["message"], name)
		require.NotNil(t, out["code"], name)
	}
	require.Empty(t, s.Pins())
	status, out := post(t, s, map[string]any{"board_id": "549755885175", "title": "ok", "media_source": img})
	require.Equal(t, 201, status)
	require.NotEmpty(t, out["id"])
	// A 429 carries no invented rate-limit headers.
	s.Inject(Fault{Route: "POST /v5/pins", Kind: RateLimited})
	b, _ := json.Marshal(map[string]any{"board_id": "549755885175", "media_source": img})
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/v5/pins", bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+s.tk)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, 429, res.StatusCode)
	require.Empty(t, res.Header.Get("X-RateLimit-Reset"))
	require.Empty(t, res.Header.Get("Retry-After"))
}
