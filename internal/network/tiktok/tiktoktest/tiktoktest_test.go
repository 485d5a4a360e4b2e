package tiktoktest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// call posts a JSON body with the fake's token and decodes the envelope.
func call(t *testing.T, s *Server, path string, body any) (int, map[string]any, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, s.URL+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+s.tk)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	var env struct {
		Data  map[string]any `json:"data"`
		Error map[string]any `json:"error"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&env))
	return res.StatusCode, env.Data, env.Error
}

func initBodyOf(privacy string, size, chunk, count int) map[string]any {
	return map[string]any{
		"post_info":   map[string]any{"title": "t", "privacy_level": privacy},
		"source_info": map[string]any{"source": "FILE_UPLOAD", "video_size": size, "chunk_size": chunk, "total_chunk_count": count},
	}
}

// TestFakeValidatesLikeTikTok: the fake refuses what TikTok refuses, so a
// connector bug shows up as a failing test.
func TestFakeValidatesLikeTikTok(t *testing.T) {
	s := New(t, Options{})
	for name, tc := range map[string]struct {
		body map[string]any
		code string
	}{
		"public while unaudited": {initBodyOf("PUBLIC_TO_EVERYONE", 1000, 1000, 1), "unaudited_client_can_only_post_to_private_accounts"},
		"unknown privacy":        {initBodyOf("FRIENDS", 1000, 1000, 1), "privacy_level_option_mismatch"},
		"small video in chunks":  {initBodyOf("SELF_ONLY", 4<<20, 2<<20, 2), "invalid_params"},
		"chunk too big":          {initBodyOf("SELF_ONLY", 200<<20, 100<<20, 2), "invalid_params"},
		"wrong chunk count":      {initBodyOf("SELF_ONLY", 11<<20, 5<<20, 3), "invalid_params"},
		"title too long":         {map[string]any{"post_info": map[string]any{"title": strings.Repeat("😀", 1101), "privacy_level": "SELF_ONLY"}, "source_info": map[string]any{"source": "FILE_UPLOAD", "video_size": 10, "chunk_size": 10, "total_chunk_count": 1}}, "invalid_params"},
	} {
		status, _, e := call(t, s, "/v2/post/publish/video/init/", tc.body)
		require.Equal(t, tc.code, e["code"], name)
		require.GreaterOrEqual(t, status, 400, name)
	}
	// Refused inits count too: the seventh call within a minute is rate limited.
	status, _, e := call(t, s, "/v2/post/publish/video/init/", initBodyOf("SELF_ONLY", 1000, 1000, 1))
	require.Equal(t, 429, status)
	s = New(t, Options{})
	var data map[string]any
	for i := 0; i < 6; i++ {
		status, data, _ = call(t, s, "/v2/post/publish/video/init/", initBodyOf("SELF_ONLY", 1000, 1000, 1))
		require.Equal(t, 200, status)
		require.NotEmpty(t, data["upload_url"])
	}
	status, _, e = call(t, s, "/v2/post/publish/video/init/", initBodyOf("SELF_ONLY", 1000, 1000, 1))
	require.Equal(t, 429, status)
	require.Equal(t, "rate_limit_exceeded", e["code"])
	// Status stays PROCESSING_UPLOAD until the bytes arrive.
	_, st, _ := call(t, s, "/v2/post/publish/status/fetch/", map[string]any{"publish_id": s.Publishes()[0].ID})
	require.Equal(t, "PROCESSING_UPLOAD", st["status"])
	// A chunk whose range does not fit is refused.
	req, _ := http.NewRequest(http.MethodPut, data["upload_url"].(string), bytes.NewReader(make([]byte, 10)))
	req.Header.Set("Content-Range", "bytes 0-9/999")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusRequestedRangeNotSatisfiable, res.StatusCode)
	// An unknown token is access_token_invalid.
	s.tk = "nope"
	status, _, e = call(t, s, "/v2/post/publish/creator_info/query/", map[string]any{})
	require.Equal(t, 401, status)
	require.Equal(t, "access_token_invalid", e["code"])
}
