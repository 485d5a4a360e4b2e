package youtubetest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func do(t *testing.T, s *Server, method, path string, header map[string]string, body []byte) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, path, bytes.NewReader(body))
	require.NoError(t, err)
	if !strings.HasPrefix(path, "http") {
		req.URL.Scheme, req.URL.Host = "http", strings.TrimPrefix(s.URL, "http://")
	}
	access, _ := s.Tokens()
	req.Header.Set("Authorization", "Bearer "+access)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// TestResumableProtocol checks the fake against the protocol: chunks other
// than the last in 256 KiB units, 308 with Range, the status query, and
// strict metadata.
func TestResumableProtocol(t *testing.T) {
	s := New(t, Options{})
	meta, _ := json.Marshal(map[string]any{"snippet": map[string]any{"title": "t"}, "status": map[string]any{"privacyStatus": "private"}})
	res := do(t, s, "POST", "/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status", map[string]string{"X-Upload-Content-Length": "300000"}, meta)
	require.Equal(t, 200, res.StatusCode)
	session := res.Header.Get("Location")
	require.Contains(t, session, "upload_id=")

	res = do(t, s, "PUT", session, map[string]string{"Content-Range": "bytes */300000"}, nil)
	require.Equal(t, 308, res.StatusCode)
	require.Empty(t, res.Header.Get("Range"))
	res = do(t, s, "PUT", session, map[string]string{"Content-Range": "bytes 0-999/300000"}, make([]byte, 1000))
	require.Equal(t, 400, res.StatusCode, "not a multiple of 256 KiB")
	res = do(t, s, "PUT", session, map[string]string{"Content-Range": "bytes 0-262143/300000"}, make([]byte, chunkUnit))
	require.Equal(t, 308, res.StatusCode)
	require.Equal(t, "bytes=0-262143", res.Header.Get("Range"))
	res = do(t, s, "PUT", session, map[string]string{"Content-Range": "bytes 262144-299999/300000"}, make([]byte, 300000-chunkUnit))
	require.Equal(t, 200, res.StatusCode)
	require.Len(t, s.Videos(), 1)
	res = do(t, s, "PUT", session, map[string]string{"Content-Range": "bytes */300000"}, nil)
	require.Equal(t, 200, res.StatusCode, "a finished session answers the video again")
	require.Len(t, s.Videos(), 1)

	for name, m := range map[string]map[string]any{
		"title":     {"snippet": map[string]any{"title": strings.Repeat("a", 101)}},
		"publishAt": {"snippet": map[string]any{"title": "a"}, "status": map[string]any{"privacyStatus": "public", "publishAt": "2030-01-01T00:00:00Z"}},
		"category":  {"snippet": map[string]any{"title": "a", "categoryId": "99"}},
	} {
		b, _ := json.Marshal(m)
		res := do(t, s, "POST", "/upload/youtube/v3/videos?uploadType=resumable", map[string]string{"X-Upload-Content-Length": "10"}, b)
		require.Equal(t, 400, res.StatusCode, name)
	}
}

func TestQuotaAndErrors(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	s := New(t, Options{Now: func() time.Time { return now }, DailyUnits: 2, TokenLifetime: 48 * time.Hour})
	require.Equal(t, 200, do(t, s, "GET", "/youtube/v3/channels?part=id&mine=true", nil, nil).StatusCode)
	require.Equal(t, 200, do(t, s, "GET", "/youtube/v3/channels?part=id&mine=true", nil, nil).StatusCode)
	res := do(t, s, "GET", "/youtube/v3/channels?part=id&mine=true", nil, nil)
	require.Equal(t, 403, res.StatusCode)
	var body struct {
		Error struct {
			Errors []struct{ Reason, Domain string }
		}
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&body))
	require.Equal(t, "quotaExceeded", body.Error.Errors[0].Reason)
	require.Equal(t, "youtube.quota", body.Error.Errors[0].Domain)
	now = now.Add(24 * time.Hour)
	require.Equal(t, 200, do(t, s, "GET", "/youtube/v3/channels?part=id&mine=true", nil, nil).StatusCode, "a new Pacific day")
	s.Expire()
	require.Equal(t, 401, do(t, s, "GET", "/youtube/v3/channels?part=id&mine=true", nil, nil).StatusCode)
	res = do(t, s, "GET", "/v2/reports?ids=channel==MINE&startDate=2026-01-01&endDate=2026-02-01&metrics=views,oldMetric", nil, nil)
	require.Equal(t, 401, res.StatusCode)
}
